"""The optimised planner: constraints hold, never worse than its own rules, optimal on tiny
instances, a lower bound below every plan, crashing that re-planning confirms."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import START, assert_valid_plan, roadmaps

from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Status, Team
from roadmap.planning.bound import exposure_lower_bound
from roadmap.planning.optimise import crash_plan, optimise_plan, plan_exposure, with_capacity
from roadmap.planning.plan import DeferReason
from roadmap.planning.problem import build_problem, plan_from_starts
from roadmap.planning.schedule import compress_plan
from roadmap.planning.search import compile_problem, decode, score, search_plan, textbook_order

LIMIT = 1.0  # seconds of work per plan


@settings(max_examples=25, deadline=None)
@given(roadmaps())
def test_optimised_plan_is_valid_and_never_worse_than_greedy(roadmap):
    greedy, optimised, report = optimise_plan(build_problem(roadmap), time_limit=LIMIT)
    assert_valid_plan(roadmap, optimised)
    assert plan_exposure(roadmap, optimised) <= plan_exposure(roadmap, greedy) + 1e-9 or any(
        m.due_date for m in roadmap.measures
    )  # a plan may take more exposure only to keep a due date the greedy plan misses
    assert report.status in {"OPTIMAL", "FEASIBLE"}
    if report.exposure_lower_bound is not None:
        assert report.exposure_lower_bound <= plan_exposure(roadmap, optimised) + 1e-6


@st.composite
def tiny(draw):
    """3–4 measures, 1–2 teams, one working week (Monday–Friday, no holidays): brute-forceable."""
    count = draw(st.integers(3, 4))
    teams = (Team(name="A", fte=draw(st.sampled_from([1, 2]))), Team(name="B", fte=1))
    measures, risks = [], []
    for n in range(count):
        depends = draw(st.lists(st.sampled_from([f"M{k}" for k in range(n)]), max_size=1)) if n else []
        risks.append(Risk(id=f"R{n}", likelihood=draw(st.integers(1, 4)), severity=draw(st.integers(1, 4))))
        measures.append(
            Measure(
                id=f"M{n}",
                title="x",
                team=draw(st.sampled_from(["A", "B"])),
                effort_days=draw(st.integers(1, 3)),
                max_crew=draw(st.integers(1, 2)),
                depends_on=tuple(depends),
                mitigates=(Mitigation(risk_id=f"R{n}", effectiveness=draw(st.sampled_from([0.3, 0.6, 0.9]))),),
            )
        )
    return Roadmap(
        measures=tuple(measures),
        risks=tuple(risks),
        teams=teams,
        settings=Settings(start_date=START, horizon_weeks=1, calendar=""),
    )


def _all_placements(problem):
    """Every feasible placement (start index by placed job), by brute force."""
    jobs = list(problem.jobs.values())
    options = [[None, *range(j.earliest, j.latest_end - j.duration + 2)] for j in jobs]
    for choice in itertools.product(*options):
        starts = {j.id: s for j, s in zip(jobs, choice, strict=True) if s is not None}
        ok = all(
            d in starts and starts[d] + problem.jobs[d].duration <= starts[j.id]
            for j in jobs
            if j.id in starts
            for d in j.depends
        )
        for team, capacity in problem.capacity.items():
            for day in range(len(problem.days)):
                used = sum(
                    j.demand
                    for j in jobs
                    if j.team == team and j.id in starts and starts[j.id] <= day < starts[j.id] + j.duration
                )
                ok = ok and used <= capacity
        if ok:
            yield starts


@settings(max_examples=20, deadline=None)
@given(tiny())
def test_tiny_instances_bound_optimum_and_plan(roadmap):
    """bound ≤ optimum ≤ plan, the optimum by brute force over every placement (partial ones
    included) on the true exposure, and the plan found by enumeration is that optimum."""
    problem = build_problem(roadmap)
    _greedy, optimised, report = optimise_plan(problem, time_limit=LIMIT)
    optimum = min(plan_exposure(roadmap, plan_from_starts(problem, p, order="x")) for p in _all_placements(problem))
    bound = exposure_lower_bound(compile_problem(problem), time_limit=10)
    assert bound is not None
    assert bound.exposure <= optimum + 1e-6
    assert report.status == "OPTIMAL"
    assert plan_exposure(roadmap, optimised) == pytest.approx(optimum)


def test_generated_hospital_beats_the_textbook_rule_and_stays_above_the_bound():
    from benchmarks.hospitals import hospital

    roadmap = hospital(80, seed=3)
    problem = build_problem(roadmap)
    inst = compile_problem(problem)
    textbook = score(inst, decode(inst, textbook_order(inst)))[2]
    greedy, optimised, report = optimise_plan(problem, time_limit=4)
    assert_valid_plan(roadmap, optimised)
    value = plan_exposure(roadmap, optimised)
    assert value == pytest.approx(report.objective)
    assert value <= 0.95 * textbook and value <= plan_exposure(roadmap, greedy)
    assert report.exposure_lower_bound is not None and report.exposure_lower_bound <= value
    assert report.gap == pytest.approx(value / report.exposure_lower_bound - 1)


def test_search_is_deterministic_for_a_given_limit():
    from benchmarks.hospitals import hospital

    problem = build_problem(hospital(120, seed=5))
    first, second = search_plan(problem, time_limit=1), search_plan(problem, time_limit=1)
    assert first == second


def test_sample_optimised_beats_naive_and_matches_or_beats_greedy():
    from conftest import SAMPLE

    from roadmap.importing.load import load_roadmap

    roadmap, _ = load_roadmap(SAMPLE)
    problem = build_problem(roadmap)
    greedy, optimised, _report = optimise_plan(problem, time_limit=3)
    naive = compress_plan(roadmap, order="baseline")
    assert_valid_plan(roadmap, optimised)
    assert plan_exposure(roadmap, optimised) <= plan_exposure(roadmap, greedy) < plan_exposure(roadmap, naive)


def test_same_input_same_plan():
    from conftest import SAMPLE

    from roadmap.importing.load import load_roadmap

    roadmap, _ = load_roadmap(SAMPLE)
    first = optimise_plan(build_problem(roadmap), time_limit=2)[1]
    second = optimise_plan(build_problem(roadmap), time_limit=2)[1]
    assert first.scheduled == second.scheduled


def _one_team(*measures, fte=1.0, horizon=2):
    return Roadmap(
        measures=measures,
        risks=(Risk(id="R", likelihood=4, severity=4),),
        teams=(Team(name="T", fte=fte),),
        settings=Settings(start_date=START, horizon_weeks=horizon, calendar=""),
    )


def _m(ident, effort, **extra):
    return Measure(
        id=ident,
        title=ident,
        team="T",
        effort_days=effort,
        mitigates=(Mitigation(risk_id="R", effectiveness=0.5),),
        **extra,
    )


def test_crashing_finds_the_smallest_extra_capacity():
    # 2 weeks = 10 working days for one person; 15 person-days of work → one more person, i.e.
    # +1 person-day a day = +10 person-days per 2-week sprint; with today's capacity: 3 weeks.
    roadmap = _one_team(_m("A", 5), _m("B", 5), _m("C", 5))
    crash = crash_plan(roadmap, time_limit=LIMIT)
    assert crash.extra_person_days_per_sprint == {"T": 10.0}
    assert crash.horizon_weeks_needed == 3.0  # 15 working days: the Friday of the third week
    assert crash.impossible == ()


def test_crashing_answers_at_scale_and_re_planning_confirms_it():
    """The figure is applied as the Équipes sheet's reinforcement (per week = per sprint / sprint
    weeks) and the plan re-made: nothing is deferred for capacity."""
    from benchmarks.hospitals import hospital

    roadmap = hospital(200, seed=1)
    before = compress_plan(roadmap)
    assert any(d.reason == DeferReason.CAPACITY for d in before.deferred)
    crash = crash_plan(roadmap, time_limit=5)
    assert crash.status == "FEASIBLE" and any(v > 0 for v in crash.extra_person_days_per_sprint.values())
    weeks = roadmap.settings.sprint_weeks
    reinforced = with_capacity(
        roadmap,
        {
            t.name: {"reinforcement": t.reinforcement + crash.extra_person_days_per_sprint[t.name] / weeks}
            for t in roadmap.teams
        },
    )
    _greedy, optimised, _report = optimise_plan(build_problem(reinforced), time_limit=2)
    assert not [d for d in optimised.deferred if d.reason == DeferReason.CAPACITY]
    assert crash.horizon_weeks_needed is not None and crash.horizon_weeks_needed > 13


def test_crashing_nothing_needed_and_blocked_out_of_reach():
    roadmap = _one_team(_m("A", 5), _m("B", 2, status=Status.BLOCKED))
    crash = crash_plan(roadmap, time_limit=LIMIT)
    assert crash.extra_person_days_per_sprint == {"T": 0.0}
    assert crash.impossible == ("B",)


def test_what_if_capacity_changes_the_plan():
    roadmap = _one_team(_m("A", 6), _m("B", 6))
    assert len(compress_plan(roadmap).deferred) == 1
    assert compress_plan(with_capacity(roadmap, {"T": {"fte": 2}})).deferred == ()


def test_start_far_in_the_future_is_a_planning_error():
    from roadmap.errors import PlanningError

    with pytest.raises(PlanningError, match="after the year 9999"):
        build_problem(_one_team(_m("A", 1)), start=dt.date(9999, 12, 25))
