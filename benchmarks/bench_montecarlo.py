"""Benchmark of the Monte Carlo forecast (roadmap/planning/forecast.py) and of the explanation
(roadmap/planning/explain.py): wall time on the sample and on generated hospitals
(benchmarks/hospitals.py), N runs (default 1,000), the plan optimised first (not timed).

Targets (issue 17): at most 2 s on the sample, at most 10 s at 500 measures. Each figure is the
best of ``--repeat`` timings (the machine may be shared). Run::

    .venv/bin/python benchmarks/bench_montecarlo.py [--sizes 80 200 500] [--simulations 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.hospitals import hospital  # noqa: E402
from roadmap import load_roadmap  # noqa: E402
from roadmap.models import Roadmap  # noqa: E402
from roadmap.planning.explain import explain_plan  # noqa: E402
from roadmap.planning.forecast import forecast_plan  # noqa: E402
from roadmap.planning.optimise import optimise_plan  # noqa: E402
from roadmap.planning.problem import build_problem  # noqa: E402

TARGETS = {"sample": 2.0, 500: 10.0}


def measure(name: str, roadmap: Roadmap, *, simulations: int, repeat: int) -> None:
    problem = build_problem(roadmap)
    _greedy, plan, _report = optimise_plan(problem, time_limit=2)
    best = best_explain = float("inf")
    forecast = None
    for _ in range(repeat):
        began = time.perf_counter()
        forecast = forecast_plan(problem, plan, simulations=simulations)
        best = min(best, time.perf_counter() - began)
        began = time.perf_counter()
        explain_plan(problem, plan)
        best_explain = min(best_explain, time.perf_counter() - began)
    assert forecast is not None
    target = TARGETS.get("sample" if name == "sample" else int(name))
    verdict = (
        ""
        if target is None
        else f"  target ≤ {target:g} s: {'met' if best <= target else 'MISSED'} ({best / target:.2f} of it)"
    )
    print(
        f"{name:>7}: {len(problem.jobs):>4} jobs, {len(problem.days)} working days, {simulations} runs: "
        f"forecast {best:.2f} s, explanation {best_explain:.3f} s; on time {forecast.on_time_probability:.1%}, "
        f"P50/P80/P95 {forecast.p50_end}/{forecast.p80_end}/{forecast.p95_end}{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[80, 200, 500])
    parser.add_argument("--simulations", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sample, _issues = load_roadmap(ROOT / "data" / "sample" / "rivebelle.xlsx")
    measure("sample", sample, simulations=args.simulations, repeat=args.repeat)
    for size in args.sizes:
        measure(str(size), hospital(size), simulations=args.simulations, repeat=args.repeat)


if __name__ == "__main__":
    main()
