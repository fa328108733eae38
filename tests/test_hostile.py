"""Hostile files: each gets a clear error from the project's own family, fast and in bounded memory."""

import io
import zipfile

import openpyxl
import pytest
from conftest import measure, small_sheets, workbook_bytes

from roadmap.errors import NotASpreadsheetError, UnsafeFileError, WorkbookError
from roadmap.loading import MAX_FILE_BYTES, load_workbook


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
    from roadmap.schedule import compress_plan

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
