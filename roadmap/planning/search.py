"""The exposure planner: constructive rules and a local search on the true residual-risk exposure.

The objective (PRODUCT.md §5) is the cumulative residual-risk exposure over the horizon, in
risk-days, with a measure counting as done from the calendar day of its last working day:

    exposure = Σ_r s_r · Σ_t Π_{m on r, finished by t} f_{m,r}

with ``s_r`` the risk's residual score today and ``f_{m,r} = (1 − e) / (1 − e·c₀)`` the factor by which
finishing m multiplies it (``c₀`` its completion today: 0, or progress/100 with partial credit).
A product over measures is not linear: the second measure on a risk saves far less than the
first, and a measure's value depends on when the others on the same risks finish. A linear
surrogate (static weights) therefore misleads; every rule here is scored on the exact exposure.

Each plan is a serial schedule generation scheme (SGS, Kolisch 1996) over an *activity list*: jobs
taken in a precedence-feasible order, each placed at its earliest start with room on its team
for every day of its duration (and inside its fixed-sprint window); a job that cannot fit, and
what waits on it, is deferred. What each part buys, measured on the generated hospitals of
``benchmarks/bench_planner.py`` (4 teams, 80–2,000 measures):

* :func:`adaptive_order` — the biggest gain (18–29 % less exposure than the textbook rule of
  static weight per working day): at each step, every eligible job is scored by the exposure it
  would *actually* remove given what is already placed and when it would finish, per person-day,
  with a one-step lookahead on the successors it unlocks. Scores only fall as the plan fills
  (later finishes, lower residual risk), so a stale score is an upper bound and lazy evaluation
  (re-score the best, accept it if it is still the best) gives the same order at a fraction of
  the cost.
* randomised restarts of that rule (scores perturbed by a seeded noise) and a local search on
  the activity list (move one job to another feasible position, rebuild the serial schedule,
  rescore exactly, keep improvements): a few percent more.

Lexicographic objective: first the working days past due dates inside the horizon (commitments
are kept), then the exposure. Deterministic: the
work is counted in job placements, not seconds, so the same input and limit give the same plan;
a wall-clock guard of twice the limit only binds on a much slower machine.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from roadmap.planning.problem import Problem
from roadmap.risk import completions_at, residual_scores

PLACEMENTS_PER_SECOND = 150_000
"""Job placements the local search may make per second of its limit (calibrated so that the
limit is reached in about half the time on the 2-core machines we measured)."""

SAFETY_FACTOR = 10
"""The search also stops after ``SAFETY_FACTOR × time_limit + 5`` wall-clock seconds, a net for a
machine many times slower than expected. Below it the plan depends on the input, the limit and the
seed only — a busy server (two solves and a page at once) gives the same plan, so the figures a
director repeats do not change between two identical runs; the former ``2 × limit + 1`` seconds
were reached under load and changed the plan."""


@dataclass
class Instance:
    """A :class:`~roadmap.planning.problem.Problem` compiled to integer-indexed arrays for fast planning.

    Attributes:
        ids: job IDs in workbook order; every other list is indexed like it.
        preds, succs: prerequisites and dependants among the jobs.
        weights: for working-day index i, the calendar days during which the residual risk
            after the finishes up to day i counts (up to the next working day, or the horizon's end).
        head: calendar days before the first working day (nothing finishes then).
        base: residual score of each risk today; links[j]: (risk index, factor f) of job j.
        constant: exposure of the risks no job can change, over the horizon.
        due: last working-day index allowed by a due date inside the horizon, or ``None``.
        suffix: ``suffix[i] = Σ_{i' ≥ i} weights[i']``, the calendar days from working day i on.
        static: the textbook priority weight of each job, ``Σ likelihood × severity ×
            effectiveness`` over its risk links (inherent scores, nothing planned).
        touched: the risks some job's finish lowers (the others are in ``constant``).
        place_all: rank a plan that defers a job after every plan that defers none (set when a
            plan placing every job is known to exist: a measure is never dropped to save risk).
    """

    ids: list[str]
    team: list[int]
    demand: list[int]
    duration: list[int]
    earliest: list[int]
    latest_end: list[int]
    preds: list[list[int]]
    succs: list[list[int]]
    capacity: list[int]
    days: int
    weights: list[int]
    head: int
    base: list[float]
    links: list[list[tuple[int, float]]]
    constant: float
    due: list[int | None]
    suffix: list[int]
    static: list[float]
    touched: list[int]
    place_all: bool = False

    @property
    def work(self) -> list[int]:
        return [d * n for d, n in zip(self.demand, self.duration, strict=True)]


def compile_problem(problem: Problem) -> Instance:
    """The arrays of :class:`Instance` for ``problem`` (its jobs, capacities, calendar and risks)."""
    roadmap = problem.roadmap
    ids = list(problem.jobs)
    index = {ident: n for n, ident in enumerate(ids)}
    teams = list(problem.capacity)
    team_index = {name: n for n, name in enumerate(teams)}
    offsets = problem.calendar_offset
    horizon = (problem.end - problem.start).days + 1
    weights = [(offsets[i + 1] if i + 1 < len(offsets) else horizon) - offsets[i] for i in range(len(offsets))]
    head = offsets[0] if offsets else horizon
    now = completions_at(roadmap, None)
    residual = residual_scores(roadmap, now)
    risk_ids = list(residual)
    risk_index = {r: n for n, r in enumerate(risk_ids)}
    links: list[list[tuple[int, float]]] = [[] for _ in ids]
    touched: set[int] = set()
    inherent = {risk.id: risk.likelihood * risk.severity for risk in roadmap.risks}
    static = [0.0] * len(ids)
    for ident in ids:
        measure = roadmap.measure_by_id[ident]
        c0 = now.get(ident, 0.0)
        static[index[ident]] = sum(inherent.get(link.risk_id, 0) * link.effectiveness for link in measure.mitigates)
        for link in measure.mitigates:
            r = risk_index.get(link.risk_id)
            if r is None or link.effectiveness <= 0:
                continue
            factor = (1 - link.effectiveness) / max(1e-12, 1 - link.effectiveness * c0)
            links[index[ident]].append((r, factor))
            touched.add(r)
    base = [residual[r] for r in risk_ids]
    constant = sum(base[r] for r in range(len(base)) if r not in touched) * horizon
    due: list[int | None] = []
    for ident in ids:
        measure = roadmap.measure_by_id[ident]
        if measure.due_date is not None and measure.due_date <= problem.end:
            due.append(sum(d <= measure.due_date for d in problem.days) - 1)
        else:
            due.append(None)
    jobs = [problem.jobs[i] for i in ids]
    preds = [[index[d] for d in job.depends] for job in jobs]
    succs: list[list[int]] = [[] for _ in ids]
    for j, ps in enumerate(preds):
        for p in ps:
            succs[p].append(j)
    suffix = [0] * (len(weights) + 1)
    for i in range(len(weights) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + weights[i]
    return Instance(
        ids=ids,
        team=[team_index[job.team] for job in jobs],
        demand=[job.demand for job in jobs],
        duration=[job.duration for job in jobs],
        earliest=[job.earliest for job in jobs],
        latest_end=[job.latest_end for job in jobs],
        preds=preds,
        succs=succs,
        capacity=[problem.capacity[t] for t in teams],
        days=len(problem.days),
        weights=weights,
        head=head,
        base=base,
        links=links,
        constant=constant + sum(base[r] for r in touched) * head,
        due=due,
        suffix=suffix,
        static=static,
        touched=sorted(touched),
    )


def exposure(inst: Instance, finish: Sequence[int | None]) -> float:
    """Exact cumulative exposure (risk-days) when job j ends on working-day index ``finish[j]``
    (``None``: deferred), as :func:`roadmap.risk.exposure` computes it on the dates."""
    events: dict[int, list[tuple[int, float]]] = {}
    for j, f in enumerate(finish):
        if f is None:
            continue
        for r, factor in inst.links[j]:
            events.setdefault(r, []).append((f, factor))
    total = inst.constant
    suffix = inst.suffix
    for r in inst.touched:
        level, previous, area = 1.0, 0, 0.0
        for f, factor in sorted(events.get(r, ())):
            area += level * (suffix[previous] - suffix[f])
            level *= factor
            previous = f
        area += level * suffix[previous]
        total += inst.base[r] * area
    return total


def lateness(inst: Instance, finish: Sequence[int | None]) -> int:
    """Working days past the due dates inside the horizon (a deferred job is late to the end)."""
    late = 0
    for j, due in enumerate(inst.due):
        if due is not None:
            f = finish[j] if finish[j] is not None else inst.days
            late += max(0, f - due)  # type: ignore[operator]
    return late


def _fit(usage: list[int], capacity: int, demand: int, duration: int, earliest: int, latest_end: int) -> int | None:
    t = earliest
    while t + duration - 1 <= latest_end:
        for u in range(t, t + duration):
            if usage[u] + demand > capacity:
                t = u + 1
                break
        else:
            return t
    return None


def decode(inst: Instance, order: Sequence[int]) -> list[int | None]:
    """Serial schedule generation over the activity list ``order``: the start index of each job,
    ``None`` for jobs that cannot fit (or wait on one that cannot)."""
    usage = [[0] * inst.days for _ in inst.capacity]
    start: list[int | None] = [None] * len(inst.ids)
    for j in order:
        earliest = inst.earliest[j]
        placeable = True
        for p in inst.preds[j]:
            sp = start[p]
            if sp is None:
                placeable = False
                break
            earliest = max(earliest, sp + inst.duration[p])
        if not placeable:
            continue
        team = inst.team[j]
        begin = _fit(usage[team], inst.capacity[team], inst.demand[j], inst.duration[j], earliest, inst.latest_end[j])
        if begin is None:
            continue
        row, demand = usage[team], inst.demand[j]
        for t in range(begin, begin + inst.duration[j]):
            row[t] += demand
        start[j] = begin
    return start


def finishes(inst: Instance, start: Sequence[int | None]) -> list[int | None]:
    return [None if s is None else s + inst.duration[j] - 1 for j, s in enumerate(start)]


Score = tuple[int, int, float]


def score(inst: Instance, start: Sequence[int | None]) -> Score:
    """The lexicographic objective of a placement: (working days late, 1 if a job is deferred
    while :attr:`Instance.place_all` is set else 0, exposure in risk-days)."""
    end = finishes(inst, start)
    dropped = int(inst.place_all and any(s is None for s in start))
    return lateness(inst, end), dropped, exposure(inst, end)


def adaptive_order(inst: Instance, *, lookahead: bool = True, noise: float = 0.0, seed: int = 0) -> list[int]:
    """The activity list of the adaptive marginal-exposure rule (module docstring).

    The score of an eligible job j placed at its earliest fit, ending on day i, is
    ``Σ_r s_r · (1 − f_jr) · T_r(i) / work_j`` where ``T_r(i)`` is the remaining area under risk
    r's current residual curve from day i on (the risk-days j would actually remove, given what is
    already placed); with ``lookahead``, the best of that and ``(gain_j + gain_s) / (work_j +
    work_s)`` over the successors s that j alone holds back. Jobs with a due date inside the
    horizon come first among the eligible, by due date. ``noise`` multiplies each score by a
    seeded factor in [1 − noise, 1 + noise], for randomised restarts.
    """
    n = len(inst.ids)
    rng = random.Random(seed)
    usage = [[0] * inst.days for _ in inst.capacity]
    start: list[int | None] = [None] * n
    # tail[r][i] = Σ_{i' ≥ i} weights[i'] · level_r(i'), the area still under risk r's curve
    level_at = [[1.0] * inst.days for _ in inst.base]
    tail = [[float(v) for v in inst.suffix] for _ in inst.base]
    work = inst.work
    waiting = [len(p) for p in inst.preds]
    order: list[int] = []
    jitter = [1.0 + noise * (2 * rng.random() - 1) for _ in range(n)] if noise else [1.0] * n

    def earliest_of(j: int) -> int:
        e = inst.earliest[j]
        for p in inst.preds[j]:
            sp = start[p]
            assert sp is not None
            e = max(e, sp + inst.duration[p])
        return e

    def gain(j: int, end: int) -> float:
        return sum(inst.base[r] * (1 - f) * tail[r][end] for r, f in inst.links[j])

    def evaluate(j: int) -> tuple[float, int | None]:
        team = inst.team[j]
        begin = _fit(
            usage[team], inst.capacity[team], inst.demand[j], inst.duration[j], earliest_of(j), inst.latest_end[j]
        )
        if begin is None:
            return -1.0, None
        end = begin + inst.duration[j] - 1
        own = gain(j, end)
        best = own / work[j]
        if lookahead:
            for s in inst.succs[j]:
                if waiting[s] == 1:
                    s_end = end + inst.duration[s]
                    if s_end < inst.days:
                        best = max(best, (own + gain(s, s_end)) / (work[j] + work[s]))
        return best * jitter[j], begin

    def key(j: int, value: float) -> tuple[int, float, int]:
        due = inst.due[j]
        return (due if due is not None else inst.days + 1, -value, j)

    heap: list[tuple[int, float, int]] = []
    for j in range(n):
        if waiting[j] == 0:
            value, _ = evaluate(j)
            heapq.heappush(heap, key(j, value))
    while heap:
        _, stale, j = heapq.heappop(heap)
        value, begin = evaluate(j)
        if begin is None:
            continue  # cannot fit: deferred, with what waits on it
        if heap and value < -stale - 1e-12 and key(j, value) > heap[0]:
            heapq.heappush(heap, key(j, value))  # its score fell below the next one's bound: look again
            continue
        end = begin + inst.duration[j] - 1
        row, demand = usage[inst.team[j]], inst.demand[j]
        for t in range(begin, end + 1):
            row[t] += demand
        start[j] = begin
        order.append(j)
        for r, f in inst.links[j]:
            levels, area = level_at[r], tail[r]
            for i in range(end, inst.days):
                levels[i] *= f
            for i in range(inst.days - 1, -1, -1):
                area[i] = area[i + 1] + inst.weights[i] * levels[i]
        for s in inst.succs[j]:
            waiting[s] -= 1
            if waiting[s] == 0:
                value, _ = evaluate(s)
                heapq.heappush(heap, key(s, value))
    placed = set(order)
    return order + [j for j in topological_order(inst) if j not in placed]


def topological_order(inst: Instance) -> list[int]:
    """The jobs in a precedence-feasible order, the lowest index first among those ready."""
    waiting = [len(p) for p in inst.preds]
    ready = [j for j in range(len(inst.ids)) if not waiting[j]]
    heapq.heapify(ready)
    result = []
    while ready:
        j = heapq.heappop(ready)
        result.append(j)
        for s in inst.succs[j]:
            waiting[s] -= 1
            if not waiting[s]:
                heapq.heappush(ready, s)
    return result


def textbook_order(inst: Instance) -> list[int]:
    """The textbook rule: among the jobs whose prerequisites are listed, the one of highest static
    priority ``Σ likelihood × severity × effectiveness / duration`` (working days) comes next —
    the weighted-shortest-processing-time list of a serial SGS (Kolisch 1996), with weights that
    ignore what is already planned. The reference every other rule must beat."""
    waiting = [len(p) for p in inst.preds]
    ready = [(-inst.static[j] / inst.duration[j], j) for j in range(len(inst.ids)) if not waiting[j]]
    heapq.heapify(ready)
    order = []
    while ready:
        _, j = heapq.heappop(ready)
        order.append(j)
        for s in inst.succs[j]:
            waiting[s] -= 1
            if not waiting[s]:
                heapq.heappush(ready, (-inst.static[s] / inst.duration[s], s))
    return order


def latest_start_order(inst: Instance) -> list[int]:
    """The minimum-latest-start rule (LST, Kolisch 1996): among the eligible jobs, the one whose
    latest start — the horizon's end (or its window's) pushed back along its successors'
    durations — comes first, the larger job first on a tie. Blind to risk, it is the rule that
    most often fits every job when capacity is tight: the crashing's oracle, and the plan kept
    when no other rule places everything."""
    n = len(inst.ids)
    latest = list(inst.latest_end)
    for j in reversed(topological_order(inst)):
        for s in inst.succs[j]:
            latest[j] = min(latest[j], latest[s] - inst.duration[s])
    work = inst.work

    def key(j: int) -> tuple[int, int, int]:
        return latest[j] - inst.duration[j], -work[j], j

    waiting = [len(p) for p in inst.preds]
    ready = [key(j) for j in range(n) if not waiting[j]]
    heapq.heapify(ready)
    order = []
    while ready:
        *_, j = heapq.heappop(ready)
        order.append(j)
        for s in inst.succs[j]:
            waiting[s] -= 1
            if not waiting[s]:
                heapq.heappush(ready, key(s))
    return order


EXACT_SIZE = 7
"""Up to this many jobs, every precedence-feasible activity list is tried (at most 7! = 5,040)."""


def exact_order(inst: Instance) -> list[int]:
    """The activity list of an optimal plan, by enumeration of every precedence-feasible list.

    Why it is optimal: the objective (lateness, then exposure) is regular — it never decreases
    when a job finishes later, and deferring a job is finishing it at infinity. Take an optimal
    plan P and its set S of placed jobs; shifting every job of S left as far as capacity and
    prerequisites allow (an *active* schedule) makes no finish later, so it is optimal too, and
    every active schedule is the serial SGS of some list of S (Kolisch 1996, theorem 1). Listing
    the jobs not in S after S only adds jobs in the room left, which lowers neither term's value
    of S and can only lower the objective. So the best decoded list is an optimal plan.
    Exponential: only for ``len(inst.ids) <= EXACT_SIZE``.
    """
    n = len(inst.ids)
    waiting = [len(p) for p in inst.preds]
    best: tuple[Score, list[int]] | None = None
    prefix: list[int] = []

    def extend() -> None:
        nonlocal best
        if len(prefix) == n:
            value = score(inst, decode(inst, prefix))
            if best is None or value < best[0]:
                best = (value, list(prefix))
            return
        for j in range(n):
            if waiting[j] == 0 and j not in prefix:
                prefix.append(j)
                for s in inst.succs[j]:
                    waiting[s] -= 1
                extend()
                for s in inst.succs[j]:
                    waiting[s] += 1
                prefix.pop()

    extend()
    assert best is not None
    return best[1]


def order_of_starts(inst: Instance, starts: Mapping[int, int]) -> list[int]:
    """An activity list that the serial scheme decodes to at least ``starts`` (jobs by start day,
    then the rest in topological order): how another planner's plan enters the local search."""
    rank = {j: (s, j) for j, s in starts.items()}
    topo = topological_order(inst)
    position = {j: n for n, j in enumerate(topo)}
    placed = sorted(starts, key=lambda j: (rank[j], position[j]))
    rest = [j for j in topo if j not in starts]
    return placed + rest


def local_search(
    inst: Instance, order: list[int], *, placements: int, seed: int = 0, deadline: float | None = None
) -> tuple[list[int], Score]:
    """Improve an activity list by moving one job at a time to another precedence-feasible
    position, rebuilding the serial schedule and keeping strict improvements of the exact
    objective, until ``placements`` job placements are spent (or the wall-clock ``deadline``)."""
    rng = random.Random(seed)
    n = len(order)
    best = list(order)
    best_score = score(inst, decode(inst, best))
    if n < 2:
        return best, best_score
    spent = n
    while spent + n <= placements and (deadline is None or time.monotonic() < deadline):
        position = {j: p for p, j in enumerate(best)}
        p = rng.randrange(n)
        j = best[p]
        low = max((position[q] for q in inst.preds[j]), default=-1) + 1
        high = min((position[q] for q in inst.succs[j]), default=n) - 1
        if high <= low:
            spent += 1
            continue
        q = rng.randint(low, high)
        if q == p:
            continue
        trial = best[:p] + best[p + 1 :]
        trial.insert(q, j)
        candidate = score(inst, decode(inst, trial))
        spent += n
        if candidate < best_score:
            best, best_score = trial, candidate
    return best, best_score


@dataclass(frozen=True)
class SearchResult:
    """The best plan found: its start index by job ID, objective, the rule that gave it, and
    whether it is proven optimal (by enumeration, :func:`exact_order`)."""

    starts: dict[str, int]
    lateness: int
    exposure: float
    rule: str
    optimal: bool = False


def search_plan(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    seeds: Mapping[str, Mapping[str, int]] | None = None,
    place_all: bool = False,
    instance: Instance | None = None,
) -> SearchResult:
    """The lowest-exposure plan of the constructive rules, their randomised restarts and the local
    search (module docstring), never worse than any of them nor than the plans in ``seeds``
    (rule name → start index by job ID, e.g. the textbook greedy).

    Args:
        time_limit: seconds of work, counted in job placements (:data:`PLACEMENTS_PER_SECOND`).
        seed: of the restarts' noise and the local search's moves.
        place_all: a plan placing every job exists: never return one that defers a job
            (:attr:`Instance.place_all`); also set when one of the rules places every job.
        instance: ``problem`` already compiled (:func:`compile_problem`), to compile it once.
    """
    inst = instance if instance is not None else compile_problem(problem)
    inst.place_all = place_all
    n = len(inst.ids)
    if n <= EXACT_SIZE:
        order = exact_order(inst)
        start = decode(inst, order)
        late, _dropped, value = score(inst, start)
        starts = {inst.ids[j]: s for j, s in enumerate(start) if s is not None}
        return SearchResult(starts, late, value, "enumeration", optimal=True)
    deadline = time.monotonic() + SAFETY_FACTOR * time_limit + 5
    budget = max(10 * n, int(time_limit * PLACEMENTS_PER_SECOND))
    index = {ident: j for j, ident in enumerate(inst.ids)}
    orders: list[tuple[str, list[int]]] = []
    for name, given in (seeds or {}).items():
        orders.append((name, order_of_starts(inst, {index[i]: s for i, s in given.items() if i in index})))
    orders.append(("textbook", textbook_order(inst)))
    orders.append(("latest-start", latest_start_order(inst)))
    for lookahead in (True, False):
        orders.append(("adaptive" + ("+lookahead" if lookahead else ""), adaptive_order(inst, lookahead=lookahead)))
    restarts = min(20, max(0, budget // max(1, 20 * n)))
    for k in range(restarts):
        if time.monotonic() > deadline:
            break
        orders.append(("adaptive-restart", adaptive_order(inst, lookahead=k % 2 == 0, noise=0.15, seed=seed + k + 1)))
    decoded = [decode(inst, order) for _name, order in orders]
    inst.place_all = place_all or any(all(s is not None for s in start) for start in decoded)
    candidates = [(score(inst, start), name, order) for (name, order), start in zip(orders, decoded, strict=True)]
    candidates.sort(key=lambda c: (c[0], c[1]))
    best_score, rule, best = candidates[0]
    used = restarts * 3 * n
    improved, improved_score = local_search(inst, best, placements=max(0, budget - used), seed=seed, deadline=deadline)
    if improved_score < best_score:
        best, best_score, rule = improved, improved_score, rule + "+local-search"
    start = decode(inst, best)
    return SearchResult(
        {inst.ids[j]: s for j, s in enumerate(start) if s is not None}, best_score[0], best_score[2], rule
    )
