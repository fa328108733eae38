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
        PlanningError: a horizon or sprint length below one week.
    """
    if horizon_weeks < 1 or sprint_weeks < 1:
        raise PlanningError("the horizon and the sprint length must be at least one week")
    end = start + dt.timedelta(weeks=horizon_weeks, days=-1)
    count = math.ceil(horizon_weeks / sprint_weeks)
    return [
        Sprint(
            index=k + 1,
            start=start + dt.timedelta(weeks=k * sprint_weeks),
            end=min(start + dt.timedelta(weeks=(k + 1) * sprint_weeks, days=-1), end),
        )
        for k in range(count)
    ]


def crew_and_rate(measure: Measure, team: Team) -> tuple[int, float]:
    """People on the measure and the person-days per working day they deliver (see module doc)."""
    crew = min(measure.max_crew, team.crew_limit)
    return crew, min(float(crew), team.daily_capacity)


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
    settings = roadmap.settings
    start = start or settings.start_date or dt.date.today()
    sprints = make_sprints(
        start,
        horizon_weeks=horizon_weeks or settings.horizon_weeks,
        sprint_weeks=sprint_weeks or settings.sprint_weeks,
    )
    end = sprints[-1].end
    days = working_days(start, end, calendar=settings.calendar)
    index_of = {d: i for i, d in enumerate(days)}
    capacity = {team.name: team.daily_capacity for team in roadmap.teams}
    usage = {name: [0.0] * len(days) for name in capacity}

    def day_range(sprint: Sprint) -> tuple[int, int]:
        inside = [index_of[d] for d in days if sprint.start <= d <= sprint.end]
        return (inside[0], inside[-1]) if inside else (len(days), -1)

    open_measures = [m for m in roadmap.measures if m.is_open]
    by_id = roadmap.measure_by_id
    finish_index: dict[str, int] = {}
    scheduled: list[ScheduledMeasure] = []
    deferred: dict[str, DeferredMeasure] = {}
    pending = {m.id: m for m in open_measures}

    def defer(
        measure: Measure,
        reason: DeferReason,
        detail: str,
        *,
        duration: int | None = None,
        waits_on: tuple[str, ...] = (),
    ) -> None:
        deferred[measure.id] = DeferredMeasure(measure.id, measure.team, reason, detail, duration, waits_on)
        del pending[measure.id]

    for measure in open_measures:
        if measure.status is Status.BLOCKED:
            defer(measure, DeferReason.BLOCKED, "blocked: " + (measure.notes or "status is blocked"))

    priority = _priority_keys(roadmap, open_measures, order, end)
    while pending:
        waiting_on_deferred = [m for m in pending.values() if any(d in deferred for d in m.depends_on if d in by_id)]
        if waiting_on_deferred:
            for m in waiting_on_deferred:
                culprits = tuple(d for d in m.depends_on if d in deferred)
                defer(
                    m,
                    DeferReason.PREREQUISITE,
                    f"waits on deferred or blocked prerequisite {', '.join(culprits)}",
                    waits_on=culprits,
                )
            continue
        eligible = [
            m
            for m in pending.values()
            if all(d in finish_index or (d not in pending and d not in deferred) for d in m.depends_on)
        ]
        if not eligible:  # only a dependency cycle gets here; the loader reports it as an error
            for m in list(pending.values()):
                defer(m, DeferReason.PREREQUISITE, "part of a dependency cycle")
            break
        measure = min(eligible, key=lambda m: priority[m.id])
        team = roadmap.team_by_name.get(measure.team)
        if team is None or team.daily_capacity <= _EPS:
            defer(measure, DeferReason.CAPACITY, f"team {measure.team!r} has no capacity")
            continue
        crew, rate = crew_and_rate(measure, team)
        duration = max(1, math.ceil(measure.remaining_effort / rate - _EPS))
        earliest = max((finish_index[d] + 1 for d in measure.depends_on if d in finish_index), default=0)
        latest_end = len(days) - 1
        if measure.fixed_sprint is not None:
            if measure.fixed_sprint > len(sprints):
                defer(
                    measure,
                    DeferReason.TOO_LONG,
                    f"fixed sprint {measure.fixed_sprint} is after the horizon's {len(sprints)} sprints",
                )
                continue
            first, last = day_range(sprints[measure.fixed_sprint - 1])
            earliest, latest_end = max(earliest, first), last
        if duration > len(days):
            defer(
                measure,
                DeferReason.TOO_LONG,
                f"needs {duration} working days with {crew} person(s); the horizon has {len(days)}",
                duration=duration,
            )
            continue
        begin = _earliest_fit(usage[team.name], capacity[team.name], rate, duration, earliest, latest_end)
        if begin is None:
            defer(
                measure,
                DeferReason.CAPACITY,
                f"team {team.name} has no room for {duration} working days before "
                + ("the end of its fixed sprint" if measure.fixed_sprint else "the end of the horizon"),
                duration=duration,
            )
            continue
        for t in range(begin, begin + duration):
            usage[team.name][t] += rate
        finish_index[measure.id] = begin + duration - 1
        end_day = days[begin + duration - 1]
        sprint = next(s.index for s in sprints if s.start <= end_day <= s.end)
        scheduled.append(ScheduledMeasure(measure.id, team.name, days[begin], end_day, sprint, crew, rate, duration))
        del pending[measure.id]

    scheduled.sort(key=lambda s: (s.start, s.end, s.id))
    deferred_sorted = sorted(deferred.values(), key=lambda d: (d.reason, d.id))
    return Plan(start, end, tuple(days), tuple(sprints), tuple(scheduled), tuple(deferred_sorted), capacity, order)


def _earliest_fit(
    usage: list[float], capacity: float, rate: float, duration: int, earliest: int, latest_end: int
) -> int | None:
    """First day index t ≥ earliest with room for ``rate`` on days t … t+duration−1 ≤ latest_end."""
    t = earliest
    while t + duration - 1 <= latest_end:
        clash = next((u for u in range(t, t + duration) if usage[u] + rate > capacity + _EPS), None)
        if clash is None:
            return t
        t = clash + 1
    return None


def _priority_keys(
    roadmap: Roadmap, measures: list[Measure], order: str, horizon_end: dt.date
) -> dict[str, tuple[int, dt.date, float, int, dt.date, int, str]]:
    """Sort key per measure ID, smallest first (see :func:`compress_plan`).

    Measures with a fixed sprint come first, then those due inside the horizon by due date
    (commitments before choices); then the order's own rule; then priority P1 first, baseline
    finish, workbook row and ID.
    """
    far = dt.date.max
    row = {m.id: m.row if m.row is not None else n for n, m in enumerate(roadmap.measures)}

    def tier(m: Measure) -> tuple[int, dt.date]:
        if m.fixed_sprint is not None:
            return (0, far)
        if m.due_date is not None and m.due_date <= horizon_end:
            return (1, m.due_date)
        return (2, far)

    if order == "baseline":
        return {m.id: (*tier(m), 0.0, 0, m.baseline_finish or far, row[m.id], m.id) for m in measures}
    weights = risk_weights(roadmap)
    ratio = {}
    for m in measures:
        team = roadmap.team_by_name.get(m.team)
        rate = crew_and_rate(m, team)[1] if team and team.daily_capacity > _EPS else 1.0
        ratio[m.id] = weights.get(m.id, 0.0) / max(1.0, m.remaining_effort / rate)
    dependants: dict[str, list[str]] = {m.id: [] for m in measures}
    for m in measures:
        for d in m.depends_on:
            if d in dependants:
                dependants[d].append(m.id)
    inherited: dict[str, float] = {}

    def best(mid: str, trail: frozenset[str] = frozenset()) -> float:
        if mid not in inherited:
            children = [best(c, trail | {mid}) for c in dependants[mid] if c not in trail]
            inherited[mid] = max([ratio[mid], *children])
        return inherited[mid]

    return {m.id: (*tier(m), -best(m.id), m.priority.rank, m.baseline_finish or far, row[m.id], m.id) for m in measures}


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
