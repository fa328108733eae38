"""Hypothesis: random cell contents and shapes, in .xlsx and .csv, give a roadmap or issues — never
another exception than the project's own."""

import contextlib
import csv
import datetime as dt
import io

from conftest import MEASURE_HEADERS, RISK_HEADERS, TEAM_HEADERS, workbook_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.analysis import analyse_roadmap
from roadmap.errors import RoadmapError
from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import inspect_workbook

cells = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),  # what a spreadsheet can hold
    st.sampled_from(
        [
            "À faire",
            "Fait",
            "P1",
            "R1:0.5",
            "R1:2",
            "M1",
            "M2; M1",
            "3 j",
            "50 %",
            "=1+1",
            "V3",
            "G9",
            "31/02/2027",
            "2027-T3",
            "x",
            "-1",
            "1e9",
            "nan",
        ]
    ),
    st.integers(-5, 50_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.booleans(),
)
rows = st.lists(st.lists(cells, max_size=len(MEASURE_HEADERS) + 2), max_size=6)


def _check(data: bytes, name: str) -> None:
    try:
        result = load_workbook(data, filename=name)
        inspect_workbook(data, filename=name)
    except RoadmapError:
        return
    if result.ok and result.roadmap.measures:
        with contextlib.suppress(RoadmapError):
            analyse_roadmap(result.roadmap, time_limit=0.2, crashing=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.lists(st.lists(cells, max_size=6), max_size=3), st.lists(st.lists(cells, max_size=5), max_size=3))
def test_random_xlsx_never_escapes(measures, risks, teams):
    sheets = {
        "Mesures": [MEASURE_HEADERS, *measures],
        "Risques": [RISK_HEADERS, *risks],
        "Équipes": [TEAM_HEADERS, *teams],
    }
    _check(workbook_bytes(sheets), "fuzz.xlsx")


@settings(max_examples=60, deadline=None)
@given(rows, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_random_csv_never_escapes(measures, delimiter, encoding):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(MEASURE_HEADERS)
    for row in measures:
        writer.writerow(["" if c is None else c for c in row])
    _check(buffer.getvalue().encode(encoding, errors="replace"), "fuzz.csv")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_escape(data):
    _check(data, "random.xlsx")
    _check(data, "random.csv")
