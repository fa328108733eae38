"""Cell value parsers."""

import datetime as dt

import pytest

from roadmap.errors import CellValueError
from roadmap.importing.values import (
    detect_day_first,
    normalize,
    parse_bool,
    parse_date,
    parse_effort,
    parse_mitigations,
    parse_percent,
    parse_priority,
    parse_quarter,
    parse_scale_level,
    parse_status,
    to_text,
)
from roadmap.models import Priority, Status


@pytest.mark.parametrize(
    ("raw", "text"),
    [(1.1, "1.1"), (1.0, "1"), (12, "12"), ("  A-1 ", "A-1"), (None, ""), (dt.date(2027, 3, 31), "2027-03-31")],
)
def test_to_text_keeps_ids_as_people_read_them(raw, text):
    assert to_text(raw) == text


def test_normalize_drops_case_accents_and_punctuation():
    assert normalize("Charge (j.h)") == "charge j h"
    assert normalize("  Équipe ") == "equipe"
    assert normalize("Avancement (%)") == "avancement"


@pytest.mark.parametrize(
    ("raw", "days"),
    [(3, 3.0), ("1,5", 1.5), ("3 j", 3.0), ("2 sem", 10.0), ("4 j.h", 4.0), ("1 mois", 20.0), (0.5, 0.5)],
)
def test_parse_effort_accepts_units(raw, days):
    assert parse_effort(raw) == days


@pytest.mark.parametrize(
    ("raw", "in_hours", "day_hours", "days"),
    [("14 h", False, 7.0, 2.0), ("3,5 heures", False, 7.0, 0.5), (15, True, 7.5, 2.0), ("16", True, 8.0, 2.0)],
)
def test_parse_effort_converts_hours_by_the_working_day(raw, in_hours, day_hours, days):
    assert parse_effort(raw, in_hours=in_hours, day_hours=day_hours) == pytest.approx(days)


@pytest.mark.parametrize("raw", [0, -2, "beaucoup", "3 heures de plus", True])
def test_parse_effort_rejects_nonsense(raw):
    with pytest.raises(CellValueError):
        parse_effort(raw)


@pytest.mark.parametrize(("raw", "pct"), [(0.5, 50.0), (50, 50.0), ("50 %", 50.0), ("50%", 50.0), (1, 100.0)])
def test_parse_percent(raw, pct):
    assert parse_percent(raw) == pct


def test_parse_percent_rejects_above_100():
    with pytest.raises(CellValueError, match="between 0 and 100"):
        parse_percent(150)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2027, 3, 31, 8, 0), dt.date(2027, 3, 31)),
        (46477.0, dt.date(2027, 3, 31)),
        ("2027-03-31", dt.date(2027, 3, 31)),
        ("31/03/2027", dt.date(2027, 3, 31)),
        ("Feb 03, 2026 07:00 AM", dt.date(2026, 2, 3)),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


def test_parse_date_month_first_when_told():
    assert parse_date("03/31/2027", day_first=False) == dt.date(2027, 3, 31)


def test_parse_date_rejects_impossible_dates_and_small_numbers():
    with pytest.raises(CellValueError, match="does not exist"):
        parse_date("31/02/2027")
    with pytest.raises(CellValueError):
        parse_date(12)


def test_detect_day_first_reports_ambiguity():
    assert detect_day_first(["31/03/2027", "01/04/2027"]) is True
    assert detect_day_first(["03/31/2027"]) is False
    assert detect_day_first(["03/04/2027"]) is None


@pytest.mark.parametrize("raw", ["2027-T3", "T3 2027", "Q3 2027", "2027 Q3", "t3-2027"])
def test_parse_quarter(raw):
    assert parse_quarter(raw) == "2027-Q3"


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("À faire", Status.NOT_STARTED),
        ("En cours", Status.IN_PROGRESS),
        ("Terminé", Status.DONE),
        ("OK", Status.DONE),
        ("Bloqué", Status.BLOCKED),
        ("Abandonné", Status.CANCELLED),
        ("done", Status.DONE),
    ],
)
def test_parse_status(raw, status):
    assert parse_status(raw) is status


def test_parse_status_unknown_gives_the_fix():
    with pytest.raises(CellValueError) as info:
        parse_status("Presque")
    assert "En cours" in info.value.hint


def test_parse_priority():
    assert parse_priority("p1") is Priority.P1
    assert parse_priority(2) is Priority.P2
    assert parse_priority("Basse") is Priority.P4


def test_parse_mitigations():
    assert parse_mitigations("R01:0.6; R03") == (("R01", 0.6), ("R03", None))
    assert parse_mitigations("R01:0,6\nR02:40 %") == (("R01", 0.6), ("R02", 0.4))
    with pytest.raises(CellValueError):
        parse_mitigations("R01:abc")


@pytest.mark.parametrize(("raw", "level"), [(3, 3), ("V3 - Très vraisemblable", 3), ("G4 Critique", 4), ("Grave", 3)])
def test_parse_scale_level(raw, level):
    kind = "severity" if str(raw).startswith("G") else "likelihood"
    if raw == "Grave":
        kind = "severity"
    assert parse_scale_level(raw, kind=kind) == level


def test_parse_scale_level_outside_scale():
    with pytest.raises(CellValueError, match="outside the scale"):
        parse_scale_level(5, kind="likelihood", scale=4)


@pytest.mark.parametrize(("raw", "value"), [("x", True), ("Oui", True), ("Yes", True), ("Non", False), ("", False)])
def test_parse_bool(raw, value):
    assert parse_bool(raw) is value


@pytest.mark.parametrize(
    ("raw", "message"), [("R1:1.5", "above 1"), ("R2:2", "above 1"), (":0.5", "risk ID is missing")]
)
def test_parse_mitigations_refuses_what_it_cannot_read_surely(raw, message):
    with pytest.raises(CellValueError, match=message):
        parse_mitigations(raw)


def test_parse_mitigations_percentages_still_read():
    assert parse_mitigations("R1:60; R2:60 %; R3:1") == (("R1", 0.6), ("R2", 0.6), ("R3", 1.0))


@pytest.mark.parametrize("raw", [2.5, "-1", "2,5"])
def test_scale_levels_are_whole(raw):
    with pytest.raises(CellValueError, match="not a whole level"):
        parse_scale_level(raw, kind="likelihood")
