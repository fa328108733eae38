"""The compression planner: capacity, prerequisites, calendar, deferral reasons, invariants."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.errors import PlanningError
from roadmap.models import Measure, Mitigation, Risk, Roadmap, Settings, Status, Team
from roadmap.planning.calendar import make_sprints, working_days
from roadmap.planning.plan import DeferReason
from roadmap.planning.schedule import compress_plan

START = dt.date(2026, 11, 30)  # a Monday; 25 Dec and 1 Jan fall in the default 13 weeks


def _m(
    ident, *, team="T", effort=5.0, crew=1, depends=(), status=Status.NOT_STARTED, progress=0.0, sprint=None, risk=0.5
):
    return Measure(
        id=ident,
        title=ident,
        team=team,
        effort_days=effort,
        max_crew=crew,
        depends_on=tuple(depends),
        status=status,
        progress=progress,
        fixed_sprint=sprint,
        mitigates=(Mitigation(risk_id="R1", effectiveness=risk),),
    )


def _roadmap(*measures, fte=1.0, availability=1.0, reinforcement=0.0, horizon=13):
    return Roadmap(
        measures=measures,
        risks=(Risk(id="R1", likelihood=4, severity=4),),
        teams=(Team(name="T", fte=fte, availability=availability, reinforcement=reinforcement),),
        settings=Settings(start_date=START, horizon_weeks=horizon),
    )


def test_working_days_skip_weekends_and_french_holidays():
    days = working_days(dt.date(2026, 12, 21), dt.date(2027, 1, 3))
    assert dt.date(2026, 12, 25) not in days and dt.date(2027, 1, 1) not in days
    assert len(days) == 8  # 10 weekdays minus Christmas and New Year's Day


def test_working_days_unknown_calendar():
    with pytest.raises(PlanningError, match="unknown calendar"):
        working_days(START, START, calendar="XX")


def test_sprints_cover_the_horizon_and_the_last_may_be_short():
    sprints = make_sprints(START, horizon_weeks=13, sprint_weeks=2)
    assert len(sprints) == 7
    assert sprints[0].start == START and sprints[0].end == dt.date(2026, 12, 13)
    assert sprints[-1].end == START + dt.timedelta(weeks=13, days=-1)
    assert (sprints[-1].end - sprints[-1].start).days == 6


def test_zero_weeks_is_a_planning_error():
    with pytest.raises(PlanningError):
        make_sprints(START, horizon_weeks=0, sprint_weeks=2)


def test_duration_uses_remaining_effort_and_crew():
    # 10 person-days at 40 % progress = 6 remaining; crew 2 → 3 working days.
    plan = compress_plan(_roadmap(_m("A", effort=10, crew=2, progress=40, status=Status.IN_PROGRESS), fte=2))
    (scheduled,) = plan.scheduled
    assert scheduled.duration == 3 and scheduled.crew == 2
    assert scheduled.start == START and scheduled.end == dt.date(2026, 12, 2)


def test_fractional_capacity_works_at_its_own_pace():
    # 1.5 FTE at 50 % = 0.75 person-day a day: 3 person-days take 4 working days.
    plan = compress_plan(_roadmap(_m("A", effort=3), fte=1.5, availability=0.5))
    assert plan.scheduled[0].duration == 4


def test_reinforcement_adds_capacity():
    # 1 FTE + 5 person-days a week = 2 person-days a day: two measures run side by side.
    plan = compress_plan(_roadmap(_m("A"), _m("B"), fte=1, reinforcement=5))
    assert {s.start for s in plan.scheduled} == {START}


def test_prerequisite_ends_before_dependant_starts():
    plan = compress_plan(_roadmap(_m("A", effort=3), _m("B", effort=2, depends=["A"]), fte=3))
    by_id = {s.id: s for s in plan.scheduled}
    assert by_id["B"].start > by_id["A"].end


def test_done_prerequisite_does_not_wait():
    plan = compress_plan(_roadmap(_m("A", status=Status.DONE), _m("B", depends=["A"])))
    assert plan.scheduled[0].start == START


def test_blocked_and_its_dependants_are_deferred_with_reasons():
    plan = compress_plan(_roadmap(_m("A", status=Status.BLOCKED), _m("B", depends=["A"]), _m("C")))
    reasons = {d.id: d.reason for d in plan.deferred}
    assert reasons == {"A": DeferReason.BLOCKED, "B": DeferReason.PREREQUISITE}
    assert [s.id for s in plan.scheduled] == ["C"]


def test_too_long_for_the_horizon():
    plan = compress_plan(_roadmap(_m("A", effort=200)))
    assert plan.deferred[0].reason is DeferReason.TOO_LONG


def test_a_chain_of_prerequisites_longer_than_the_horizon_is_too_long_not_capacity():
    # 10 working days; A takes 8, B waits on A and takes 5: no capacity ends B in time
    plan = compress_plan(
        _roadmap(_m("A", effort=8), _m("B", effort=5, depends=["A"]), _m("C", effort=1, depends=["B"]), horizon=2)
    )
    reasons = {d.id: (d.reason, d.duration) for d in plan.deferred}
    assert reasons["B"] == (DeferReason.TOO_LONG, 13)
    assert reasons["C"][0] is DeferReason.PREREQUISITE
    assert [s.id for s in plan.scheduled] == ["A"]


def test_capacity_defers_what_does_not_fit():
    # 2 weeks horizon = 10 working days of 1 person: 6 + 6 person-days cannot both fit.
    plan = compress_plan(_roadmap(_m("A", effort=6, risk=0.9), _m("B", effort=6, risk=0.1), horizon=2))
    assert [s.id for s in plan.scheduled] == ["A"]
    assert plan.deferred[0].id == "B" and plan.deferred[0].reason is DeferReason.CAPACITY


def test_fixed_sprint_is_respected():
    plan = compress_plan(_roadmap(_m("A", effort=2, sprint=3)))
    sprint3 = plan.sprints[2]
    assert sprint3.start <= plan.scheduled[0].start and plan.scheduled[0].end <= sprint3.end
    assert plan.scheduled[0].sprint == 3


def test_fixed_sprint_after_the_horizon_is_deferred():
    plan = compress_plan(_roadmap(_m("A", sprint=20)))
    assert plan.deferred[0].reason is DeferReason.TOO_LONG


def test_wspt_puts_the_best_risk_reduction_per_day_first():
    plan = compress_plan(_roadmap(_m("slow", effort=10, risk=0.5), _m("quick", effort=2, risk=0.5)))
    assert plan.scheduled[0].id == "quick"


def test_a_prerequisite_inherits_the_urgency_of_its_dependant():
    plan = compress_plan(
        _roadmap(
            _m("other", effort=3, risk=0.3),
            _m("prereq", effort=3, risk=0.01),
            _m("key", effort=1, risk=0.9, depends=["prereq"]),
        )
    )
    assert [s.id for s in plan.scheduled][:2] == ["prereq", "key"]


@st.composite
def roadmaps(draw):
    count = draw(st.integers(1, 14))
    teams = (
        Team(name="A", fte=draw(st.sampled_from([0.5, 1, 2, 3])), availability=draw(st.sampled_from([0.4, 1.0]))),
        Team(name="B", fte=2, availability=0.6, reinforcement=draw(st.sampled_from([0, 2.5]))),
    )
    measures = []
    for n in range(count):
        depends = draw(st.lists(st.sampled_from([f"M{k}" for k in range(n)]), max_size=2, unique=True)) if n else []
        measures.append(
            Measure(
                id=f"M{n}",
                title="x",
                team=draw(st.sampled_from(["A", "B"])),
                effort_days=draw(st.floats(0.5, 40)),
                max_crew=draw(st.integers(1, 3)),
                status=draw(
                    st.sampled_from(
                        [Status.NOT_STARTED] * 4 + [Status.IN_PROGRESS, Status.DONE, Status.BLOCKED, Status.CANCELLED]
                    )
                ),
                progress=draw(st.sampled_from([0, 30, 60])),
                depends_on=tuple(depends),
                fixed_sprint=draw(st.one_of(st.none(), st.integers(1, 4))),
                mitigates=(Mitigation(risk_id="R1", effectiveness=draw(st.floats(0.05, 1))),),
            )
        )
    return Roadmap(
        measures=tuple(measures),
        risks=(Risk(id="R1", likelihood=4, severity=4),),
        teams=teams,
        settings=Settings(start_date=START, horizon_weeks=draw(st.integers(1, 8))),
    )


@settings(max_examples=150, deadline=None)
@given(roadmaps())
def test_plan_invariants(roadmap):
    assert_valid_plan(roadmap, compress_plan(roadmap))


def assert_valid_plan(roadmap, plan):
    """Every constraint of PRODUCT.md §5, day by day."""
    open_ids = [m.id for m in roadmap.measures if m.is_open]
    placed = [s.id for s in plan.scheduled]
    deferred = [d.id for d in plan.deferred]
    # every open measure exactly once, scheduled or deferred with a reason
    assert sorted(placed + deferred) == sorted(open_ids)
    assert all(d.reason in DeferReason and d.detail for d in plan.deferred)
    # no team over capacity on any working day
    for team in roadmap.teams:
        for day in plan.days:
            busy = sum(round(s.rate * 100) for s in plan.scheduled if s.team == team.name and s.start <= day <= s.end)
            assert busy <= round(team.daily_capacity * 100)  # hundredths of a person-day
    finish = {s.id: s for s in plan.scheduled}
    for s in plan.scheduled:
        measure = roadmap.measure_by_id[s.id]
        # prerequisites end before dependants start; none of them deferred
        for d in measure.depends_on:
            assert d not in deferred
            if d in finish:
                assert finish[d].end < s.start
        # inside the horizon, on working days, long enough for the remaining effort
        assert plan.start <= s.start <= s.end <= plan.end
        assert s.start in plan.days and s.end in plan.days
        assert s.duration * s.rate >= measure.remaining_effort - 1e-9
        assert plan.days.index(s.end) - plan.days.index(s.start) + 1 == s.duration
        if measure.fixed_sprint is not None:
            assert s.sprint == measure.fixed_sprint
        assert plan.sprints[s.sprint - 1].start <= s.end <= plan.sprints[s.sprint - 1].end
    for d in plan.deferred:
        if roadmap.measure_by_id[d.id].status is Status.BLOCKED:
            assert d.reason is DeferReason.BLOCKED


def test_fixed_sprint_and_due_dates_come_before_risk_ratio():
    due = Measure(id="due", title="x", team="T", effort_days=5, due_date=START + dt.timedelta(days=14))
    fixed = _m("fixed", effort=2, sprint=1, risk=0.01)
    plan = compress_plan(_roadmap(_m("best", effort=1, risk=0.9), due, fixed))
    assert [s.id for s in plan.scheduled] == ["fixed", "due", "best"]


def test_schedule_table_lists_scheduled_by_start_then_deferred():
    from roadmap.planning.plan import schedule_table

    roadmap = _roadmap(_m("B", effort=6), _m("A", effort=2, risk=0.9), _m("C", status=Status.BLOCKED))
    table = schedule_table(roadmap, compress_plan(roadmap))
    assert table["id"].tolist() == ["A", "B", "C"]
    assert table["deferral"].tolist() == ["", "", "blocked"]
    assert table["remaining"].tolist() == [2.0, 6.0, 5.0]
