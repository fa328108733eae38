"""Why each measure is where it is: what holds it, what it is worth, what it unlocks, which team is
the bottleneck of each sprint, and what it would take to bring a deferred measure in.

Read from the plan and its problem only (no re-planning), so every figure can be checked by hand:

* **value per person-day**: the cumulative exposure (risk-days, :func:`roadmap.planning.search.exposure`,
  exact) the plan would have if this measure did not finish inside the horizon, minus the plan's,
  divided by its remaining effort in person-days — the risk-days it saves per person-day spent,
  given when everything else finishes;
* **held by**: a scheduled measure starts on its first allowed day (day 1, or its fixed sprint's
  first day: ``none``), else the day after a prerequisite ends (``prerequisite``, the one that
  ends last), else on the first day its team has room for it on every day of its duration
  (``team``: on every earlier day some working day of the window had the team full; ``until`` is
  the last working day before it starts). The plans are serial schedules (active: no measure can
  move earlier alone), so one of the three always holds;
* **sprint load**: person-days planned per team in the sprint over its capacity then (0–1); the
  bottleneck is the team with the highest share (``None`` when nobody works);
* **what it would take**, by deferral reason: the work and the consecutive working days a
  capacity-deferred measure needs against its team's spare person-days in the horizon; the
  prerequisites to bring in first; unblocking; or, for a measure longer than the horizon, the crew
  or the horizon it would need.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any, Literal

from roadmap.planning.plan import DeferReason, Plan
from roadmap.planning.problem import CENTI, Problem
from roadmap.planning.search import compile_problem, exposure

HoldKind = Literal["prerequisite", "team", "none"]


@dataclass(frozen=True)
class Hold:
    """What holds a scheduled measure back: ``kind``, ``by`` (a measure ID or a team name, ``None``
    for ``none``) and ``until`` (the last day it waits, ``None`` for ``none``)."""

    kind: HoldKind
    by: str | None = None
    until: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "by": self.by, "until": None if self.until is None else self.until.isoformat()}


@dataclass(frozen=True)
class MeasureWhy:
    """One scheduled measure's explanation (module docstring): ``value_per_person_day`` in
    risk-days per person-day, ``saves`` in risk-days, ``unlocks`` the IDs waiting on it (direct
    dependants among the open measures)."""

    id: str
    value_per_person_day: float
    saves: float
    unlocks: tuple[str, ...]
    held_by: Hold


@dataclass(frozen=True)
class SprintLoad:
    """Per sprint: ``load`` team → planned person-days / capacity person-days (0–1), and the
    ``bottleneck`` team (highest share), ``None`` when no team works in it."""

    index: int
    load: dict[str, float]
    bottleneck: str | None


@dataclass(frozen=True)
class DeferredWhy:
    """What it would take to bring a deferred measure in (module docstring).

    Attributes:
        kind: the deferral reason.
        team: its team; person_days: the work it needs (person-days); working_days: consecutive
            working days at its crew; spare_person_days: its team's free capacity left in the
            horizon (capacity only).
        first: prerequisites to bring in (or unblock) first.
        crew_needed: people at once that would fit its remaining effort in the horizon's working
            days; ``horizon_weeks_needed``: its working days (from the start, prerequisites
            included) in 5-day weeks, holidays aside (too long only; ``None`` otherwise).
    """

    id: str
    kind: str
    team: str
    person_days: float | None = None
    working_days: int | None = None
    spare_person_days: float | None = None
    first: tuple[str, ...] = ()
    crew_needed: int | None = None
    horizon_weeks_needed: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "team": self.team,
            "person_days": self.person_days,
            "working_days": self.working_days,
            "spare_person_days": self.spare_person_days,
            "first": list(self.first),
            "crew_needed": self.crew_needed,
            "horizon_weeks_needed": self.horizon_weeks_needed,
        }


@dataclass(frozen=True)
class Explanation:
    """Why the plan is as it is: ``measures`` by ID (scheduled), ``sprints`` in order, ``deferred``
    by ID."""

    measures: dict[str, MeasureWhy]
    sprints: tuple[SprintLoad, ...]
    deferred: dict[str, DeferredWhy]


def explain_plan(problem: Problem, plan: Plan) -> Explanation:
    """The explanation of ``plan`` (module docstring); ``problem`` is the one it was made from."""
    inst = compile_problem(problem)
    index = {ident: j for j, ident in enumerate(inst.ids)}
    day_index = {d: i for i, d in enumerate(problem.days)}
    finish: list[int | None] = [None] * len(inst.ids)
    start: dict[str, int] = {}
    for s in plan.scheduled:
        if s.id in index:
            finish[index[s.id]] = day_index[s.end]
            start[s.id] = day_index[s.start]
    total = exposure(inst, finish)
    dependants: dict[str, list[str]] = {ident: [] for ident in problem.jobs}
    for job in problem.jobs.values():
        for d in job.depends:
            dependants[d].append(job.id)
    usage = {team: [0] * len(problem.days) for team in problem.capacity}
    for s in plan.scheduled:
        demand = problem.jobs[s.id].demand if s.id in problem.jobs else round(s.rate * CENTI)
        for t in range(day_index[s.start], day_index[s.end] + 1):
            usage[s.team][t] += demand
    measures = {}
    by_id = problem.roadmap.measure_by_id
    for s in plan.scheduled:
        if s.id not in index:
            continue
        j = index[s.id]
        without = list(finish)
        without[j] = None
        saves = exposure(inst, without) - total
        effort = by_id[s.id].remaining_effort or inst.work[j] / CENTI
        measures[s.id] = MeasureWhy(
            s.id, saves / effort, saves, tuple(dependants.get(s.id, ())), _hold(problem, s.id, start, finish, index)
        )
    return Explanation(measures, _sprint_loads(problem, plan, usage), _deferred(problem, plan, usage))


def _hold(problem: Problem, ident: str, start: dict[str, int], finish: list[int | None], index: dict[str, int]) -> Hold:
    job = problem.jobs[ident]
    begin = start[ident]
    if begin <= job.earliest:
        return Hold("none")
    ends = [(finish[index[d]], d) for d in job.depends if finish[index[d]] is not None]
    latest = max(ends, default=None, key=lambda e: (e[0], e[1]))
    if latest is not None and latest[0] is not None and latest[0] + 1 >= begin:
        return Hold("prerequisite", latest[1], problem.days[latest[0]])
    return Hold("team", job.team, problem.days[begin - 1])


def _sprint_loads(problem: Problem, plan: Plan, usage: dict[str, list[int]]) -> tuple[SprintLoad, ...]:
    """Each team's share of its capacity planned per sprint; among the teams tied at the top, the
    bottleneck is the one with the most work still to come (later sprints and deferred for capacity)."""
    later: dict[str, list[float]] = {team: [0.0] * (len(plan.sprints) + 2) for team in problem.capacity}
    for s in plan.scheduled:
        later[s.team][s.sprint] += s.rate * s.duration
    for d in plan.deferred:
        if d.reason is DeferReason.CAPACITY and d.id in problem.jobs and d.team in later:
            job = problem.jobs[d.id]
            later[d.team][-1] += job.demand * job.duration / CENTI
    result = []
    for sprint in plan.sprints:
        inside = [i for i, d in enumerate(problem.days) if sprint.start <= d <= sprint.end]
        load = {}
        for team, capacity in problem.capacity.items():
            room = capacity * len(inside)
            load[team] = sum(usage[team][i] for i in inside) / room if room else 0.0
        busiest = max(load, key=lambda t: (round(load[t], 3), sum(later[t][sprint.index + 1 :]), t), default=None)
        result.append(SprintLoad(sprint.index, load, busiest if busiest is not None and load[busiest] > 0 else None))
    return tuple(result)


def _deferred(problem: Problem, plan: Plan, usage: dict[str, list[int]]) -> dict[str, DeferredWhy]:
    result = {}
    roadmap = problem.roadmap
    days = len(problem.days)
    for d in plan.deferred:
        measure = roadmap.measure_by_id[d.id]
        job = problem.jobs.get(d.id)
        if d.reason is DeferReason.CAPACITY and job is not None:
            spare = sum(problem.capacity[job.team] - u for u in usage[job.team]) / CENTI
            result[d.id] = DeferredWhy(
                d.id, str(d.reason), d.team, round(job.demand * job.duration / CENTI, 2), job.duration, round(spare, 1)
            )
        elif d.reason in (DeferReason.PREREQUISITE, DeferReason.BLOCKED):
            result[d.id] = DeferredWhy(d.id, str(d.reason), d.team, first=d.waits_on)
        else:
            team = roadmap.team_by_name.get(measure.team)
            rate = team.daily_capacity if team is not None else 0.0
            needed = math.ceil(measure.remaining_effort / max(1, days)) if days else None
            crew = min(measure.max_crew, team.crew_limit) if team is not None else 1
            per_day = min(float(crew), rate) if rate > 0 else float(crew)
            work_days = math.ceil(measure.remaining_effort / per_day) if per_day else None
            span = d.duration or work_days  # working days from the start, prerequisites included
            weeks = None if span is None else math.ceil(span / 5)
            result[d.id] = DeferredWhy(
                d.id,
                str(d.reason),
                d.team,
                person_days=round(measure.remaining_effort, 2),
                working_days=work_days,
                crew_needed=needed,
                horizon_weeks_needed=weeks,
            )
    return result
