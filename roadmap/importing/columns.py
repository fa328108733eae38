"""Rempart's format (PRODUCT.md §4): the sheets, their columns (known by the synonyms of
:mod:`roadmap.importing.synonyms`), and the table under a header row.

A sheet plays a role (measures, risks, teams, settings) by its name, else by its columns
(:func:`assign_sheets`); its header row is the one among the first :data:`HEADER_SCAN_ROWS` rows
that maps the most fields (:func:`find_table`); the data rows under it skip repeats of the header
and description rows (:func:`body_rows`). :class:`Table` is what the row builders of
:mod:`roadmap.importing.rows` read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from roadmap.errors import CellValueError
from roadmap.importing.inference import SAMPLE_ROWS, infer_columns
from roadmap.importing.stacking import Stack, header_rows_after_gaps, stack_tables
from roadmap.importing.synonyms import MEASURE_COLUMNS as MEASURE_COLUMNS  # re-exported: where the format is
from roadmap.importing.synonyms import QUALIFIER_WORDS
from roadmap.importing.synonyms import SHEET_NAMES as SHEET_NAMES
from roadmap.importing.tables import Rows
from roadmap.importing.values import (
    is_blank,
    normalize,
    parse_priority,
    parse_status,
    to_text,
)

PLAN_EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "sprint": ("Sprint planifié", "Scheduled sprint"),
    "start": ("Début planifié", "Scheduled start"),
    "end": ("Fin planifiée", "Scheduled end"),
    "reason": ("Raison du report", "Deferral reason"),
    "why": ("Pourquoi ?", "Why?"),
}
"""Columns the XLSX plan export (:func:`roadmap.exports.workbook.build_plan_xlsx`) adds to the Measures
sheet, French and English header. The loader never reads them as fields (``Sprint planifié``
would otherwise match ``Sprint imposé``'s synonym ``sprint``): they come back in
:attr:`Measure.extra`, so that an exported plan re-imports to the same roadmap."""


_EXPORT_KEYS = {normalize(header) for headers in PLAN_EXPORT_HEADERS.values() for header in headers}


HEADER_SCAN_ROWS = 30


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 0-based column index
    headers: list[str]  # header text by column index
    rows: list[tuple[int, list[Any]]]  # (1-based Excel row, cells)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (1-based Excel row, why)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # field -> value for blank cells
    defaulted: dict[str, int] = field(default_factory=dict)  # field -> how many cells took the default
    inferred: dict[str, int] = field(default_factory=dict)  # field -> column found from its content
    domains: dict[int, str] = field(default_factory=dict)  # Excel row -> domain carried from a section
    skipped_values: dict[int, str] = field(default_factory=dict)  # Excel row -> text shown for a skipped row
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # field -> {normalised value -> meaning}
    block: tuple[int, int] | None = None  # (first, end) columns read when the sheet holds several tables
    stack: Stack | None = None  # the tables one under another, when the sheet holds several
    added: int = 0  # columns Rempart added after the file's own (the rows' colours as a status)

    def cells_read(self) -> str:
        """The cells read, as Excel names them (``B4:H40``): the header row to the last data row."""
        low, high = self.block or (0, max(len(self.headers) - self.added, 1))
        last = max((row for row, _ in self.rows), default=self.header_row)
        return f"{column_letter(low)}{self.header_row}:{column_letter(high - 1)}{last}"

    def header(self, field_name: str) -> str:
        if field_name not in self.columns:
            return f"({field_name})"
        index = self.columns[field_name]
        header = self.headers[index] if index < len(self.headers) else None  # a column past the header row
        return header or column_letter(index)

    def cell(self, cells: list[Any], field_name: str) -> Any:
        index = self.columns.get(field_name)
        value = cells[index] if index is not None and index < len(cells) else None
        if self.defaults and is_blank(value) and field_name in self.defaults:
            self.defaulted[field_name] = self.defaulted.get(field_name, 0) + 1
            return self.defaults[field_name]
        return value


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_key(header: object) -> str:
    """The form of a header that is matched against the synonyms: :func:`normalize`d after dropping
    what does not name the field: units and notes in parentheses or brackets (``Charge (h)``),
    asterisks of required fields, ``#`` and ``N°`` read as ``no`` (``Task #`` → ``task no``).
    Case, accents, line breaks and trailing dots go with :func:`normalize`."""
    return normalize(_BRACKETED.sub(" ", _numbered(header)).replace("*", " "))


def _numbered(header: object) -> str:
    """``#`` and ``N°`` as the word ``no`` (an ID column: ``Task #``, ``N° de la mesure``)."""
    return to_text(header).replace("#", " no ").replace("N°", " no ").replace("n°", " no ").replace("º", "")


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")

_HOURS = re.compile(r"(^|[\s(\[/_-])(h|hr|hrs|hours?|heures?|horas?|stunden|std)([\s)\]./_-]|$)", re.IGNORECASE)


_PERSON_DAYS = re.compile(
    r"(^|[\s(\[])(j\s*[./-]?\s*h|h\s*[./-]\s*j|jours?[\s/-]*hommes?|hommes?[\s/-]*jours?|"
    r"man[\s-]?days?|person[\s-]?days?)([\s)\].]|$)",
    re.IGNORECASE,
)
"""Person-day notations, whose ``h`` is not hours: ``j/h``, ``j.h``, ``jh``, ``h.j`` (jours-homme,
hommes-jours), ``man-days``, ``person-days``."""


def header_unit(header: object) -> str | None:
    """``"hours"`` when a header says its amounts are hours (``Effort (h)``, ``Charge en heures``,
    ``Estimated hours``, ``Horas``), else ``None`` (person-days, the format's unit; also when the
    header writes person-days with an ``h`` in them: ``Charge (j/h)``, ``Charge (h.j)``)."""
    text = to_text(header)
    plain = normalize(text)
    if _PERSON_DAYS.search(text):
        return None
    if _HOURS.search(text) or any(word in plain.split() for word in ("heures", "hours", "horas", "stunden")):
        return "hours"
    return None


FUZZY_HEADER_SCORE = 90
"""rapidfuzz ``ratio`` (0–100) above which a header is taken for a synonym it does not spell exactly
(``Priorite`` for ``Priorité``, ``Responsable(s)``, ``Statuts``)."""


def match_field(header: str, synonyms: Mapping[str, tuple[str, ...]]) -> str | None:
    """The field a header names, else ``None``. In order:

    1. the normalised header is a synonym (``Charge (j.h)`` → ``charge j h``);
    2. so is its :func:`header_key` (units in parentheses, asterisks, ``#`` dropped);
    3. a synonym followed by unit words only (``Charge jours``, ``Avancement en %``; the longest wins);
    4. a long, sentence-like header (4 words or more, often ending with a dot) that starts with a
       synonym of 4 letters or more (``Statut de la mesure au 1er janvier.``);
    5. a synonym once the words of an estimate or a plan are dropped (``Est. effort``, ``Esfuerzo
       estimado``, ``Geschätzter Aufwand``: :data:`~roadmap.importing.synonyms.QUALIFIER_WORDS`);
    6. a synonym within rapidfuzz ``ratio`` :data:`FUZZY_HEADER_SCORE` (typos, plurals).
    """
    if not normalize(header) or normalize(header) in _EXPORT_KEYS:
        return None
    index = _synonym_index(synonyms)
    key = normalize(_numbered(header))
    if key in index:
        return index[key]
    key = header_key(header)
    if not key:
        return None
    if key in index:
        return index[key]
    words = key.split(" ")
    for end in range(len(words) - 1, 0, -1):  # longest prefix first, the rest must be unit words
        if not set(words[end:]) <= _UNIT_WORDS:
            break
        prefix = " ".join(words[:end])
        if len(prefix) > 2 and prefix in index:
            return index[prefix]
    if len(words) >= 4:
        for end in (3, 2, 1):
            prefix = " ".join(words[:end])
            if len(prefix) >= 4 and prefix in index:
                return index[prefix]
    if not QUALIFIER_WORDS.isdisjoint(words):
        plain = " ".join(w for w in words if w not in QUALIFIER_WORDS)
        if len(plain) > 2 and plain in index:
            return index[plain]
    if 5 <= len(key) <= 40:
        best = process.extractOne(key, list(index), scorer=fuzz.ratio, score_cutoff=FUZZY_HEADER_SCORE)
        if best is not None:
            return index[best[0]]
    return None


_SYNONYM_INDEXES: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}


def _synonym_index(synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Synonym → field, the first field listing it winning (built once per synonym table: a header
    row of 16,384 columns must not cost 16,384 × every synonym)."""
    cached = _SYNONYM_INDEXES.get(id(synonyms))
    if cached is not None and cached[0] is synonyms:
        return cached[1]
    index: dict[str, str] = {}
    for name, words in synonyms.items():
        for word in words:
            index.setdefault(word, name)
    _SYNONYM_INDEXES[id(synonyms)] = (synonyms, index)
    return index


_UNIT_WORDS = {
    "j",
    "h",
    "jh",
    "jour",
    "jours",
    "day",
    "days",
    "person",
    "personne",
    "personnes",
    "semaine",
    "semaines",
    "week",
    "weeks",
    "pct",
    "percent",
    "etp",
    "fte",
    "en",
    "in",
    "par",
    "per",
    "s",
    "heures",
    "hours",
    "hrs",
    "hr",
    "horas",
    "stunden",
    "pd",
    "md",
}


def _map_columns(cells: Sequence[Any], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (name := match_field(cell, synonyms)) and name not in columns:
            columns[name] = index
    return columns


def find_table(
    sheet: str,
    rows: Rows,
    synonyms: Mapping[str, tuple[str, ...]],
    required: Iterable[str],
    *,
    infer: bool = False,
) -> Table | None:
    """The table of a sheet: its header row, columns and data rows, if it has every ``required`` field.

    The header is the first row among the top :data:`HEADER_SCAN_ROWS` that maps the most fields
    with all ``required``. With ``infer`` (the measures sheet), a header row that names some fields
    (or, when none does, the first row with the most text cells) is also taken when the content of
    its columns gives the missing ones (:func:`roadmap.importing.inference.infer_columns`), and the
    missing fields of any header are looked for in the content. A second header row under merged
    group headers (or a header cell written in the merged row above) completes the header.
    """
    required = set(required)
    best: tuple[int, int, dict[str, int]] | None = None
    named: tuple[int, int, dict[str, int]] | None = None
    scan = list(range(min(len(rows), HEADER_SCAN_ROWS)))
    if infer:  # a table further down, after blank rows or a banner (tables one under another)
        scan = [*scan, *header_rows_after_gaps(rows, start=HEADER_SCAN_ROWS, limit=STACK_SCAN_HEADERS)]
    for index in scan:
        columns = _map_columns(rows[index], synonyms)
        if required <= columns.keys() and (best is None or len(columns) > len(best[2])):
            best = (index, len(columns), columns)
        if columns and (named is None or len(columns) > named[1]):
            named = (index, len(columns), columns)
    if infer and best is not None and named is not None and named[0] < best[0] and best[1] == 1 < named[1]:
        best = None  # one cell of a data row matching a title word (``Recommandation``) is no header
    if best is None and infer:
        best = named or _text_header(rows)
    if best is None:
        return None
    index, _, columns = best
    block = _table_block(rows, index, columns) if infer else None
    if block is not None:  # several tables side by side: the others' cells are blanked out, not read
        low, high = block
        rows = [*rows[:index], *([c if low <= i < high else None for i, c in enumerate(r)] for r in rows[index:])]
        columns = {name: i for name, i in columns.items() if low <= i < high}
    stack = None
    if infer:
        rows, stack = stack_tables(rows, index, columns, lambda cells: _map_columns(cells, synonyms))
        if stack is not None:
            columns = {**columns, **stack.added}
    headers = [to_text(c) for c in rows[index]]
    start, second = index, None
    if infer:
        headers, columns, start, second = _complete_header(rows, index, headers, columns, synonyms)
    data, skipped = body_rows(rows, start)
    if second is not None:
        skipped.insert(0, (second + 1, "second header row"))
    inferred: dict[str, int] = {}
    if infer:
        columns = _codes_not_titles(_numbers_only(columns, data), data)
        inferred = infer_columns(headers, [cells for _, cells in data], columns)
        columns = {**columns, **inferred}
    if infer and "title" in required and "title" not in columns and _ids_as_titles(data, columns.get("id")):
        columns = {**columns, "title": columns["id"]}  # a catalogue of IDs: a first plan, the ID as the title
    if not required <= columns.keys():
        return None
    table = Table(sheet, index + 1, columns, headers, data, skipped, inferred=inferred)
    table.block, table.stack = block, stack
    if stack is not None and stack.banners:  # each banner over a table: the domain of its measures
        starts = sorted(stack.banners)
        for row, _ in data:
            if at := bisect.bisect_left(starts, row):
                table.domains[row] = stack.banners[starts[at - 1]]
    return table


_CODE = re.compile(r"^[A-Za-z]{0,4}[.\-_ ]?\d+([.\-]\d+)*[a-z]?$")
"""A control or requirement code: ``A.5.1``, ``5.1``, ``AC-2``, ``CIS 1.1``."""


def _codes_not_titles(columns: dict[str, int], data: Sequence[tuple[int, list[Any]]]) -> dict[str, int]:
    """``columns`` with a title column that holds codes (``Control``: ``A.5.1``, ``A.5.2``… in 80 % of
    its filled cells) read as the ID instead (or left out when the ID has its column), so that the
    column of long texts beside it (``Control title``) is found as the title from its content."""
    index = columns.get("title")
    if index is None:
        return columns
    filled = [to_text(cells[index]) for _, cells in data[:SAMPLE_ROWS] if index < len(cells) and cells[index]]
    if not filled or sum(bool(_CODE.match(text.strip())) for text in filled) < 0.8 * len(filled):
        return columns
    columns = {name: i for name, i in columns.items() if name != "title"}
    return columns if "id" in columns else {**columns, "id": index}


def _numbers_only(columns: dict[str, int], data: Sequence[tuple[int, list[Any]]]) -> dict[str, int]:
    """``columns`` without a progress or effort column whose cells are mostly words with no digit, most
    of them priority or status words: the header named it by a near word (``Avancé``, a level, for
    ``Avancement``), its content says what it is (the content inference then reads it). A column of
    other words stays, for its errors to be reported."""
    for name in ("progress", "effort_days"):
        index = columns.get(name)
        if index is None:
            continue
        texts = [to_text(cells[index]) for _, cells in data[:300] if index < len(cells) and not is_blank(cells[index])]
        if texts and sum(not any(ch.isdigit() for ch in t) for t in texts) >= 0.8 * len(texts):
            distinct = set(texts)
            if sum(_is_word_of(text) for text in distinct) >= 0.6 * len(distinct):
                columns = {key: at for key, at in columns.items() if key != name}
    return columns


def _is_word_of(text: str) -> bool:
    """True when ``text`` is a priority or a status word (:mod:`roadmap.importing.vocabulary`)."""
    for parser in (parse_priority, parse_status):
        try:
            parser(text)
        except CellValueError:
            continue
        return True
    return False


def _ids_as_titles(data: Sequence[tuple[int, list[Any]]], ident: int | None) -> bool:
    """True when the ID column can stand for the titles of a table that has none: filled on most rows,
    its values mostly distinct and not bare numbers (``RECENSEMENT.1``, ``AC-2``; not ``1, 2, 3``)."""
    if ident is None or not data:
        return False
    texts = [to_text(cells[ident]) for _, cells in data[:300] if ident < len(cells) and not is_blank(cells[ident])]
    if len(texts) < 0.8 * min(len(data), 300):
        return False
    words = sum(any(ch.isalpha() for ch in t) for t in texts)
    return words >= 0.8 * len(texts) and len(set(texts)) >= 0.9 * len(texts)


def _table_block(rows: Rows, index: int, columns: Mapping[str, int]) -> tuple[int, int] | None:
    """The columns ``(first, end)`` (0-based, end excluded) of the table that holds the measures when the
    header row holds several tables side by side, else ``None``.

    Tables are runs of columns separated by at least one column blank in the header and in the first
    :data:`BLOCK_SCAN_ROWS` rows under it; each of two tables or more has two header cells or more. The
    table of measures is the one with the title column, else the one that names the most fields.
    """
    header = rows[index]
    below = rows[index + 1 : index + 1 + BLOCK_SCAN_ROWS]
    width = max((len(r) for r in (header, *below)), default=0)
    used = [
        (i < len(header) and not is_blank(header[i])) or any(i < len(r) and not is_blank(r[i]) for r in below)
        for i in range(width)
    ]
    blocks: list[tuple[int, int]] = []
    for i, filled in enumerate(used):
        if filled and (not blocks or blocks[-1][1] < i):
            blocks.append((i, i + 1))
        elif filled:
            blocks[-1] = (blocks[-1][0], i + 1)
    tables = [(a, b) for a, b in blocks if sum(not is_blank(c) for c in header[a:b]) >= 2]
    if len(tables) < 2:
        return None
    title = columns.get("title")
    if title is not None:
        return next(((a, b) for a, b in tables if a <= title < b), None)
    return max(tables, key=lambda block: sum(block[0] <= i < block[1] for i in columns.values()))


BLOCK_SCAN_ROWS = 50
"""Rows under a header looked at to tell tables side by side apart."""

STACK_SCAN_HEADERS = 50
"""Rows after a gap (blank rows or a banner) below the top :data:`HEADER_SCAN_ROWS` rows looked at as
possible headers of the measures' table (tables one under another)."""


def _text_header(rows: Rows) -> tuple[int, int, dict[str, int]] | None:
    """The first row with the most text cells (two at least) among the top rows, as a header."""
    best: tuple[int, int, dict[str, int]] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = sum(isinstance(c, str) and bool(c.strip()) and not _is_numeric_text(c) for c in cells)
        if texts >= 2 and (best is None or texts > best[1]):
            best = (index, texts, {})
    return best


def _is_numeric_text(text: str) -> bool:
    return text.strip().replace(".", "", 1).replace(",", "", 1).replace("-", "", 1).isdigit()


def _complete_header(
    rows: Rows, index: int, headers: list[str], columns: dict[str, int], synonyms: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], dict[str, int], int, int | None]:
    """The header completed by the row under it when that row is a second header row (its cells
    name fields the header does not have, in columns where the header is blank or names nothing,
    under merged group headers), else by the row above for the cells blank in the header.

    Returns:
        ``(headers, columns, index of the last header row, 0-based index of the second header row or None)``.
    """
    headers, columns = list(headers), dict(columns)
    for other in (index + 1, index - 1):
        if not 0 <= other < len(rows):
            continue
        extra = {}
        for position, cell in enumerate(rows[other]):
            name = match_field(cell, synonyms) if isinstance(cell, str) else None
            here = headers[position] if position < len(headers) else ""
            if name and name not in columns and (not here or match_field(here, synonyms) is None):
                if other < index and here:
                    continue  # above the header, only the cells the header leaves blank
                extra[name] = position
        if len(extra) >= (2 if other > index else 1):
            for name, position in extra.items():
                headers += [""] * (position + 1 - len(headers))
                headers[position] = to_text(rows[other][position])
                columns[name] = position
            if other > index:
                return headers, columns, other, other
    return headers, columns, index, None


TYPE_WORDS = {"text", "texte", "date", "number", "nombre", "identifier", "identifiant", "integer", "entier"}
"""Words of a 'type' row under a header (FedRAMP templates), normalised."""


def body_rows(rows: Rows, header_index: int) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, str]]]:
    """The data rows under a header, and the rows skipped with why.

    Skipped: empty rows; repeats of the header; description or type rows right under the header
    (every filled cell is a type word such as Text/Date, or most are sentences).

    Returns:
        ``([(excel_row, cells)], [(excel_row, reason)])``, Excel rows 1-based.
    """
    header = [normalize(c) for c in rows[header_index]]
    data: list[tuple[int, list[Any]]] = []
    skipped: list[tuple[int, str]] = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=1):
        excel_row = header_index + 1 + offset
        if all(is_blank(c) for c in cells):
            continue
        if cells and normalize(cells[0]) == header[0] and [normalize(c) for c in cells] == header[: len(cells)]:
            skipped.append((excel_row, "repeated header"))
            continue
        if offset <= 3 and not data and _is_description([to_text(c) for c in cells if not is_blank(c)]):
            skipped.append((excel_row, "description or type row under the header"))
            continue
        data.append((excel_row, list(cells)))
    return data, skipped


def _is_description(filled: list[str]) -> bool:
    """A row of 3+ cells that mostly names types (Text, Date, Control Number…) or holds sentences."""
    if len(filled) < 3:
        return False
    words = [normalize(c).split() for c in filled]
    typed = sum(len(w) <= 3 and bool(set(w) & TYPE_WORDS) for w in words)
    if typed / len(filled) >= 0.5:
        return True
    long_texts = sum(len(c) > 25 and " " in c for c in filled)
    return long_texts / len(filled) >= 0.8


@dataclass(frozen=True)
class SheetLayout:
    """Where the table of measures sits in a workbook, as the loader finds it.

    Attributes:
        sheet: the sheet's name in the file.
        header_row: 1-based Excel row of the header.
        columns: field of :data:`MEASURE_COLUMNS` → 0-based column index.
        headers: header text by 0-based column index (``""`` when blank).
        ids: (1-based Excel row, measure ID as the loader reads it) of each data row with an ID.
        width: number of columns in use in the header and data rows (last non-blank + 1).
    """

    sheet: str
    header_row: int
    columns: Mapping[str, int]
    headers: tuple[str, ...]
    ids: tuple[tuple[int, str], ...]
    width: int


def measures_layout(tables: Mapping[str, Rows]) -> SheetLayout | None:
    """Locate the Measures sheet, its header row and its columns, exactly as
    :func:`load_workbook` does.

    Args:
        tables: every sheet's rows, as from :func:`read_tables`.

    Returns:
        The layout, or ``None`` when no sheet has a header with an ID and a title column.
    """
    roles = assign_sheets(tables)
    name = next((sheet for sheet, role in roles.items() if role == "measures"), None)
    if name is None:
        return None
    table = find_table(name, tables[name], MEASURE_COLUMNS, ("id", "title"))
    if table is None:
        return None
    used = [table.headers, *(cells for _, cells in table.rows)]
    width = max((i + 1 for cells in used for i, c in enumerate(cells) if not is_blank(c)), default=0)
    ids = tuple((row, to_text(table.cell(cells, "id"))) for row, cells in table.rows)
    return SheetLayout(
        sheet=name,
        header_row=table.header_row,
        columns=dict(table.columns),
        headers=tuple(table.headers),
        ids=tuple((row, ident) for row, ident in ids if ident),
        width=width,
    )


def assign_sheets(tables: Mapping[str, Rows], *, hidden: Collection[str] = ()) -> dict[str, str | None]:
    """Which §4 sheet each sheet of the file is: by name; else (measures only) the sheet whose table
    (:func:`find_table`, with content inference) has a title and at least one more field: a visible
    sheet first (a ``hidden`` one holds lists or old data more often than the plan), then one with data
    rows, the one with the most fields, the most data rows, the first."""
    roles: dict[str, str | None] = {}
    for name in tables:
        key = normalize(name)
        roles[name] = next(
            (role for role, names in SHEET_NAMES.items() if key in names and role not in roles.values()), None
        )
    if "measures" not in roles.values():
        best: tuple[bool, bool, bool, int, int, int] | None = None
        chosen = None
        for position, (name, rows) in enumerate(tables.items()):
            if roles[name] is not None:
                continue
            table = find_table(name, rows, MEASURE_COLUMNS, ("title",), infer=True)
            if table is None or len(table.columns) < 2:
                continue
            titled = table.columns["title"] != table.columns.get("id")  # a real title column before IDs as titles
            score = (name not in hidden, titled, bool(table.rows), len(table.columns), len(table.rows), -position)
            if best is None or score > best:
                best, chosen = score, name
        if chosen is None:  # a risk register alone: its risks, with their treatments, are the plan
            chosen = next((name for name in tables if roles[name] == "risks" and _treatments(name, tables[name])), None)
        if chosen is not None:
            roles[chosen] = "measures"
    return roles


def _treatments(name: str, rows: Rows) -> bool:
    """True when a sheet named as the risks has a column of measure titles named by its header
    (``Risk Description``, ``Mitigation Plan``) and two more fields: a risk register kept as the
    action plan, not Rempart's Risks sheet (whose scenarios are not measures)."""
    table = find_table(name, rows, MEASURE_COLUMNS, ("title",), infer=True)
    return table is not None and "title" not in table.inferred and len(table.columns) >= 3
