"""Fuzzing the importer with mutants of every format Rempart reads, many more than the test runs.

Seeds: the sample in .xlsx, .xlsm, .ods, .xls, .xlsb and four CSV dialects (``tests/fuzz_seeds/``,
made by ``scripts/build_fuzz_seeds.py``, never downloaded) and, with ``--corpus``, the public
spreadsheets of ``../shared/corpus``. The mutants are spread evenly over the formats, then over the
files of each format. Mutant ``i`` of file ``F`` under ``--seed S`` is always the same
(``random.Random("S:F:i")``): ``--replay F:i`` runs one again and shows its traceback. The
mutators are those of ``tests/mutants.py`` and ``tests/format_mutants.py`` (raw bytes; XML parts
inside the zip, attribute values, elements, cell types, ODS repeats; BIFF12 and BIFF8 records;
CSV quoting, encodings, line endings, delimiters).

Each job is a process of its own, with its address space limited to ``--memory-mb``, fed one
mutant at a time; the parent waits ``--mutant-timeout`` seconds for each answer. A mutant
*escapes* when it raises anything but a ``RoadmapError`` (``escaped``), runs out of memory
(``memory``: a ``MemoryError`` under the limit), gives no answer in time (``hung``: the job is
killed and replaced) or kills the job (``crashed``: a native abort). Escapes are written to
``artifacts/fuzz/`` with their description and traceback.

Prints, per format and file: mutants tried, read (returned, with or without issues), refused (a
``RoadmapError``), and each kind of escape; the slowest mutant. Exit 1 when any mutant escaped.

Run: ``nice -n 10 .venv/bin/python benchmarks/fuzz_corpus.py --mutants 20000 --seed 1 --jobs 1``
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import sys
import time
import traceback
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from mutants import Seed, feed, mutate  # noqa: E402

SEEDS = ROOT / "tests" / "fuzz_seeds"
CORPUS = ROOT.parent / "shared" / "corpus"
ARTIFACTS = ROOT / "artifacts" / "fuzz"
SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb", ".csv")
OUTCOMES = ("read", "refused", "escaped", "memory", "hung", "crashed")
ESCAPES = OUTCOMES[2:]

_SEEDS: dict[str, Seed] = {}


def _seed(path: str) -> Seed:
    if path not in _SEEDS:
        _SEEDS[path] = Seed.from_path(Path(path))
    return _SEEDS[path]


def format_of(path: str) -> str:
    """The format a file stands for: its suffix without the dot (``xlsx``, ``csv``…)."""
    return Path(path).suffix.lower().lstrip(".")


def plan(paths: list[str], count: int) -> list[tuple[str, int]]:
    """``count`` tasks (file, mutant index), round-robin over the formats, then over each format's files."""
    by_format: dict[str, list[str]] = {}
    for path in paths:
        by_format.setdefault(format_of(path), []).append(path)
    formats = sorted(by_format)
    tasks, turns = [], Counter[str]()
    for n in range(count):
        files = by_format[formats[n % len(formats)]]
        turn = turns[formats[n % len(formats)]]
        turns[formats[n % len(formats)]] += 1
        tasks.append((files[turn % len(files)], turn // len(files)))
    return tasks


def run_one(path: str, seed: int, index: int) -> tuple[str, float, str, str]:
    """Build mutant ``index`` of ``path`` and feed it: (outcome, seconds, what, traceback)."""
    source = _seed(path)
    data, what = mutate(source, random.Random(f"{seed}:{source.name}:{index}"))
    began = time.perf_counter()
    try:
        outcome, trace = feed(data, source.name), ""
    except MemoryError:
        outcome, trace = "memory", traceback.format_exc()
    except Exception:  # an escape is what this script counts
        outcome, trace = "escaped", traceback.format_exc()
    return outcome, time.perf_counter() - began, what, trace


def _job(connection: Connection, seed: int, memory: int) -> None:
    """A job's loop: a task in, an answer out, until ``None``."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while (task := connection.recv()) is not None:
        connection.send(run_one(task[0], seed, task[1]))


class Job:
    """One fuzzing process and the task it is running."""

    def __init__(self, seed: int, memory: int) -> None:
        self.seed, self.memory = seed, memory
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(target=_job, args=(child, seed, memory), daemon=True)
        self.process.start()
        self.task: tuple[str, int] | None = None
        self.since = 0.0

    def give(self, task: tuple[str, int]) -> None:
        self.task, self.since = task, time.monotonic()
        self.connection.send(task)

    def stop(self) -> None:
        self.process.kill()
        self.process.join()


def _save(name: str, index: int, seed: int, data: bytes, text: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{seed}-{index}-{name}"
    target.write_bytes(data)
    target.with_suffix(target.suffix + ".txt").write_text(text)
    return target


def campaign(tasks: list[tuple[str, int]], args: argparse.Namespace) -> tuple[list[Any], str]:
    """Run every task on ``args.jobs`` processes; the results (file, index, outcome, seconds, what,
    traceback) and why it stopped early, if it did."""
    memory = args.memory_mb * 2**20
    jobs = [Job(args.seed, memory) for _ in range(args.jobs)]
    queue, results, began, stopped = list(reversed(tasks)), [], time.perf_counter(), ""
    idle = list(jobs)
    while queue or len(idle) < len(jobs):
        if time.perf_counter() - began > args.time_limit:
            stopped = "time limit reached"
            break
        while idle and queue:
            idle.pop().give(queue.pop())
        busy = [job for job in jobs if job not in idle]
        ready = multiprocessing.connection.wait([job.connection for job in busy], timeout=1.0)
        for job in busy:
            assert job.task is not None
            path, index = job.task
            if job.connection in ready:
                try:
                    outcome, seconds, what, trace = job.connection.recv()
                except (EOFError, OSError):  # the job died: a native abort, or killed by the kernel
                    outcome, seconds, what, trace = "crashed", time.monotonic() - job.since, "", "the process died"
            elif time.monotonic() - job.since > args.mutant_timeout:
                outcome, seconds, what, trace = "hung", args.mutant_timeout, "", "no answer in time"
            else:
                continue
            results.append((Path(path).name, index, outcome, seconds, what, trace, path))
            if outcome in ("crashed", "hung"):
                job.stop()
                jobs[jobs.index(job)] = job = Job(args.seed, memory)
            idle.append(job)
            if len(results) % 1000 == 0:
                print(f"… {len(results)} mutants, {time.perf_counter() - began:.0f} s", flush=True)
    for job in jobs:
        job.stop()
    return results, stopped


def report(results: list[Any], args: argparse.Namespace, elapsed: float, stopped: str) -> int:
    """Print the figures by format and by file; save and list the escapes. 1 when any escaped."""
    by_file: Counter[tuple[str, str]] = Counter()
    by_format: Counter[tuple[str, str]] = Counter()
    for name, _, outcome, *_ in results:
        by_file[name, outcome] += 1
        by_file[name, "tried"] += 1
        by_format[format_of(name), outcome] += 1
        by_format[format_of(name), "tried"] += 1
    header = f"{'':38} {'tried':>6} " + " ".join(f"{kind:>8}" for kind in OUTCOMES)
    print(header)
    for fmt in sorted({format_of(r[0]) for r in results}):
        print(f"{fmt:38} {by_format[fmt, 'tried']:>6} " + " ".join(f"{by_format[fmt, k]:>8}" for k in OUTCOMES))
        for name in sorted({r[0] for r in results if format_of(r[0]) == fmt}):
            print(f"  {name:36} {by_file[name, 'tried']:>6} " + " ".join(f"{by_file[name, k]:>8}" for k in OUTCOMES))
    totals = Counter(r[2] for r in results)
    print(f"{'total':38} {len(results):>6} " + " ".join(f"{totals[k]:>8}" for k in OUTCOMES))
    slowest = max(results, key=lambda r: r[3] if r[2] in ("read", "refused") else 0, default=None)
    if slowest is not None:
        print(f"slowest mutant answered: {slowest[3]:.2f} s ({slowest[0]} #{slowest[1]}: {slowest[4]})")
    print(
        f"seed {args.seed}, {args.jobs} job(s), {args.memory_mb} MB and {args.mutant_timeout:g} s per mutant, "
        f"{elapsed:.0f} s" + (f"; stopped early: {stopped}" if stopped else "")
    )
    escapes = [r for r in results if r[2] in ESCAPES]
    for name, index, outcome, _, what, trace, path in escapes:
        data, what = mutate(_seed(path), random.Random(f"{args.seed}:{name}:{index}"))
        saved = _save(name, index, args.seed, data, f"{what}\n{trace}")
        last = trace.strip().splitlines()[-1] if trace.strip() else outcome
        print(f"ESCAPE {outcome} {name}:{index} ({what}): {last} → {saved}")
    return 1 if escapes else 0


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzing campaign; exit 1 when any mutant escaped."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", "--count", type=int, default=1000, help="mutants in total, over the formats")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="fuzzing processes (the machine is shared)")
    parser.add_argument("--corpus", action="store_true", help="also mutate the files of ../shared/corpus")
    parser.add_argument("--formats", nargs="*", default=[s.lstrip(".") for s in SUFFIXES])
    parser.add_argument("--time-limit", type=float, default=7200, help="stop after this many seconds")
    parser.add_argument("--mutant-timeout", type=float, default=120, help="a mutant taking longer has hung")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address space of a fuzzing process")
    parser.add_argument("--replay", help="FILE:INDEX — run one mutant in this process and show the traceback")
    args = parser.parse_args(argv)
    folders = [SEEDS, CORPUS] if args.corpus else [SEEDS]
    paths = sorted(str(p) for folder in folders for p in folder.glob("*") if format_of(str(p)) in args.formats)
    if args.replay:
        name, index = args.replay.rsplit(":", 1)
        path = next(p for p in paths if Path(p).name == name)
        data, what = mutate(_seed(path), random.Random(f"{args.seed}:{name}:{index}"))
        print(f"{name} #{index} ({len(data)} bytes): {what}")
        print(feed(data, name))
        return 0
    began = time.perf_counter()
    results, stopped = campaign(plan(paths, args.mutants), args)
    return report(results, args, time.perf_counter() - began, stopped)


if __name__ == "__main__":
    sys.exit(main())
