"""What is refused before any parser sees the bytes (SECURITY.md): the file's size, zip bombs and
absurd archives, XML entities (billion laughs), shared-string and used-range counts, cell and
range positions past Excel's limits, and an ODS sheet's repeated rows.

Each refusal is an :class:`~roadmap.errors.UnsafeFileError` (or a
:class:`~roadmap.errors.NotASpreadsheetError` for a damaged archive) with a message that names the
file and says what to do. What these guards miss costs one message in the worker process of
:mod:`roadmap.importing.isolation`.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from itertools import compress
from operator import itemgetter

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from roadmap.errors import NotASpreadsheetError, UnsafeFileError, WorkbookError

MAX_FILE_BYTES = 20_000_000
"""Largest file read (bytes)."""


MAX_UNCOMPRESSED_BYTES = 300_000_000
"""Largest total uncompressed size of an .xlsx/.ods archive (bytes), checked before parsing."""


MAX_COMPRESSION_RATIO = 150
"""Largest ratio uncompressed / compressed of one archive member (zip bombs reach thousands)."""


MAX_SHEETS = 500


MAX_ROWS = 200_000
"""Rows read per sheet; a sheet with more data rows is refused with a message."""


def check_archive(data: bytes, filename: str) -> frozenset[str]:
    """Refuse zip bombs and absurd shapes before any parser's result is used.

    Returns:
        The names of the sheets whose part holds no formula at all (``<f>``), as read on the way:
        :func:`roadmap.importing.checks.formulas_without_values` need not read them again.

    Raises:
        UnsafeFileError: too many members, too large once uncompressed, or a suspicious ratio.
        NotASpreadsheetError: a broken zip.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS as exc:  # NotImplementedError (an unknown zip version) is a RuntimeError
        raise NotASpreadsheetError(
            f"'{filename}' is not a readable spreadsheet (damaged or truncated archive: {exc}). "
            "Open it in Excel or LibreOffice and save it again"
        ) from exc
    with archive:
        try:
            return _check_members(archive, filename)
        except WorkbookError:
            raise
        except ZIP_ERRORS as exc:  # a damaged member
            raise NotASpreadsheetError(
                f"'{filename}' is damaged ({_zip_problem(exc)}). Open it in Excel or LibreOffice and save it again"
            ) from exc


ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)
"""What :mod:`zipfile` raises on a damaged archive: a bad CRC or header (``BadZipFile``), a corrupt
deflate stream (``zlib.error``, ``EOFError``), offsets before the start of the file (``ValueError:
negative seek value``), an encrypted member (``RuntimeError``), an unknown compression method
(``NotImplementedError``, a ``RuntimeError``)."""


def _zip_problem(exc: BaseException) -> str:
    """A short reason for a damaged archive, without zipfile's internal wording."""
    if isinstance(exc, ValueError) and "seek" in str(exc):
        return "its table of contents points outside the file: truncated or cut in the middle"
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "a part is password-protected; remove the password in Excel (File › Info › Protect Workbook)"
    if isinstance(exc, NotImplementedError):
        return f"a part uses a compression method Rempart cannot read ({exc})"
    return str(exc) or type(exc).__name__


def _check_members(archive: zipfile.ZipFile, filename: str) -> frozenset[str]:
    """The size checks first (from the directory, nothing decompressed), then each XML part: no DTD or
    entity declaration, and the sheets' extents (.xlsx) or the repeated cells and sheet count (.ods).
    Returns the sheets without formulas (:func:`check_archive`)."""
    members = archive.infolist()
    sheets = sum(m.filename.startswith(("xl/worksheets/", "xl/chartsheets/")) for m in members)
    if len(members) > 20 * MAX_SHEETS or sheets > MAX_SHEETS:
        raise UnsafeFileError(
            f"'{filename}' has {sheets} sheets ({len(members)} parts); Rempart reads up to {MAX_SHEETS} sheets"
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeFileError(
            f"'{filename}' would take {total / 1e6:,.0f} MB once uncompressed (limit "
            f"{MAX_UNCOMPRESSED_BYTES // 1_000_000} MB): refused as a possible zip bomb"
        )
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1):
            raise UnsafeFileError(
                f"'{filename}': part {member.filename} expands {member.file_size // max(member.compress_size, 1):,} "
                "times: refused as a possible zip bomb"
            )
    parts = _sheet_parts(archive)
    with_formulas: set[str] = set()
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):  # the parts a reader parses
            continue
        xml = archive.read(member)
        if member.filename in parts and _FORMULA.search(xml):  # as formulas_without_values looks
            with_formulas.add(parts[member.filename])
        _check_no_entities(xml, member=member.filename, filename=filename)
        xml = _as_utf8(xml)
        _check_string_count(xml, member=member.filename, filename=filename)
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            _check_used_range(xml, member=member.filename, filename=filename, sheets=parts)
        if member.filename.startswith("xl/") and member.filename.endswith(".xml"):
            _check_ranges(xml, member=member.filename, filename=filename, sheets=parts)
        if member.filename == "content.xml":
            _check_ods_extent(xml, filename=filename)
    names = list(parts.values())
    read = {m.filename for m in members if m.filename.endswith((".xml", ".rels"))}
    return frozenset(
        name for part, name in parts.items() if part in read and names.count(name) == 1 and name not in with_formulas
    )


_FORMULA = re.compile(rb"<f[ >]")
"""``<f>`` or ``<f `` (one scan of the part instead of two)."""


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name of an .xlsx/.xlsm (``xl/worksheets/sheet1.xml`` → ``Mesures``), for the
    messages; ``{}`` when the workbook part cannot be read (the parser will say why)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (LookupError, SafeET.ParseError, DefusedXmlException, *ZIP_ERRORS):  # LookupError: an unknown encoding
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter(f"{main}sheet"):
        target = targets.get(sheet.get(relation), "")
        parts[target.lstrip("/") if target.startswith("/") else "xl/" + target] = sheet.get("name", "?")
    return parts


_DTD_MARKS = tuple(
    mark.encode(encoding) for mark in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def _check_no_entities(xml: bytes, *, member: str, filename: str) -> None:
    """Refuse an XML part that declares a DTD or entities.

    Excel and LibreOffice never write one; it is how the "billion laughs" expansion and external
    entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``, which would copy a server file into a
    cell) are built. A cell's text cannot hold the mark unescaped (``<`` is written ``&lt;``).
    """
    if (b"<!" in xml or b"<\x00!" in xml) and any(mark in xml for mark in _DTD_MARKS):  # every mark holds one
        raise UnsafeFileError(
            f"'{filename}': part {member} declares XML entities (<!DOCTYPE …>), which Excel and LibreOffice "
            "never write: refused as a possible attack (entity expansion, or reading files of the server). "
            "Open the file in Excel or LibreOffice and save it again"
        )


_SST_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="([0-9]{1,30})"')


_SST_ITEM = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _check_string_count(xml: bytes, *, member: str, filename: str) -> None:
    """Refuse a shared-strings part that announces far more texts than it holds.

    The reader reserves memory for ``uniqueCount`` texts before reading them (24 bytes each): a
    forged ``uniqueCount="4294967297"`` asks for 103 GB and aborts the whole process (a Rust
    allocation failure, not an exception), taking the app down with it. Excel writes the exact count.
    """
    declared = _SST_COUNT.search(xml) if b"sst" in xml else None  # the substring test runs at C speed
    if declared is None or int(declared.group(1)) <= 10_000:
        return
    announced, held = int(declared.group(1)), len(_SST_ITEM.findall(xml))
    if announced > 2 * held:
        raise UnsafeFileError(
            f"'{filename}': part {member} announces {announced:,} texts but holds {held:,}: refused, the reader "
            "would reserve memory for all of them. Open the file in Excel or LibreOffice and save it again"
        )


MAX_USED_CELLS = 20_000_000
"""Largest rectangle from the first to the last filled cell of a sheet (readers allocate it whole)."""


MAX_ROW_POSITION = 250_000
"""A sheet with cells below this row is refused (data rows are limited to :data:`MAX_ROWS`)."""


EXCEL_MAX_ROW = 1_048_576
"""Excel's last row: a reference past it is refused in any part of a workbook."""


EXCEL_MAX_COLUMN = 16_384
"""Excel's last column (XFD)."""


_POSITION_ATTRIBUTE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")


_RANGE_ATTRIBUTE = re.compile(rb"""ref(?:(?<=\sref)|(?<=\ssqref))\s*=\s*(?:"([^"]*)"|'([^']*)')""")
"""A ``ref`` or ``sqref`` attribute after a space; the literal first characters keep the scan at C speed
(a pattern that starts with a class of spaces is tried at every byte: 6 times slower on 5,000 rows)."""


_CELL = re.compile(r"([A-Z]{1,3})([0-9]{1,15})")


_ROW = re.compile(r"[0-9]{1,15}")


_RANGE_END = re.compile(r"\$?([A-Za-z]*)\$?([0-9]*)")


_DEFINED_NAME = re.compile(rb"<(?:\w+:)?definedName\b[^>]*>([^<]*)<")


_FORMULA_REF = re.compile(r"(?<![A-Za-z0-9_.])\$?([A-Za-z]{1,4})\$?([0-9]{1,12})(?![A-Za-z0-9_(])")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _attribute_values(pattern: re.Pattern[bytes], xml: bytes) -> Iterator[str]:
    """Each value of the attributes ``pattern`` finds, character references decoded (``&#65;`` is
    ``A`` to an XML parser: a guard that read the raw bytes could be walked around)."""
    for match in pattern.finditer(xml):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        text = raw.decode("utf-8", "replace")
        yield html.unescape(text) if "&" in text else text


def _as_utf8(xml: bytes) -> bytes:
    """The part's XML in UTF-8, for the byte-level scans (Excel writes UTF-8; a UTF-16 part is valid
    XML, and a scan of its raw bytes would find nothing)."""
    encodings = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00": "utf-16-le", b"\x00<": "utf-16-be"}
    encoding = encodings.get(xml[:2])
    return xml.decode(encoding, "replace").encode("utf-8") if encoding else xml


def _sheet_of(member: str, sheets: Mapping[str, str]) -> str:
    return f"sheet '{sheets[member]}'" if member in sheets else f"part {member}"


def _check_used_range(xml: bytes, *, member: str, filename: str, sheets: Mapping[str, str] | None = None) -> None:
    """Refuse a sheet whose cells or rows sit where no reader should go: a reference past Excel's
    last row or column (``A99999999``, ``XFD2000000``: python-calamine allocates a dense rectangle up
    to the farthest cell, 35 GB for one cell in row 99,999,999), below :data:`MAX_ROW_POSITION`, or
    a rectangle of cells larger than :data:`MAX_USED_CELLS` (a stray value in XFD1048576); and a
    cell or row position that is not a plain reference (Excel writes ``B12`` and ``12`` only), so
    that no spelling of a position escapes the check. Every ``r`` attribute of the part is read,
    whatever its element and the order of its attributes."""
    if _bounded_used_range(xml) or _plain_used_range(xml):
        return
    where = _sheet_of(member, sheets or {})
    rows = [0, 0]
    cols = [0, 0]
    columns: dict[str, int] = {}
    for value in _attribute_values(_POSITION_ATTRIBUTE, xml):
        cell = _CELL.fullmatch(value)
        if cell is not None:
            letters = cell.group(1)
            col = columns.get(letters) or columns.setdefault(letters, _column_number(letters))
            row = int(cell.group(2))
        elif _ROW.fullmatch(value):
            col, row = 0, int(value)
        else:
            raise UnsafeFileError(
                f"'{filename}': {where} places a cell at '{value[:40]}', which is not a cell reference "
                "(Excel writes B12): refused. Open the file in Excel or LibreOffice and save it again"
            )
        _check_position(row, col, value, where=where, filename=filename)
        if not col:
            continue
        rows = [min(rows[0], row) if rows[0] else row, max(rows[1], row)]
        cols = [min(cols[0], col) if cols[0] else col, max(cols[1], col)]
    area = (rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1) if rows[1] else 0
    if area > MAX_USED_CELLS:
        raise UnsafeFileError(
            f"'{filename}': the cells of {where} span {rows[1] - rows[0] + 1:,} rows × {cols[1] - cols[0] + 1:,} "
            "columns; delete the stray cells far from the table (Ctrl+End shows the last one) and save again"
        )


_R_ATTRIBUTE = re.compile(rb'r(?<=\sr)\s*=\s*(?:"([A-Z]{0,3})([0-9]{1,15})")?')
"""Every ``r`` attribute (``r`` after a space, then ``=``), its value captured when it is a plain
position (``"B12"``, ``"12"``); a literal first character keeps the scan at C speed."""


_R_VALUE = re.compile(rb'r(?<=\sr)\s*=\s*(?:"([A-Z]{0,3}[0-9]{1,15})")?')
""":data:`_R_ATTRIBUTE` with the position as one group (``b""`` when it is not plain): a list of bytes,
not of tuples, is built at C speed."""

_LETTERS = bytes(range(65, 91))
_DIGITS = b"0123456789"


def _bounded_used_range(xml: bytes) -> bool:
    """A bound of :func:`_plain_used_range` that needs no number built: ``True`` when every position is
    plain, no row number is 0, starts with 0 or is longer than 5 digits (so every row is within
    :data:`MAX_ROW_POSITION`), every column within Excel's, and 10^digits − 1 rows (99,999 at most) × the
    columns' span stays within
    :data:`MAX_USED_CELLS` — an area at least the true one. ``False`` sends the part to the exact
    check (a sheet of 100,000 rows or more, a wide one, an odd spelling)."""
    found = _R_VALUE.findall(xml)
    if not found:
        return True
    if b"" in found:
        return False
    joined = b" ".join(found)
    rows = joined.translate(None, _LETTERS).split()
    longest = max(map(len, rows))
    if longest > 5 or min(rows).startswith(b"0"):  # a row past 99,999; a row 0 or a leading zero
        return False
    letters = set(joined.translate(None, _DIGITS).split())
    if not letters:
        return True  # row positions only
    columns = [_column_number(text.decode()) for text in letters]
    if max(columns) > EXCEL_MAX_COLUMN:
        return False
    area: int = (10**longest - 1) * (max(columns) - min(columns) + 1)
    return area <= MAX_USED_CELLS


def _plain_used_range(xml: bytes) -> bool:
    """The check of :func:`_check_used_range` at C speed for a part whose positions are all plain
    (``r="B12"``, ``r="12"``, as Excel writes them) and within every limit: ``True`` when it passes.

    Sound because every ``r`` attribute the full check reads (whatever its spacing or quotes) is
    found by :data:`_R_ATTRIBUTE` and must be plain; ``False`` (another spelling, a character
    reference, a limit passed) sends the part to the full check, which says what is wrong.
    """
    found = _R_ATTRIBUTE.findall(xml)
    # map, compress and set run at C speed: a sheet of 5,000 rows has 130,000 positions
    letters, digits = list(map(itemgetter(0), found)), list(map(itemgetter(1), found))
    if b"" in digits:
        return False
    numbers = list(map(int, digits))
    if numbers and (min(numbers) < 1 or max(numbers) > min(EXCEL_MAX_ROW, MAX_ROW_POSITION)):
        return False
    columns = {text: _column_number(text.decode()) for text in set(letters) - {b""}}
    if columns and max(columns.values()) > EXCEL_MAX_COLUMN:
        return False
    cell_rows = list(compress(numbers, letters))  # the positions of cells (``B12``), not of rows (``12``)
    if not cell_rows:
        return True
    area = (max(cell_rows) - min(cell_rows) + 1) * (max(columns.values()) - min(columns.values()) + 1)
    return area <= MAX_USED_CELLS


def _check_position(row: int, col: int, reference: str, *, where: str, filename: str) -> None:
    if row > EXCEL_MAX_ROW or col > EXCEL_MAX_COLUMN:
        raise UnsafeFileError(
            f"'{filename}': {where} has a cell at {reference[:40]}, past Excel's last "
            f"{'row (1,048,576)' if row > EXCEL_MAX_ROW else 'column (XFD)'}: refused, a reader would reserve "
            "memory for every cell up to it. Open the file in Excel or LibreOffice, delete that cell and save again"
        )
    if row > MAX_ROW_POSITION:
        raise UnsafeFileError(
            f"'{filename}': {where} has cells as far as row {row:,} ({reference[:40]}), beyond the "
            f"{MAX_ROW_POSITION:,} rows Rempart reads; delete the stray cells far below the table (Ctrl+End "
            "shows the last one), or keep one row per measure, and save again"
        )


_BLOCK_ELEMENTS = (b"<mergeCell ", b"<dimension ", b":mergeCell ", b":dimension ")


def _check_block(corners: list[tuple[int, int]], reference: str, xml: bytes, *, where: str, filename: str) -> None:
    """Refuse a merged range or a sheet dimension of more than :data:`MAX_USED_CELLS` cells (within
    Excel's limits, ``A1:XFD1048576`` is 17 billion cells a reader may fill in): those two stand for
    cells, unlike a whole-column validation or format (``A:A``), which is common and harmless."""
    if len(corners) != 2 or not all(row and col for row, col in corners):
        return
    (top, left), (bottom, right) = corners
    area = (abs(bottom - top) + 1) * (abs(right - left) + 1)
    if area > MAX_USED_CELLS and any(mark in xml for mark in _BLOCK_ELEMENTS) and _is_block(reference, xml):
        raise UnsafeFileError(
            f"'{filename}': {where} has a merged range or a dimension {reference[:60]} of {area:,} cells: refused, "
            "a reader would fill every cell of it. Unmerge it (or delete the cells far from the table) and save again"
        )


def _is_block(reference: str, xml: bytes) -> bool:
    quoted = (f'ref="{reference}"'.encode(), f"ref='{reference}'".encode())
    return any(re.search(rb"<(?:\w+:)?(?:mergeCell|dimension)\b[^>]*" + re.escape(q), xml) is not None for q in quoted)


def _check_ranges(xml: bytes, *, member: str, filename: str, sheets: Mapping[str, str] | None = None) -> None:
    """Refuse a range past Excel's last row or column in any ``ref``/``sqref`` attribute (the
    sheet's ``<dimension>``, merged cells, hyperlinks, data validations, conditional formats,
    selections, shared formulas, autofilters, tables, pivot tables) or in a defined name of
    ``xl/workbook.xml``. Whole rows and columns (``A:A``, ``1:1048576``) are within the limits."""
    where = _sheet_of(member, sheets or {})
    for value in _attribute_values(_RANGE_ATTRIBUTE, xml):
        for reference in value.split():
            corners = []
            for end in reference.split(":"):
                match = _RANGE_END.fullmatch(end)
                if match is None:
                    continue  # '#REF!' and other non-references: no position to allocate
                letters, digits = match.groups()
                row = int(digits) if digits and len(digits) < 12 else (EXCEL_MAX_ROW + 1 if digits else 0)
                col = _column_number(letters) if len(letters) < 5 else EXCEL_MAX_COLUMN + 1
                if row > EXCEL_MAX_ROW or col > EXCEL_MAX_COLUMN:
                    raise UnsafeFileError(
                        f"'{filename}': {where} has a range {reference[:60]} past Excel's last row or column: "
                        "refused. Open the file in Excel or LibreOffice and save it again"
                    )
                corners.append((row, col))
            _check_block(corners, reference, xml, where=where, filename=filename)
    if member == "xl/workbook.xml":
        for text in _DEFINED_NAME.findall(xml):
            formula = html.unescape(text.decode("utf-8", "replace"))
            for letters, digits in _FORMULA_REF.findall(formula):
                if _column_number(letters) <= EXCEL_MAX_COLUMN and int(digits) > EXCEL_MAX_ROW:
                    raise UnsafeFileError(
                        f"'{filename}': a defined name refers to {formula[:60]}, past Excel's last row: refused. "
                        "Open the file in Excel or LibreOffice (Formulas › Name Manager), fix the name and save again"
                    )


def _check_ods_extent(xml: bytes, *, filename: str) -> None:
    """Refuse an .ods whose repeat attributes expand to an absurd number of cells.

    OpenDocument compresses runs of identical rows and cells (``number-rows-repeated``,
    ``number-columns-repeated``): a 5 KB file can stand for 10⁸ filled cells, or place one value
    17 billion cells away. Both the filled cells after expansion and the rectangle up to the last
    value are counted (streaming, defusedxml) before the reader expands them; and the sheets, all in
    this one part, against :data:`MAX_SHEETS`.
    """
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    filled = extent = sheets = 0
    row_position = last_row = last_col = 0
    try:
        with io.BytesIO(xml) as stream:
            for event, element in SafeET.iterparse(stream, events=("start", "end")):
                if event == "start" and element.tag == f"{table}table":
                    row_position = 0
                    sheets += 1
                    if sheets > MAX_SHEETS:
                        raise UnsafeFileError(
                            f"'{filename}' has more than {MAX_SHEETS} sheets; Rempart reads up to {MAX_SHEETS} sheets"
                        )
                if event != "end" or element.tag != f"{table}table-row":
                    continue
                repeat_rows = int(element.get(f"{table}number-rows-repeated", "1"))
                column = row_filled = 0
                for cell in element:
                    repeat = int(cell.get(f"{table}number-columns-repeated", "1"))
                    if cell.get(f"{office}value-type") or "".join(cell.itertext()).strip():
                        row_filled += repeat
                        last_col = max(last_col, column + repeat)
                        last_row = max(last_row, row_position + repeat_rows)
                    column += repeat
                filled += row_filled * repeat_rows
                row_position += repeat_rows
                extent = max(extent, last_row * last_col)
                element.clear()
                if filled > MAX_USED_CELLS or extent > MAX_USED_CELLS or last_row > MAX_ROW_POSITION:
                    break
    except UnsafeFileError:
        raise
    except (KeyError, ValueError, OSError, SafeET.ParseError, DefusedXmlException):
        return  # the reader will say what is wrong with the file
    if last_row > MAX_ROW_POSITION:
        raise UnsafeFileError(
            f"'{filename}': a sheet has cells as far as row {last_row:,} (its rows repeated), beyond the "
            f"{MAX_ROW_POSITION:,} rows Rempart reads; delete the stray cells far below the table (Ctrl+End "
            "shows the last one) and save again"
        )
    if filled > MAX_USED_CELLS or extent > MAX_USED_CELLS:
        raise UnsafeFileError(
            f"'{filename}': its repeated rows and columns stand for more than {MAX_USED_CELLS:,} cells "
            f"(up to row {last_row:,}, column {last_col:,}); delete the stray or repeated cells and save again"
        )
