"""Time and memory of the importer on each hostile file of issue 8 (``tests/hostile_files.py``).

For each file: its size, the error class raised, the time of ``load_workbook`` in this process
(best of 3), and ``python -m roadmap validate FILE`` in a subprocess: wall time (includes the
interpreter start and imports, about 1–2 s), exit code and peak resident memory (``ru_maxrss``
of that child, from ``os.wait4``).

Run: ``.venv/bin/python benchmarks/bench_hostile.py``
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile_files import HOSTILE, Hostile, wide_csv, wide_xlsx  # noqa: E402

from roadmap.errors import RoadmapError  # noqa: E402
from roadmap.loading import load_workbook  # noqa: E402


def library_seconds(data: bytes, filename: str) -> tuple[float, str]:
    """Best of 3 runs of ``load_workbook``, and what it gave (error class, or "read")."""
    best, outcome = float("inf"), ""
    for _ in range(3):
        began = time.perf_counter()
        try:
            load_workbook(data, filename=filename)
            outcome = "read"
        except RoadmapError as exc:
            outcome = type(exc).__name__
        best = min(best, time.perf_counter() - began)
    return best, outcome


def cli_run(path: Path) -> tuple[float, int, float, str]:
    """``validate`` in a child: wall seconds, exit code, peak RSS in MB, last stderr line."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "roadmap", "validate", str(path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    stderr = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
    seconds = time.perf_counter() - began
    last = (stderr.strip().splitlines() or [""])[-1]
    return seconds, child.returncode, usage.ru_maxrss / 1024, last


def main() -> None:
    files = [
        *HOSTILE,
        Hostile("16,384 columns (xlsx)", "wide.xlsx", wide_xlsx, RoadmapError, ""),  # type: ignore[type-abstract]
        Hostile("16,384 columns (csv)", "wide.csv", wide_csv, RoadmapError, ""),  # type: ignore[type-abstract]
    ]
    print(f"{'hostile file':36} {'size':>9} {'library':>8} {'CLI':>6} {'exit':>4} {'CLI RSS':>8}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for hostile in files:
            data = hostile.build()
            seconds, outcome = library_seconds(data, hostile.filename)
            path = Path(folder) / hostile.filename
            path.write_bytes(data)
            cli_seconds, code, rss, last = cli_run(path)
            traceback = " TRACEBACK!" if "Traceback" in last else ""
            print(
                f"{hostile.name:36} {len(data) / 1e6:>7.2f}MB {seconds:>7.2f}s {cli_seconds:>5.1f}s {code:>4} "
                f"{rss:>6.0f}MB  {outcome}{traceback}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
