"""A lower bound on the exposure of every valid plan: a time-indexed LP relaxation in log space.

How far is a plan from the best possible? No plan of the input can have less cumulative exposure
than the value :func:`exposure_lower_bound` returns; the plan page reports the plan's distance to
it ("at most 4 % above the best possible plan").

The relaxation (working-day indices of :class:`~roadmap.planning.search.Instance` cut into
consecutive buckets ``B_b = [a_b, e_b]``; one bucket per day up to a few hundred jobs):

* ``x[j,b] ∈ [0, 1]``: job j is finished by the end of bucket b. For a valid plan this is 0 or
  1, non-decreasing in b; 0 before the job's earliest possible finish (its earliest start, pushed
  by its chain of prerequisites, plus its duration); at most ``x[p,b']`` of each prerequisite p,
  with b' the bucket of day ``e_b − duration_j`` (j ends by e_b, so it started after ``e_b −
  duration_j`` and p ended before); equal to its value at its window's end for a fixed sprint.
* energy: on each team and for each bucket, ``Σ_j work_j · x[j,b] ≤ capacity · (e_b + 1)`` — the
  jobs finished by e_b were worked on days 0…e_b only.
* exposure: for risk r, the residual level at the end of bucket b is ``exp(−y[r,b])`` with ``y[r,b]
  = Σ_j −ln(f_jr) · x[j,b]`` (a product of factors is an exponential of a sum), and the level only
  falls inside a bucket, so the bucket's exposure is at least ``s_r · W_b · exp(−y[r,b])`` (W_b its
  calendar days). ``exp(−y)`` is convex: ``z[r,b] ≥ exp(−a)·(1 + a − y[r,b])`` for tangent points
  ``a`` and ``z ≥ 0`` make ``z`` at most ``exp(−y)`` at every feasible point.

Why it is a lower bound: every valid plan (capacity per team and day, prerequisites, windows;
any measure may be deferred) gives 0/1 values of x satisfying every constraint, with ``z =
exp(−y)`` feasible because tangents of a convex function lie below it; its objective is then at
most the plan's exposure (bucket levels are taken at the bucket's end, the lowest level inside it).
The LP's minimum is at most the objective of that point, hence at most the exposure of every
valid plan. Lateness is not part of it: the bound is on exposure alone. A solver that stops
early returns no bound (``None``), never a value that might be too high: the LP's optimum is read
only when GLOP reports it optimal.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from roadmap.planning.search import Instance, topological_order

LP_SOLVER = "GLOP"
"""OR-Tools' linear solver; faster here than CLP and HiGHS (measured on the sample and 200 measures)."""

MAX_CUTS = 20_000
"""About the most tangent cuts: beyond, the exposure is read at the end of groups of buckets."""

_GLOP_PARAMETERS = "use_dual_simplex: true, perturb_costs_in_dual_simplex: true"

DAILY_CELLS = 10_000
"""Up to this many job × working-day variables, one bucket per day with the capacity of every day
(the strong form); beyond, the coarser form below."""

MAX_CELLS = 4_000
"""Most job × bucket variables of the coarse form: days are grouped into buckets of several days
and only the energy constraint holds (a weaker but still valid bound) so that the LP solves in
seconds at 2,000 measures."""

_TANGENT_ERROR = 0.02
"""Largest gap between exp(−y) and its tangent underestimate, in units of the risk's score today."""


@dataclass(frozen=True)
class LowerBound:
    """The bound, in risk-days, and how it was obtained.

    Attributes:
        exposure: no valid plan has less cumulative exposure (risk-days).
        buckets: how many buckets the horizon's working days were cut into.
    """

    exposure: float
    buckets: int


def _buckets(days: int, jobs: int, *, daily: bool) -> list[tuple[int, int]]:
    if daily:
        return [(i, i) for i in range(days)]
    count = max(1, min(days - 1, MAX_CELLS // max(1, jobs)))
    edges = [round(k * days / count) for k in range(count + 1)]
    return [(edges[k], edges[k + 1] - 1) for k in range(count) if edges[k + 1] > edges[k]]


def _tangent_points(top: float) -> list[float]:
    """Points a in [0, top] such that exp(−y) − tangent ≤ _TANGENT_ERROR between neighbours
    (the gap of a tangent at distance h is about exp(−y)·h²/2; the points are spaced accordingly)."""
    points, a = [0.0], 0.0
    while a < top:
        a = min(top, a + math.sqrt(2 * _TANGENT_ERROR * math.exp(a)))
        points.append(a)
    return points


def _tangent(solver: pywraplp.Solver, z: pywraplp.Variable, y: pywraplp.Variable, a: float) -> None:
    """The cut ``z ≥ exp(−a)·(1 + a − y)``: the tangent of exp(−y) at a, below it everywhere."""
    slope = math.exp(-a)
    cut = solver.Constraint(slope * (1 + a), solver.infinity())
    cut.SetCoefficient(z, 1.0)
    cut.SetCoefficient(y, slope)


def exposure_lower_bound(inst: Instance, *, time_limit: float = 10.0) -> LowerBound | None:
    """A lower bound on the exposure of every valid plan of ``inst`` (module docstring): the
    daily form when it is small enough (:data:`DAILY_CELLS`), else — or when it is not solved in
    time — the coarse form in the time left.

    Args:
        time_limit: seconds for GLOP in all; ``None`` is returned when no form proves its optimum.

    Returns:
        The bound in risk-days, or ``None`` (no job, or no LP solved to optimality in time).
    """
    deadline = time.monotonic() + time_limit
    if len(inst.ids) * inst.days <= DAILY_CELLS:
        found = _solve(inst, time_limit=time_limit, daily=True)
        if found is not None:
            return found
    left = deadline - time.monotonic()
    return _solve(inst, time_limit=left, daily=False) if left > 0.2 else None


def _solve(inst: Instance, *, time_limit: float, daily: bool) -> LowerBound | None:
    """The LP of the module docstring, in its daily or coarse form."""
    n = len(inst.ids)
    if n == 0 or inst.days == 0:
        return None
    solver = pywraplp.Solver.CreateSolver(LP_SOLVER)
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    buckets = _buckets(inst.days, n, daily=daily)
    bucket_of = [0] * inst.days
    for b, (first, last) in enumerate(buckets):
        for i in range(first, last + 1):
            bucket_of[i] = b
    # earliest finish of every job, its prerequisites' chain included (jobs are in a topological order
    # once sorted by this recursion-free pass)
    earliest_start = list(inst.earliest)
    order = topological_order(inst)
    for j in order:
        for p in inst.preds[j]:
            earliest_start[j] = max(earliest_start[j], earliest_start[p] + inst.duration[p])
    infinity = solver.infinity()
    x: list[list[pywraplp.Variable | None]] = []
    for j in range(n):
        first_finish = earliest_start[j] + inst.duration[j] - 1
        x.append(
            [
                solver.NumVar(0.0, 1.0, "") if last >= first_finish and first_finish <= inst.latest_end[j] else None
                for _first, last in buckets
            ]
        )
    for j in range(n):
        row = x[j]
        for b in range(len(buckets) - 1):
            if row[b] is not None:
                solver.Add(row[b] <= row[b + 1])  # type: ignore[operator]
        window_end = bucket_of[inst.latest_end[j]] if inst.latest_end[j] < inst.days - 1 else None
        if window_end is not None:
            for b in range(window_end + 1, len(buckets)):
                if row[b] is not None and row[window_end] is not None:
                    solver.Add(row[b] <= row[window_end])  # type: ignore[operator]
                elif row[b] is not None:
                    row[b].SetUb(0.0)  # type: ignore[union-attr]
        for p in inst.preds[j]:
            for b, (_first, last) in enumerate(buckets):
                if row[b] is None:
                    continue
                latest_pred_finish = last - inst.duration[j]
                if latest_pred_finish < 0:
                    row[b].SetUb(0.0)  # type: ignore[union-attr]
                    continue
                before = x[p][bucket_of[latest_pred_finish]]
                if before is None:
                    row[b].SetUb(0.0)  # type: ignore[union-attr]
                else:
                    solver.Add(row[b] <= before)
    for team, capacity in enumerate(inst.capacity):
        members = [j for j in range(n) if inst.team[j] == team]
        for b, (_first, last) in enumerate(buckets):
            terms = [(x[j][b], inst.demand[j] * inst.duration[j]) for j in members if x[j][b] is not None]
            if terms:
                constraint = solver.Constraint(-infinity, float(capacity * (last + 1)))
                for var, work in terms:
                    constraint.SetCoefficient(var, float(work))
    if daily:  # one bucket a day: capacity on every day (Pritsker et al. 1969)
        for team, capacity in enumerate(inst.capacity):
            members = [j for j in range(n) if inst.team[j] == team]
            for t in range(inst.days):
                constraint = solver.Constraint(-infinity, float(capacity))
                for j in members:
                    # j runs on day t ⇔ it finishes in [t, t + duration − 1] (a deferred job never runs)
                    last_var = x[j][min(t + inst.duration[j] - 1, inst.days - 1)]
                    if last_var is None:
                        continue
                    before = x[j][t - 1] if t > 0 else None
                    constraint.SetCoefficient(last_var, float(inst.demand[j]))
                    if before is not None:
                        constraint.SetCoefficient(before, -float(inst.demand[j]))
    objective = solver.Objective()
    touched: dict[int, list[tuple[int, float]]] = {}
    for j, links in enumerate(inst.links):
        for r, factor in links:
            touched.setdefault(r, []).append((j, -math.log(max(factor, 1e-12))))
    # the exposure is read at the end of groups of consecutive buckets (the level only falls, so
    # the level at a group's end is at most the level on any day of it): fewer tangent cuts
    cuts = len(touched) * len(buckets) * len(_tangent_points(4.0))
    size = max(1, math.ceil(cuts / MAX_CUTS))
    groups = [(g, min(g + size, len(buckets)) - 1) for g in range(0, len(buckets), size)]
    for r, gains in touched.items():
        for first, last in groups:
            weight = sum(inst.weights[i] for i in range(buckets[first][0], buckets[last][1] + 1))
            finished = [(x[j][last], g) for j, g in gains if x[j][last] is not None]
            z = solver.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(z, inst.base[r] * weight)
            if not finished:
                z.SetLb(1.0)  # nothing on this risk can be finished yet: its level is still 1
                continue
            y = solver.NumVar(0.0, infinity, "")  # y = Σ g·x, the log-reduction of the risk's level
            definition = solver.Constraint(0.0, 0.0)
            definition.SetCoefficient(y, -1.0)
            for var, g in finished:
                definition.SetCoefficient(var, g)
            for a in _tangent_points(sum(g for _var, g in finished)):  # y's range at that point
                _tangent(solver, z, y, a)
    objective.SetMinimization()
    solver.SetTimeLimit(int(time_limit * 1000))
    if LP_SOLVER == "GLOP":
        solver.SetSolverSpecificParametersAsString(_GLOP_PARAMETERS)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = objective.Value()
    return LowerBound(inst.constant + value, len(buckets))
