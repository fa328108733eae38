"""Corpus coverage: which real spreadsheets of ../shared/corpus give a plan with no hand mapping.

For each file, :func:`roadmap.load_workbook` runs without a mapping (as a user who just uploads
the file); a file "gives a plan" when at least one measure is read and no issue blocks planning.
Printed per file: measures read, blocking errors (and the first one), warnings, the sheet read
as measures; then the count of files that give a plan.

Run from the repository: ``PYTHONPATH=. .venv/bin/python benchmarks/corpus_coverage.py [DIR]``
(``DIR`` defaults to ``../shared/corpus``). ``--rows N`` also prints the first N measures of each
file, to check by eye that the rows read are the right ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmap import load_workbook
from roadmap.errors import RoadmapError

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    parser.add_argument("directory", nargs="?", type=Path, default=default)
    parser.add_argument("--rows", type=int, default=0, help="print the first N measures of each file")
    args = parser.parse_args()
    files = sorted(p for p in args.directory.iterdir() if p.suffix.lower() in SUFFIXES)
    planned = 0
    for path in files:
        try:
            result = load_workbook(path)
        except RoadmapError as exc:
            print(f"{path.name}: refused: {exc}")
            continue
        errors = result.errors
        measures = result.roadmap.measures
        gives_plan = bool(measures) and not errors
        planned += gives_plan
        sheet = next((name for name, role in result.sheets.items() if role == "measures"), None)
        warnings = len(result.issues) - len(errors)
        verdict = "PLAN" if gives_plan else "no plan"
        print(
            f"{path.name}: {verdict}; {len(measures)} measures read from {sheet!r}; "
            f"{len(errors)} blocking error{'' if len(errors) == 1 else 's'}; "
            f"{warnings} warning{'' if warnings == 1 else 's'}"
        )
        if errors:
            print(f"    first error: {errors[0].describe()}")
        for measure in measures[: args.rows]:
            print(
                f"    row {measure.row}: {measure.id} | {measure.title[:60]!r} | domain {measure.domain[:25]!r} | "
                f"{measure.status} {measure.priority} {measure.effort_days:g} d | owner {measure.owner[:20]!r}"
            )
    print(f"\n{planned} of {len(files)} files give a plan with no mapping")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
