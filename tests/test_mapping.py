"""Other people's trackers: header detection on the real corpus, column suggestions, mappings."""

import io
import json
import zipfile

import openpyxl
import pytest
from conftest import CORPUS, small_sheets, workbook_bytes

from roadmap.cli import main
from roadmap.errors import WorkbookError
from roadmap.importing.columns import MEASURE_COLUMNS
from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import (
    ColumnMapping,
    inspect_workbook,
    read_mapping_file,
    recall_mapping,
    remember_mapping,
    suggest_columns,
    suggested_mapping,
)
from roadmap.importing.tables import read_tables
from roadmap.security.roles import SYSTEM

# The header row a person would name, per file and sheet (1-based, as Excel shows it).
EXPECTED_HEADERS = {
    "acme_health_risk_register.xlsx": {"Sheet1": 1},
    "dsop_ironbank_hardening_report.xlsx": {
        "Summary": 2,
        "OpenSCAP - DISA Compliance": 1,
        "OpenSCAP - OVAL Results": 1,
    },
    "fedramp_agency_wbs.xlsx": {"LowModerateHigh WBS": 1},
    "fedramp_poam_rev5.xlsx": {"Open POA&M Items": 5, "Closed POA&M Items": 5, "Record of Changes": 3},
    "fedramp_risk_exposure_table.xlsx": {"Risk Exposure Table (RET)": 5, "Risks Corrected During Testing ": 5},
    "mss_mesures_v2_regles_fr.csv": {"mss_mesures_v2_regles_fr": 1},
    "mss_template_mesures_fr.xlsx": {"Template mesures": 3},
    "qualys_vmdr_asset_vuln_report.csv": {"qualys_vmdr_asset_vuln_report": 4},
    "rgaa_grille_audit_fr.ods": {"Critères": 2, "Synthèse": 3, "Échantillon": 8},
    "tenable_nessus_export.csv": {"tenable_nessus_export": 1},
}


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_inspect_finds_the_header_row_a_person_would_name(name):
    inspection = inspect_workbook((CORPUS / name).read_bytes(), filename=name)
    found = {s.name: s.header_row for s in inspection.sheets}
    for sheet, row in EXPECTED_HEADERS[name].items():
        assert found[sheet] == row, (sheet, found[sheet])


def test_inspect_reports_text_encoding_and_delimiter():
    inspection = inspect_workbook((CORPUS / "tenable_nessus_export.csv").read_bytes(), filename="t.csv")
    assert (inspection.format, inspection.encoding, inspection.delimiter) == ("csv", "utf-8", ",")
    (sheet,) = inspection.sheets
    assert sheet.data_rows == 4  # 4 findings, then 529 empty rows


def test_poam_description_and_type_rows_are_skipped_and_reported():
    result = load_workbook(CORPUS / "fedramp_poam_rev5.xlsx")
    skipped = [(i.sheet, i.row) for i in result.issues if i.message.startswith("row skipped")]
    assert ("Open POA&M Items", 6) in skipped and ("Open POA&M Items", 7) in skipped


def test_suggestions_exact_fuzzy_and_none():
    columns = suggest_columns(
        ["Réf.", "Intitulé", "Date de réalisaton", "Status Date", "Couleur préférée"], MEASURE_COLUMNS
    )
    by_header = {c.header: c for c in columns}
    assert (by_header["Réf."].field, by_header["Réf."].confidence) == ("id", 1.0)
    assert by_header["Intitulé"].field == "title"
    assert (
        by_header["Date de réalisaton"].field == "done_date" and 0.8 <= by_header["Date de réalisaton"].confidence < 1
    )
    assert by_header["Status Date"].field != "status"  # a date, not a status
    assert by_header["Couleur préférée"].field is None


def test_a_field_goes_to_one_column_only():
    columns = suggest_columns(["Task #", "Task"], MEASURE_COLUMNS)
    assert [(c.header, c.field) for c in columns] == [("Task #", "id"), ("Task", "title")]


def test_the_agency_wbs_imports_with_its_suggested_mapping_and_defaults():
    data = (CORPUS / "fedramp_agency_wbs.xlsx").read_bytes()
    mapping = suggested_mapping(inspect_workbook(data, filename="wbs.xlsx"))
    assert mapping is not None and mapping.columns["Task"] == "title"
    mapping = mapping.model_copy(update={"defaults": {"team": "Projet", "effort_days": 5}})
    result = load_workbook(data, filename="wbs.xlsx", mapping=mapping)
    assert result.ok, result.errors
    ids = [m.id for m in result.roadmap.measures]
    assert "1.1.1" in ids and "2.1" in ids  # IDs stay as people wrote them
    # 1 and 1.1 are summary tasks (their children follow): their titles become the domain, not measures
    assert "1" not in ids and "1.1" not in ids
    assert result.roadmap.measure_by_id["1.1.1"].domain.startswith("Remediate Gaps")
    assert all(m.team == "Projet" and m.effort_days == 5 for m in result.roadmap.measures)
    assert any("take the mapping's default 'Team'" in i.message for i in result.issues)


def test_mapping_errors_name_the_column():
    sheets = small_sheets()
    bad = ColumnMapping(sheet="Mesures", header_row=1, columns={"Nope": "title", "Statut": "couleur"})
    result = load_workbook(workbook_bytes(sheets), filename="x.xlsx", mapping=bad)
    messages = {(i.column, i.message) for i in result.errors}
    assert ("Nope", "the mapping names a column that is not in the header row") in messages
    assert ("Statut", "unknown field 'couleur' in the mapping") in messages


def test_generated_ids_are_stable_and_reported():
    rows = [
        ["Mesure", "Équipe", "Charge (j.h)"],
        ["Activer la MFA", "Sys", 2],
        ["Activer la MFA", "Sys", 3],
        ["Segmenter le réseau", "Sys", 5],
    ]
    first = load_workbook(workbook_bytes({"Mesures": rows}), filename="x.xlsx")
    again = load_workbook(workbook_bytes({"Mesures": [rows[0], *reversed(rows[1:])]}), filename="x.xlsx")
    ids = [m.id for m in first.roadmap.measures]
    assert ids[0].startswith("M-") and ids[1] == ids[0] + "-2" and len(set(ids)) == 3
    assert {m.id for m in again.roadmap.measures} == set(ids)
    assert any(i.message.startswith("no ID column") for i in first.issues)


def test_remembered_mapping_round_trip(tmp_path):
    headers = ["Task #", "Task", "Start Date"]
    mapping = ColumnMapping(sheet="WBS", header_row=1, columns={"Task #": "id", "Task": "title"})
    remember_mapping(mapping, headers, by=SYSTEM, directory=tmp_path)
    assert recall_mapping(["task #", "Task", "Start  Date"], directory=tmp_path) == mapping  # same headers, spacing
    assert recall_mapping(["Task", "Task #"], directory=tmp_path) is None


def test_mapping_file_errors_are_clear(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"sheet": "S", "header_row": 0, "columns": {}}')
    with pytest.raises(WorkbookError, match="header_row"):
        read_mapping_file(path)
    with pytest.raises(WorkbookError, match="cannot read"):
        read_mapping_file(tmp_path / "absent.json")


def test_sheet_starting_away_from_a1_keeps_its_columns():
    book = openpyxl.Workbook()
    book.active["C3"] = "x"
    book.active["D4"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_tables(buffer.getvalue(), filename="a.xlsx")["Sheet"]
    assert rows[2][2] == "x" and rows[3][3] == 1.0


def test_macros_are_flagged_never_run():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(small_sheets()))) as source, zipfile.ZipFile(buffer, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("xl/vbaProject.bin", b"\x00" * 64)
    result = load_workbook(buffer.getvalue(), filename="macros.xlsm")
    assert result.ok
    assert any("never runs them" in i.message for i in result.issues)


def test_cli_inspect_json(capsys):
    assert main(["inspect", str(CORPUS / "qualys_vmdr_asset_vuln_report.csv"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"file", "format", "encoding", "delimiter", "sheets"}
    (sheet,) = out["sheets"]
    assert (sheet["role"], sheet["header_row"], sheet["data_rows"]) == ("measures", 4, 5)
    title = next(c for c in sheet["columns"] if c["header"] == "Title")
    assert title == {"header": "Title", "field": "title", "confidence": 1.0}


def test_cli_inspect_unreadable_file(tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x89PNG not a sheet")
    assert main(["inspect", str(path)]) == 1
    assert "not a spreadsheet" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_template_loads_clean_and_has_drop_downs(lang):
    from roadmap.importing.template import build_template

    data = build_template(lang=lang)
    result = load_workbook(data, filename=f"template-{lang}.xlsx")
    # blank, it plans nothing: its example row is not a measure, and the report says the file is empty
    assert [i.template.startswith("this file looks like an empty template") for i in result.errors] == [True]
    assert not result.roadmap.measures and len(result.roadmap.risks) == 1 and len(result.roadmap.teams) == 1
    book = openpyxl.load_workbook(io.BytesIO(data))
    measures = book.worksheets[0]
    lists = {str(v.sqref): v.formula1 for v in measures.data_validations.dataValidation}
    assert len(lists) == 3  # status, priority, team
    assert any("P1,P2,P3,P4" in f for f in lists.values())
    assert book.sheetnames[-1] in ("Aide", "Help")
