"""Build the sample history ``data/sample/history/``: the Rivebelle workbook week after week.

The sample programme starts on Monday 30 November 2026. Each file is the workbook as it stood at
the start of a Monday (the weekly status meeting): ``rivebelle-2026-11-30.xlsx`` is the bundled
sample unchanged, and each later week applies, on top of the week before, the rows of
``data/sample/history/changes.csv`` for that week::

    Semaine,ID,Statut,Avancement (%),Date de réalisation,Commentaire
    2026-12-07,ACC-02,Fait,100,2026-12-01,

(an empty ``Commentaire`` keeps the measure's comment). The workbooks are built by
``scripts/build_sample.py`` from a copy of ``data/sample/src/`` with the changed measures, so they
have the same layout and are byte-for-byte reproducible.

Usage::

    python scripts/build_history.py          # writes data/sample/history/rivebelle-YYYY-MM-DD.xlsx
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_sample

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "data" / "sample" / "src"
HISTORY_DIR = REPO_ROOT / "data" / "sample" / "history"
CHANGES = HISTORY_DIR / "changes.csv"
START = dt.date(2026, 11, 30)
"""First day of the sample programme (Paramètres: Date de début du programme)."""

CHANGED = ("Statut", "Avancement (%)", "Date de réalisation")


def read_changes(path: Path) -> dict[dt.date, list[dict[str, str]]]:
    """The changes of ``changes.csv`` grouped by week (Monday), in date order."""
    weeks: dict[dt.date, list[dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            weeks.setdefault(dt.date.fromisoformat(row["Semaine"]), []).append(row)
    return dict(sorted(weeks.items()))


def build(out_dir: Path = HISTORY_DIR) -> list[Path]:
    """Write one workbook per week; returns their paths."""
    with (SOURCE_DIR / "measures.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        headers = list(reader.fieldnames or [])
        measures = list(reader)
    by_id = {row["ID"]: row for row in measures}
    written = []
    for week, changes in {START: [], **read_changes(CHANGES)}.items():
        for change in changes:
            row = by_id[change["ID"]]
            for column in CHANGED:
                row[column] = change[column]
            if change["Commentaire"]:
                row["Commentaire"] = change["Commentaire"]
        with tempfile.TemporaryDirectory() as folder:
            src = Path(folder)
            for name in ("risks.csv", "teams.csv", "settings.csv"):
                shutil.copy(SOURCE_DIR / name, src / name)
            with (src / "measures.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=headers, lineterminator="\n")
                writer.writeheader()
                writer.writerows(measures)
            content = build_sample.workbook_bytes(build_sample.build_workbook(src))
        path = out_dir / f"rivebelle-{week.isoformat()}.xlsx"
        path.write_bytes(content)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Build the history workbooks and list them."""
    for path in build():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
