"""Issue 15, what the importer says about the file itself: values outside the vocabulary given their
meaning once per value in the column mapping, template example rows, planned ends before starts,
hidden sheets, CSV quotes and decimal commas, several tables on one sheet. Each workbook is built here."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from conftest import workbook_bytes
from pydantic import ValidationError

from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import ColumnMapping, recall_mapping, remember_mapping
from roadmap.models import Priority, Status
from roadmap.security.roles import Actor, Role


def _load(sheets, *, mapping=None):
    return load_workbook(workbook_bytes(sheets), filename="tracker.xlsx", mapping=mapping)


def _issues(result, start):
    return [i for i in result.issues if i.message.startswith(start)]


TRACKER = [
    ["Réf", "Action à mener", "Statut", "Priorité"],
    ["A1", "Mettre en place la mesure un", "Waived", "Alta"],
    ["A2", "Mettre en place la mesure deux", "Waived", "Urgentissime"],
    ["A3", "Mettre en place la mesure trois", "Deferred", "P2"],
    ["A4", "Mettre en place la mesure quatre", "Fait", "P1"],
]


def test_values_outside_the_vocabulary_are_listed_once_each_with_their_row_count():
    result = _load({"Plan": TRACKER})
    assert result.ok
    assert dict(result.unknown_values) == {
        "status": (("Waived", 2), ("Deferred", 1)),
        "priority": (("Urgentissime", 1),),
    }
    assert len(_issues(result, "unknown status")) == 2 and len(_issues(result, "unknown priority")) == 1
    assert (result.header_row, result.columns["Statut"], result.columns["Action à mener"]) == (1, "status", "title")


def test_the_mapping_gives_each_unknown_value_its_meaning():
    mapping = ColumnMapping(
        sheet="Plan",
        header_row=1,
        columns={"Réf": "id", "Action à mener": "title", "Statut": "status", "Priorité": "priority"},
        values={"status": {"WAIVED": "cancelled", "Deferred": "blocked"}, "priority": {"urgentissime": "P1"}},
    )
    result = _load({"Plan": TRACKER}, mapping=mapping)
    assert result.ok and not result.unknown_values
    assert not _issues(result, "unknown")
    assert [(m.status, m.priority) for m in result.roadmap.measures] == [
        (Status.CANCELLED, Priority.P2),
        (Status.CANCELLED, Priority.P1),
        (Status.BLOCKED, Priority.P2),
        (Status.DONE, Priority.P1),
    ]


def test_value_meanings_are_checked_and_remembered_with_the_column_mapping(tmp_path):
    with pytest.raises(ValidationError, match="status values must mean one of"):
        ColumnMapping(sheet="Plan", header_row=1, columns={}, values={"status": {"Waived": "finished"}})
    mapping = ColumnMapping(
        sheet="Plan", header_row=1, columns={"Statut": "status"}, values={"status": {"Waived": "done"}}
    )
    remember_mapping(mapping, TRACKER[0], by=Actor(name="rssi", role=Role.EDITOR, via="cli"), directory=tmp_path)
    assert recall_mapping(TRACKER[0], directory=tmp_path) == mapping


def test_an_empty_template_says_so_instead_of_planning_its_example_rows():
    template = [
        ["Template de mesures à télécharger"],
        ["Intitulé de la mesure *", "Description de la mesure", "Catégorie *"],
        ["Mesure EXEMPLE", "Notre organisation considère qu'il est nécessaire de …", "Protection"],
    ]
    result = _load({"Template": template})
    assert not result.roadmap.measures
    (error,) = result.errors
    assert error.message.startswith("this file looks like an empty template: 1 example row (row 3)")
    assert error.text("fr")[0].startswith("ce fichier ressemble à un modèle vide : 1 ligne d’exemple (ligne 3)")


def test_example_rows_among_real_ones_are_skipped_and_named():
    rows = [
        ["ID", "Weakness Name", "Status"],
        ["V-1Example", "Open port on the firewall", "Open"],
        ["V-2", "Sensibiliser les agents, par exemple par un quiz", "Open"],
        ["V-3", "Enforce MFA on remote access", "Open"],
    ]
    result = _load({"POAM": rows})
    assert [m.id for m in result.roadmap.measures] == ["V-2", "V-3"]  # "par exemple" is not an example row
    (skipped,) = _issues(result, "row skipped: an example row")
    assert skipped.row == 2


def test_a_planned_end_before_the_start_is_a_warning_naming_the_cell():
    rows = [
        ["ID", "Mesure", "Début prévu", "Fin prévue"],
        ["M1", "Activer le MFA", dt.date(2027, 3, 1), dt.date(2027, 2, 1)],
        ["M2", "Segmenter le réseau", dt.date(2027, 3, 1), dt.date(2027, 4, 1)],
    ]
    result = _load({"Mesures": rows})
    (issue,) = _issues(result, "the planned end")
    assert (issue.severity, issue.sheet, issue.row, issue.column) == ("warning", "Mesures", 2, "Fin prévue")
    assert issue.message == "the planned end 2027-02-01 is before the planned start 2027-03-01"


def test_inferred_columns_are_named_by_their_label_in_the_users_language():
    rows = [["Ref", "Col2"], *([f"M{n}", f"Mettre en place la mesure numéro {n}"] for n in range(5))]
    result = _load({"Feuil1": rows})
    (note,) = _issues(result, "column 'Col2'")
    assert note.text("fr")[0] == "colonne « Col2 » lue comme « Mesure (intitulé) » d’après son contenu"
    assert "Mesure / Measure" in note.hint


def test_hidden_sheets_are_named_and_a_visible_sheet_is_preferred():
    book = openpyxl.Workbook()
    plan = book.active
    plan.title = "Suivi"
    for row in TRACKER:
        plan.append(row)
    old = book.create_sheet("Ancien plan")
    for row in TRACKER:
        old.append(row)
    old.sheet_state = "hidden"
    teams = book.create_sheet("Équipes")
    teams.append(["Équipe", "ETP"])
    teams.append(["Systèmes", 2])
    teams.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    result = load_workbook(buffer.getvalue(), filename="hidden.xlsx")
    assert result.sheets == {"Suivi": "measures", "Ancien plan": None, "Équipes": "teams"}
    notes = {i.sheet: i for i in result.issues if "hidden" in i.message}
    assert notes["Ancien plan"].message.startswith("hidden sheet not read")
    assert (
        notes["Équipes"].text("fr")[0]
        == "cette feuille est masquée dans le fichier ; elle est lue comme la feuille « Équipes »"
    )
    assert not [i for i in result.issues if i.sheet == "Ancien plan" and i.message.startswith("sheet ignored")]


def test_an_unclosed_csv_quote_does_not_swallow_the_rows_below():
    data = b'ID,Titre,Charge\nM1,"Titre avec guillemet,3\nM2,Deux,2\nM3,Trois,1\n'
    result = load_workbook(data, filename="plan.csv")
    assert [m.id for m in result.roadmap.measures] == ["M1", "M2", "M3"]
    (note,) = _issues(result, "a quote")
    assert (note.sheet, note.row, note.value) == ("plan", 2, 'M1,"Titre avec guillemet,3')


def test_decimal_commas_in_a_comma_separated_file_are_joined_back_and_reported():
    data = b'ID,Titre,Charge,Statut\nM1,Un,"1,5",Fait\nM2,Deux,2,5,Fait\nM3,Trois,3,Fait\nM4,Quatre,1,2,3,Fait\n'
    result = load_workbook(data, filename="plan.csv")
    assert [m.effort_days for m in result.roadmap.measures][:3] == [1.5, 2.5, 3.0]
    (joined,) = _issues(result, "numbers written with a decimal comma")
    assert (joined.row, joined.value) == (3, "2,5")
    (shifted,) = _issues(result, "1 row has more cells than the others")
    assert shifted.row == 5


def test_of_several_tables_side_by_side_the_measures_are_read_and_the_cells_named():
    rows = [["Réf", "Action à mener", "Statut", None, "Risque", "Vraisemblance", "Impact"]]
    rows += [[f"A{n}", f"Mettre en place la mesure {n}", "Fait", None, f"R{n}", 3, 2] for n in range(5)]
    result = _load({"Suivi": rows})
    assert [m.id for m in result.roadmap.measures] == [f"A{n}" for n in range(5)]
    assert not result.roadmap.measures[0].extra  # the risks' table is not read as extra columns
    (note,) = _issues(result, "this sheet holds several tables")
    assert note.message.endswith("cells A1:C6 only")


def test_the_no_sheet_message_points_to_the_mapping_step():
    result = _load({"Règles": [["Couleur", "Poids"], ["bleu", 3], ["vert", 4]]})
    (error,) = result.errors
    assert error.message.startswith("no sheet of measures") and "column mapping step" in error.hint
    assert "for now" not in error.hint


def _coloured_plan(fill_of) -> bytes:
    """An action plan of 20 rows (ID, Action, Pilote, Charge) without a status column, each row
    filled with ``fill_of(n)`` (an ARGB colour, or ``None`` for no fill)."""
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan d'actions"
    sheet.append(["ID", "Action", "Pilote", "Charge (j.h)"])
    for n in range(20):
        sheet.append([f"A-{n + 1}", f"Déployer la mesure numéro {n + 1} sur le site", "DSI", 3])
        if (colour := fill_of(n)) is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = PatternFill("solid", fgColor=colour)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _colour_notes(result) -> list:
    return [i for i in result.issues if "coloured" in i.message]


def test_rows_coloured_as_a_status_are_read_as_a_status_column_asked_once_per_colour():
    """Green rows done, orange under way, the rest uncoloured, no status column: the colours become
    the status column, each colour a value asked once (to do until then), with one warning naming
    the colours and their first rows; the mapping's meanings then read them right."""
    green, orange = "FF00B050", "FFFFC000"
    data = _coloured_plan(lambda n: green if n < 6 else orange if n < 10 else None)
    result = load_workbook(data, filename="plan.xlsx")
    assert len(result.roadmap.measures) == 20
    assert {m.status for m in result.roadmap.measures} == {Status.NOT_STARTED}
    assert dict(result.unknown_values["status"]) == {"🟩 #00B050": 6, "🟧 #FFC000": 4}
    assert result.columns["Couleur / Colour"] == "status"
    (note,) = _colour_notes(result)
    assert note.severity == "warning" and note.sheet == "Plan d'actions"
    assert "2 colours on 10 rows" in note.message and "🟩 #00B050: 2, 3, 4" in note.message
    assert "🟧 #FFC000: 8, 9, 10" in note.message
    message, hint = note.text("fr")
    assert "2 couleurs sur 10 lignes" in message and "table des valeurs" in hint
    mapping = ColumnMapping(
        sheet="Plan d'actions",
        header_row=1,
        columns={"ID": "id", "Action": "title", "Pilote": "owner", "Charge (j.h)": "effort_days"},
        values={"status": {"🟩 #00B050": "done", "🟧 #FFC000": "in_progress"}},
    )
    mapped = load_workbook(data, filename="plan.xlsx", mapping=mapping)
    statuses = [m.status for m in mapped.roadmap.measures]
    assert statuses == [Status.DONE] * 6 + [Status.IN_PROGRESS] * 4 + [Status.NOT_STARTED] * 10
    assert not mapped.unknown_values


@pytest.mark.parametrize(
    "fill_of",
    [
        lambda n: None,  # no colour at all
        lambda n: "FFDDEBF7" if n % 2 else None,  # a table style's zebra stripes
        lambda n: "FFFFFF00" if n == 4 else None,  # one highlighted row
        lambda n: "FFDDEBF7",  # the whole table in one colour
    ],
    ids=["plain", "banded", "highlight", "one-colour"],
)
def test_colours_that_are_no_code_say_nothing(fill_of):
    assert not _colour_notes(load_workbook(_coloured_plan(fill_of), filename="plan.xlsx"))


def test_a_status_column_makes_the_colours_irrelevant():
    book = openpyxl.load_workbook(io.BytesIO(_coloured_plan(lambda n: "FF00B050" if n < 8 else None)))
    sheet = book.active
    sheet["E1"] = "Statut"
    for row in range(2, 22):
        sheet.cell(row, 5, "Fait" if row < 10 else "À faire")
    buffer = io.BytesIO()
    book.save(buffer)
    assert not _colour_notes(load_workbook(buffer.getvalue(), filename="plan.xlsx"))


def test_theme_and_palette_colours_are_told_apart_by_their_real_colour():
    """Excel's colour picker gives theme colours (Green, Accent 6, lighter 40 %) and old files the
    indexed palette: both resolved to the colour on screen, with its hue's square."""
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    fills = [Color(theme=9, tint=0.3999), Color(indexed=10)]  # accent 6, lighter 40 %; the palette's red
    book = openpyxl.load_workbook(io.BytesIO(_coloured_plan(lambda n: None)))
    for row in book.active.iter_rows(min_row=2):
        n = row[0].row - 2
        for cell in row:
            cell.fill = PatternFill() if n % 7 == 6 else PatternFill("solid", fgColor=fills[n % 7 // 3])
    buffer = io.BytesIO()
    book.save(buffer)
    values = dict(load_workbook(buffer.getvalue(), filename="plan.xlsx").unknown_values["status"])
    # openpyxl writes the Office 2007 theme, whose accent 6 is F79646: lighter 40 %, FAC090
    assert values == {"🟧 #FAC090": 9, "🟥 #FF0000": 9}
