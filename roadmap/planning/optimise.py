"""The optimal compression planner: RCPSP with OR-Tools CP-SAT, and what it would take (crashing).

Model (time unit: working days of the horizon, see :class:`roadmap.planning.problem.Problem`):

* each job m is an optional interval of ``duration_m`` working days, present when m is done
  inside the horizon; a cumulative constraint per team keeps the sum of demands (hundredths of a
  person-day per day) under the team's capacity on every day;
* a prerequisite d of m: m present ⇒ d present, and ``start_m ≥ end_d`` (finish-to-start);
  a fixed sprint bounds start and end; blocked measures and what waits on them are left out.

Objective — a linear surrogate of cumulative residual-risk exposure (risk-days): minimise the
weighted completion time ``Σ_m w_m · f_m``, where ``w_m`` is the measure's risk reduction now
(:func:`roadmap.planning.problem.risk_weights`) and ``f_m`` the calendar day its last working day falls
on (the horizon's length when deferred), plus a deferral penalty by priority so that measures
that mitigate no listed risk are still done when there is room, plus a lateness penalty past a
due date inside the horizon. Exposure itself (a product over measures) is then computed exactly
for the resulting plan; the greedy plan is the solver's hint, and is returned instead whenever
its true exposure is lower — the optimised plan is never worse than greedy.

Determinism: a fixed seed, a fixed number of workers in interleaved search, and a deterministic
time limit (a quarter of the wall-clock one), so that the same input gives the same plan unless
the machine is so slow that the wall-clock limit is reached first.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ortools.sat.python import cp_model
from pydantic import ValidationError

from roadmap.errors import PlanningError
from roadmap.models import Roadmap, Team
from roadmap.planning.plan import Plan
from roadmap.planning.problem import CENTI, Problem, build_problem, plan_from_starts
from roadmap.planning.schedule import list_schedule
from roadmap.risk import exposure as true_exposure

Progress = Callable[[float, str], None]
"""Called with the share of the time limit used (0–1) and a short message."""

_WEIGHT_SCALE = 1000  # risk points → integer objective coefficients
_DEFERRAL_PENALTY = {1: 400, 2: 300, 3: 200, 4: 100}  # per working day of the horizon, by P1…P4
_LATENESS_PENALTY = 50_000  # per working day past a due date


@dataclass(frozen=True)
class SolverReport:
    """How the optimised plan was obtained.

    Attributes:
        status: ``OPTIMAL`` (proven), ``FEASIBLE`` (time limit reached) or ``GREEDY`` (the greedy
            plan was kept: no better solution found in time).
        gap: relative gap of the surrogate objective to the solver's bound, 0–1 (0 when optimal).
        seconds: wall-clock time of the solve.
        objective: value of the surrogate objective of the returned plan's solve (``None`` when
            the greedy plan was kept).
    """

    status: str
    gap: float
    seconds: float
    objective: float | None = None


@dataclass(frozen=True)
class Crashing:
    """What it would take to finish every non-blocked measure inside the horizon.

    Attributes:
        extra_person_days_per_sprint: smallest extra capacity per team, in person-days per
            sprint (of ``sprint_weeks × 5`` working days); teams needing nothing are at 0.
        horizon_weeks_needed: the shortest horizon, in whole weeks from the start, in which
            today's capacity does every non-blocked measure (``None`` when even 3 years are not
            enough); the value to give ``--horizon-weeks``.
        impossible: measures no capacity can bring inside the horizon (blocked, waiting on a
            blocked measure, longer than the horizon with their maximum crew).
        status: ``OPTIMAL`` or ``FEASIBLE`` for the extra-capacity model.
    """

    extra_person_days_per_sprint: dict[str, float]
    horizon_weeks_needed: float | None
    impossible: tuple[str, ...]
    status: str


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress | None, limit: float, label: str) -> None:
        super().__init__()
        self._progress, self._limit, self._label, self._start = progress, limit, label, time.monotonic()

    def on_solution_callback(self) -> None:
        if self._progress is not None:
            share = min(1.0, (time.monotonic() - self._start) / max(self._limit, 1e-6))
            self._progress(share, f"{self._label}: solution {self.objective_value:,.0f}")


def _solver(time_limit: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    # The deterministic limit makes the same input give the same plan; it is set at a quarter of
    # the wall-clock limit (a deterministic second took 2–4 wall seconds on the 2-core machines we
    # measured), so the wall-clock limit only binds on a much slower or loaded machine.
    solver.parameters.max_deterministic_time = time_limit / 4
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = True
    solver.parameters.random_seed = seed
    return solver


def optimise_plan(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[Plan, Plan, SolverReport]:
    """The greedy plan and the CP-SAT plan of ``problem`` (see the module docstring).

    Args:
        time_limit: solver limit in (deterministic) seconds.
        workers, seed: CP-SAT search workers and random seed; fixed for reproducible plans.
        progress: called as the solver finds solutions.

    Returns:
        ``(greedy, optimised, report)``; ``optimised`` is the greedy plan when CP-SAT finds nothing
        better in true exposure.
    """
    greedy_starts = list_schedule(problem)
    greedy = plan_from_starts(problem, greedy_starts, order="wspt")
    if not problem.jobs:
        return greedy, greedy, SolverReport("OPTIMAL", 0.0, 0.0)
    model = cp_model.CpModel()
    horizon = len(problem.days)
    roadmap = problem.roadmap
    starts, present, intervals = {}, {}, {}
    objective: list[Any] = []
    for job in problem.jobs.values():
        measure = roadmap.measure_by_id[job.id]
        x = model.new_bool_var(f"x_{job.id}")
        s = model.new_int_var(job.earliest, job.latest_end - job.duration + 1, f"s_{job.id}")
        intervals[job.id] = model.new_optional_interval_var(s, job.duration, s + job.duration, x, f"i_{job.id}")
        starts[job.id], present[job.id] = s, x
        finish = model.new_int_var(0, horizon, f"f_{job.id}")  # working days until done; horizon if deferred
        model.add(finish == s + job.duration).only_enforce_if(x)
        model.add(finish == horizon).only_enforce_if(~x)
        objective.append(round(job.weight * _WEIGHT_SCALE) * finish)
        objective.append(_DEFERRAL_PENALTY[measure.priority.rank] * horizon * (1 - x))
        due = sum(d <= measure.due_date for d in problem.days) if measure.due_date else None
        if due is not None and measure.due_date is not None and measure.due_date <= problem.end:
            late = model.new_int_var(0, horizon, f"late_{job.id}")
            model.add(late >= finish - due)
            objective.append(_LATENESS_PENALTY * late)
        if job.id in greedy_starts:
            model.add_hint(s, greedy_starts[job.id])
            model.add_hint(x, 1)
        else:
            model.add_hint(x, 0)
    for job in problem.jobs.values():
        for d in job.depends:
            model.add_implication(present[job.id], present[d])
            model.add(starts[job.id] >= starts[d] + problem.jobs[d].duration).only_enforce_if(present[job.id])
    for team, capacity in problem.capacity.items():
        team_jobs = [j for j in problem.jobs.values() if j.team == team]
        if team_jobs:
            model.add_cumulative([intervals[j.id] for j in team_jobs], [j.demand for j in team_jobs], capacity)
    model.minimize(sum(objective))

    solver = _solver(time_limit, workers, seed)
    status = solver.solve(model, _ProgressCallback(progress, time_limit, "optimisation"))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return greedy, greedy, SolverReport("GREEDY", 1.0, solver.wall_time)
    chosen = {j: solver.value(starts[j]) for j in problem.jobs if solver.boolean_value(present[j])}
    optimised = plan_from_starts(problem, chosen, order="cp-sat")
    objective_value, bound = solver.objective_value, solver.best_objective_bound
    gap = 0.0 if status == cp_model.OPTIMAL else abs(objective_value - bound) / max(1.0, abs(objective_value))
    report = SolverReport(solver.status_name(status), gap, solver.wall_time, objective_value)
    if plan_exposure(roadmap, optimised) > plan_exposure(roadmap, greedy) + 1e-9:
        return greedy, greedy, SolverReport("GREEDY", gap, solver.wall_time)
    return greedy, optimised, report


def surrogate_objective(problem: Problem, starts: Mapping[str, int]) -> int:
    """The objective CP-SAT minimises, for any placement (start day index by placed job ID).

    ``Σ round(1000·w_m)·f_m + Σ_deferred penalty(priority)·D + Σ 50 000·lateness_m`` with ``f_m``
    the working days until m is done (``D``, the horizon's working days, when deferred).
    """
    horizon = len(problem.days)
    total = 0
    for job in problem.jobs.values():
        measure = problem.roadmap.measure_by_id[job.id]
        finish = starts[job.id] + job.duration if job.id in starts else horizon
        total += round(job.weight * _WEIGHT_SCALE) * finish
        if job.id not in starts:
            total += _DEFERRAL_PENALTY[measure.priority.rank] * horizon
        if measure.due_date is not None and measure.due_date <= problem.end:
            due = sum(d <= measure.due_date for d in problem.days)
            total += _LATENESS_PENALTY * max(0, finish - due)
    return total


def plan_exposure(roadmap: Roadmap, plan: Plan) -> float:
    """True cumulative residual-risk exposure of a plan over its horizon, in risk-days."""
    return true_exposure(roadmap, start=plan.start, end=plan.end, finish=plan.finish_dates())


def crash_plan(
    roadmap: Roadmap,
    *,
    start: dt.date | None = None,
    horizon_weeks: int | None = None,
    sprint_weeks: int | None = None,
    time_limit: float = 5.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> Crashing:
    """The smallest extra capacity per team that fits every non-blocked measure in the horizon,
    and the horizon today's capacity needs (schedule compression by crashing, PMBOK).

    Extra capacity is modelled as extra hundredths of a person-day on every working day of the
    team; the total over teams is minimised. The horizon needed minimises the makespan with every
    measure mandatory, on today's capacity.

    Raises:
        PlanningError: see :func:`roadmap.planning.problem.build_problem`.
    """
    settings = roadmap.settings
    horizon = horizon_weeks or settings.horizon_weeks
    sprint = sprint_weeks or settings.sprint_weeks
    problem = build_problem(roadmap, start=start, horizon_weeks=horizon, sprint_weeks=sprint)
    impossible = tuple(sorted(problem.excluded))
    extra, status = _min_extra_capacity(problem, time_limit, workers, seed, progress)
    per_sprint = {team: round(value / CENTI * sprint * 5, 1) for team, value in extra.items()}
    weeks = _horizon_needed(
        roadmap, start=problem.start, sprint=sprint, time_limit=time_limit, workers=workers, seed=seed
    )
    return Crashing(per_sprint, weeks, impossible, status)


def _min_extra_capacity(
    problem: Problem, time_limit: float, workers: int, seed: int, progress: Progress | None
) -> tuple[dict[str, int], str]:
    model = cp_model.CpModel()
    starts, intervals = {}, {}
    for job in problem.jobs.values():
        s = model.new_int_var(job.earliest, job.latest_end - job.duration + 1, f"s_{job.id}")
        starts[job.id] = s
        intervals[job.id] = model.new_interval_var(s, job.duration, s + job.duration, f"i_{job.id}")
    for job in problem.jobs.values():
        for d in job.depends:
            model.add(starts[job.id] >= starts[d] + problem.jobs[d].duration)
    extra = {}
    for team, capacity in problem.capacity.items():
        team_jobs = [j for j in problem.jobs.values() if j.team == team]
        extra[team] = model.new_int_var(0, sum(j.demand for j in team_jobs), f"extra_{team}")
        if team_jobs:
            model.add_cumulative(
                [intervals[j.id] for j in team_jobs], [j.demand for j in team_jobs], capacity + extra[team]
            )
    model.minimize(sum(extra.values()))
    heuristic = _greedy_extra_capacity(problem)
    if heuristic is not None:
        hint_extra, hint_starts = heuristic
        for team, var in extra.items():
            model.add_hint(var, hint_extra[team])
        for ident, var in starts.items():
            model.add_hint(var, hint_starts[ident])
    solver = _solver(time_limit, workers, seed)
    status = solver.solve(model, _ProgressCallback(progress, time_limit, "crashing"))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if heuristic is not None:
            return heuristic[0], "GREEDY"
        return {}, solver.status_name(status)  # only fixed-sprint windows and precedences can make it infeasible
    return {team: solver.value(var) for team, var in extra.items()}, solver.status_name(status)


def _greedy_extra_capacity(problem: Problem, *, step: int = 25) -> tuple[dict[str, int], dict[str, int]] | None:
    """A first answer for crashing: from each team's load lower bound, add ``step`` hundredths of a
    person-day a day to every team with a measure that did not fit for capacity, until list
    scheduling places everything. Returns the extra capacity by team and the starts, or ``None``."""
    days = len(problem.days)
    extra = {}
    for team, capacity in problem.capacity.items():
        load = sum(j.demand * j.duration for j in problem.jobs.values() if j.team == team)
        extra[team] = max(0, math.ceil(load / days) - capacity) if days else 0
    for _ in range(400):
        trial = replace(problem, capacity={t: c + extra[t] for t, c in problem.capacity.items()})
        starts = list_schedule(trial)
        short = {j.team for j in problem.jobs.values() if j.id not in starts and all(d in starts for d in j.depends)}
        if not short:
            return extra, starts
        for team in short:
            extra[team] += step
    return None


def _horizon_needed(
    roadmap: Roadmap, *, start: dt.date, sprint: int, time_limit: float, workers: int, seed: int
) -> float | None:
    """Weeks from ``start`` to the end of the last measure when all must be done (makespan)."""
    free = roadmap.replace(measures=tuple(m.model_copy(update={"fixed_sprint": None}) for m in roadmap.measures))
    weeks = 13
    while weeks <= 156:  # greedy on a long enough horizon gives an upper bound and a hint
        problem = build_problem(free, start=start, horizon_weeks=weeks, sprint_weeks=sprint)
        greedy = list_schedule(problem)
        if len(greedy) == len(problem.jobs):
            break
        weeks *= 2
    else:
        return None
    model = cp_model.CpModel()
    makespan = model.new_int_var(0, len(problem.days), "makespan")
    intervals: dict[str, list[Any]] = {}
    starts = {}
    for job in problem.jobs.values():
        s = model.new_int_var(0, len(problem.days) - job.duration, f"s_{job.id}")
        starts[job.id] = s
        intervals.setdefault(job.team, []).append(
            (model.new_interval_var(s, job.duration, s + job.duration, job.id), job.demand)
        )
        model.add(makespan >= s + job.duration)
        model.add_hint(s, greedy[job.id])
    for job in problem.jobs.values():
        for d in job.depends:
            model.add(starts[job.id] >= starts[d] + problem.jobs[d].duration)
    for team, items in intervals.items():
        model.add_cumulative([i for i, _ in items], [demand for _, demand in items], problem.capacity[team])
    model.minimize(makespan)
    solver = _solver(time_limit, workers, seed)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    last_day = problem.days[max(solver.value(makespan) - 1, 0)]
    return float(math.ceil(((last_day - start).days + 1) / 7))


def with_capacity(roadmap: Roadmap, changes: Mapping[str, Mapping[str, float]]) -> Roadmap:
    """A copy of the roadmap with some team figures changed, for what-if analysis.

    Args:
        changes: team name → fields of :class:`~roadmap.models.Team` to change (``fte``,
            ``availability`` 0–1, ``reinforcement`` person-days per week).

    Raises:
        PlanningError: a figure out of range (FTE ≤ 0, availability outside 0–1…).
    """
    try:
        teams = tuple(Team.model_validate({**t.model_dump(), **changes.get(t.name, {})}) for t in roadmap.teams)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise PlanningError(f"team figure {error['loc'][0]}: {error['msg']}") from None
    return roadmap.replace(teams=teams)
