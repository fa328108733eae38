"""How many of the compliance and risk files built by ``tests/grc_workbooks.py`` (ISO 27001 gap
assessment and statement of applicability, risk registers, HDS catalogue, OWASP SAMM, NIST CSF,
FedRAMP POA&M, Nessus and OpenVAS exports) give the right plan with no mapping, and what is wrong
with the others.

    PYTHONPATH=. .venv/bin/python benchmarks/grc_coverage.py [-v]

To measure another checkout with the same files: ``PYTHONPATH=/path/to/checkout`` (the builders are
read from this repository's ``tests/``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from grc_workbooks import BUILDERS, differences

from roadmap.importing.load import load_workbook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="print every issue of each file")
    args = parser.parse_args()
    right = 0
    for build in BUILDERS:
        file = build()
        result = load_workbook(file.data, filename=file.filename)
        wrong = differences(file, result)
        right += not wrong
        print(f"{'right' if not wrong else 'WRONG'}  {file.kind} ({file.filename})")
        for line in wrong[:8]:
            print(f"    {line}")
        if args.verbose:
            for issue in result.issues:
                print(f"      {issue.severity} {issue.sheet} row {issue.row} {issue.column}: {issue.message}")
    print(f"{right} of {len(BUILDERS)} kinds give the right plan with no mapping")


if __name__ == "__main__":
    main()
