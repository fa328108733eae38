"""The compression planner (PRODUCT.md §5): fit the open measures into sprints over the horizon.

This is resource-constrained project scheduling (RCPSP) on working days. Each open measure m of
team T needs ``crew = min(max_crew, whole FTE of T)`` people and runs for::

    duration_m = ceil(remaining_m / rate_m)   working days,  rate_m = min(crew, capacity_T)

where ``remaining = effort × (1 − progress/100)`` person-days and ``capacity_T = FTE ×
availability + reinforcement / 5`` person-days per working day. (PRODUCT.md §5 uses ``rate =
crew``; taking the minimum with the capacity lets a team with less than one person-day a day, say
1.5 FTE at 50 %, still work at its own pace instead of never fitting.) On every working day the
rates of the measures a team runs add up to at most its capacity; a measure starts after all its
prerequisites end (finish-to-start); a fixed sprint is respected; blocked measures wait.

The schedule here is a serial schedule-generation scheme (list scheduling): measures are taken
one by one in a priority order and each is placed at its earliest feasible start. The order
places first the measures with a fixed sprint, then those due inside the horizon (earliest due
date first), then the rest by weighted shortest processing time (WSPT): the risk reduction the
measure brings now divided by its duration, a measure inheriting the best ratio of the measures
that wait on it. This greedily lowers the cumulative residual-risk exposure while keeping the
commitments. ``order="baseline"`` keeps the order of the original multi-year plan instead (the
naive compression).

Working days are Monday–Friday minus the public holidays of ``Settings.calendar`` (the
``holidays`` package; France by default).
"""

from __future__ import annotations

import datetime as dt
import graphlib
import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import holidays
import pandas as pd

from roadmap.errors import PlanningError
from roadmap.models import Measure, Roadmap, Status, Team
from roadmap.risk import completions_at, residual_scores

_EPS = 1e-9
MAX_HORIZON_WEEKS = 156
"""Three years: the longest horizon Rempart plans over."""
MAX_SPRINT_WEEKS = 12


class DeferReason(StrEnum):
    """Why a measure is not in the compressed plan."""

    CAPACITY = "capacity"
    """The team has no room for it before the end of the horizon (or of its fixed sprint)."""
    PREREQUISITE = "prerequisite"
    """It waits on a prerequisite that is blocked or deferred."""
    BLOCKED = "blocked"
    """Its status is blocked."""
    TOO_LONG = "too_long"
    """Even alone it cannot end inside the horizon (or its fixed sprint is after the horizon)."""


@dataclass(frozen=True)
class Sprint:
    """One sprint: ``index`` from 1, ``start`` and ``end`` calendar days (inclusive)."""

    index: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ScheduledMeasure:
    """A measure placed in the plan.

    Attributes:
        start: first working day; ``end``: last working day.
        sprint: index of the sprint that contains ``end``.
        crew: people of the team on it; ``rate``: person-days it uses per working day.
        duration: working days.
    """

    id: str
    team: str
    start: dt.date
    end: dt.date
    sprint: int
    crew: int
    rate: float
    duration: int


@dataclass(frozen=True)
class DeferredMeasure:
    """A measure left out of the plan, with its reason and a sentence saying why.

    Attributes:
        detail: the reason in an English sentence (for the CLI and logs).
        duration: working days the measure needs, when known (capacity, too long).
        waits_on: the blocked or deferred prerequisites it waits on (prerequisite).
    """

    id: str
    team: str
    reason: DeferReason
    detail: str
    duration: int | None = None
    waits_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A compressed plan over the horizon.

    Attributes:
        start, end: first and last calendar day of the horizon.
        days: the working days of the horizon, in order.
        sprints: the sprints covering the horizon (the last may be shorter).
        scheduled: placed measures, by start date.
        deferred: measures left out, with reasons.
        capacity: person-days per working day, by team.
        order: the priority rule used (``wspt`` or ``baseline``).
    """

    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    sprints: tuple[Sprint, ...]
    scheduled: tuple[ScheduledMeasure, ...]
    deferred: tuple[DeferredMeasure, ...]
    capacity: Mapping[str, float]
    order: str

    def finish_dates(self) -> dict[str, dt.date]:
        """Last working day of each scheduled measure, by ID."""
        return {s.id: s.end for s in self.scheduled}

    def sprint_of(self, day: dt.date) -> int:
        """Index of the sprint containing ``day``."""
        return next(s.index for s in self.sprints if s.start <= day <= s.end)


def working_days(start: dt.date, end: dt.date, *, calendar: str = "FR") -> list[dt.date]:
    """Monday–Friday days in [start, end] that are not public holidays in ``calendar``.

    Args:
        calendar: ISO 3166 country code known to the ``holidays`` package, or ``""`` for no
            public holidays.

    Raises:
        PlanningError: unknown country code.
    """
    off: Mapping[dt.date, str] = {}
    if calendar:
        try:
            off = holidays.country_holidays(calendar, years=range(start.year, end.year + 1))
        except NotImplementedError:
            raise PlanningError(
                f"unknown calendar {calendar!r}: use a country code such as FR, BE or CH, or leave it empty"
            ) from None
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in off]


def make_sprints(start: dt.date, *, horizon_weeks: int, sprint_weeks: int) -> list[Sprint]:
    """Sprints of ``sprint_weeks`` weeks covering ``horizon_weeks`` weeks from ``start``.

    Raises:
        PlanningError: a horizon outside 1–156 weeks or a sprint length outside 1–12 weeks.
    """
    if not 1 <= horizon_weeks <= MAX_HORIZON_WEEKS:
        raise PlanningError(f"the horizon must be 1 to {MAX_HORIZON_WEEKS} weeks, not {horizon_weeks}")
    if not 1 <= sprint_weeks <= MAX_SPRINT_WEEKS:
        raise PlanningError(f"the sprint length must be 1 to {MAX_SPRINT_WEEKS} weeks, not {sprint_weeks}")
    try:
        end = start + dt.timedelta(weeks=horizon_weeks, days=-1)
    except OverflowError:
        raise PlanningError(f"a horizon starting on {start.isoformat()} ends after the year 9999") from None
    count = math.ceil(horizon_weeks / sprint_weeks)
    return [
        Sprint(
            index=k + 1,
            start=start + dt.timedelta(weeks=k * sprint_weeks),
            end=min(start + dt.timedelta(weeks=(k + 1) * sprint_weeks, days=-1), end),
        )
        for k in range(count)
    ]


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
            detail = f"needs {duration} working days with {crew} person(s); {where} {max(0, latest_end - earliest + 1)}"
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


def compress_plan(
    roadmap: Roadmap,
    *,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    sprint_weeks: int | None = None,
    order: Literal["wspt", "baseline"] = "wspt",
) -> Plan:
    """Schedule the open measures into sprints over the horizon (see the module docstring).

    Args:
        start: first day of the horizon; default the Settings start date, else today.
        horizon_weeks, sprint_weeks: default from Settings (13 and 2).
        order: ``wspt`` (risk reduction per working day, the greedy plan) or ``baseline`` (the
            order of the original multi-year plan, the naive compression).

    Returns:
        A :class:`Plan` in which every open measure is scheduled once or deferred with a reason.

    Raises:
        PlanningError: a horizon or sprint length below one week, or an unknown calendar.
    """
    problem = build_problem(roadmap, start=start, horizon_weeks=horizon_weeks, sprint_weeks=sprint_weeks)
    return plan_from_starts(problem, list_schedule(problem, order=order), order=order)


def list_schedule(problem: Problem, *, order: Literal["wspt", "baseline"] = "wspt") -> dict[str, int]:
    """Serial schedule-generation scheme: start day index of each job it could place.

    Jobs are taken in ``order`` among those whose prerequisites are placed; each goes to its
    earliest start with room for its demand on every day of its duration. A job whose
    prerequisite could not be placed is not placed either.
    """
    usage = {team: [0] * len(problem.days) for team in problem.capacity}
    priority = _priority_keys(problem, order)
    starts: dict[str, int] = {}
    waiting = {ident: len(job.depends) for ident, job in problem.jobs.items()}
    dependants: dict[str, list[str]] = {ident: [] for ident in problem.jobs}
    for job in problem.jobs.values():
        for d in job.depends:
            dependants[d].append(job.id)
    eligible = [(priority[ident], ident) for ident, count in waiting.items() if count == 0]
    heapq.heapify(eligible)
    while eligible:  # jobs whose prerequisites are all placed, best priority first
        _, ident = heapq.heappop(eligible)
        job = problem.jobs[ident]
        earliest = max([job.earliest, *(starts[d] + problem.jobs[d].duration for d in job.depends)])
        begin = _earliest_fit(usage[job.team], problem.capacity[job.team], job, earliest)
        if begin is None:
            continue  # not placed: what waits on it is never eligible
        for t in range(begin, begin + job.duration):
            usage[job.team][t] += job.demand
        starts[ident] = begin
        for child in dependants[ident]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(eligible, (priority[child], child))
    return starts


def _earliest_fit(usage: list[int], capacity: int, job: Job, earliest: int) -> int | None:
    """First day index t ≥ earliest with room for the job's demand on t … t+duration−1."""
    t = earliest
    while t + job.duration - 1 <= job.latest_end:
        clash = next((u for u in range(t, t + job.duration) if usage[u] + job.demand > capacity), None)
        if clash is None:
            return t
        t = clash + 1
    return None


def _priority_keys(problem: Problem, order: str) -> dict[str, tuple[int, dt.date, float, int, dt.date, int, str]]:
    """Sort key per job ID, smallest first (see :func:`compress_plan`).

    Measures with a fixed sprint come first, then those due inside the horizon by due date
    (commitments before choices); then the order's own rule; then priority P1 first, baseline
    finish, workbook row and ID.
    """
    far = dt.date.max
    roadmap = problem.roadmap
    row = {m.id: m.row if m.row is not None else n for n, m in enumerate(roadmap.measures)}
    measures = [roadmap.measure_by_id[ident] for ident in problem.jobs]

    def tier(m: Measure) -> tuple[int, dt.date]:
        if m.fixed_sprint is not None:
            return (0, far)
        if m.due_date is not None and m.due_date <= problem.end:
            return (1, m.due_date)
        return (2, far)

    if order == "baseline":
        return {m.id: (*tier(m), 0.0, 0, m.baseline_finish or far, row[m.id], m.id) for m in measures}
    ratio = {job.id: job.weight / job.duration for job in problem.jobs.values()}
    dependants: dict[str, list[str]] = {ident: [] for ident in problem.jobs}
    for job in problem.jobs.values():
        for d in job.depends:
            dependants[d].append(job.id)
    # a job inherits the best ratio of what waits on it: dependants first (reverse topological order),
    # iteratively so that a chain of 10,000 prerequisites needs no recursion
    inherited: dict[str, float] = {}
    order_ids = list(graphlib.TopologicalSorter({j.id: j.depends for j in problem.jobs.values()}).static_order())
    for ident in reversed(order_ids):
        inherited[ident] = max([ratio[ident], *(inherited[c] for c in dependants[ident])])
    return {
        m.id: (*tier(m), -inherited[m.id], m.priority.rank, m.baseline_finish or far, row[m.id], m.id) for m in measures
    }


def schedule_table(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """The plan as a table, one row per open measure (scheduled first, then deferred).

    Returns:
        DataFrame with columns ``id``, ``title``, ``domain``, ``team``, ``priority``,
        ``status``, ``remaining`` (person-days), ``start``, ``end`` (datetime64, NaT when
        deferred), ``sprint`` (Int64, missing when deferred), ``crew``, ``duration`` (working
        days), ``deferral`` (reason or empty) and ``detail``.
    """
    rows = []
    by_id = roadmap.measure_by_id
    for s in plan.scheduled:
        m = by_id[s.id]
        rows.append(
            {
                "id": m.id,
                "start": pd.Timestamp(s.start),
                "end": pd.Timestamp(s.end),
                "sprint": s.sprint,
                "crew": s.crew,
                "duration": s.duration,
                "deferral": "",
                "detail": "",
            }
        )
    for d in plan.deferred:
        rows.append(
            {
                "id": d.id,
                "start": pd.NaT,
                "end": pd.NaT,
                "sprint": None,
                "crew": None,
                "duration": None,
                "deferral": str(d.reason),
                "detail": d.detail,
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "start", "end", "sprint", "crew", "duration", "deferral", "detail"])
    info = pd.DataFrame(
        [
            {
                "id": m.id,
                "title": m.title,
                "domain": m.domain,
                "team": m.team,
                "priority": str(m.priority),
                "status": str(m.status),
                "remaining": m.remaining_effort,
            }
            for m in roadmap.measures
        ]
    )
    frame = frame.merge(info, on="id", how="left")  # keeps the plan order
    frame["sprint"] = frame["sprint"].astype("Int64")
    frame["crew"] = frame["crew"].astype("Int64")
    frame["duration"] = frame["duration"].astype("Int64")
    return frame[
        [
            "id",
            "title",
            "domain",
            "team",
            "priority",
            "status",
            "remaining",
            "start",
            "end",
            "sprint",
            "crew",
            "duration",
            "deferral",
            "detail",
        ]
    ]


def team_load(plan: Plan) -> pd.DataFrame:
    """Person-days busy per team and working day.

    Returns:
        DataFrame with columns ``team``, ``date`` (datetime64), ``busy`` and ``capacity``
        (person-days per working day).
    """
    busy = {(team, d): 0.0 for team in plan.capacity for d in plan.days}
    for s in plan.scheduled:
        for d in plan.days:
            if s.start <= d <= s.end:
                busy[(s.team, d)] += s.rate
    return pd.DataFrame(
        [
            {"team": team, "date": pd.Timestamp(d), "busy": value, "capacity": plan.capacity[team]}
            for (team, d), value in busy.items()
        ],
        columns=["team", "date", "busy", "capacity"],
    )
