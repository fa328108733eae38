"""Fuzzing the importer with mutants of the real corpus (../shared/corpus), many more than the test runs.

Each mutant is numbered: mutant ``i`` of file ``F`` under ``--seed S`` is always the same
(``random.Random("S:F:i")``), so one can be replayed with ``--replay F:i``. The mutators are those
of ``tests/mutants.py`` (raw bytes, and XML parts inside the zip re-zipped with valid CRCs).

Prints, per corpus file and in total: mutants tried, read (returned, with or without issues),
refused with a project error (``RoadmapError``), escaped (any other exception: must be 0), crashed
(no answer within ``--mutant-timeout``: the worker process died, e.g. a native abort, or hung; must
be 0), and the slowest mutant. Escaping and hanging mutants are
written to ``artifacts/fuzz/`` with the traceback.

Run: ``.venv/bin/python benchmarks/fuzz_corpus.py --count 5000 --seed 1``
(``--jobs`` worker processes, default 2; ``--time-limit`` stops early, and says so).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from mutants import Seed, feed, mutate  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
ARTIFACTS = ROOT / "artifacts" / "fuzz"
RUNNING = ARTIFACTS / "running"
SUFFIXES = {".xlsx", ".xlsm", ".ods", ".csv"}

_SEEDS: dict[str, Seed] = {}


def _seed(path: str) -> Seed:
    if path not in _SEEDS:
        _SEEDS[path] = Seed.from_path(Path(path))
    return _SEEDS[path]


def run_one(task: tuple[str, int, int]) -> tuple[str, int, str, float, str, str]:
    """Build mutant ``index`` of ``path`` and feed it: (file, index, outcome, seconds, what, traceback)."""
    path, seed, index = task
    source = _seed(path)
    data, what = mutate(source, random.Random(f"{seed}:{source.name}:{index}"))
    marker = RUNNING / str(os.getpid())  # left behind if the process dies (a native abort) or hangs
    marker.write_text(f"{source.name}:{index}")
    began = time.perf_counter()
    try:
        outcome, trace = feed(data, source.name), ""
    except Exception:  # an escape is what this script counts
        outcome, trace = "escaped", traceback.format_exc()
    marker.unlink()
    return source.name, index, outcome, time.perf_counter() - began, what, trace


def _save(name: str, index: int, seed: int, data: bytes, text: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{seed}-{index}-{name}"
    target.write_bytes(data)
    target.with_suffix(target.suffix + ".txt").write_text(text)
    return target


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzing campaign; exit 1 when any mutant escaped or hung."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="mutants in total, spread over the files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--time-limit", type=float, default=1800, help="stop after this many seconds")
    parser.add_argument("--mutant-timeout", type=float, default=120, help="a mutant taking longer is a hang")
    parser.add_argument("--replay", help="FILE:INDEX — run one mutant in this process and show the traceback")
    args = parser.parse_args(argv)
    paths = sorted(str(p) for p in CORPUS.glob("*") if p.suffix in SUFFIXES)
    if args.replay:
        name, index = args.replay.rsplit(":", 1)
        path = next(p for p in paths if Path(p).name == name)
        data, what = mutate(_seed(path), random.Random(f"{args.seed}:{name}:{index}"))
        print(f"{name} #{index} ({len(data)} bytes): {what}")
        print(feed(data, name))
        return 0
    tasks = [(paths[n % len(paths)], args.seed, n // len(paths)) for n in range(args.count)]
    tried: Counter[str] = Counter()
    outcomes: Counter[tuple[str, str]] = Counter()
    slowest: tuple[float, str, int, str] = (0.0, "", 0, "")
    problems: list[str] = []
    began = time.perf_counter()
    stopped = ""
    RUNNING.mkdir(parents=True, exist_ok=True)
    for marker in RUNNING.iterdir():
        marker.unlink()
    with multiprocessing.get_context("fork").Pool(args.jobs, maxtasksperchild=200) as pool:
        pending = [(task, pool.apply_async(run_one, (task,))) for task in tasks]
        for task, result in pending:
            left = args.time_limit - (time.perf_counter() - began)
            if left <= 0:
                stopped = "time limit reached"
                break
            try:
                name, index, outcome, seconds, what, trace = result.get(timeout=min(left, args.mutant_timeout))
            except multiprocessing.TimeoutError:
                if left <= args.mutant_timeout:
                    stopped = "time limit reached"
                    break
                # the worker died (a native abort kills the process: no exception to catch) or hangs
                name, index = Path(task[0]).name, task[2]
                outcome, seconds, what, trace = "crashed", args.mutant_timeout, "", "no answer: process died or hung"
                data, what = mutate(_seed(task[0]), random.Random(f"{args.seed}:{name}:{index}"))
                saved = _save(name, index, args.seed, data, f"{what}\n{trace}")
                problems.append(f"{name} #{index} ({what}): {trace} → {saved}")
            tried[name] += 1
            outcomes[name, outcome] += 1
            if outcome != "crashed" and seconds > slowest[0]:
                slowest = (seconds, name, index, what)
            if outcome == "escaped":
                data, _ = mutate(_seed(task[0]), random.Random(f"{args.seed}:{name}:{index}"))
                saved = _save(name, index, args.seed, data, f"{what}\n{trace}")
                problems.append(f"{name} #{index} ({what}): {trace.strip().splitlines()[-1]} → {saved}")
        pool.terminate()
    elapsed = time.perf_counter() - began
    kinds = ("read", "refused", "escaped", "crashed")
    print(f"{'file':40} {'tried':>6} " + " ".join(f"{kind:>8}" for kind in kinds))
    for name in sorted(tried):
        print(f"{name:40} {tried[name]:>6} " + " ".join(f"{outcomes[name, kind]:>8}" for kind in kinds))
    total = {kind: sum(v for (_, k), v in outcomes.items() if k == kind) for kind in kinds}
    print(f"{'total':40} {sum(tried.values()):>6} " + " ".join(f"{total[kind]:>8}" for kind in kinds))
    print(
        f"seed {args.seed}, {args.jobs} job(s), {elapsed:.0f} s; slowest mutant {slowest[0]:.2f} s "
        f"({slowest[1]} #{slowest[2]}: {slowest[3]})" + (f"; stopped early: {stopped}" if stopped else "")
    )
    for problem in problems:
        print("ESCAPE " + problem)
    for marker in RUNNING.iterdir():
        print(f"ESCAPE still running when stopped: {marker.read_text()}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
