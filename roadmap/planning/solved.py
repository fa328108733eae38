"""Solved plans kept on disk by input content, and solves run in the background.

The optimised plan of a roadmap is a pure function of the roadmap, the options (start, horizon,
sprint length), the time limit and the planner's code: the search counts its work in job
placements, not seconds (:mod:`roadmap.planning.search`), and seeds its random choices. So a solve
done once need never be done again, after a restart or for a second user: :class:`PlanCache`
keeps its *decisions* — the start day of each placed measure, the solver's report and the crashing
figures — under :func:`solve_key`, a SHA-256 of all of these inputs. Everything else an analysis
shows (exposures, trajectory, risk summary) is recomputed from them in milliseconds.

What is kept is data, never code: JSON read back through a pydantic schema, then checked against
the problem (:func:`feasible_starts`) before use; a file that does not pass — edited by hand,
truncated, from another version of the planner — is ignored and the plan solved again. Files are
written atomically (temporary file, then rename), readable by their owner only, and the oldest
are removed past :data:`MAX_ENTRIES`.

:class:`BackgroundSolves` runs long solves one at a time on a worker thread so that the app can
show the fast plan at once and swap in the refined one when it is ready.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError

from roadmap.models import Roadmap
from roadmap.planning.optimise import Crashing, SolverReport
from roadmap.planning.problem import Problem

log = logging.getLogger(__name__)

PLANNER_VERSION = "2026.12-1"
"""Part of every :func:`solve_key`: change it whenever the planner's results change for the same
input (a new rule, another search budget), so that plans solved by older code are not reused."""

MAX_ENTRIES = 256
"""Solved plans kept on disk; the oldest (by modification time) are removed beyond."""


@dataclass(frozen=True)
class Solved:
    """The decisions of one solve, enough to rebuild its analysis.

    Attributes:
        starts: working-day index (from 0, of the problem's horizon) at which each placed measure
            starts, by measure ID; the measures not in it are deferred.
        solver: how the plan was found (:class:`~roadmap.planning.optimise.SolverReport`).
        crashing: the crashing figures, or ``None`` when they were not asked for.
    """

    starts: dict[str, int]
    solver: SolverReport
    crashing: Crashing | None


_SCHEMA: TypeAdapter[Solved] = TypeAdapter(Solved)


def solve_key(
    roadmap: Roadmap,
    *,
    start: str,
    horizon_weeks: int | None,
    sprint_weeks: int | None,
    time_limit: float,
    crashing: bool,
) -> str:
    """The hex SHA-256 of everything a solve depends on: :data:`PLANNER_VERSION`, the roadmap's
    whole content (its canonical JSON), ``start`` (ISO date, or ``""`` for the settings' date), the
    horizon and sprint lengths in weeks (``None``: the settings'), the time limit in seconds and
    whether crashing is computed. Two inputs that differ in anything give different keys."""
    content = {
        "planner": PLANNER_VERSION,
        "roadmap": roadmap.model_dump(mode="json"),
        "start": start,
        "horizon_weeks": horizon_weeks,
        "sprint_weeks": sprint_weeks,
        "time_limit": round(float(time_limit), 3),
        "crashing": crashing,
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def feasible_starts(problem: Problem, starts: Mapping[str, int]) -> bool:
    """Whether ``starts`` is a valid plan of ``problem``: every ID is a job, each job lies inside
    its window (``earliest`` … ``latest_end``, so inside the horizon and its fixed sprint), starts
    after the last day of each of its prerequisites — all placed — and no team uses more than its
    capacity on any working day (PRODUCT.md §4, finish-to-start, capacity per team and day)."""
    days = len(problem.days)
    load: dict[tuple[str, int], int] = {}
    for job_id, begin in starts.items():
        job = problem.jobs.get(job_id)
        if job is None or not isinstance(begin, int) or begin < job.earliest:
            return False
        last = begin + job.duration - 1
        if last > job.latest_end or last >= days:
            return False
        for before in job.depends:
            if before not in starts or starts[before] + problem.jobs[before].duration > begin:
                return False
        for day in range(begin, last + 1):
            load[job.team, day] = load.get((job.team, day), 0) + job.demand
    return all(used <= problem.capacity.get(team, 0) for (team, _day), used in load.items())


class PlanCache:
    """Solved plans in ``directory``, one ``<key>.json`` file each (module docstring).

    Reading and writing never raise: a cache that cannot be read or written only costs a solve.
    """

    def __init__(self, directory: Path, *, max_entries: int = MAX_ENTRIES) -> None:
        self.directory = Path(directory)
        self.max_entries = max_entries

    def _path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"not a solve key: {key!r}")
        return self.directory / f"{key}.json"

    def __contains__(self, key: str) -> bool:
        return self._path(key).is_file()

    def get(self, key: str, problem: Problem | None = None) -> Solved | None:
        """The solve kept under ``key``, or ``None`` when there is none or it does not pass the
        schema or, given ``problem``, :func:`feasible_starts`."""
        path = self._path(key)
        try:
            solved = _SCHEMA.validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as exc:
            log.warning("solved plan %s ignored: %s", path.name, exc)
            return None
        if problem is not None and not feasible_starts(problem, solved.starts):
            log.warning("solved plan %s ignored: not a valid plan of its input", path.name)
            return None
        return solved

    def put(self, key: str, solved: Solved) -> None:
        """Keep ``solved`` under ``key`` (atomically, mode 0600), then remove the oldest files
        beyond :attr:`max_entries`."""
        path = self._path(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            text = json.dumps(_plain(solved), ensure_ascii=False, sort_keys=True)
            fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".solve-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            self._prune()
        except OSError as exc:
            log.warning("solved plan not kept in %s: %s", self.directory, exc)

    def _prune(self) -> None:
        files = sorted(self.directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[self.max_entries :]:
            with contextlib.suppress(OSError):
                old.unlink()


def _plain(solved: Solved) -> dict[str, Any]:
    data = asdict(solved)
    if solved.crashing is not None:
        data["crashing"]["impossible"] = list(solved.crashing.impossible)
    return data


T = TypeVar("T")


class BackgroundSolves(Generic[T]):
    """Long solves run one at a time on a worker thread, at most once per key.

    :meth:`submit` starts a solve unless one for the key is running or finished; :meth:`result`
    gives its value once finished. The last ``keep`` finished solves stay in memory (a solve
    whose disk cache cannot be written is still not run twice; one that failed is not retried in
    a loop).
    """

    def __init__(self, *, keep: int = 16) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rempart-solve")
        self._futures: OrderedDict[str, Future[T]] = OrderedDict()
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, key: str, solve: Callable[[], T]) -> None:
        """Run ``solve()`` in the background unless ``key`` is already running or finished."""
        with self._lock:
            if key in self._futures:
                return
            self._futures[key] = self._pool.submit(solve)
            finished = [k for k, f in self._futures.items() if f.done()]
            for old in finished[: max(0, len(finished) - self._keep)]:
                del self._futures[old]

    def running(self, key: str) -> bool:
        """Whether the solve of ``key`` was submitted and has not finished."""
        with self._lock:
            future = self._futures.get(key)
        return future is not None and not future.done()

    def result(self, key: str) -> T | None:
        """The finished solve's value, or ``None`` when it is not finished or was never submitted.

        Raises:
            Exception: what the solve raised, on every call until the key leaves memory.
        """
        with self._lock:
            future = self._futures.get(key)
        if future is None or not future.done():
            return None
        return future.result()
