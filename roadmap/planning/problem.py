"""The roadmap as a scheduling problem, in working days of the horizon: one :class:`Job` per open
measure (crew, rate, duration, prerequisites, fixed sprint), each team's capacity, each measure's
risk weight; and the plan a set of start days gives (:func:`plan_from_starts`), shared by the
heuristic and CP-SAT.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from roadmap.models import Measure, Roadmap, Status, Team
from roadmap.planning.calendar import Sprint, make_sprints, working_days
from roadmap.planning.plan import DeferReason, DeferredMeasure, Plan, ScheduledMeasure
from roadmap.risk import completions_at, residual_scores

_EPS = 1e-9


CENTI = 100
"""Capacities and rates are counted in hundredths of a person-day per working day, so that the
greedy planner and the CP-SAT model add up exactly the same integers."""


def crew_and_rate(measure: Measure, team: Team) -> tuple[int, float]:
    """People on the measure and the person-days per working day they deliver (see module doc)."""
    crew = min(measure.max_crew, team.crew_limit)
    return crew, min(crew * CENTI, _centi(team.daily_capacity)) / CENTI


def _centi(value: float) -> int:
    return round(value * CENTI)


def risk_weights(roadmap: Roadmap) -> dict[str, float]:
    """Reduction of the total residual score (1–16 scale per risk) that each open measure would
    bring if it alone were finished today: Σ_r R_r(now) · e_mr · (1 − c_m)."""
    now = completions_at(roadmap, None)
    residual = residual_scores(roadmap, now)
    return {
        m.id: sum(residual.get(link.risk_id, 0.0) * link.effectiveness * (1 - now[m.id]) for link in m.mitigates)
        for m in roadmap.measures
        if m.is_open
    }


@dataclass(frozen=True)
class Job:
    """A measure as the planners see it; day indices count working days of the horizon from 0.

    Attributes:
        demand: hundredths of a person-day it uses on each of its working days.
        duration: working days.
        earliest, latest_end: first allowed start and last allowed end day (inclusive).
        depends: open prerequisites that are jobs too (finish-to-start).
        weight: :func:`risk_weights` of the measure (risk reduction once done).
    """

    id: str
    team: str
    crew: int
    demand: int
    duration: int
    earliest: int
    latest_end: int
    depends: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Problem:
    """The scheduling problem of a roadmap over one horizon, shared by every planner.

    Attributes:
        capacity: hundredths of a person-day per working day, by team.
        jobs: the measures to place, in workbook order.
        excluded: measures that cannot be placed whatever the order (blocked, waiting on a blocked
            or excluded prerequisite, longer than their window, team without capacity).
        calendar_offset: for each working-day index, its distance in calendar days from ``start``.
    """

    roadmap: Roadmap
    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    sprints: tuple[Sprint, ...]
    capacity: Mapping[str, int]
    jobs: Mapping[str, Job]
    excluded: Mapping[str, DeferredMeasure]

    @property
    def calendar_offset(self) -> list[int]:
        return [(d - self.start).days for d in self.days]

    def sprint_of_index(self, index: int) -> int:
        """Sprint containing working day ``index``."""
        day = self.days[index]
        return next(s.index for s in self.sprints if s.start <= day <= s.end)


def build_problem(
    roadmap: Roadmap,
    *,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    sprint_weeks: int | None = None,
) -> Problem:
    """The jobs, capacities and calendar of the plan (see :func:`compress_plan` for the options).

    Raises:
        PlanningError: a horizon or sprint length below one week, or an unknown calendar.
    """
    settings = roadmap.settings
    start = start or settings.start_date or dt.date.today()
    sprints = make_sprints(
        start,
        horizon_weeks=horizon_weeks or settings.horizon_weeks,
        sprint_weeks=sprint_weeks or settings.sprint_weeks,
    )
    end = sprints[-1].end
    days = working_days(start, end, calendar=settings.calendar)
    capacity = {team.name: _centi(team.daily_capacity) for team in roadmap.teams}
    weights = risk_weights(roadmap)
    excluded: dict[str, DeferredMeasure] = {}
    jobs: dict[str, Job] = {}

    def window(sprint: Sprint) -> tuple[int, int]:
        inside = [i for i, d in enumerate(days) if sprint.start <= d <= sprint.end]
        return (inside[0], inside[-1]) if inside else (len(days), -1)

    open_ids = {m.id for m in roadmap.measures if m.is_open}
    for m in roadmap.measures:
        if not m.is_open:
            continue
        team = roadmap.team_by_name.get(m.team)
        if m.status is Status.BLOCKED:
            excluded[m.id] = DeferredMeasure(m.id, m.team, DeferReason.BLOCKED, m.notes or "status is blocked")
            continue
        if team is None or _centi(team.daily_capacity) <= 0:
            excluded[m.id] = DeferredMeasure(m.id, m.team, DeferReason.CAPACITY, f"team {m.team!r} has no capacity")
            continue
        crew, rate = crew_and_rate(m, team)
        demand = _centi(rate)
        duration = max(1, math.ceil(m.remaining_effort * CENTI / demand - _EPS))
        earliest, latest_end = 0, len(days) - 1
        if m.fixed_sprint is not None:
            if m.fixed_sprint > len(sprints):
                detail = f"fixed sprint {m.fixed_sprint} is after the horizon's {len(sprints)} sprints"
                excluded[m.id] = DeferredMeasure(m.id, m.team, DeferReason.TOO_LONG, detail)
                continue
            earliest, latest_end = window(sprints[m.fixed_sprint - 1])
        if duration > latest_end - earliest + 1:
            where = f"sprint {m.fixed_sprint} has" if m.fixed_sprint else "the horizon has"
            people = "1 person" if crew == 1 else f"{crew} people"
            detail = f"needs {duration} working days with {people}; {where} {max(0, latest_end - earliest + 1)}"
            excluded[m.id] = DeferredMeasure(m.id, m.team, DeferReason.TOO_LONG, detail, duration)
            continue
        depends = tuple(d for d in m.depends_on if d in open_ids)
        jobs[m.id] = Job(m.id, m.team, crew, demand, duration, earliest, latest_end, depends, weights.get(m.id, 0.0))

    try:  # the loader reports cycles as errors; a planner called anyway defers their members
        graphlib.TopologicalSorter({j.id: j.depends for j in jobs.values()}).prepare()
    except graphlib.CycleError as exc:
        for ident in set(exc.args[1]):
            job = jobs.pop(ident)
            excluded[ident] = DeferredMeasure(ident, job.team, DeferReason.PREREQUISITE, "part of a dependency cycle")
    earliest_start: dict[str, int] = {}  # pushed by the chain of prerequisites, whatever the capacity
    for ident in graphlib.TopologicalSorter(
        {j.id: [d for d in j.depends if d in jobs] for j in jobs.values()}
    ).static_order():
        job = jobs[ident]
        earliest_start[ident] = max(
            [job.earliest] + [earliest_start[d] + jobs[d].duration for d in job.depends if d in earliest_start]
        )
    for ident, begin in earliest_start.items():  # in topological order: a dependant of one out of reach waits on it
        job = jobs[ident]
        if any(d in excluded for d in job.depends):
            continue
        if begin > job.earliest and begin + job.duration - 1 > job.latest_end:
            detail = (
                f"its prerequisites end {begin - job.earliest} working days in at the earliest and it needs "
                f"{job.duration} more: {begin + job.duration} working days; the horizon has {job.latest_end + 1}"
            )
            excluded[ident] = DeferredMeasure(ident, job.team, DeferReason.TOO_LONG, detail, begin + job.duration)
            del jobs[ident]
    changed = True
    while changed:  # a job waiting on an excluded measure is excluded too, transitively
        changed = False
        for job in list(jobs.values()):
            waits_on = tuple(d for d in job.depends if d in excluded)
            if waits_on:
                detail = f"waits on deferred or blocked prerequisite {', '.join(waits_on)}"
                excluded[job.id] = DeferredMeasure(job.id, job.team, DeferReason.PREREQUISITE, detail, None, waits_on)
                del jobs[job.id]
                changed = True
    return Problem(roadmap, start, end, tuple(days), tuple(sprints), capacity, jobs, excluded)


def plan_from_starts(problem: Problem, starts: Mapping[str, int], *, order: str) -> Plan:
    """A :class:`Plan` from the start day index of each placed job; the other jobs are deferred
    (waiting on an unplaced prerequisite, else for capacity)."""
    scheduled = []
    deferred = dict(problem.excluded)
    for job in problem.jobs.values():
        if job.id in starts:
            begin = starts[job.id]
            last = begin + job.duration - 1
            scheduled.append(
                ScheduledMeasure(
                    job.id,
                    job.team,
                    problem.days[begin],
                    problem.days[last],
                    problem.sprint_of_index(last),
                    job.crew,
                    job.demand / CENTI,
                    job.duration,
                )
            )
    for job in problem.jobs.values():
        if job.id in starts:
            continue
        waits_on = tuple(d for d in job.depends if d not in starts)
        if waits_on:
            detail = f"waits on deferred or blocked prerequisite {', '.join(waits_on)}"
            deferred[job.id] = DeferredMeasure(job.id, job.team, DeferReason.PREREQUISITE, detail, None, waits_on)
        else:
            fixed = problem.roadmap.measure_by_id[job.id].fixed_sprint
            detail = f"team {job.team} has no room for {job.duration} working days before " + (
                "the end of its fixed sprint" if fixed else "the end of the horizon"
            )
            deferred[job.id] = DeferredMeasure(job.id, job.team, DeferReason.CAPACITY, detail, job.duration)
    scheduled.sort(key=lambda s: (s.start, s.end, s.id))
    return Plan(
        problem.start,
        problem.end,
        problem.days,
        problem.sprints,
        tuple(scheduled),
        tuple(sorted(deferred.values(), key=lambda d: (d.reason, d.id))),
        {team: value / CENTI for team, value in problem.capacity.items()},
        order,
    )
