"""Benchmark of the compression planners on generated hospitals and on the bundled sample.

For each size (80, 500, 2,000 measures; 4–10 teams) it builds a reproducible random roadmap
(prerequisite DAG, efforts, crews, risks, capacities calibrated to about 110 % load over a 13-week
horizon with French holidays), runs the naive, greedy and CP-SAT planners, and prints the true
cumulative exposure of each (risk-days), the optimised/naive and optimised/greedy ratios, the
solver status, gap and seconds. Run::

    .venv/bin/python benchmarks/bench_planner.py [--time-limit 10] [--sizes 80 500 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmap import load_roadmap
from roadmap.models import Measure, Mitigation, Priority, Risk, Roadmap, Settings, Team
from roadmap.planning.optimise import optimise_plan, plan_exposure
from roadmap.planning.problem import build_problem, plan_from_starts
from roadmap.planning.schedule import list_schedule

START = dt.date(2026, 11, 30)


def generated(size: int, seed: int = 7) -> Roadmap:
    """A random hospital of ``size`` measures, reproducible from ``seed``."""
    rng = random.Random(seed)
    team_count = min(10, max(4, size // 200 + 4))
    risks = tuple(
        Risk(id=f"R{n:02d}", likelihood=rng.randint(2, 4), severity=rng.randint(2, 4))
        for n in range(max(10, size // 20))
    )
    measures = []
    for n in range(size):
        earlier = [f"M{k}" for k in range(max(0, n - 40), n)]
        depends = tuple(rng.sample(earlier, k=min(len(earlier), rng.choice([0, 0, 0, 1, 1, 2]))))
        links = rng.sample(risks, k=rng.randint(1, 3))
        measures.append(
            Measure(
                id=f"M{n}",
                title=f"Mesure {n}",
                team=f"T{rng.randrange(team_count)}",
                effort_days=rng.choice([1, 2, 3, 5, 5, 8, 10, 15, 20]),
                max_crew=rng.choice([1, 1, 2, 3]),
                priority=rng.choice(list(Priority)),
                depends_on=depends,
                baseline_end=START + dt.timedelta(days=rng.randint(30, 1000)),
                mitigates=tuple(Mitigation(risk_id=r.id, effectiveness=rng.choice([0.2, 0.4, 0.6])) for r in links),
            )
        )
    work: dict[str, float] = {}
    for m in measures:
        work[m.team] = work.get(m.team, 0.0) + m.effort_days
    teams = tuple(
        Team(name=name, fte=max(1.0, round(total / 1.1 / 63)), availability=1.0) for name, total in sorted(work.items())
    )
    return Roadmap(measures=tuple(measures), risks=risks, teams=teams, settings=Settings(start_date=START))


def run(name: str, roadmap: Roadmap, time_limit: float) -> None:
    began = time.perf_counter()
    problem = build_problem(roadmap)
    naive = plan_from_starts(problem, list_schedule(problem, order="baseline"), order="baseline")
    greedy_seconds = time.perf_counter()
    greedy, optimised, report = optimise_plan(problem, time_limit=time_limit)
    total = time.perf_counter() - began
    exposure = {
        key: plan_exposure(roadmap, plan)
        for key, plan in (("naive", naive), ("greedy", greedy), ("optimised", optimised))
    }
    print(
        f"{name:<10} {len(roadmap.measures):>5} measures {len(roadmap.teams):>2} teams | exposure naive "
        f"{exposure['naive']:>10,.0f} greedy {exposure['greedy']:>10,.0f} optimised {exposure['optimised']:>10,.0f} | "
        f"opt/naive {exposure['optimised'] / exposure['naive']:.3f} "
        f"opt/greedy {exposure['optimised'] / exposure['greedy']:.3f}"
        f" | {report.status} gap {report.gap:.1%} solver {report.seconds:.1f}s total {total:.1f}s"
        f" (naive+problem {greedy_seconds - began:.2f}s) | done: naive {len(naive.scheduled)} greedy "
        f"{len(greedy.scheduled)} optimised {len(optimised.scheduled)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", type=int, nargs="*", default=[80, 500, 2000])
    args = parser.parse_args()
    sample, _ = load_roadmap(Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx")
    run("sample", sample, args.time_limit)
    for size in args.sizes:
        run(f"gen-{size}", generated(size), args.time_limit)


if __name__ == "__main__":
    main()
