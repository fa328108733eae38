"""Issue 15, tables stacked one under another on a sheet (:mod:`roadmap.importing.stacking`): the table of
measures found when it is the second one, tables of measures under their phase banners read as one with
the banner as domain, a table of other fields below or above never read as measures. Each workbook is
built here."""

from __future__ import annotations

from conftest import workbook_bytes

from roadmap.importing.load import load_workbook

HEADER = ["ID", "Mesure", "Statut", "Équipe", "Charge (j.h)"]


def _measures(prefix, count):
    return [[f"{prefix}{n}", f"Durcir le serveur {prefix}{n}", "À faire", "Infra", 3] for n in range(1, count + 1)]


def _load(rows):
    return load_workbook(workbook_bytes({"Suivi": rows}), filename="suivi.xlsx")


def _notes(result, start):
    return [i for i in result.issues if i.message.startswith(start)]


def test_the_measures_are_read_from_the_second_table_when_the_first_holds_other_fields():
    rows = [
        ["Registre des risques"],
        ["Risque", "Vraisemblance", "Gravité"],
        ["Rançongiciel", "V3", "G4"],
        ["Fuite de données", "V2", "G3"],
        [],
        ["Plan d'action"],
        HEADER,
        *_measures("M", 4),
    ]
    result = _load(rows)
    assert result.ok
    assert result.header_row == 7
    assert [m.id for m in result.roadmap.measures] == ["M1", "M2", "M3", "M4"]
    assert {m.domain for m in result.roadmap.measures} == {""}  # one table of measures: a title, not a phase
    (note,) = _notes(result, "this sheet holds other tables one under another")
    assert (note.row, note.sheet) == (2, "Suivi")
    assert "rows 7 to 11" in note.message


def test_tables_of_measures_under_phase_banners_are_read_as_one_with_the_banner_as_domain():
    reordered = ["Charge (j.h)", "Mesure", "ID", "Équipe", "Statut"]  # phase 2 has its columns in another order
    rows = [
        ["Phase 1 : fondations"],
        HEADER,
        *_measures("A", 3),
        [],
        ["Phase 2 : durcissement"],
        reordered,
        *([effort, title, ident, team, status] for ident, title, status, team, effort in _measures("B", 2)),
    ]
    rows[-1][0] = 8  # the effort of B2, read from its own column
    result = _load(rows)
    assert result.ok
    by_id = {m.id: m for m in result.roadmap.measures}
    assert list(by_id) == ["A1", "A2", "A3", "B1", "B2"]
    assert {by_id[i].domain for i in ("A1", "A2", "A3")} == {"Phase 1 : fondations"}
    assert {by_id[i].domain for i in ("B1", "B2")} == {"Phase 2 : durcissement"}
    assert by_id["B2"].effort_days == 8 and by_id["B2"].title == "Durcir le serveur B2"
    assert by_id["B1"].team == "Infra"
    (note,) = _notes(result, "this sheet holds 2 tables of measures one under another")
    assert "rows 2, 8" in note.message and note.row == 8


def test_a_legend_under_the_measures_is_not_read_as_measures():
    rows = [
        HEADER,
        *_measures("M", 3),
        [],
        [],
        ["Statut", "Signification"],
        ["À faire", "pas commencé"],
        ["Fait", "terminé et vérifié"],
    ]
    result = _load(rows)
    assert [m.id for m in result.roadmap.measures] == ["M1", "M2", "M3"]
    (note,) = _notes(result, "this sheet holds other tables one under another")
    assert note.row == 7 and "rows 1 to 4" in note.message


def test_a_table_of_measures_below_the_first_thirty_rows_is_found_after_a_gap():
    summary = [["Synthèse"], *([f"indicateur {n}", n] for n in range(40))]
    rows = [*summary, [], ["Plan détaillé"], HEADER, *_measures("D", 2)]
    result = _load(rows)
    assert result.ok
    assert result.header_row == 44
    assert [m.id for m in result.roadmap.measures] == ["D1", "D2"]


def test_one_table_with_a_blank_row_and_a_section_row_is_one_table_with_no_note():
    rows = [["Plan 2026"], HEADER, *_measures("A", 2), [], ["Réseau"], *_measures("B", 2)]
    result = _load(rows)
    assert [m.id for m in result.roadmap.measures] == ["A1", "A2", "B1", "B2"]
    assert [m.domain for m in result.roadmap.measures] == ["", "", "Réseau", "Réseau"]
    assert not _notes(result, "this sheet holds")


def test_a_repeated_header_after_a_blank_row_is_skipped_with_no_note():
    rows = [HEADER, *_measures("A", 2), [], HEADER, *_measures("B", 1)]
    result = _load(rows)
    assert [m.id for m in result.roadmap.measures] == ["A1", "A2", "B1"]
    assert not _notes(result, "this sheet holds")
