"""Build the fuzzing seeds of ``tests/fuzz_seeds/``: the sample workbook in every format Rempart reads.

Never downloaded: each seed is made here from ``data/sample/`` (issue 19, point 3):

* ``rivebelle.xlsx`` — the sample itself (openpyxl, ``scripts/build_sample.py``);
* ``rivebelle.xlsm``, ``rivebelle.ods``, ``rivebelle.xls`` — converted by LibreOffice Calc
  (``soffice --headless --convert-to``, filters "Calc MS Excel 2007 VBA XML", "calc8" and
  "MS Excel 97": a real BIFF8 file in an OLE compound document);
* ``rivebelle.xlsb`` — LibreOffice reads .xlsb but cannot write it (its "Calc MS Excel 2007 Binary"
  filter is import-only: the export fails with an I/O parameter error), so the four sheets, as
  python-calamine reads them from the sample, are written by pyxlsbwriter (MIT; a young package,
  used here only to make this seed, not a dependency of Rempart: ``pip install --target DIR
  pyxlsbwriter`` and ``PYTHONPATH=DIR``); the seed is checked to read back as the sample does;
* ``mesures-*.csv`` — the measures of ``data/sample/src/measures.csv`` as the CSV files Excel and
  LibreOffice save: UTF-8 with commas, UTF-8 with BOM and semicolons (Excel "CSV UTF-8"),
  Windows-1252 with semicolons (Excel "CSV" in French), UTF-16 with tabs (Excel "Unicode text").

The seeds are committed, so that the fuzz test and ``benchmarks/fuzz_corpus.py`` run without
LibreOffice; rerun this after the sample changes (needs ``libreoffice-calc``)::

    PYTHONPATH=.:/tmp/pyxlsbwriter .venv/bin/python scripts/build_fuzz_seeds.py
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roadmap.importing.tables import read_tables  # noqa: E402

SAMPLE = ROOT / "data" / "sample" / "rivebelle.xlsx"
MEASURES = ROOT / "data" / "sample" / "src" / "measures.csv"
SEEDS = ROOT / "tests" / "fuzz_seeds"
LIBREOFFICE = {"xlsm": "Calc MS Excel 2007 VBA XML", "ods": "calc8", "xls": "MS Excel 97"}


def _libreoffice(target: str, filter_name: str, work: Path) -> bytes:
    env = {**os.environ, "HOME": str(work)}  # a profile of its own, not the user's
    subprocess.run(
        ["soffice", "--headless", "--convert-to", f"{target}:{filter_name}", "--outdir", str(work), str(SAMPLE)],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    return (work / f"{SAMPLE.stem}.{target}").read_bytes()


def _xlsb(work: Path) -> bytes:
    from pyxlsbwriter import XlsbWriter  # only here: see the module's docstring

    tables = read_tables(SAMPLE.read_bytes(), filename=SAMPLE.name)
    path = work / "rivebelle.xlsb"
    with XlsbWriter(str(path)) as writer:
        for name, rows in tables.items():
            writer.add_sheet(name)
            width = max((len(row) for row in rows), default=1)
            writer.write_sheet([list(row) + [None] * (width - len(row)) for row in rows])  # it wants rectangles
    data = path.read_bytes()
    again = read_tables(data, filename="rivebelle.xlsb")
    assert list(again) == list(tables), "the .xlsb seed does not have the sample's sheets"
    return data


def _csvs() -> dict[str, bytes]:
    with MEASURES.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))

    def text(delimiter: str) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue()

    return {
        "mesures-utf8.csv": MEASURES.read_bytes(),
        "mesures-utf8-bom-semicolon.csv": text(";").encode("utf-8-sig"),
        "mesures-cp1252-semicolon.csv": text(";").encode("cp1252", "replace"),
        "mesures-utf16-tab.csv": text("\t").encode("utf-16"),
    }


def main() -> int:
    """Write every seed into ``tests/fuzz_seeds/``."""
    SEEDS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        seeds = {"rivebelle.xlsx": SAMPLE.read_bytes()}
        for target, filter_name in LIBREOFFICE.items():
            seeds[f"rivebelle.{target}"] = _libreoffice(target, filter_name, work)
        seeds["rivebelle.xlsb"] = _xlsb(work)
        seeds.update(_csvs())
    for name, data in seeds.items():
        (SEEDS / name).write_bytes(data)
        print(f"{SEEDS.relative_to(ROOT) / name}: {len(data):,} bytes")
    if shutil.which("soffice") is None:
        print("soffice not found: install libreoffice-calc", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
