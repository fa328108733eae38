"""The readers: a file's bytes → plain tables, one per sheet (rows of raw cell values).

Binary spreadsheets (``.xlsx``/``.xlsm``/``.xlsb``/``.xls``/``.ods``, told by their content) are
checked by :mod:`roadmap.importing.guards`, then parsed by python-calamine (fast; never runs
macros) in the worker of :mod:`roadmap.importing.isolation`. A text file (CSV, TSV) holds one
table, its encoding and delimiter detected.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from roadmap.errors import NotASpreadsheetError, UnsafeFileError
from roadmap.importing.guards import MAX_FILE_BYTES, MAX_ROWS, check_archive
from roadmap.importing.isolation import SheetTables, parse_in_worker
from roadmap.importing.parse_worker import trimmed

Rows = list[list[Any]]


def read_tables(data: bytes, *, filename: str = "workbook.xlsx") -> SheetTables:
    """Every sheet of a spreadsheet as rows of raw cell values, row 1 first, column A first.

    Args:
        data: the file's bytes.
        filename: used for its extension only (``.csv``/``.tsv``/``.txt`` are read as text;
            everything else by content).

    Returns:
        Sheet name → rows (lists of ``str``/``float``/``bool``/``date``/``datetime``/``None``);
        a text file gives one sheet named after the file. :attr:`SheetTables.hidden` names the hidden
        sheets, :attr:`SheetTables.notes` what a text file's reader repaired.

    Raises:
        NotASpreadsheetError: the bytes are not a spreadsheet Rempart can read.
        UnsafeFileError: too large, a possible zip bomb, or an absurd shape (see the ``MAX_*``
            limits of :mod:`roadmap.importing.guards`).
    """
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeFileError(
            f"'{filename}' is {len(data) / 1e6:.0f} MB; Rempart reads workbooks up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB. "
            "Remove unused sheets or save the measures alone"
        )
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_binary(data, filename)
    if suffix in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}:
        raise NotASpreadsheetError(
            f"'{filename}' is not a spreadsheet: its content is not an Excel or ODS file. "
            "Check that it is the right file, or open it in Excel or LibreOffice and save it as .xlsx"
        )
    rows = read_text_table(data, filename=filename)[0]
    tables = SheetTables({Path(filename).stem or "data": rows})
    tables.notes = getattr(rows, "notes", ())
    return tables


def _read_binary(data: bytes, filename: str) -> SheetTables:
    """A binary spreadsheet's sheets, parsed by python-calamine in a worker process under memory and
    time limits (:mod:`roadmap.importing.isolation`) while the guards check a zip archive
    (:func:`~roadmap.importing.guards.check_archive`): a refusal of the guards wins and the parse is
    never read; what they miss costs one message."""
    without_formulas: list[frozenset[str]] = []

    def check() -> None:
        if data[:4] == b"PK\x03\x04":
            without_formulas.append(check_archive(data, filename) or frozenset())

    tables = parse_in_worker(data, filename=filename, max_rows=MAX_ROWS, check=check)
    tables.without_formulas = without_formulas[0] if without_formulas else frozenset()
    return tables


_SNIFF_CHARS = 5_000
"""Characters given to :class:`csv.Sniffer`: its quote-finding regular expressions take time
quadratic in the sample (2–4 s for 20,000 characters of a scanner export, or of a crafted line of
``,"``), and the first lines are enough to find the delimiter."""


def read_text_table(data: bytes, *, filename: str = "data.csv") -> tuple[Rows, str, str]:
    """A delimited text file as rows, with the encoding and delimiter detected.

    Encodings: UTF-16 when the file starts with its byte-order mark, else UTF-8 (with or without
    BOM), then Windows-1252. Delimiters sniffed among
    ``,`` ``;`` and tab. Line endings LF or CRLF; quoted cells may hold new lines.

    Returns:
        ``(rows, encoding, delimiter)``; blank cells are ``None``.

    Raises:
        NotASpreadsheetError: binary content.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte-order mark ("Unicode text" from Excel)
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise NotASpreadsheetError(f"'{filename}': damaged UTF-16 text; save it again as UTF-8 CSV") from exc
    elif b"\x00" in data[:4096]:
        raise NotASpreadsheetError(f"'{filename}' is not a spreadsheet: it holds binary data")
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                if encoding == "utf-8-sig":
                    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
                break
            except UnicodeDecodeError:
                continue
        else:
            raise NotASpreadsheetError(f"'{filename}': unknown text encoding; save it as UTF-8 CSV")
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max(",;\t", key=sample.count)
    csv.field_size_limit(MAX_FILE_BYTES)  # one cell may be long (a pasted procedure), never larger than the file
    notes: list[tuple[str, int, str]] = []
    try:
        raw = _quoted_rows(text, delimiter, notes)
        if delimiter == ",":
            raw = _decimal_commas(raw, notes)
        rows = _NotedRows(
            trimmed(_limited(([cell if cell.strip() else None for cell in row] for row in raw), filename))
        )
    except csv.Error as exc:
        raise NotASpreadsheetError(f"'{filename}' cannot be read as CSV ({exc}); save it again from Excel") from exc
    rows.notes = tuple(notes)
    return rows, encoding, delimiter


class _NotedRows(list[list[Any]]):
    """Rows, with the notes of :attr:`SheetTables.notes`."""

    notes: tuple[tuple[str, int, str], ...] = ()


def _quoted_rows(text: str, delimiter: str, notes: list[tuple[str, int, str]]) -> list[list[str]]:
    """The rows of a delimited text; a quote that opens a cell and never closes (it would swallow every
    row below it into one cell) is read as a plain character, noted ``("unclosed quote", row, line)``."""
    rows: list[list[str]] = []
    lines = text.splitlines(keepends=True)
    start = 0  # 0-based physical line where the rest begins
    while start < len(lines):
        rest = "".join(lines[start:])
        reader = csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter, strict=True)
        read: list[list[str]] = []
        consumed = 0
        try:
            for row in reader:
                read.append(row)
                consumed = reader.line_num
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):  # another oddity: read leniently, as before
                rows += csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter)
                return rows
            rows += read
            opening = start + consumed
            line = lines[opening].rstrip("\r\n")
            notes.append(("unclosed quote", len(rows) + 1, line[:60]))
            rows += csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE)
            start = opening + 1
            continue
        rows += read
        break
    return rows


_INTEGER = re.compile(r"^-?\d{1,9}$")
_DECIMALS = re.compile(r"^\d{1,4}$")


def _decimal_commas(rows: list[list[str]], notes: list[tuple[str, int, str]]) -> list[list[str]]:
    """Rows of a comma-separated text with numbers written with an unquoted decimal comma (``1,5``) put
    back in one cell. The width of the table is the most common number of cells; a row with ``k`` cells
    more and exactly ``k`` adjacent pairs of a whole number and 1–4 digits has them joined (noted
    ``("decimal comma", row, "1,5")``); any other row wider than that is noted ``("shifted cells", row, …)``."""
    widths = Counter(len(r) for r in rows if any(c.strip() for c in r))
    if len(widths) < 2:
        return rows
    width = widths.most_common(1)[0][0]
    fixed = []
    for number, row in enumerate(rows, start=1):
        extra = len(row) - width
        if extra <= 0 or not row[width:] or not any(c.strip() for c in row[width - 1 :]):
            fixed.append(row)
            continue
        pairs = [
            i for i in range(len(row) - 1) if _INTEGER.match(row[i].strip()) and _DECIMALS.match(row[i + 1].strip())
        ]
        if len(pairs) == extra and all(b - a > 1 for a, b in itertools.pairwise(pairs)):
            joined = list(row)
            for i in reversed(pairs):
                joined[i : i + 2] = [f"{row[i].strip()},{row[i + 1].strip()}"]
            notes.append(("decimal comma", number, ", ".join(f"{row[i].strip()},{row[i + 1].strip()}" for i in pairs)))
            fixed.append(joined)
        else:
            notes.append(("shifted cells", number, str(extra)))
            fixed.append(row)
    return fixed


def _limited(rows: Iterable[list[Any]], filename: str) -> Iterator[list[Any]]:
    """The rows, stopping with an error past :data:`MAX_ROWS` rows holding a value."""
    filled = 0
    for row in rows:
        if any(cell is not None for cell in row):
            filled += 1
            if filled > MAX_ROWS:
                raise UnsafeFileError(
                    f"'{filename}' has more than {MAX_ROWS:,} rows of data; "
                    "keep one row per measure (a few thousand at most)"
                )
        yield row
