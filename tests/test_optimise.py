"""The CP-SAT planner: constraints hold, never worse than greedy, optimal on tiny instances."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schedule import START, assert_valid_plan, roadmaps

from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Status, Team
from roadmap.planning.optimise import crash_plan, optimise_plan, plan_exposure, surrogate_objective, with_capacity
from roadmap.planning.problem import build_problem
from roadmap.planning.schedule import compress_plan

LIMIT = 1.0  # seconds per solve: tiny instances are proven optimal far sooner


@settings(max_examples=25, deadline=None)
@given(roadmaps())
def test_optimised_plan_is_valid_and_never_worse_than_greedy(roadmap):
    greedy, optimised, report = optimise_plan(build_problem(roadmap), time_limit=LIMIT)
    assert_valid_plan(roadmap, optimised)
    assert plan_exposure(roadmap, optimised) <= plan_exposure(roadmap, greedy) + 1e-9
    assert report.status in {"OPTIMAL", "FEASIBLE", "GREEDY"}


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
def test_tiny_instances_match_brute_force(roadmap):
    problem = build_problem(roadmap)
    _greedy, optimised, report = optimise_plan(problem, time_limit=5)
    placements = list(_all_placements(problem))
    best = min(surrogate_objective(problem, p) for p in placements)
    if report.status == "OPTIMAL":
        assert report.objective == pytest.approx(best)
    # each measure mitigates its own risk and the week has no weekend inside: among the placements
    # that do every measure, the solver's plan has the least true exposure
    full = [p for p in placements if len(p) == len(problem.jobs)]
    if full and len(optimised.scheduled) == len(problem.jobs):
        from roadmap.planning.problem import plan_from_starts

        least = min(plan_exposure(roadmap, plan_from_starts(problem, p, order="x")) for p in full)
        assert plan_exposure(roadmap, optimised) == pytest.approx(least)


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
