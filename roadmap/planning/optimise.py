"""The optimised compression planner, its distance to the best possible plan, and crashing.

:func:`optimise_plan` minimises the true cumulative residual-risk exposure (PRODUCT.md §5,
risk-days) under capacity per team and working day, prerequisites and fixed sprints — an RCPSP
with a non-linear objective — by the constructive rules, restarts and local search of
:mod:`roadmap.planning.search`, seeded with the greedy plan of
:func:`roadmap.planning.schedule.list_schedule` (so never worse than it) and the textbook rule;
up to :data:`~roadmap.planning.search.EXACT_SIZE` measures it enumerates and proves the optimum.
:func:`roadmap.planning.bound.exposure_lower_bound` then says how far the plan can be from the
best possible one. Why not CP-SAT on the whole plan: its linear surrogate (static weights)
ignores that a second measure on a risk saves less than the first, and on the generated
hospitals of ``benchmarks/bench_planner.py`` it gave plans 8–25 % worse than the textbook rule
at 80–2,000 measures, and nothing in its limit past 200.

:func:`crash_plan` (schedule compression by crashing, PMBOK) answers at any size: the smallest
reinforcement per team it finds (a search with the fast heuristic as the oracle) such that
re-planning with it defers nothing for capacity, and the horizon today's capacity needs.

Determinism: the search counts its work in job placements, not seconds, and seeds its random
choices; the same input and limit give the same plan.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pydantic import ValidationError

from roadmap.errors import PlanningError
from roadmap.models import Roadmap, Team
from roadmap.planning.bound import exposure_lower_bound
from roadmap.planning.plan import Plan
from roadmap.planning.problem import Problem, build_problem, plan_from_starts
from roadmap.planning.schedule import list_schedule
from roadmap.planning.search import EXACT_SIZE, compile_problem, decode, latest_start_order, search_plan
from roadmap.risk import exposure as true_exposure

Progress = Callable[[float, str], None]
"""Called with the share of the work done (0–1) and a short message."""

_SEARCH_SHARE = 0.3
"""Share of the time limit given to the search; the lower bound's LP gets the rest."""


@dataclass(frozen=True)
class SolverReport:
    """How the optimised plan was obtained, and how far it can be from the best possible.

    Attributes:
        status: ``OPTIMAL`` (proven: every plan enumerated, or the plan meets the lower bound)
            or ``FEASIBLE`` (the best plan found in the time limit).
        gap: at most this fraction above the best possible plan's exposure, ``plan / bound − 1``
            (0 when optimal; ``None`` when no bound was computed in time).
        seconds: wall-clock time of the search and the bound.
        objective: the plan's cumulative exposure, in risk-days.
        exposure_lower_bound: no valid plan of the input has less exposure (risk-days), or ``None``.
        rule: the rule that gave the plan (``adaptive+lookahead+local-search``, ``wspt``…).
        provisional: the fast plan of :func:`quick_plan`, shown while the full solve runs (no
            lower bound was computed).
    """

    status: str
    gap: float | None
    seconds: float
    objective: float | None = None
    exposure_lower_bound: float | None = None
    rule: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Crashing:
    """What it would take to finish every non-blocked measure inside the horizon.

    Attributes:
        extra_person_days_per_sprint: reinforcement per team, in person-days per sprint (of
            ``sprint_weeks × 5`` working days), such that re-planning with it (the Équipes sheet's
            reinforcement column, per week: this figure / ``sprint_weeks``) defers nothing for
            capacity; teams needing nothing are at 0.
        horizon_weeks_needed: the shortest horizon, in whole weeks from the start, in which the
            planner fits every non-blocked measure with today's capacity (``None`` when even 3
            years are not enough); the value to give ``--horizon-weeks``.
        impossible: measures no capacity can bring inside the horizon (blocked, waiting on a
            blocked measure, longer than the horizon with their maximum crew).
        status: ``FEASIBLE`` (verified by re-planning) or ``NONE`` (no reinforcement up to the
            search's ceiling fits them: fixed sprints or prerequisite chains too long).
    """

    extra_person_days_per_sprint: dict[str, float]
    horizon_weeks_needed: float | None
    impossible: tuple[str, ...]
    status: str


def optimise_plan(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    workers: int = 2,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[Plan, Plan, SolverReport]:
    """The greedy plan and the optimised plan of ``problem``, with its lower bound (module docstring).

    Args:
        time_limit: seconds of work: 30 % for the search (counted in job placements, so the
            plan does not depend on the machine's speed), the rest for the lower bound's LP.
        workers: unused, kept for callers of the former CP-SAT planner.
        seed: random seed of the search's restarts and moves.
        progress: called when the search and the bound are done.

    Returns:
        ``(greedy, optimised, report)``: ``optimised`` is never worse than ``greedy`` in (working
        days past due dates, then exposure), and equal to it when nothing better is found.
    """
    del workers
    began = time.monotonic()
    report = progress or (lambda share, message: None)
    greedy_starts = list_schedule(problem)
    greedy = plan_from_starts(problem, greedy_starts, order="wspt")
    if not problem.jobs:
        return greedy, greedy, SolverReport("OPTIMAL", 0.0, 0.0, 0.0, None, "wspt")
    place_all = len(greedy_starts) == len(problem.jobs)
    exact = len(problem.jobs) <= EXACT_SIZE
    inst = compile_problem(problem)
    with ThreadPoolExecutor(max_workers=1) as pool:  # the LP runs in C++ while the search runs here
        lower = None
        if not exact:
            limit = max(1.0, time_limit * (1 - _SEARCH_SHARE))
            lower = pool.submit(exposure_lower_bound, inst, time_limit=limit)
        found = search_plan(
            problem,
            time_limit=time_limit * _SEARCH_SHARE,
            seed=seed,
            seeds={"wspt": greedy_starts},
            place_all=place_all,
            instance=inst,
        )
        report(_SEARCH_SHARE, "search")
        bound = found.exposure if found.optimal else None
        computed = None if lower is None else lower.result()
        if bound is None and computed is not None:
            bound = min(computed.exposure, found.exposure)
    optimised = greedy if found.rule == "wspt" else plan_from_starts(problem, found.starts, order=found.rule)
    report(1.0, "bound")
    gap = None if bound is None else max(0.0, found.exposure / bound - 1) if bound > 0 else 0.0
    status = "OPTIMAL" if found.optimal or gap == 0.0 else "FEASIBLE"
    seconds = time.monotonic() - began
    return greedy, optimised, SolverReport(status, gap, seconds, found.exposure, bound, found.rule)


QUICK_SEARCH_SECONDS = 0.15
"""Work of :func:`quick_plan`'s search, in seconds of job placements (about 0.1 s of wall time on
the sample, 0.5 s at 2,000 measures on 2 cores; ``benchmarks/bench_planner.py --quick``)."""


def quick_plan(problem: Problem, *, seed: int = 0) -> tuple[Plan, Plan, SolverReport]:
    """The greedy plan and a fast plan of ``problem``, to show at once while :func:`optimise_plan`
    refines it: the same search with :data:`QUICK_SEARCH_SECONDS` of work and no lower bound.

    Its constructive rules (adaptive marginal exposure with lookahead, latest start) and a short
    local search give most of the full search's gain — within 1.5 % of the full plan's exposure on
    the sample — and, seeded with the greedy plan, it is never worse than it.

    Returns:
        ``(greedy, fast, report)``, with ``report.provisional`` set, ``status`` ``FEASIBLE``
        (``OPTIMAL`` when enumeration proved it, up to :data:`~roadmap.planning.search.EXACT_SIZE`
        measures) and no bound.
    """
    began = time.monotonic()
    greedy_starts = list_schedule(problem)
    greedy = plan_from_starts(problem, greedy_starts, order="wspt")
    if not problem.jobs:
        return greedy, greedy, SolverReport("OPTIMAL", 0.0, 0.0, 0.0, None, "wspt", provisional=True)
    found = search_plan(
        problem,
        time_limit=QUICK_SEARCH_SECONDS,
        seed=seed,
        seeds={"wspt": greedy_starts},
        place_all=len(greedy_starts) == len(problem.jobs),
    )
    fast = greedy if found.rule == "wspt" else plan_from_starts(problem, found.starts, order=found.rule)
    status, gap = ("OPTIMAL", 0.0) if found.optimal else ("FEASIBLE", None)
    seconds = time.monotonic() - began
    bound = found.exposure if found.optimal else None
    return greedy, fast, SolverReport(status, gap, seconds, found.exposure, bound, found.rule, provisional=True)


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
    """The reinforcement per team that fits every non-blocked measure in the horizon, and the
    horizon today's capacity needs (schedule compression by crashing, PMBOK).

    The oracle is the fast planners — the greedy plan (:func:`roadmap.planning.schedule.list_schedule`)
    and the minimum-latest-start rule (:func:`roadmap.planning.search.latest_start_order`),
    milliseconds at 2,000 measures — re-run on the roadmap with the reinforcement applied as the
    Équipes sheet's column would be (:func:`with_capacity`); when one of them places everything,
    :func:`optimise_plan` never returns a plan that defers a measure, so the figure is verified by
    the product's own re-planning, not estimated:

    1. start each team at its load lower bound — ``max(0, work / working days − capacity)``
       person-days a day: no plan fits more work than capacity × days;
    2. while a measure is deferred for capacity, raise the teams of the deferred measures by an
       eighth of their current daily capacity (at least half a person-day a week), up to 64
       rounds; a plan with nothing deferred for capacity is the answer's upper end;
    3. shrink each team in turn by bisection on its reinforcement (to a tenth of a person-day a
       week) while re-planning still defers nothing for capacity.

    The result is small, not proven minimal (the exact minimum is NP-hard, like the RCPSP).
    It is a pure function of the roadmap and the options: every step counts re-plannings (at most
    64 rounds in step 2, a bisection to 0.1 person-day a week per team in step 3), never seconds, so
    the figure the director repeats is the same on every run, provisional plan or refined
    (0.2 s on the sample; ``benchmarks/bench_scenario.py``).

    Args:
        time_limit, workers, seed: unused, kept for callers (the search is bounded by its steps).

    Raises:
        PlanningError: see :func:`roadmap.planning.problem.build_problem`.
    """
    del workers, seed, time_limit
    settings = roadmap.settings
    horizon = horizon_weeks or settings.horizon_weeks
    sprint = sprint_weeks or settings.sprint_weeks
    report = progress or (lambda share, message: None)

    def plan_with(weekly: Mapping[str, float]) -> Problem:
        changes = {t.name: {"reinforcement": t.reinforcement + weekly.get(t.name, 0.0)} for t in roadmap.teams}
        return build_problem(with_capacity(roadmap, changes), start=start, horizon_weeks=horizon, sprint_weeks=sprint)

    def short_teams(weekly: Mapping[str, float]) -> set[str]:
        """Teams of the measures deferred for capacity (prerequisites all placed) by the better,
        for that, of the greedy plan and the minimum-latest-start rule; empty when one fits all."""
        problem = plan_with(weekly)
        starts = _fast_plan(problem)
        return {j.team for j in problem.jobs.values() if j.id not in starts and all(d in starts for d in j.depends)}

    problem = plan_with({})
    impossible = tuple(sorted(problem.excluded))
    days = len(problem.days)
    weekly: dict[str, float] = {}
    for team in roadmap.teams:
        load = sum(j.demand * j.duration for j in problem.jobs.values() if j.team == team.name) / 100
        per_day = max(0.0, load / max(1, days) - team.daily_capacity)
        weekly[team.name] = math.ceil(per_day * 5 * 10) / 10
    short = short_teams(weekly)
    rounds = 0
    while short and rounds < 64:
        for name in short:
            team = next(t for t in roadmap.teams if t.name == name)
            weekly[name] += max(0.5, round((team.daily_capacity * 5 + weekly[name]) / 8, 1))
        short = short_teams(weekly)
        rounds += 1
    report(0.5, "crashing")
    status = "NONE" if short else "FEASIBLE"
    if not short:
        for name in sorted(weekly, key=lambda team: -weekly[team]):
            low, high = 0.0, weekly[name]
            while high - low > 0.1:
                middle = round((low + high) / 2, 1)
                if middle in (low, high):
                    break
                if short_teams({**weekly, name: middle}):
                    low = middle
                else:
                    high = middle
            weekly[name] = high
    per_sprint = {name: round(weekly.get(name, 0.0) * sprint, 1) for name in (t.name for t in roadmap.teams)}
    if status == "NONE":
        per_sprint = {name: 0.0 for name in per_sprint}
    weeks = _horizon_needed(roadmap, start=problem.start, sprint=sprint)
    report(1.0, "crashing")
    return Crashing(per_sprint, weeks, impossible, status)


def _fast_plan(problem: Problem) -> dict[str, int]:
    """The starts of the fast rule that places the most jobs: the greedy plan or the
    minimum-latest-start rule (milliseconds at 2,000 measures)."""
    inst = compile_problem(problem)
    start = decode(inst, latest_start_order(inst))
    by_latest_start = {inst.ids[j]: s for j, s in enumerate(start) if s is not None}
    greedy = list_schedule(problem)
    return greedy if len(greedy) >= len(by_latest_start) else by_latest_start


def _horizon_needed(roadmap: Roadmap, *, start: dt.date, sprint: int) -> float | None:
    """Weeks from ``start`` to the end of the last measure when the fast planners (:func:`_fast_plan`)
    must place them all with today's capacity: doubling from 13 weeks to the first horizon where nothing is deferred
    for capacity, then bisection on whole weeks (fixed sprints are released: the question is how
    long the work takes, not when it was promised)."""
    free = roadmap.replace(measures=tuple(m.model_copy(update={"fixed_sprint": None}) for m in roadmap.measures))

    def fits(weeks: int) -> int | None:
        problem = build_problem(free, start=start, horizon_weeks=weeks, sprint_weeks=min(sprint, weeks))
        starts = _fast_plan(problem)
        if any(j not in starts for j in problem.jobs):
            return None
        last = max((starts[j] + problem.jobs[j].duration - 1 for j in starts), default=0)
        return math.ceil(((problem.days[last] - start).days + 1) / 7) if problem.days else 1

    weeks = 13
    while fits(weeks) is None:
        weeks *= 2
        if weeks > 156:
            return None
    low, high = max(1, weeks // 2), weeks
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle) is None:
            low = middle
        else:
            high = middle
    needed = fits(high)
    return None if needed is None else float(needed)


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
