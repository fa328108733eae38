"""Time and memory of the importer on each hostile file of issue 8 (``tests/hostile_files.py``).

For each file: its size, the error class raised, the time of ``load_workbook`` in this process
(best of 3), and ``python -m roadmap validate FILE`` in a subprocess: wall time (includes the
interpreter start and imports, about 1 s), exit code and peak resident memory (VmHWM of the child,
which prints it from /proc/self/status as it exits).

Run: ``.venv/bin/python benchmarks/bench_hostile.py``
"""

from __future__ import annotations

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
from roadmap.importing.load import load_workbook  # noqa: E402


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


CHILD = (
    "import sys\n"
    "from roadmap.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
    "print(hwm.strip(), file=sys.stderr)\n"
    "sys.exit(code)\n"
)
"""``python -m roadmap`` that prints its own peak memory last (a child's ``ru_maxrss`` would count the
pages of this process, inherited through fork before exec)."""


def cli_run(path: Path) -> tuple[float, int, float, str]:
    """``validate`` in a child: wall seconds, exit code, peak RSS (VmHWM) in MB, its message on stderr."""
    began = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", CHILD, "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    seconds = time.perf_counter() - began
    lines = run.stderr.strip().splitlines()
    peak = int(lines[-1].split()[1]) / 1024 if lines and lines[-1].startswith("VmHWM") else float("nan")
    message = next((line for line in lines if "Traceback" in line), lines[0] if lines else "")
    return seconds, run.returncode, peak, message


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
            cli_seconds, code, rss, message = cli_run(path)
            traceback = " TRACEBACK!" if "Traceback" in message else ""
            print(
                f"{hostile.name:36} {len(data) / 1e6:>7.2f}MB {seconds:>7.2f}s {cli_seconds:>5.1f}s {code:>4} "
                f"{rss:>6.0f}MB  {outcome}{traceback}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
