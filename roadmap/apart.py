"""The full solve in a process of its own, so that it never slows the pages down.

The planner's search is Python (:mod:`roadmap.planning.search`): on a worker *thread* of the
server it holds the interpreter lock half the time, and every page drawn while it runs — the first
dashboard of a fresh server above all — takes twice as long (5.7 s against 2.0 s on 2 cores,
``benchmarks/bench_app.py``). :func:`analyse_apart` runs :func:`roadmap.analyse_roadmap` in a child
interpreter (``python -m roadmap.apart``) at a lower scheduling priority (``nice`` +10): the
pages keep their own core and the interpreter lock, and the child keeps the solve in the plan
cache on disk as an in-process solve would.

The child receives its input and returns its result as pickles on its standard input and output
(its own print-outs are sent to its standard error). It runs Rempart's own code on a
:class:`~roadmap.models.Roadmap` already validated by the importer, never a file's bytes: the
parse of an upload has its own, stricter isolation (:mod:`roadmap.importing.isolation`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from roadmap.analysis import Analysis, analyse_roadmap
from roadmap.errors import PlanningError, RoadmapError
from roadmap.models import Roadmap
from roadmap.planning.solved import PlanCache

NICENESS = 10
"""How much lower the child's scheduling priority is than the server's (``nice``)."""

_ROOT = Path(__file__).resolve().parent.parent


def analyse_apart(
    roadmap: Roadmap,
    *,
    start: dt.date | None,
    horizon_weeks: int | None,
    sprint_weeks: int | None,
    time_limit: float,
    cache: PlanCache | None = None,
    timeout: float | None = None,
) -> Analysis:
    """:func:`roadmap.analyse_roadmap` (full solve, crashing included) run in a child process.

    Args:
        roadmap, start, horizon_weeks, sprint_weeks, time_limit, cache: as for
            :func:`roadmap.analyse_roadmap`; the child keeps the solve in ``cache``.
        timeout: seconds before the child is stopped; default ``60 + 10 × time_limit`` (the
            search counts its work in steps, so the time limit is an estimate, not a bound).

    Returns:
        The same :class:`~roadmap.analysis.Analysis` as an in-process call.

    Raises:
        PlanningError: what the planner raised in the child, or the child stopped or overran
            ``timeout`` (the message says which).
        RoadmapError: any other error of Rempart's raised in the child, with its message.
    """
    job = {
        "roadmap": roadmap,
        "start": start,
        "horizon_weeks": horizon_weeks,
        "sprint_weeks": sprint_weeks,
        "time_limit": time_limit,
        "cache": cache,
    }
    path = os.environ.get("PYTHONPATH", "")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(_ROOT), path) if p)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "roadmap.apart"],
            input=pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            env=env,
            cwd=_ROOT,
            timeout=timeout if timeout is not None else 60 + 10 * time_limit,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PlanningError(f"the background solve overran {exc.timeout:.0f} s and was stopped") from exc
    if done.returncode != 0 or not done.stdout:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise PlanningError(f"the background solve stopped (exit status {done.returncode}): {last[0]}")
    outcome: tuple[str, Any] = pickle.loads(done.stdout)  # written by main() below, from our own code
    kind, value = outcome
    if kind == "planning error":
        raise PlanningError(value)
    if kind == "error":
        raise RoadmapError(value)
    result: Analysis = value
    return result


def main() -> int:
    """The child: one job from standard input, its outcome on standard output (module docstring)."""
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's print-out must not corrupt the pickle
    with open(0, "rb") as stdin:
        job = pickle.load(stdin)
    with contextlib.suppress(OSError):  # not allowed here: run at the server's priority
        os.nice(NICENESS)
    try:
        outcome: tuple[str, Any] = ("analysis", analyse_roadmap(**job))
    except PlanningError as exc:  # its message, not the object: an exception may not unpickle
        outcome = ("planning error", str(exc))
    except RoadmapError as exc:
        outcome = ("error", str(exc))
    with answer:
        pickle.dump(outcome, answer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
