"""Will we make it? A Monte Carlo schedule risk analysis of the plan's own decisions.

Durations are uncertain (PRODUCT.md §5, "Forecast"). Each open measure's remaining effort is
drawn from a triangular distribution (low, mode, high) in person-days:

* **three-point estimates** when the workbook gives them (``Charge min (j.h)`` / ``Charge max
  (j.h)``, :attr:`~roadmap.models.Measure.effort_min` and ``effort_max``): low and high are those
  efforts × (1 − progress/100), the mode the remaining effort (a missing side takes the default
  below);
* else the **default spread by status** (:data:`DEFAULT_SPREAD`): −20 % / +50 % of the remaining
  effort for a measure to do, −10 % / +25 % for one in progress (less is unknown once it is
  started) — the right-skewed spread of software and IT estimates (McConnell, *Software
  Estimation*, 2006, ch. 4: the "cone of uncertainty"; PMBOK's three-point estimate);
* **calibrated by the team's observed SPI** when the history has at least two snapshots
  (:func:`roadmap.progress.team_performance`): the three points of a team earning at SPI 0.8 are
  divided by 0.8 (its remaining work takes 1.25 times as long), SPI clipped to 0.25–4.

Each of the ``simulations`` runs replays **the plan's decisions**, not a new optimisation: its
activity list (the scheduled measures by planned start, then those it defers, in a
prerequisite-feasible order) goes through the serial schedule generation scheme of
:func:`roadmap.planning.search.decode` on the sampled durations (``ceil(remaining / rate)``
working days), with each team's capacity per working day, finish-to-start prerequisites and the
calendar's public holidays, and **no measure starts before its planned day** (its sprint
commitment): a slip pushes what waits on it or shares its team, an early finish frees capacity
that nothing planned later grabs. Past the horizon the calendar goes on (measures end late rather
than being dropped); fixed sprints give a release day, not a deadline. Why this is right: with
zero spread every job's planned start is free when its turn comes (the plan respects capacity and
prerequisites) and no earlier day is allowed, so each run reproduces the plan exactly
(:func:`forecast_plan`'s test); any difference comes from the durations alone.

**More capacity does not always help (Graham's anomalies).** A serial schedule is not monotone in
capacity (R. L. Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math., 1969):
with a team doubled, a measure that is no longer held ends earlier, its dependant on another team
starts earlier and takes that team first, and a measure listed after it ends later (a test builds
one: the plan ends a day later). So "doubling a team never lowers the on-time probability" is false
in general, and is tested only where it holds: no prerequisites and one person per measure (teams
then do not interact, each is a set of identical workers), the same plan and seed replayed on the
same jobs (common random numbers: the same efforts; durations never longer), each job from its
planned day. Measured (``benchmarks/forecast_anomalies.py``): over 60 generated
hospitals (30–80 measures, 4 teams, 300 runs, each team doubled: 240 doublings), with their
prerequisites the whole plan's probability fell in 1 doubling of 240 (by one run of 300, 0.3
point) and some measure's own probability in 36 (by up to 14.7 points); without prerequisites, in
none. A brute-force search of one team's serial schedule (200,000 random cases each): with crews of
several people, a measure ended later in 2,073 cases and the last end in 2; with one person per
measure (more workers, durations no longer), in none.

The runs are simulated in lockstep with numpy: for each job of the list, every run's earliest fit
is found at once over a (runs × days) array of its team's usage; the cost is O(jobs × runs ×
days), no Python loop per run or per day. Fixed seed (numpy ``PCG64``): the same input gives the
same forecast. The entry point :func:`forecast_plan` is a pure function of (problem, plan,
simulations, seed, SPI), for the UI to cache.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from roadmap.models import Status
from roadmap.planning.calendar import working_days
from roadmap.planning.plan import Plan
from roadmap.planning.problem import CENTI, Problem
from roadmap.planning.search import compile_problem, topological_order
from roadmap.risk import level_of_score

DEFAULT_SIMULATIONS = 1000
DEFAULT_SEED = 20_261_203

DEFAULT_SPREAD: dict[Status, tuple[float, float]] = {
    Status.NOT_STARTED: (0.8, 1.5),
    Status.IN_PROGRESS: (0.9, 1.25),
}
"""(low, high) multipliers of the remaining effort when the workbook gives no three-point estimate;
the mode is the remaining effort itself (module docstring)."""

SPI_RANGE = (0.25, 4.0)
"""An observed SPI outside this range is clipped (a first week's noise is not a trend)."""

_EPS = 1e-9


@dataclass(frozen=True)
class Forecast:
    """What the simulations say (module docstring).

    Attributes:
        simulations, seed: how many runs, and the seed of their durations.
        horizon_end: last calendar day of the plan's horizon.
        on_time_probability: share of runs (0–1) in which every measure the plan must place (the
            problem's jobs: not blocked, not waiting on a blocked measure, not longer than the
            horizon) ends by ``horizon_end``.
        plan_on_time_probability: share of runs in which the measures the plan schedules all end
            by ``horizon_end`` (the plan as it stands, leaving aside what it already defers).
        p50_end, p80_end, p95_end: the day by which the last of them ends in 50, 80 and 95 % of
            the runs (``None`` when there is nothing to place).
        measures: one row per simulated measure: ``id``, ``planned_end`` (date or ``None`` when
            the plan defers it), ``p50``, ``p80``, ``p95`` (dates), ``on_time`` (share of runs
            ending inside the horizon) and ``criticality`` (share of runs in which it is on the
            chain that drives the last finish).
        risk_target_probability: risk ID → share of runs in which its residual level at the end
            of the horizon is at or under its target level (risks with a target only).
        band: residual-risk trajectory, columns ``date`` (datetime64, every calendar day of the
            horizon), ``p10``, ``p50``, ``p90`` (Σ residual scores at the end of that day).
        calibration: team → the SPI its durations were divided by (empty without history).
        three_point: IDs whose spread came from the workbook's own estimates.
        late_without_spread: IDs of the measures that end past ``horizon_end`` even on their mode
            durations, SPI-calibrated when ``spi`` is given (one more run with no spread): most often
            those the plan defers for lack of capacity. What a 0 % on-time probability is made of.
    """

    simulations: int
    seed: int
    horizon_end: dt.date
    on_time_probability: float
    plan_on_time_probability: float
    p50_end: dt.date | None
    p80_end: dt.date | None
    p95_end: dt.date | None
    measures: pd.DataFrame
    risk_target_probability: dict[str, float]
    band: pd.DataFrame
    calibration: dict[str, float] = field(default_factory=dict)
    three_point: tuple[str, ...] = ()
    late_without_spread: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``forecast`` object of ``plan --json`` (probabilities rounded to 0.001)."""

        def iso(day: object) -> str | None:
            return day.isoformat() if isinstance(day, dt.date) else None

        return {
            "simulations": self.simulations,
            "seed": self.seed,
            "on_time_probability": round(self.on_time_probability, 3),
            "plan_on_time_probability": round(self.plan_on_time_probability, 3),
            "p50_end": iso(self.p50_end),
            "p80_end": iso(self.p80_end),
            "p95_end": iso(self.p95_end),
            "risk_target_probability": {r: round(p, 3) for r, p in self.risk_target_probability.items()},
            "calibration_spi": {t: round(s, 3) for t, s in self.calibration.items()},
            "measures": [
                {
                    "id": row.id,
                    "p50": iso(row.p50),
                    "p80": iso(row.p80),
                    "p95": iso(row.p95),
                    "on_time": round(float(on_time), 3),
                    "criticality": round(float(crit), 3),
                }
                for row, on_time, crit in zip(
                    self.measures.itertuples(),
                    self.measures["on_time"].to_numpy(dtype=float),
                    self.measures["criticality"].to_numpy(dtype=float),
                    strict=True,
                )
            ],
        }


def effort_spread(
    problem: Problem, *, spi: Mapping[str, float] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Low, mode and high remaining effort (person-days) of each job, in ``problem.jobs`` order,
    and the IDs whose spread is the workbook's own three-point estimate (module docstring).

    Args:
        spi: team → observed schedule performance index; each team's three points are divided
            by its SPI (clipped to :data:`SPI_RANGE`).
    """
    low, mode, high, own = [], [], [], []
    by_id = problem.roadmap.measure_by_id
    for ident, job in problem.jobs.items():
        m = by_id[ident]
        left = 1 - m.progress / 100
        remaining = m.remaining_effort
        default_low, default_high = DEFAULT_SPREAD.get(m.status, DEFAULT_SPREAD[Status.NOT_STARTED])
        lo = m.effort_min * left if m.effort_min is not None else remaining * default_low
        hi = m.effort_max * left if m.effort_max is not None else remaining * default_high
        if m.effort_min is not None or m.effort_max is not None:
            own.append(ident)
        scale = 1.0
        if spi and job.team in spi and spi[job.team] > 0:
            scale = 1 / min(SPI_RANGE[1], max(SPI_RANGE[0], spi[job.team]))
        low.append(min(lo, remaining) * scale)
        mode.append(remaining * scale)
        high.append(max(hi, remaining) * scale)
    return np.array(low), np.array(mode), np.array(high), tuple(own)


def sample_triangular(
    low: np.ndarray, mode: np.ndarray, high: np.ndarray, *, runs: int, rng: np.random.Generator
) -> np.ndarray:
    """``runs`` draws of each triangular distribution by inverse transform, shape (runs, jobs);
    a degenerate one (low = high) gives its mode every time."""
    u = rng.random((runs, len(mode)))
    width = np.maximum(high - low, _EPS)
    cut = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(high - low <= _EPS, mode, np.where(u < cut, left, right))


def forecast_plan(
    problem: Problem,
    plan: Plan,
    *,
    simulations: int = DEFAULT_SIMULATIONS,
    seed: int = DEFAULT_SEED,
    spi: Mapping[str, float] | None = None,
    spread: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> Forecast:
    """The Monte Carlo forecast of ``plan`` (module docstring).

    Args:
        problem: the problem ``plan`` was made from (same roadmap, horizon and capacity).
        simulations: runs, at least 1.
        seed: of the durations' random draws.
        spi: team → observed SPI, to calibrate the durations (only from ≥ 2 snapshots).
        spread: (low, mode, high) remaining efforts per job in ``problem.jobs`` order, instead of
            :func:`effort_spread` (tests: zero spread is ``(mode, mode, mode)``).

    Raises:
        ValueError: ``simulations`` below 1.
    """
    if simulations < 1:
        raise ValueError(f"simulations must be at least 1, not {simulations}")
    inst = compile_problem(problem)
    n, runs = len(inst.ids), simulations
    own: tuple[str, ...] = ()
    if spread is None:
        low, mode, high, own = effort_spread(problem, spi=spi)
    else:
        low, mode, high = spread
    rng = np.random.Generator(np.random.PCG64(seed))
    effort = sample_triangular(low, mode, high, runs=runs, rng=rng) if n else np.zeros((runs, 0))
    demand = np.array(inst.demand, dtype=np.int64)
    duration = np.maximum(1, np.ceil(effort * CENTI / np.maximum(demand, 1) - _EPS)).astype(np.int64)
    index = {ident: j for j, ident in enumerate(inst.ids)}
    planned = {s.id: s for s in plan.scheduled}
    day_index = {d: i for i, d in enumerate(problem.days)}
    release = np.array(
        [day_index[planned[i].start] if i in planned else inst.earliest[j] for j, i in enumerate(inst.ids)],
        dtype=np.int64,
    )
    order = sorted((index[s.id] for s in plan.scheduled if s.id in index), key=lambda j: (release[j], j))
    listed = set(order)
    order += [j for j in topological_order(inst) if j not in listed]
    start, finish = _simulate(inst, order, release, duration, runs)
    nominal = np.ceil(np.asarray(mode, dtype=float) * CENTI / np.maximum(demand, 1) - _EPS)  # one run, no spread
    nominal = np.maximum(1, nominal).astype(np.int64)[None, :]
    late = _simulate(inst, order, release, nominal, 1)[1][0] > len(problem.days) - 1 if n else np.zeros(0, bool)
    days = _days_beyond(problem, int(finish.max()) + 1 if n else len(problem.days))
    last = len(problem.days) - 1
    end_index = finish.max(axis=1) if n else np.full(runs, -1)
    on_time = float(np.mean(end_index <= last)) if n else 1.0
    placed = [index[s.id] for s in plan.scheduled if s.id in index]
    plan_on_time = float(np.mean(finish[:, placed].max(axis=1) <= last)) if placed else 1.0

    def quantile_day(values: np.ndarray, q: float) -> dt.date:
        return days[int(np.quantile(values, q, method="inverted_cdf"))]

    crit = _criticality(inst, start, finish, end_index) if n else np.zeros(0)
    measures = pd.DataFrame(
        {
            "id": inst.ids,
            "planned_end": [planned[i].end if i in planned else None for i in inst.ids],
            "p50": [quantile_day(finish[:, j], 0.5) for j in range(n)],
            "p80": [quantile_day(finish[:, j], 0.8) for j in range(n)],
            "p95": [quantile_day(finish[:, j], 0.95) for j in range(n)],
            "on_time": (finish <= last).mean(axis=0) if n else [],
            "criticality": crit,
        },
        columns=["id", "planned_end", "p50", "p80", "p95", "on_time", "criticality"],
    )
    band, at_end = _risk_runs(problem, inst, finish)
    roadmap = problem.roadmap
    max_score = roadmap.settings.likelihood_scale * roadmap.settings.severity_scale
    targets = {}
    risk_ids = _risk_ids(problem)
    for r, risk_id in enumerate(risk_ids):
        risk = next((x for x in roadmap.risks if x.id == risk_id), None)
        if risk is None or risk.target_level is None:
            continue
        levels = np.array([level_of_score(float(s), max_score=max_score) for s in at_end[:, r]])
        targets[risk_id] = float(np.mean(levels <= risk.target_level))
    return Forecast(
        simulations=runs,
        seed=seed,
        horizon_end=problem.end,
        on_time_probability=on_time,
        plan_on_time_probability=plan_on_time,
        p50_end=quantile_day(end_index, 0.5) if n else None,
        p80_end=quantile_day(end_index, 0.8) if n else None,
        p95_end=quantile_day(end_index, 0.95) if n else None,
        measures=measures,
        risk_target_probability=targets,
        band=band,
        calibration={t: float(s) for t, s in (spi or {}).items()},
        three_point=own,
        late_without_spread=tuple(i for i, is_late in zip(inst.ids, late, strict=True) if is_late),
    )


def _simulate(
    inst: Any, order: list[int], release: np.ndarray, duration: np.ndarray, runs: int
) -> tuple[np.ndarray, np.ndarray]:
    """Serial SGS over ``order`` in every run at once: start and finish working-day indices,
    shape (runs, jobs). Each job starts at the first day t ≥ max(release, prerequisites' finish
    + 1) with room for its demand on t … t + duration − 1; the day arrays grow when a run needs
    days past them."""
    n = len(inst.ids)
    start = np.zeros((runs, n), dtype=np.int64)
    finish = np.zeros((runs, n), dtype=np.int64)
    span = max(inst.days, int(release.max(initial=0))) + int(duration.max(initial=1)) * 2 + 1
    usage = [np.zeros((runs, span), dtype=np.int64) for _ in inst.capacity]
    for j in order:
        earliest = np.full(runs, release[j], dtype=np.int64)
        for p in inst.preds[j]:
            earliest = np.maximum(earliest, finish[:, p] + 1)
        d = duration[:, j]
        team, need = inst.team[j], inst.demand[j]
        while True:
            span = usage[team].shape[1]
            fits = usage[team] + need <= inst.capacity[team]
            cols = np.arange(span)
            blocked_at = np.where(fits, span, cols)
            next_blocked = np.minimum.accumulate(blocked_at[:, ::-1], axis=1)[:, ::-1]
            ok = (cols >= earliest[:, None]) & (next_blocked - cols >= d[:, None]) & (cols + d[:, None] <= span)
            found = ok.any(axis=1)
            if found.all():
                break
            grow = max(span, int(earliest.max()) + int(d.max()) - span + 1)
            usage = [np.concatenate([u, np.zeros((runs, grow), dtype=np.int64)], axis=1) for u in usage]
        begin = ok.argmax(axis=1)
        start[:, j], finish[:, j] = begin, begin + d - 1
        busy = (cols >= begin[:, None]) & (cols <= (begin + d - 1)[:, None])
        usage[team] += need * busy
    return start, finish


def _criticality(inst: Any, start: np.ndarray, finish: np.ndarray, end_index: np.ndarray) -> np.ndarray:
    """Share of runs in which each job is on the chain driving the last finish: from the job ending
    last, back to the prerequisite that ended the day before it started, else to a job of its team
    that ended then (the team was full until that day), until a job started on its own release."""
    runs, n = finish.shape
    team = np.array(inst.team)
    pred = np.zeros((n, n), dtype=bool)
    for j, ps in enumerate(inst.preds):
        pred[j, ps] = True
    on_chain = np.zeros((runs, n), dtype=bool)
    current = np.argmax(finish == end_index[:, None], axis=1)
    alive = np.ones(runs, dtype=bool)
    rows = np.arange(runs)
    for _ in range(n):
        on_chain[rows[alive], current[alive]] = True
        before = start[rows, current] - 1
        ended = finish == before[:, None]
        by_pred = ended & pred[current]
        by_team = ended & (team[None, :] == team[current][:, None]) & ~on_chain
        has_pred, has_team = by_pred.any(axis=1), by_team.any(axis=1)
        nxt = np.where(has_pred, by_pred.argmax(axis=1), by_team.argmax(axis=1))
        alive &= has_pred | has_team
        if not alive.any():
            break
        current = np.where(alive, nxt, current)
    shares: np.ndarray = on_chain.mean(axis=0)
    return shares


def _risk_ids(problem: Problem) -> list[str]:
    return [r.id for r in problem.roadmap.risks]


def _risk_runs(problem: Problem, inst: Any, finish: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The P10/P50/P90 band of the total residual score per calendar day of the horizon, and each
    run's residual score per risk at the horizon's end, shape (runs, risks) in Risks order.

    Per run and risk, log residual = log(score now) + Σ log f over the jobs finished by the day
    (f as in :mod:`roadmap.planning.search`): one scatter-add of each link at its finish day, then
    a cumulative sum over days."""
    runs = finish.shape[0]
    days = len(problem.days)
    order_ids = _risk_ids(problem)
    compiled = list(_compiled_risks(problem))
    position = {r: k for k, r in enumerate(compiled)}
    base = np.array(inst.base, dtype=float)
    log_steps = np.zeros((runs, days + 1, len(base)))
    rows = np.arange(runs)
    for j, links in enumerate(inst.links):
        day = np.minimum(finish[:, j], days)
        for r, factor in links:
            np.add.at(log_steps, (rows, day, r), math.log(max(factor, 1e-300)))
    levels = np.exp(np.cumsum(log_steps[:, :days, :], axis=1)) * base[None, None, :]
    total = levels.sum(axis=2)  # (runs, working days)
    calendar = [problem.start + dt.timedelta(days=k) for k in range((problem.end - problem.start).days + 1)]
    step = np.searchsorted(np.array([d.toordinal() for d in problem.days]), [d.toordinal() for d in calendar], "right")
    now = base.sum()
    per_day = np.concatenate([np.full((runs, 1), now), total], axis=1)[:, step]  # step 0: before the first day
    band = pd.DataFrame(
        {
            "date": pd.to_datetime(calendar),
            "p10": np.quantile(per_day, 0.1, axis=0),
            "p50": np.quantile(per_day, 0.5, axis=0),
            "p90": np.quantile(per_day, 0.9, axis=0),
        }
    )
    final = levels[:, -1, :] if days else np.tile(base, (runs, 1))
    columns = [final[:, position[r]] if r in position else np.zeros(runs) for r in order_ids]
    at_end = np.stack(columns, axis=1) if columns else np.zeros((runs, 0))  # a roadmap with no risk
    return band, at_end.reshape(runs, len(order_ids))


def _compiled_risks(problem: Problem) -> list[str]:
    """Risk IDs in the order of :func:`~roadmap.planning.search.compile_problem`'s ``base``."""
    from roadmap.risk import completions_at, residual_scores

    return list(residual_scores(problem.roadmap, completions_at(problem.roadmap, None)))


def _days_beyond(problem: Problem, count: int) -> list[dt.date]:
    """The horizon's working days, continued past its end on the same calendar to ``count`` days."""
    days = list(problem.days)
    calendar = problem.roadmap.settings.calendar
    cursor = problem.end
    while len(days) < count:
        more = working_days(cursor + dt.timedelta(days=1), cursor + dt.timedelta(days=366), calendar=calendar)
        days.extend(more)
        cursor += dt.timedelta(days=366)
    return days
