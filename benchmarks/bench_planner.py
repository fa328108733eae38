"""Benchmark of the planner on generated hospitals (benchmarks/hospitals.py) and on the sample.

For each size (80, 200, 500, 2,000 measures) and seed, in a fresh process so that its peak memory
is its own, it prints the true cumulative exposure (risk-days) of the textbook rule (serial SGS by
Σ likelihood × severity × effectiveness / duration), of Rempart's greedy plan (WSPT) and of the
optimised plan, the optimised/textbook ratio, the lower bound and the plan's distance to it, the
optimised plan with ten times the time limit (``--reference``) and the ratio to it, the wall
time of the optimisation and of the crashing, and the peak resident memory. Then the sample:
load, plan and crash as the app does. Run::

    .venv/bin/python benchmarks/bench_planner.py [--time-limit 10] [--sizes 80 200 500 2000] [--seeds 3] [--reference]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.hospitals import hospital  # noqa: E402
from roadmap import analyse_roadmap, load_roadmap  # noqa: E402
from roadmap.planning.optimise import crash_plan, optimise_plan, plan_exposure  # noqa: E402
from roadmap.planning.plan import DeferReason  # noqa: E402
from roadmap.planning.problem import build_problem  # noqa: E402
from roadmap.planning.search import compile_problem, decode, score, textbook_order  # noqa: E402


def one(size: int, seed: int, limit: float, reference: bool) -> dict[str, object]:
    """The figures of one generated hospital (see the module docstring)."""
    roadmap = hospital(size, seed)
    problem = build_problem(roadmap)
    inst = compile_problem(problem)
    textbook = score(inst, decode(inst, textbook_order(inst)))[2]
    began = time.perf_counter()
    greedy, plan, report = optimise_plan(problem, time_limit=limit)
    optimise_seconds = time.perf_counter() - began
    began = time.perf_counter()
    crash = crash_plan(roadmap, time_limit=limit / 2)
    crash_seconds = time.perf_counter() - began
    figures: dict[str, object] = {
        "size": size,
        "seed": seed,
        "jobs": len(problem.jobs),
        "textbook": textbook,
        "greedy": plan_exposure(roadmap, greedy),
        "optimised": plan_exposure(roadmap, plan),
        "rule": report.rule,
        "bound": report.exposure_lower_bound,
        "gap": report.gap,
        "optimise_s": optimise_seconds,
        "crash_s": crash_seconds,
        "crash_status": crash.status,
        "deferred_for_capacity": sum(d.reason == DeferReason.CAPACITY for d in plan.deferred),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if reference:
        _g, best, _r = optimise_plan(problem, time_limit=10 * limit)
        figures["reference"] = plan_exposure(roadmap, best)
    return figures


def sample(limit: float) -> dict[str, float]:
    roadmap, _ = load_roadmap(ROOT / "data" / "sample" / "rivebelle.xlsx")
    began = time.perf_counter()
    analysis = analyse_roadmap(roadmap, time_limit=limit)
    return {
        "seconds": time.perf_counter() - began,
        "optimised": analysis.exposure["optimised"],
        "greedy": analysis.exposure["greedy"],
        "bound": analysis.solver.exposure_lower_bound or 0.0,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[80, 200, 500, 2000])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--reference", action="store_true", help="also plan with ten times the time limit")
    parser.add_argument("--one", type=int, nargs=2, metavar=("SIZE", "SEED"), help=argparse.SUPPRESS)
    parser.add_argument("--sample", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.time_limit, args.reference)))
        return
    if args.sample:
        print(json.dumps(sample(args.time_limit)))
        return
    print(
        "size seed jobs | textbook greedy optimised opt/textbook | bound above-bound | ref opt/ref"
        " | optimise_s crash_s total_s | crash deferred_cap | peak MiB | rule"
    )
    for size in args.sizes:
        for seed in range(args.seeds):
            command = [sys.executable, __file__, "--one", str(size), str(seed), "--time-limit", str(args.time_limit)]
            if args.reference:
                command.append("--reference")
            f = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
            bound = f"{f['bound']:.1f} {f['gap']:.1%}" if f["bound"] is not None else "none -"
            ref = f"{f['reference']:.1f} {f['optimised'] / f['reference']:.3f}" if "reference" in f else "- -"
            print(
                f"{size} {seed} {f['jobs']} | {f['textbook']:.1f} {f['greedy']:.1f} {f['optimised']:.1f} "
                f"{f['optimised'] / f['textbook']:.3f} | {bound} | {ref} | {f['optimise_s']:.1f} {f['crash_s']:.1f} "
                f"{f['optimise_s'] + f['crash_s']:.1f} | {f['crash_status']} {f['deferred_for_capacity']} "
                f"| {f['peak_mib']:.0f} | {f['rule']}",
                flush=True,
            )
    command = [sys.executable, __file__, "--sample", "--time-limit", str(args.time_limit)]
    s = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    print(
        f"sample: analyse_roadmap {s['seconds']:.1f} s (time limit {args.time_limit:g}), "
        f"optimised {s['optimised']:.1f} greedy {s['greedy']:.1f} bound {s['bound']:.1f} risk-days, "
        f"peak {s['peak_mib']:.0f} MiB"
    )


if __name__ == "__main__":
    main()
