"""Hostile files of issue 8, built in memory; shared by ``tests/test_hostile.py`` and
``benchmarks/bench_hostile.py``.

Each :class:`Hostile` holds the bytes, the file name it arrives under, the error the importer must
raise and a pattern of its message. Built small where the attack allows (a zip bomb is a few
hundred kilobytes); the "huge shape" files are as large as the attack needs.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import small_sheets, workbook_bytes

from roadmap.errors import NotASpreadsheetError, UnsafeFileError, WorkbookError

ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
SECRET = Path("/etc/passwd")


@dataclass(frozen=True)
class Hostile:
    """A hostile file and what the importer must say about it."""

    name: str
    filename: str
    build: Callable[[], bytes]
    error: type[WorkbookError]
    message: str


def zip_of(members: dict[str, bytes], *, level: int = 6) -> bytes:
    """A deflated zip with these members, in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def small_members() -> dict[str, bytes]:
    """The parts of the small valid workbook of ``conftest.small_sheets``."""
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(small_sheets()))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_sheet(xml: Callable[[bytes], bytes], member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The small workbook with one part rewritten."""
    members = small_members()
    members[member] = xml(members[member])
    return zip_of(members)


def zip_bomb() -> bytes:
    """400 MB of zeros as a worksheet: about 400 kB compressed."""
    return zip_of({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"\0" * 400_000_000}, level=9)


def billion_laughs() -> bytes:
    """The classic: ten levels of ten references, 10⁹ copies of "lol" once expanded, in the Measures sheet."""
    entities = b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1)) * 10) for n in range(1, 10))
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">' + entities + b"]>"
    return with_sheet(lambda sheet: doctype + sheet.replace(b"Mesure M1", b"&lol9;"))


def external_entity(member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """XXE: an entity whose text is the content of /etc/passwd, used in a cell."""
    doctype = b'<?xml version="1.0"?><!DOCTYPE root [<!ENTITY x SYSTEM "file://%s">]>' % str(SECRET).encode()
    return with_sheet(lambda sheet: doctype + sheet.replace(b"Mesure M1", b"&x;"), member)


def external_entity_in_shared_strings() -> bytes:
    """XXE in xl/sharedStrings.xml (where Excel keeps cell texts), with an external DTD as well."""
    members = small_members()
    members["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE sst SYSTEM "http://127.0.0.1:9/evil.dtd" '
        b'[<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>&x;</t></si></sst>"
    )
    members["xl/worksheets/sheet1.xml"] = members["xl/worksheets/sheet1.xml"].replace(
        b'<c r="B2" t="inlineStr"><is><t>Mesure M1</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>'
    )
    return zip_of(members)


def ods(tables: str, *, doctype: str = "") -> bytes:
    """An .ods file whose body holds these ``<table:table>`` elements."""
    content = (
        f'<?xml version="1.0"?>{doctype}<office:document-content {ODS_NAMESPACES}><office:body>'
        f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    return zip_of(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content.encode(),
            "META-INF/manifest.xml": manifest.encode(),
        }
    )


def ods_row(*texts: str) -> str:
    cells = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>' for text in texts
    )
    return f"<table:table-row>{cells}</table:table-row>"


def external_entity_in_ods() -> bytes:
    """XXE in an .ods content.xml."""
    table = f'<table:table table:name="Mesures">{ods_row("ID", "Mesure")}{ods_row("M1", "&x;")}</table:table>'
    return ods(table, doctype='<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>')


def png() -> bytes:
    """A valid 1×1 PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def elf() -> bytes:
    """The first 64 kB of the Python interpreter (an ELF executable)."""
    with Path(sys.executable).resolve().open("rb") as stream:
        return stream.read(65_536)


def truncated(fraction: float) -> Callable[[], bytes]:
    def build() -> bytes:
        data = workbook_bytes(small_sheets())
        return data[: int(len(data) * fraction)]

    return build


def million_rows_xlsx() -> bytes:
    """A Measures sheet of 1,048,576 filled rows (Excel's last row), each with an ID and a title."""

    def cell(ref: bytes, text: bytes) -> bytes:
        return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)

    head = b'<row r="1">' + cell(b"A1", b"ID") + cell(b"B1", b"Mesure") + b"</row>"
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>M%d</t></is></c>' % (n, n, n) + cell(b"B%d" % n, b"x") + b"</row>"
        for n in range(2, 1_048_577)
    )
    return with_sheet(
        lambda sheet: sheet.split(b"<sheetData>")[0] + b"<sheetData>" + head + rows + b"</sheetData></worksheet>"
    )


def million_rows_csv() -> bytes:
    """A CSV of 1,000,000 measures (about 12 MB, under the 20 MB file limit)."""
    return b"ID;Mesure\n" + b"".join(b"M%d;x\n" % n for n in range(1_000_000))


def wide_xlsx() -> bytes:
    """16,384 filled columns (A to XFD) on the header row and on 3 data rows."""

    def letters(index: int) -> str:
        text = ""
        index += 1
        while index:
            index, rest = divmod(index - 1, 26)
            text = chr(65 + rest) + text
        return text

    columns = [letters(i) for i in range(16_384)]

    def row(number: int, values: list[str]) -> bytes:
        cells = "".join(
            f'<c r="{col}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for col, value in zip(columns, values, strict=True)
        )
        return f'<row r="{number}">{cells}</row>'.encode()

    header = row(1, ["ID", "Mesure", *(f"Colonne {n}" for n in range(2, 16_384))])
    body = b"".join(row(n, [f"M{n}", f"Mesure {n}", *(str(v) for v in range(2, 16_384))]) for n in range(2, 5))
    return with_sheet(
        lambda sheet: sheet.split(b"<sheetData>")[0] + b"<sheetData>" + header + body + b"</sheetData></worksheet>"
    )


def wide_csv() -> bytes:
    """16,384 columns in a CSV: header and 3 rows."""
    header = ";".join(["ID", "Mesure", *(f"Colonne {n}" for n in range(2, 16_384))])
    rows = [";".join([f"M{n}", f"Mesure {n}", *(str(v) for v in range(2, 16_384))]) for n in range(2, 5)]
    return "\n".join([header, *rows, ""]).encode()


def many_sheets_xlsx() -> bytes:
    """10,000 worksheets, each declared in workbook.xml with its relationship (a real workbook shape)."""
    members = small_members()
    sheets = "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, 10_001))
    members["xl/workbook.xml"] = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    ).encode()
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, 10_001)
    )
    members["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relations}</Relationships>'
    ).encode()
    blank = members["xl/worksheets/sheet4.xml"]
    for n in range(1, 10_001):
        members[f"xl/worksheets/sheet{n}.xml"] = blank
    return zip_of(members)


def many_sheets_ods() -> bytes:
    """10,000 tables in one .ods content.xml (no part per sheet to count in the archive)."""
    return ods("".join(f'<table:table table:name="S{n}">{ods_row("x")}</table:table>' for n in range(10_000)))


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx"


def sample_with(edit: Callable[[bytes], bytes], member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The bundled sample workbook with one XML part edited (the archive rebuilt, CRCs valid)."""
    source = zipfile.ZipFile(SAMPLE)
    members = {name: source.read(name) for name in source.namelist()}
    edited = edit(members[member])
    assert edited != members[member], "the edit changed nothing"
    members[member] = edited
    return zip_of(members)


def _first_cell(reference: bytes) -> Callable[[], bytes]:
    """The sample with its first cell after A1 moved to ``reference`` (the dimension and the rows as
    they were): issue 21's construction, a 10 KB file that made the reader ask for 35 GB."""
    return lambda: sample_with(lambda xml: xml.replace(b'<c r="B1"', b'<c r="' + reference + b'"', 1))


def _far_row() -> bytes:
    return sample_with(lambda xml: xml.replace(b'<row r="2"', b'<row r="99999999"', 1))


def _before_sheet_data_end(fragment: bytes) -> Callable[[], bytes]:
    return lambda: sample_with(lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + fragment, 1))


def _dimension(reference: bytes) -> Callable[[], bytes]:
    return lambda: sample_with(
        lambda xml: xml.replace(b'<dimension ref="A1:T80"', b'<dimension ref="' + reference + b'"')
    )


def _defined_name() -> bytes:
    name = b'<definedNames><definedName name="tout">Mesures!$A$1:$K$99999999</definedName>'
    return sample_with(lambda xml: xml.replace(b"<definedNames>", name, 1), "xl/workbook.xml")


def _ods_far_rows() -> bytes:
    """An .ods whose one empty row, repeated 1,048,576 times with a repeated column inside, pushes a
    value a million rows down."""
    empty = (
        '<table:table-row table:number-rows-repeated="1048576">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    return ods(f'<table:table table:name="Mesures">{ods_row("ID", "Mesure")}{empty}{ods_row("M1", "x")}</table:table>')


HOSTILE = [
    Hostile("zip bomb", "bomb.xlsx", zip_bomb, UnsafeFileError, "zip bomb"),
    Hostile("billion laughs", "laughs.xlsx", billion_laughs, UnsafeFileError, "XML entities"),
    Hostile("external entity in a sheet", "xxe.xlsx", external_entity, UnsafeFileError, "XML entities"),
    Hostile(
        "external entity in shared strings",
        "xxe-strings.xlsx",
        external_entity_in_shared_strings,
        UnsafeFileError,
        "XML entities",
    ),
    Hostile("external entity in an ods", "xxe.ods", external_entity_in_ods, UnsafeFileError, "XML entities"),
    Hostile("png renamed .xlsx", "photo.xlsx", png, NotASpreadsheetError, "not a spreadsheet"),
    Hostile("png renamed .csv", "photo.csv", png, NotASpreadsheetError, "not a spreadsheet"),
    Hostile("elf renamed .xlsx", "program.xlsx", elf, NotASpreadsheetError, "not a spreadsheet"),
    Hostile("elf renamed .ods", "program.ods", elf, NotASpreadsheetError, "not a spreadsheet"),
    Hostile("zip cut at 10%", "cut10.xlsx", truncated(0.1), NotASpreadsheetError, "damaged|truncated"),
    Hostile("zip cut at 90%", "cut90.xlsx", truncated(0.9), NotASpreadsheetError, "damaged|truncated"),
    Hostile("a million rows (xlsx)", "rows.xlsx", million_rows_xlsx, UnsafeFileError, "beyond the 250,000 rows"),
    Hostile("a million rows (csv)", "rows.csv", million_rows_csv, UnsafeFileError, "rows"),
    Hostile("10,000 sheets (xlsx)", "sheets.xlsx", many_sheets_xlsx, UnsafeFileError, "10000 sheets"),
    Hostile("10,000 sheets (ods)", "sheets.ods", many_sheets_ods, UnsafeFileError, "sheets"),
    # issue 21: positions past Excel's limits, each from the sample workbook
    Hostile(
        "one cell in row 99,999,999",
        "far.xlsx",
        _first_cell(b"A99999999"),
        UnsafeFileError,
        "sheet 'Mesures' has a cell at A99999999, past Excel's last row",
    ),
    Hostile("column XFD, a far row", "xfd.xlsx", _first_cell(b"XFD2000000"), UnsafeFileError, "XFD2000000, past Excel"),
    Hostile("column past XFD", "xfe.xlsx", _first_cell(b"XFE1"), UnsafeFileError, "XFE1, past Excel's last column"),
    Hostile("column XFD, row 300,000", "xfd300k.xlsx", _first_cell(b"XFD300000"), UnsafeFileError, "row 300,000"),
    Hostile(
        "a cell reference in character references",
        "charref.xlsx",
        _first_cell(b"&#65;99999999"),
        UnsafeFileError,
        "A99999999, past Excel's last row",
    ),
    Hostile(
        "a cell reference that is none", "notref.xlsx", _first_cell(b"A-1"), UnsafeFileError, "not a cell reference"
    ),
    Hostile("a row element far down", "row.xlsx", _far_row, UnsafeFileError, "99999999, past Excel's last row"),
    Hostile(
        "a merged range to the last cell",
        "merge.xlsx",
        _before_sheet_data_end(b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
        UnsafeFileError,
        "merged range or a dimension A1:XFD1048576",
    ),
    Hostile(
        "a merged range past the last row",
        "merge-past.xlsx",
        _before_sheet_data_end(b'<mergeCells count="1"><mergeCell ref="A1:B1048577"/></mergeCells>'),
        UnsafeFileError,
        "range A1:B1048577 past Excel's last row",
    ),
    Hostile("a dimension past the last row", "dim.xlsx", _dimension(b"A1:K99999999"), UnsafeFileError, "K99999999"),
    Hostile(
        "a data validation past the last row",
        "validation.xlsx",
        _before_sheet_data_end(
            b'<dataValidations count="1"><dataValidation type="list" sqref="D2:D2000000">'
            b"<formula1>a</formula1></dataValidation></dataValidations>"
        ),
        UnsafeFileError,
        "D2:D2000000",
    ),
    Hostile(
        "a hyperlink past the last row",
        "link.xlsx",
        _before_sheet_data_end(b'<hyperlinks><hyperlink ref="C99999999" display="x"/></hyperlinks>'),
        UnsafeFileError,
        "C99999999",
    ),
    Hostile("a defined name past the last row", "name.xlsx", _defined_name, UnsafeFileError, "defined name"),
    Hostile("an ods row repeated a million times", "rows.ods", _ods_far_rows, UnsafeFileError, "as far as row"),
]
"""Each hostile file with the error it must give. The 16,384-column files are not here: they are
readable (the extra columns are kept as unknown columns) and tested on their own."""
