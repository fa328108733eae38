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
from typing import Literal

from roadmap.models import Measure, Roadmap
from roadmap.planning.plan import Plan
from roadmap.planning.problem import Job, Problem, build_problem, plan_from_starts


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
