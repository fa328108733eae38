"""Graham's anomalies in the forecast: how often, and by how much, doubling one team's capacity
lowers an on-time probability of the same plan replayed (same seed: common random numbers).

1. Generated hospitals (:func:`hospitals.hospital`, 30–80 measures, a horizon of 22 weeks per 80
   measures), with their prerequisites and without: each team doubled in turn; counted, the
   doublings that lower the whole plan's or the scheduled measures' probability, or one measure's.
2. A brute-force search of one team's serial schedule (the forecast's: jobs by release day, each at
   the first day from its release with room for its whole duration): random small cases, the
   capacity doubled; counted, the cases where a job or the last job ends later; with crews of several
   people, and with one person per job (more workers, durations shortened or kept).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/forecast_anomalies.py [--instances 60] [--runs 300]
[--cases 200000]``. The figures are quoted in :mod:`roadmap.planning.forecast`'s docstring.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hospitals import hospital

from roadmap.models import Settings
from roadmap.planning.forecast import forecast_plan
from roadmap.planning.optimise import with_capacity
from roadmap.planning.problem import build_problem
from roadmap.planning.schedule import compress_plan


def hospitals(instances: int, runs: int) -> None:
    for prerequisites in (True, False):
        doublings = lower = lower_measure = 0
        worst = worst_measure = 0.0
        for seed in range(instances):
            size = 30 + (seed * 7) % 51
            roadmap = hospital(size, seed=seed).replace(
                settings=Settings(start_date=dt.date(2027, 4, 5), horizon_weeks=max(4, round(22 * size / 80)))
            )
            if not prerequisites:
                roadmap = roadmap.replace(
                    measures=tuple(m.model_copy(update={"depends_on": ()}) for m in roadmap.measures)
                )
            problem, plan = build_problem(roadmap), compress_plan(roadmap)
            base = forecast_plan(problem, plan, simulations=runs)
            for team in roadmap.teams:
                again = forecast_plan(
                    build_problem(with_capacity(roadmap, {team.name: {"fte": 2 * team.fte}})), plan, simulations=runs
                )
                doublings += 1
                drop = max(
                    base.on_time_probability - again.on_time_probability,
                    base.plan_on_time_probability - again.plan_on_time_probability,
                )
                lower += drop > 0
                worst = max(worst, drop)
                mine = base.measures.set_index("id")["on_time"]
                theirs = again.measures.set_index("id")["on_time"].reindex(mine.index)
                measure_drop = float((mine - theirs).max())
                lower_measure += measure_drop > 0
                worst_measure = max(worst_measure, measure_drop)
        print(
            f"hospitals {'with' if prerequisites else 'without'} prerequisites: {doublings} doublings over "
            f"{instances} instances, {runs} runs each: the plan's probability lower in {lower} (worst "
            f"{100 * worst:.1f} points), one measure's in {lower_measure} (worst {100 * worst_measure:.1f} points)",
            flush=True,
        )


def serial(jobs: list[tuple[int, int, int]], capacity: int) -> list[int]:
    """Last day of each job (release, duration, need) placed in list order at the first day from its
    release with room for its need over its whole duration."""
    usage = [0] * 400
    ends = []
    for release, duration, need in jobs:
        day = release
        while any(usage[u] + need > capacity for u in range(day, day + duration)):
            day += 1
        for u in range(day, day + duration):
            usage[u] += need
        ends.append(day + duration - 1)
    return ends


def search(cases: int) -> None:
    rng = random.Random(1)
    job_later = last_later = 0
    for _ in range(cases):
        capacity = rng.randint(1, 4)
        jobs = sorted(
            (rng.randint(0, 6), rng.randint(1, 5), rng.randint(1, capacity)) for _ in range(rng.randint(2, 7))
        )
        before, after = serial(jobs, capacity), serial(jobs, 2 * capacity)
        job_later += any(b > a for a, b in zip(before, after, strict=True))
        last_later += max(after) > max(before)
    print(
        f"one team, crews of 1 to all its people, capacity doubled: {cases:,} cases, a job ends later in "
        f"{job_later:,}, the last job in {last_later:,}"
    )
    rng = random.Random(3)
    job_later = 0
    for _ in range(cases):
        workers = rng.randint(1, 3)
        more = rng.randint(workers, 2 * workers + 1)
        base = sorted((rng.randint(0, 8), rng.randint(1, 6)) for _ in range(rng.randint(2, 8)))
        slow = [(r, d, 1) for r, d in base]
        fast = [(r, max(1, d - rng.choice([0, 0, 1, 2])), 1) for r, d in base]
        job_later += any(b > a for a, b in zip(serial(slow, workers), serial(fast, more), strict=True))
    print(
        f"one team, one person per job, more workers and durations no longer: {cases:,} cases, a job ends "
        f"later in {job_later:,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=60)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--cases", type=int, default=200_000)
    args = parser.parse_args()
    search(args.cases)
    hospitals(args.instances, args.runs)


if __name__ == "__main__":
    main()
