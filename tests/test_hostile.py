"""Hostile files: each gets a clear error from the project's own family, fast and in bounded memory."""

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest
from conftest import ROOT, SAMPLE, measure, small_sheets, workbook_bytes
from hostile_files import (
    HOSTILE,
    SECRET,
    billion_laughs,
    elf,
    external_entity,
    external_entity_in_ods,
    external_entity_in_shared_strings,
    ods,
    ods_row,
    wide_csv,
    wide_xlsx,
)

from roadmap.errors import NotASpreadsheetError, UnsafeFileError, WorkbookError
from roadmap.importing.guards import MAX_FILE_BYTES, MAX_ROWS
from roadmap.importing.load import load_workbook
from roadmap.importing.mapping import inspect_workbook


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_parsing():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * 400_000_000})
    assert len(bomb) < 1_000_000
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        load_workbook(bomb, filename="bomb.xlsx")


def test_high_ratio_member_is_refused():
    bomb = _zip({"xl/worksheets/sheet1.xml": b"A" * 50_000_000})
    with pytest.raises(UnsafeFileError, match="expands"):
        load_workbook(bomb, filename="ratio.xlsx")


def test_too_many_sheets():
    members = {f"xl/worksheets/sheet{n}.xml": b"<worksheet/>" for n in range(10_000)}
    with pytest.raises(UnsafeFileError, match="10000 sheets"):
        load_workbook(_zip(members), filename="sheets.xlsx")


def test_file_too_large():
    with pytest.raises(UnsafeFileError, match="up to 20 MB"):
        load_workbook(b"ID,Mesure\n" + b"x" * (MAX_FILE_BYTES + 1), filename="big.csv")


def test_truncated_workbook():
    data = workbook_bytes(small_sheets())
    with pytest.raises(NotASpreadsheetError):
        load_workbook(data[: len(data) // 2], filename="cut.xlsx")


def test_entity_expansion_is_not_expanded():
    """A 'billion laughs' (kept small here: 10⁵ copies) in a sheet: not expanded, or refused."""
    data = workbook_bytes(small_sheets())
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    entities = b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1)) * 10) for n in range(1, 6))
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">' + entities + b"]>"
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = doctype + sheet.replace(b"Mesure M1", b"&lol5;")
    try:
        result = load_workbook(_zip(members), filename="laughs.xlsx")
    except WorkbookError:
        return
    assert all("lollollol" not in m.title for m in result.roadmap.measures)


def test_stray_cell_far_away_is_refused_clearly():
    book = openpyxl.Workbook()
    book.active.title = "Mesures"
    book.active.append(["ID", "Mesure"])
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UnsafeFileError, match="row 1,048,576"):
        load_workbook(buffer.getvalue(), filename="stray.xlsx")


def test_utf16_csv_and_very_long_cells():
    text = "ID;Mesure;Équipe\r\nA1;" + "très long " * 30_000 + ";Sys\r\n"
    result = load_workbook(text.encode("utf-16"), filename="unicode.csv")
    assert [m.id for m in result.roadmap.measures] == ["A1"]
    assert len(result.roadmap.measures[0].title) > 200_000


@pytest.mark.parametrize("effort", ["1.2.3", "3 5 j", 1e308, "1e9"])
def test_absurd_efforts_are_cell_errors(effort):
    sheets = small_sheets([measure("M1", effort=effort)])
    result = load_workbook(workbook_bytes(sheets), filename="x.xlsx")
    assert [(i.row, i.column) for i in result.errors] == [(2, "Charge (j.h)")]


def test_a_chain_of_3000_prerequisites_plans_without_recursion():
    from roadmap.models import Measure, Roadmap, Team
    from roadmap.planning.schedule import compress_plan

    measures = tuple(
        Measure(id=f"M{n}", title="x", team="T", effort_days=1, depends_on=(f"M{n - 1}",) if n else ())
        for n in range(3000)
    )
    plan = compress_plan(Roadmap(measures=measures, teams=(Team(name="T", fte=1),)))
    assert len(plan.scheduled) + len(plan.deferred) == 3000


def test_repeated_ods_cells_are_refused_before_expansion():
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    row = (
        '<table:table-row table:number-rows-repeated="99000"><table:table-cell '
        'table:number-columns-repeated="1000" office:value-type="float" office:value="1"><text:p>1</text:p>'
        "</table:table-cell></table:table-row>"
    )
    content = f'<office:document-content {ns}><office:body><office:spreadsheet><table:table table:name="Mesures">{row}'
    content += "</table:table></office:spreadsheet></office:body></office:document-content>"
    bomb = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": content.encode()})
    with pytest.raises(UnsafeFileError, match="repeated rows and columns"):
        load_workbook(bomb, filename="repeat.ods")


def test_far_cell_without_reference_is_refused():
    data = workbook_bytes(small_sheets())
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    far = b'<row r="1048576"><c t="inlineStr"><is><t>y</t></is></c></row></sheetData>'
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(b"</sheetData>", far)
    with pytest.raises(UnsafeFileError, match="as far as row 1,048,576"):
        load_workbook(_zip(members), filename="far.xlsx")


# --------------------------------------------------------------------------------------------
# Issue 21: whatever a guard misses is parsed in a worker process with memory and time limits


def test_a_parser_allocation_past_the_limit_costs_one_message_and_the_next_file_is_read(monkeypatch):
    from hostile_files import _first_cell

    import roadmap.importing.guards
    from roadmap.importing import isolation

    monkeypatch.setattr(
        roadmap.importing.guards, "_check_members", lambda archive, filename: None
    )  # as if a guard missed it
    far = _first_cell(b"A99999999")()  # python-calamine asks for 35 GB: the worker aborts, not this process
    with pytest.raises(UnsafeFileError, match=r"'far\.xlsx' could not be read within the limits .*1,024 MB"):
        load_workbook(far, filename="far.xlsx")
    assert load_workbook(SAMPLE.read_bytes(), filename="rivebelle.xlsx").roadmap.measures  # still serving
    isolation.stop_workers()


def test_a_parser_that_overruns_its_time_is_stopped(monkeypatch):
    from roadmap.importing import isolation

    isolation.stop_workers()
    monkeypatch.setattr(isolation, "TIME_SECONDS", 0.0)
    with pytest.raises(UnsafeFileError, match="could not be read within the limits"):
        load_workbook(SAMPLE.read_bytes(), filename="rivebelle.xlsx")
    monkeypatch.undo()
    assert load_workbook(SAMPLE.read_bytes(), filename="rivebelle.xlsx").roadmap.measures


def test_the_parser_answer_is_unpickled_as_plain_data_only():
    import pickle

    from roadmap.importing.isolation import _PlainUnpickler

    plain = pickle.dumps(("ok", {"Mesures": [["M1", 1.5, None, dt.date(2027, 1, 4), dt.datetime(2027, 1, 4, 8)]]}))
    assert _PlainUnpickler(io.BytesIO(plain)).load()[1]["Mesures"][0][3] == dt.date(2027, 1, 4)
    with pytest.raises(pickle.UnpicklingError, match="not plain data"):
        _PlainUnpickler(io.BytesIO(pickle.dumps(("ok", subprocess.Popen)))).load()


# --------------------------------------------------------------------------------------------
# Issue 8's list of hostile files (tests/hostile_files.py): the library and the command line


@pytest.mark.parametrize("hostile", HOSTILE, ids=lambda h: h.name)
def test_hostile_file_gives_its_clear_error_in_the_library_and_the_cli(hostile, tmp_path):
    data = hostile.build()
    for call in (load_workbook, inspect_workbook):
        with pytest.raises(hostile.error, match=hostile.message) as caught:
            call(data, filename=hostile.filename)
        assert hostile.filename in str(caught.value)
    path = tmp_path / hostile.filename
    path.write_bytes(data)
    run = _validate(path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and re.search(hostile.message, lines[0])


def _validate(path):
    return subprocess.run(
        [sys.executable, "-m", "roadmap", "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,  # a hang guard, not a speed check (benchmarks/bench_hostile.py measures)
    )


@pytest.mark.parametrize("build", [external_entity, external_entity_in_shared_strings, external_entity_in_ods])
def test_external_entity_never_reads_a_server_file(build):
    """XXE: the content of /etc/passwd must not reach a cell, a message or an issue."""
    secret_line = SECRET.read_text().splitlines()[0] if SECRET.exists() else "root:x:0:0"
    with pytest.raises(UnsafeFileError) as caught:
        load_workbook(build(), filename="xxe.xlsx")
    assert secret_line not in str(caught.value)


def test_entity_in_a_formula_check_is_not_expanded():
    """``formulas_without_values`` parses sheets itself (defusedxml): an entity there gives no list, no expansion."""
    from roadmap.importing.checks import formulas_without_values

    assert formulas_without_values(billion_laughs(), "Mesures") == []


@pytest.mark.parametrize(("build", "filename"), [(wide_xlsx, "wide.xlsx"), (wide_csv, "wide.csv")])
def test_16384_columns_are_read_with_the_extra_columns_kept(build, filename, tmp_path):
    data = build()
    result = load_workbook(data, filename=filename)
    assert [m.id for m in result.roadmap.measures] == ["M2", "M3", "M4"]
    assert len(result.roadmap.measures[0].extra) == 16_382
    inspection = inspect_workbook(data, filename=filename)
    assert len(inspection.sheets[0].columns) == 16_384
    path = tmp_path / filename
    path.write_bytes(data)
    run = _validate(path)
    assert run.returncode == 0  # no team column: one default team, a warning (issue 15), not a blocking issue
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{filename}: 3 measures" in run.stdout


def test_a_renamed_binary_with_a_text_extension_is_not_read_as_text():
    with pytest.raises(NotASpreadsheetError, match="binary data"):
        load_workbook(elf(), filename="program.csv")


def test_a_sheet_row_count_past_the_limit_is_refused_not_rewrapped():
    """The row limit of the reader is an UnsafeFileError (it was turned into "cannot be read")."""
    rows = "".join(ods_row(f"M{n}", "x") for n in range(MAX_ROWS + 1))
    data = ods(f'<table:table table:name="Mesures">{ods_row("ID", "Mesure")}{rows}</table:table>')
    with pytest.raises(UnsafeFileError, match="more than 200,000 rows of data"):
        load_workbook(data, filename="rows.ods")


# --------------------------------------------------------------------------------------------
# Issue 15 (speed): the guards' cheap bound of a sheet's used range never passes what the exact check refuses


@pytest.mark.parametrize(
    "positions",
    [
        [b"A1", b"B2"],
        [b"A1", b"XFD1"],  # 16,384 columns × 1 row: within the limits
        [b"A1", b"A99999"],
        [b"A1", b"CV99999"],  # 100 columns × 99,999 rows
        [b"A1", b"HA99999"],  # 209 columns × 99,999 rows: 20.9 million cells, refused
        [b"A1", b"XFD1048576"],
        [b"A1", b"A250001"],
        [b"A0"],
        [b"A007", b"B8"],
        [b"XFE1"],
        [b"12", b"A12"],
        [b"a1"],
        [b"A1", b"&#65;2"],
    ],
)
def test_the_bound_of_the_used_range_passes_only_what_the_exact_check_passes(positions):
    from roadmap.importing.guards import _bounded_used_range, _check_used_range

    xml = b"<worksheet><sheetData>" + b"".join(b'<c r="' + p + b'"><v>1</v></c>' for p in positions) + b"</sheetData>"
    try:
        _check_used_range(xml.replace(b"&#65;", b"A"), member="s", filename="f.xlsx")
        exact = True
    except UnsafeFileError:
        exact = False
    if _bounded_used_range(xml):
        assert exact, positions
    if not exact:
        with pytest.raises(UnsafeFileError):
            _check_used_range(xml, member="s", filename="f.xlsx")


def test_an_ordinary_sheet_takes_the_cheap_bound():
    from roadmap.importing.guards import _bounded_used_range

    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="Z%d"><v>2</v></c></row>' % (n, n, n) for n in range(1, 5001)
    )
    assert _bounded_used_range(b"<worksheet><sheetData>" + rows + b"</sheetData></worksheet>")
    assert not _bounded_used_range(b"<worksheet><sheetData><c r='A1'/></sheetData></worksheet>")  # other quotes
