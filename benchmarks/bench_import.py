"""Benchmark of the importer.

1. A 500, 5,000 and 50,000-measure × 25-column .xlsx (the 20 columns of the format and 5 unknown
   ones): the median time of ``load_workbook`` (read + parse + validate) against a bare
   ``pandas.read_excel(engine="calamine", sheet_name=None)`` of the same file, their ratio (goal
   ≤ 1.5, issue 15), and the peak Python memory of each (tracemalloc, one run apart from the timed
   ones: tracing slows the code down).
2. A sheet whose used range is 16,384 columns wide (a stray cell in XFD): time and peak Python
   memory of ``inspect_workbook``.

Run: ``.venv/bin/python benchmarks/bench_import.py [--sizes 500 5000 50000] [--profile 5000]``
(``--profile N``: the cProfile of one ``load_workbook`` of N measures, the 25 costliest functions).
"""

from __future__ import annotations

import argparse
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


def peak_megabytes(action) -> float:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def compare(rows: int) -> None:
    """One line: load_workbook against pandas/calamine on a workbook of ``rows`` measures."""
    data = big_workbook(rows)
    runs = 5 if rows <= 5000 else 3

    def ours_run() -> object:
        return load_workbook(data, filename="big.xlsx")

    def bare_run() -> object:
        return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine")

    ours_run()  # a warm parser worker, as in the app
    ours_times, bare_times = [], []
    for _ in range(runs):  # alternated, so that a busy machine weighs on both alike
        ours_times.append(median_seconds(ours_run, 1))
        bare_times.append(median_seconds(bare_run, 1))
    ours, bare = statistics.median(ours_times), statistics.median(bare_times)
    result = load_workbook(data, filename="big.xlsx")
    print(
        f"{rows:,} × 25 xlsx ({len(data) / 1e6:.1f} MB): load_workbook {ours:.2f} s, "
        f"pandas.read_excel(calamine) {bare:.2f} s (medians of {runs}), ratio {ours / bare:.2f}; "
        f"peak Python memory {peak_megabytes(ours_run):.0f} MB vs {peak_megabytes(bare_run):.0f} MB; "
        f"{len(result.roadmap.measures)} measures, {len(result.issues)} issues",
        flush=True,
    )


def profile(rows: int) -> None:
    import cProfile
    import pstats

    data = big_workbook(rows)
    load_workbook(data, filename="big.xlsx")
    profiler = cProfile.Profile()
    profiler.runcall(load_workbook, data, filename="big.xlsx")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 5000, 50000])
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    for rows in args.sizes:
        compare(rows)
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
