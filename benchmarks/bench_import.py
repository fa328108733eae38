"""Benchmark of the importer.

1. A 5,000-measure × 25-column .xlsx (the 20 columns of the format and 5 unknown ones): the
   median time of ``load_workbook`` (read + parse + validate) against a bare
   ``pandas.read_excel(engine="calamine")`` of the same file, and their ratio.
2. A sheet whose used range is 16,384 columns wide (a stray cell in XFD): time and peak Python
   memory of ``inspect_workbook``.

Run: ``.venv/bin/python benchmarks/bench_import.py``
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import openpyxl
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import inspect_workbook
from roadmap.importing.template import MEASURE_HEADERS

HEADERS = [*MEASURE_HEADERS["fr"], "Ticket", "Site", "Budget", "Lot", "Remarque interne"]


def big_workbook(rows: int = 5000) -> bytes:
    import datetime as dt

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Mesures")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append(
            [
                f"M{n}",
                f"Mesure numéro {n}",
                f"Domaine {n % 10}",
                f"Équipe {n % 6}",
                "RSSI",
                1 + n % 20,
                1 + n % 3,
                ["À faire", "En cours", "Fait"][n % 3],
                (n * 7) % 100,
                f"P{1 + n % 4}",
                dt.date(2027, 1, 1) + dt.timedelta(days=n % 700),
                dt.date(2027, 6, 1) + dt.timedelta(days=n % 700),
                None,
                f"M{n - 1}" if n % 5 and n else None,
                None,
                "ANSSI 8",
                None,
                None,
                None,
                "note",
                f"T-{n}",
                "Site A",
                n * 10,
                f"Lot {n % 4}",
                "",
            ]
        )
    teams = book.create_sheet("Équipes")
    teams.append(["Équipe", "ETP", "Disponibilité (%)"])
    for n in range(6):
        teams.append([f"Équipe {n}", 5, 50])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wide_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mesures"
    sheet.append(["ID", "Mesure", "Équipe"])
    for n in range(200):
        sheet.append([f"M{n}", f"Mesure {n}", "Sys"])
    sheet["XFD1"] = " "  # a stray cell: used range A1:XFD201
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def median_seconds(action, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    data = big_workbook()
    ours = median_seconds(lambda: load_workbook(data, filename="big.xlsx"))
    bare = median_seconds(lambda: pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine"))
    result = load_workbook(data, filename="big.xlsx")
    print(
        f"5,000 × 25 xlsx ({len(data) / 1e6:.1f} MB): load_workbook {ours:.2f} s (median of 5), "
        f"pandas.read_excel(calamine) {bare:.2f} s, ratio {ours / bare:.2f}; "
        f"{len(result.roadmap.measures)} measures, {len(result.issues)} issues"
    )
    wide = wide_workbook()
    tracemalloc.start()
    began = time.perf_counter()
    inspection = inspect_workbook(wide, filename="wide.xlsx")
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    sheet = inspection.sheets[0]
    print(
        f"16,384-column used range: inspect {seconds:.2f} s, peak Python memory {peak / 1e6:.1f} MB; "
        f"header row {sheet.header_row}, {sheet.data_rows} data rows, {len(sheet.columns)} named columns"
    )


if __name__ == "__main__":
    main()
