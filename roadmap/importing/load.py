"""Load a roadmap workbook (PRODUCT.md §4) from ``.xlsx``, ``.xlsm``, ``.ods`` or ``.csv``.

:func:`load_workbook` never stops at the first problem: it returns the roadmap it could build
together with every issue found, each naming the sheet, the row and column as Excel shows them,
the value and a fix. :func:`load_roadmap` does the same but raises
:class:`~roadmap.errors.InvalidWorkbookError` when any issue is blocking.

Reading uses python-calamine (fast, reads xlsx/xlsm/xlsb/xls/ods; never runs macros). A CSV
file holds the Measures sheet alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import graphlib
import hashlib
import html
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as SafeET
import holidays
from defusedxml import DefusedXmlException
from pydantic import ValidationError

from roadmap.errors import CellValueError, InvalidWorkbookError, NotASpreadsheetError, UnsafeFileError, WorkbookError
from roadmap.i18n import N_
from roadmap.importing.isolation import parse_in_worker
from roadmap.importing.parse_worker import trimmed

if TYPE_CHECKING:
    from roadmap.importing.mapping import ColumnMapping
from roadmap.importing.values import (
    detect_day_first,
    is_blank,
    normalize,
    parse_bool,
    parse_date,
    parse_effort,
    parse_id_list,
    parse_int,
    parse_level_name,
    parse_mitigations,
    parse_number,
    parse_percent,
    parse_priority,
    parse_quarter,
    parse_scale_level,
    parse_status,
    shorten,
    to_text,
)
from roadmap.models import Issue, Measure, Mitigation, Priority, Risk, Roadmap, Settings, Status, Team
from roadmap.risk import level_of_score

Rows = list[list[Any]]

DEFAULT_EFFORT_BY_PRIORITY: dict[Priority, float] = {
    Priority.P1: 8.0,
    Priority.P2: 5.0,
    Priority.P3: 3.0,
    Priority.P4: 2.0,
}
"""Effort in person-days assumed for a measure whose effort is missing (reported as a warning)."""

DEFAULT_EFFECTIVENESS = 0.5
"""Effectiveness assumed for a measure↔risk link written without one (reported as a warning)."""

SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "measures": ("mesures", "measures", "mesure", "measure", "plan d actions", "actions"),
    "risks": ("risques", "risks", "risque", "risk", "scenarios de risque", "risk register"),
    "teams": ("equipes", "teams", "equipe", "team", "capacite", "capacity"),
    "settings": ("parametres", "settings", "parametre", "setting", "configuration"),
}
"""Normalised sheet names (see :func:`roadmap.values.normalize`) for each sheet of §4."""

MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "ref",
        "reference",
        "identifiant",
        "n",
        "no",
        "numero",
        "code",
        "poam id",
        "item id",
        "task no",
        "measure id",
        "action id",
        "control id",
        "qid",
    ),
    "title": (
        "mesure",
        "intitule",
        "measure",
        "title",
        "titre",
        "libelle",
        "action",
        "nom de la mesure",
        "intitule de la mesure",
        "weakness name",
        "task",
        "task name",
        "plugin name",
        "action title",
    ),
    "domain": ("domaine", "domain", "theme", "chantier", "categorie", "category", "famille", "family"),
    "team": ("equipe", "team", "equipe en charge", "assigned team"),
    "owner": ("responsable", "pilote", "owner", "porteur", "point of contact", "responsibility", "assignee"),
    "effort_days": (
        "charge j h",
        "charge",
        "effort person days",
        "effort",
        "charge jh",
        "effort days",
        "jours homme",
        "person days",
        "workload",
    ),
    "max_crew": ("personnes max", "max people", "max crew", "crew"),
    "status": ("statut", "status", "etat", "state"),
    "progress": ("avancement", "progress", "percent complete", "complete", "realisation", "pourcentage"),
    "priority": ("priorite", "priority"),
    "baseline_start": (
        "debut prevu",
        "planned start",
        "date de debut prevue",
        "baseline start",
        "start date",
        "date de debut",
    ),
    "baseline_end": (
        "fin prevue",
        "planned end",
        "date de fin prevue",
        "baseline end",
        "planned finish",
        "end date",
        "date de fin",
    ),
    "baseline_quarter": ("trimestre prevu", "planned quarter", "trimestre", "quarter"),
    "depends_on": ("depend de", "prerequis", "depends on", "dependencies", "predecessors", "predecesseurs"),
    "mitigates": ("risques traites", "mitigates", "risks mitigated", "risques couverts"),
    "references": ("referentiel", "references", "referentiels", "framework", "frameworks", "controls", "exigences"),
    "due_date": (
        "echeance",
        "due date",
        "due",
        "date limite",
        "deadline",
        "scheduled completion date",
        "target completion date",
        "date cible",
    ),
    "done_date": (
        "date de realisation",
        "completed on",
        "completion date",
        "done date",
        "date de fin reelle",
        "actual completion date",
    ),
    "fixed_sprint": ("sprint impose", "fixed sprint", "sprint"),
    "notes": (
        "commentaire",
        "commentaires",
        "notes",
        "note",
        "comments",
        "comment",
        "remarques",
        "observations",
        "notes questions",
        "description",
        "description de la mesure",
        "weakness description",
    ),
}
"""Normalised French and English header synonyms of the Measures sheet, per field."""

RISK_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "identifiant", "risk id", "code", "risk no"),
    "scenario": (
        "scenario",
        "scenario de risque",
        "risque",
        "risk",
        "intitule",
        "title",
        "description",
        "risk name",
        "threat",
        "menace",
    ),
    "likelihood": ("vraisemblance", "likelihood", "probabilite", "probability"),
    "severity": ("gravite", "severity", "impact"),
    "target_level": ("niveau cible", "target level", "cible", "target", "niveau de risque cible", "target risk level"),
}
TEAM_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("equipe", "team", "nom", "name"),
    "fte": ("etp", "fte", "effectif"),
    "availability": ("disponibilite", "availability", "disponibilite programme"),
    "reinforcement": ("renfort j h semaine", "renfort", "reinforcement person days per week", "reinforcement"),
}
SETTINGS_COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("parametre", "setting", "cle", "key", "nom", "name"),
    "value": ("valeur", "value"),
}
SETTING_KEYS: dict[str, tuple[str, ...]] = {
    "establishment": ("etablissement", "establishment", "hopital", "hospital", "organisation", "organization"),
    "start_date": (
        "date de debut du programme",
        "date de debut",
        "programme start date",
        "program start date",
        "start date",
        "debut du programme",
    ),
    "horizon_weeks": ("horizon semaines", "horizon", "horizon weeks"),
    "sprint_weeks": (
        "duree du sprint semaines",
        "duree du sprint",
        "sprint length weeks",
        "sprint length",
        "duree des sprints",
    ),
    "calendar": ("calendrier", "calendar"),
    "likelihood_scale": ("echelle de vraisemblance", "likelihood scale"),
    "severity_scale": ("echelle de gravite", "severity scale"),
    "partial_credit": ("credit partiel en cours", "partial credit", "partial credit for in progress measures"),
}

PLAN_EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "sprint": ("Sprint planifié", "Scheduled sprint"),
    "start": ("Début planifié", "Scheduled start"),
    "end": ("Fin planifiée", "Scheduled end"),
    "reason": ("Raison du report", "Deferral reason"),
}
"""Columns the XLSX plan export (:func:`roadmap.export.build_plan_xlsx`) adds to the Measures
sheet, French and English header. The loader never reads them as fields (``Sprint planifié``
would otherwise match ``Sprint imposé``'s synonym ``sprint``): they come back in
:attr:`Measure.extra`, so that an exported plan re-imports to the same roadmap."""

_EXPORT_KEYS = {normalize(header) for headers in PLAN_EXPORT_HEADERS.values() for header in headers}
_HEADER_SCAN_ROWS = 30
_FRENCH_CALENDARS = {"france", "fr", "francaise"}


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_workbook` found.

    Attributes:
        roadmap: the roadmap built from every readable row (measures with a bad cell get the
            field's default, so that later checks can go on).
        issues: every issue, in sheet and row order.
        sheets: sheet name in the file → the §4 sheet it was read as (``measures``, ``risks``,
            ``teams``, ``settings``) or ``None`` when ignored.
    """

    roadmap: Roadmap
    issues: tuple[Issue, ...]
    sheets: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """The blocking issues."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when no issue blocks planning."""
        return not self.errors


# --------------------------------------------------------------------------------------------
# Reading bytes into tables


def read_tables(data: bytes, *, filename: str = "workbook.xlsx") -> dict[str, Rows]:
    """Every sheet of a spreadsheet as rows of raw cell values, row 1 first, column A first.

    Args:
        data: the file's bytes.
        filename: used for its extension only (``.csv``/``.tsv``/``.txt`` are read as text;
            everything else by content).

    Returns:
        Sheet name → rows (lists of ``str``/``float``/``bool``/``date``/``datetime``/``None``);
        a text file gives one sheet named after the file.

    Raises:
        NotASpreadsheetError: the bytes are not a spreadsheet Rempart can read.
        UnsafeFileError: too large, a possible zip bomb, or an absurd shape (see the ``MAX_*``
            limits of this module).
    """
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeFileError(
            f"'{filename}' is {len(data) / 1e6:.0f} MB; Rempart reads workbooks up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB. "
            "Remove unused sheets or save the measures alone"
        )
    if data[:4] == b"PK\x03\x04":
        _check_archive(data, filename)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_binary(data, filename)
    if suffix in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}:
        raise NotASpreadsheetError(
            f"'{filename}' is not a spreadsheet: its content is not an Excel or ODS file. "
            "Check that it is the right file, or open it in Excel or LibreOffice and save it as .xlsx"
        )
    return {Path(filename).stem or "data": read_text_table(data, filename=filename)[0]}


MAX_FILE_BYTES = 20_000_000
"""Largest file read (bytes)."""
MAX_UNCOMPRESSED_BYTES = 300_000_000
"""Largest total uncompressed size of an .xlsx/.ods archive (bytes), checked before parsing."""
MAX_COMPRESSION_RATIO = 150
"""Largest ratio uncompressed / compressed of one archive member (zip bombs reach thousands)."""
MAX_SHEETS = 500
MAX_ROWS = 200_000
"""Rows read per sheet; a sheet with more data rows is refused with a message."""


def _check_archive(data: bytes, filename: str) -> None:
    """Refuse zip bombs and absurd shapes before any parser opens the archive.

    Raises:
        UnsafeFileError: too many members, too large once uncompressed, or a suspicious ratio.
        NotASpreadsheetError: a broken zip.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotASpreadsheetError(
            f"'{filename}' is not a readable spreadsheet (damaged or truncated archive: {exc}). "
            "Open it in Excel or LibreOffice and save it again"
        ) from exc
    with archive:
        try:
            _check_members(archive, filename)
        except WorkbookError:
            raise
        except _ZIP_ERRORS as exc:  # a damaged member
            raise NotASpreadsheetError(
                f"'{filename}' is damaged ({_zip_problem(exc)}). Open it in Excel or LibreOffice and save it again"
            ) from exc


_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)
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


def _check_members(archive: zipfile.ZipFile, filename: str) -> None:
    """The size checks first (from the directory, nothing decompressed), then each XML part: no DTD or
    entity declaration, and the sheets' extents (.xlsx) or the repeated cells and sheet count (.ods)."""
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
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):  # the parts a reader parses
            continue
        xml = archive.read(member)
        _check_no_entities(xml, member=member.filename, filename=filename)
        xml = _as_utf8(xml)
        _check_string_count(xml, member=member.filename, filename=filename)
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            _check_used_range(xml, member=member.filename, filename=filename, sheets=parts)
        if member.filename.startswith("xl/") and member.filename.endswith(".xml"):
            _check_ranges(xml, member=member.filename, filename=filename, sheets=parts)
        if member.filename == "content.xml":
            _check_ods_extent(xml, filename=filename)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name → sheet name of an .xlsx/.xlsm (``xl/worksheets/sheet1.xml`` → ``Mesures``), for the
    messages; ``{}`` when the workbook part cannot be read (the parser will say why)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (LookupError, SafeET.ParseError, DefusedXmlException, *_ZIP_ERRORS):  # LookupError: an unknown encoding
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
    if any(mark in xml for mark in _DTD_MARKS):
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
    declared = _SST_COUNT.search(xml)
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
_RANGE_ATTRIBUTE = re.compile(rb"""\s(?:ref|sqref)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
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


def _read_binary(data: bytes, filename: str) -> dict[str, Rows]:
    """A binary spreadsheet's sheets, parsed by python-calamine in a worker process under memory and
    time limits (:mod:`roadmap.isolation`): what the guards above miss costs one message."""
    return parse_in_worker(data, filename=filename, max_rows=MAX_ROWS)


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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = trimmed(_limited(([cell if cell.strip() else None for cell in row] for row in reader), filename))
    except csv.Error as exc:
        raise NotASpreadsheetError(f"'{filename}' cannot be read as CSV ({exc}); save it again from Excel") from exc
    return rows, encoding, delimiter


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


# --------------------------------------------------------------------------------------------
# Finding the header and the columns


@dataclass
class _Table:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 0-based column index
    headers: list[str]  # header text by column index
    rows: list[tuple[int, list[Any]]]  # (1-based Excel row, cells)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (1-based Excel row, why)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # field -> value for blank cells
    defaulted: dict[str, int] = field(default_factory=dict)  # field -> how many cells took the default

    def header(self, field_name: str) -> str:
        if field_name not in self.columns:
            return f"({field_name})"
        return self.headers[self.columns[field_name]] or _column_letter(self.columns[field_name])

    def cell(self, cells: list[Any], field_name: str) -> Any:
        index = self.columns.get(field_name)
        value = cells[index] if index is not None and index < len(cells) else None
        if is_blank(value) and field_name in self.defaults:
            self.defaulted[field_name] = self.defaulted.get(field_name, 0) + 1
            return self.defaults[field_name]
        return value


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _match_field(header: str, synonyms: Mapping[str, tuple[str, ...]]) -> str | None:
    """The field whose synonym is the normalised header, else whose synonym followed by unit words
    only is (``Charge (jours)``, ``Avancement en %``; the longest synonym wins), else ``None``."""
    key = normalize(header)
    if not key or key in _EXPORT_KEYS:
        return None
    index = _synonym_index(synonyms)
    if key in index:
        return index[key]
    words = key.split(" ")
    for end in range(len(words) - 1, 0, -1):  # longest prefix first, the rest must be unit words
        if not set(words[end:]) <= _UNIT_WORDS:
            break
        prefix = " ".join(words[:end])
        if len(prefix) > 2 and prefix in index:
            return index[prefix]
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
}


def _map_columns(cells: Sequence[Any], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (name := _match_field(cell, synonyms)) and name not in columns:
            columns[name] = index
    return columns


def _find_table(
    sheet: str, rows: Rows, synonyms: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> _Table | None:
    """The first row among the top rows that maps the most fields, if it maps all ``required``."""
    required = set(required)
    best: tuple[int, int, dict[str, int]] | None = None
    for index, cells in enumerate(rows[:_HEADER_SCAN_ROWS]):
        columns = _map_columns(cells, synonyms)
        if required <= columns.keys() and (best is None or len(columns) > len(best[2])):
            best = (index, len(columns), columns)
    if best is None:
        return None
    index, _, columns = best
    data, skipped = body_rows(rows, index)
    return _Table(sheet, index + 1, columns, [to_text(c) for c in rows[index]], data, skipped)


def _mapped_table(sheet: str, rows: Rows, mapping: ColumnMapping, issues: _Collector) -> _Table | None:
    """The measures table as a confirmed :class:`roadmap.mapping.ColumnMapping` says."""
    if mapping.header_row > len(rows):
        issues.add(
            "error",
            N_("the mapping's header row {row} is below the last row ({last})"),
            sheet=sheet,
            hint=N_("inspect the file again and confirm the header row"),
            params={"row": mapping.header_row, "last": len(rows)},
        )
        return None
    index = mapping.header_row - 1
    headers = [to_text(c) for c in rows[index]]
    columns: dict[str, int] = {}
    for header, name in mapping.columns.items():
        if name not in MEASURE_COLUMNS:
            issues.add(
                "error",
                N_("unknown field {field} in the mapping"),
                sheet=sheet,
                column=header,
                hint=N_("fields: {fields}"),
                params={"field": repr(name), "fields": ", ".join(MEASURE_COLUMNS)},
            )
        elif header.strip() not in headers:
            issues.add(
                "error",
                N_("the mapping names a column that is not in the header row"),
                sheet=sheet,
                row=mapping.header_row,
                column=header,
                hint=N_("inspect the file again and confirm the mapping"),
            )
        else:
            columns[name] = headers.index(header.strip())
    data, skipped = body_rows(rows, index)
    return _Table(sheet, mapping.header_row, columns, headers, data, skipped, dict(mapping.defaults))


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
    roles = _assign_sheets(tables)
    name = next((sheet for sheet, role in roles.items() if role == "measures"), None)
    if name is None:
        return None
    table = _find_table(name, tables[name], MEASURE_COLUMNS, ("id", "title"))
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


# --------------------------------------------------------------------------------------------
# Building the models


class _Collector:
    """Collects issues while building models from one table."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.refused_teams: set[str] = set()

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(
        self,
        severity: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        """Record an issue; ``message`` and ``hint`` are :func:`N_` templates filled from ``params``."""
        pairs = tuple((name, str(text)) for name, text in (params or {}).items())
        self.append(severity, message, hint, pairs, sheet=sheet, row=row, column=column, value=value)

    def append(
        self,
        severity: str,
        template: str,
        hint_template: str,
        params: tuple[tuple[str, str], ...],
        *,
        sheet: str | None,
        row: int | None,
        column: str | None,
        value: object,
    ) -> None:
        fields = dict(params)
        self.issues.append(
            Issue(
                severity=severity,
                message=template.format(**fields) if fields else template,
                sheet=sheet,
                row=row,
                column=column,
                value=None if value is None else shorten(value),
                hint=hint_template.format(**fields) if fields else hint_template,
                template=template,
                hint_template=hint_template,
                params=params,
            )
        )

    def parse(
        self,
        table: _Table,
        row: int,
        cells: list[Any],
        field_name: str,
        parser: Callable[[Any], Any],
        *,
        severity: str = "error",
    ) -> Any:
        """Parse one cell; ``None`` when blank or unreadable (the problem is recorded)."""
        raw = table.cell(cells, field_name)
        if is_blank(raw):
            return None
        try:
            return parser(raw)
        except CellValueError as exc:
            self.append(
                severity,
                exc.template,
                exc.hint_template,
                exc.params,
                sheet=table.sheet,
                row=row,
                column=table.header(field_name),
                value=raw,
            )
            return None


def _date_parser(table: _Table, field_name: str, issues: _Collector) -> Callable[[Any], dt.date]:
    """A date parser for one column, day-first or month-first as the column's texts decide."""
    values = [table.cell(cells, field_name) for _, cells in table.rows]
    day_first = detect_day_first(values)
    if day_first is None:
        ambiguous = [v for v in values if isinstance(v, str) and "/" in v]
        if ambiguous:
            issues.add(
                "warning",
                N_(
                    "dates written nn/nn/yyyy whose order (day/month) cannot be told from the "
                    "column; they are read day first (31/03/2027)"
                ),
                sheet=table.sheet,
                row=table.header_row,
                column=table.header(field_name),
                value=ambiguous[0],
                hint=N_("use real date cells or ISO dates (2027-03-31) to remove the doubt"),
            )
        day_first = True

    def parse(value: Any) -> dt.date:
        return parse_date(value, day_first=day_first)

    return parse


def _build_measures(table: _Table, issues: _Collector) -> list[Measure]:
    date_fields = ("baseline_start", "baseline_end", "due_date", "done_date")
    date_parsers = {f: _date_parser(table, f, issues) for f in date_fields if f in table.columns}
    known = set(table.columns.values())
    measures = []
    taken: set[str] = set()
    for row, cells in table.rows:

        def value(
            name: str,
            parser: Callable[[Any], Any],
            *,
            severity: str = "error",
            _row: int = row,
            _cells: list[Any] = cells,
        ) -> Any:
            return issues.parse(table, _row, _cells, name, parser, severity=severity)

        title = value("title", to_text)
        ident = value("id", to_text) if "id" in table.columns else (title and generated_id(title, taken))
        if not ident or not title:
            column = "id" if not ident else "title"
            issues.add(
                "error",
                N_("this measure has no ID") if not ident else N_("this measure has no title"),
                sheet=table.sheet,
                row=row,
                column=table.header(column),
                value=title or ident,
                hint=N_("give every measure an ID, or delete the row")
                if not ident
                else N_("give every measure a title, or delete the row"),
            )
            continue
        priority = value("priority", parse_priority) or Priority.P3
        effort = value("effort_days", parse_effort)
        status = value("status", parse_status) or Status.NOT_STARTED
        if effort is None:
            effort = DEFAULT_EFFORT_BY_PRIORITY[priority]
            if is_blank(table.cell(cells, "effort_days")):
                issues.add(
                    "warning",
                    N_("no effort given; {effort} person-days assumed for a {priority} measure"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header("effort_days") if "effort_days" in table.columns else "Charge (j.h)",
                    hint=N_("type the estimated effort in person-days"),
                    params={"effort": f"{effort:g}", "priority": priority},
                )
        links = []
        for risk_id, effectiveness in value("mitigates", parse_mitigations) or ():
            if effectiveness is None:
                effectiveness = DEFAULT_EFFECTIVENESS
                issues.add(
                    "warning",
                    N_("no effectiveness given for {risk}; {effectiveness} assumed"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header("mitigates"),
                    value=table.cell(cells, "mitigates"),
                    hint=N_("write {risk}:0.6 for 60 %"),
                    params={"risk": risk_id, "effectiveness": DEFAULT_EFFECTIVENESS},
                )
            links.append(Mitigation(risk_id=risk_id, effectiveness=effectiveness))
        dates = {f: value(f, p) for f, p in date_parsers.items()}
        progress = value("progress", parse_percent) or 0.0
        if status is Status.NOT_STARTED and 0 < progress < 100:
            status = Status.IN_PROGRESS
        if progress >= 100 and status in (Status.NOT_STARTED, Status.IN_PROGRESS):
            issues.add(
                "warning",
                N_("progress is 100 % but the status is not done; counted as not done"),
                sheet=table.sheet,
                row=row,
                column=table.header("status"),
                hint=N_("set the status to Fait (Done) if the measure is finished"),
            )
            progress = 0.0 if status is Status.NOT_STARTED else 99.0
        extra = {
            (table.headers[i] if i < len(table.headers) else "") or _column_letter(i): to_text(c)
            for i, c in enumerate(cells)
            if i not in known and not is_blank(c)
        }
        try:
            measures.append(
                Measure(
                    id=ident,
                    title=title,
                    domain=value("domain", to_text) or "",
                    team=value("team", to_text) or "",
                    owner=value("owner", to_text) or "",
                    effort_days=effort,
                    max_crew=value("max_crew", lambda v: parse_int(v, minimum=1)) or 1,
                    status=status,
                    progress=progress,
                    priority=priority,
                    baseline_quarter=value("baseline_quarter", parse_quarter),
                    depends_on=value("depends_on", parse_id_list) or (),
                    mitigates=tuple(links),
                    references=value("references", to_text) or "",
                    fixed_sprint=value("fixed_sprint", lambda v: parse_int(v, minimum=1)),
                    notes=value("notes", to_text) or "",
                    extra=extra,
                    row=row,
                    **dates,
                )
            )
        except ValidationError as exc:  # a rule of the model that no parser checks
            issues.add(
                "error",
                N_("invalid measure: {detail}"),
                sheet=table.sheet,
                row=row,
                params={"detail": exc.errors()[0]["msg"]},
            )
    return measures


def generated_id(title: str, taken: set[str]) -> str:
    """A stable ID for a measure that has none: ``M-`` and 6 hex digits of the SHA-1 of its
    normalised title (``-2``, ``-3``… for repeated titles), added to ``taken``."""
    base = "M-" + hashlib.sha1(normalize(title).encode()).hexdigest()[:6].upper()
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident


def _build_risks(table: _Table, issues: _Collector, scales: tuple[int, int]) -> list[Risk]:
    likelihood_scale, severity_scale = scales
    risks = []
    for row, cells in table.rows:
        ident = issues.parse(table, row, cells, "id", to_text)
        if not ident:
            issues.add(
                "error",
                N_("this risk has no ID"),
                sheet=table.sheet,
                row=row,
                column=table.header("id"),
                hint=N_("give every risk an ID such as R01, or delete the row"),
            )
            continue
        likelihood = issues.parse(
            table, row, cells, "likelihood", lambda v: parse_scale_level(v, kind="likelihood", scale=likelihood_scale)
        )
        severity = issues.parse(
            table, row, cells, "severity", lambda v: parse_scale_level(v, kind="severity", scale=severity_scale)
        )
        for name, level in (("likelihood", likelihood), ("severity", severity)):
            if level is None and is_blank(table.cell(cells, name)):
                issues.add(
                    "error",
                    N_("this risk has no likelihood") if name == "likelihood" else N_("this risk has no severity"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header(name),
                    hint=N_("type the likelihood (1 to 4, or V1–V4 / G1–G4)")
                    if name == "likelihood"
                    else N_("type the severity (1 to 4, or V1–V4 / G1–G4)"),
                )
        if likelihood is None or severity is None:
            continue

        def target(value: Any) -> int:
            text = to_text(value)
            if text.replace(".", "", 1).replace(",", "", 1).isdigit():
                return level_of_score(parse_number(value), max_score=likelihood_scale * severity_scale)
            return parse_level_name(value)

        risks.append(
            Risk(
                id=ident,
                scenario=issues.parse(table, row, cells, "scenario", to_text) or "",
                likelihood=likelihood,
                severity=severity,
                target_level=issues.parse(table, row, cells, "target_level", target),
                row=row,
            )
        )
    return risks


def _build_teams(table: _Table, issues: _Collector) -> list[Team]:
    """The valid teams; the names of rows refused for their FTE go to ``issues.refused_teams`` so
    that the measures of those teams are not reported again as having an unknown team."""
    teams = []
    for row, cells in table.rows:
        name = issues.parse(table, row, cells, "name", to_text)
        fte = issues.parse(table, row, cells, "fte", parse_number)
        if not name:
            issues.add(
                "error",
                N_("this team has no name"),
                sheet=table.sheet,
                row=row,
                column=table.header("name"),
                hint=N_("name the team as in the Measures sheet, or delete the row"),
            )
            continue
        if fte is None and not is_blank(table.cell(cells, "fte")):  # unreadable: already reported
            issues.refused_teams.add(name)
            continue
        if fte is None or not 0 < fte <= 10_000:
            issues.add(
                "error",
                N_("FTE must be a number above 0 and at most 10,000"),
                sheet=table.sheet,
                row=row,
                column=table.header("fte"),
                value=table.cell(cells, "fte"),
                hint=N_("type the team's full-time equivalents, e.g. 3 or 2,5"),
            )
            issues.refused_teams.add(name)
            continue
        availability = issues.parse(table, row, cells, "availability", parse_percent)
        reinforcement = issues.parse(table, row, cells, "reinforcement", parse_number)
        if reinforcement is not None and not 0 <= reinforcement <= 10_000:
            issues.add(
                "error",
                N_("reinforcement must be 0 to 10,000 person-days per week"),
                sheet=table.sheet,
                row=row,
                column=table.header("reinforcement"),
                value=reinforcement,
                hint=N_("type 0 or more"),
            )
            reinforcement = None
        teams.append(
            Team(
                name=name,
                fte=fte,
                availability=1.0 if availability is None else availability / 100,
                reinforcement=reinforcement or 0.0,
                row=row,
            )
        )
    return teams


def _build_settings(table: _Table, issues: _Collector) -> Settings:
    parsers: dict[str, Callable[[Any], Any]] = {
        "establishment": to_text,
        "start_date": parse_date,
        "horizon_weeks": lambda v: _in_range(
            parse_int(v, minimum=0), 1, 156, N_("the horizon must be {low} to {high} weeks")
        ),
        "sprint_weeks": lambda v: _in_range(
            parse_int(v, minimum=0), 1, 12, N_("the sprint length must be {low} to {high} weeks")
        ),
        "calendar": _parse_calendar,
        "likelihood_scale": _parse_scale_top,
        "severity_scale": _parse_scale_top,
        "partial_credit": parse_bool,
    }
    values: dict[str, Any] = {}
    for row, cells in table.rows:
        key = table.cell(cells, "key")
        name = _match_field(to_text(key), SETTING_KEYS)
        if name is None:
            issues.add(
                "warning",
                N_("unknown setting, ignored"),
                sheet=table.sheet,
                row=row,
                column=table.header("key"),
                value=key,
                hint=N_("known settings: {settings}"),
                params={"settings": ", ".join(words[0] for words in SETTING_KEYS.values())},
            )
            continue
        parsed = issues.parse(table, row, cells, "value", parsers[name])
        if parsed is not None:
            values[name] = parsed
    try:
        return Settings(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        issues.add(
            "error",
            N_("setting {setting}: {detail}"),
            sheet=table.sheet,
            hint=N_("horizon 1–156 weeks, sprint 1–12 weeks, scales 2–10"),
            params={"setting": error["loc"][0], "detail": error["msg"]},
        )
        return Settings()


def _in_range(value: int, low: int, high: int, message: str) -> int:
    """``value``, or a :class:`CellValueError` with ``message`` (an :func:`N_` template with ``{low}``
    and ``{high}``) when it is outside ``low`` … ``high`` weeks."""
    if not low <= value <= high:
        raise CellValueError(
            message, N_("type a number of weeks from {low} to {high}"), params={"low": low, "high": high}
        )
    return value


def _parse_calendar(value: Any) -> str:
    """``France``/``FR`` → ``FR``; ``aucun``/``none`` → ``""`` (no holidays); another ISO country code
    known to the ``holidays`` package."""
    key = normalize(value)
    if key in _FRENCH_CALENDARS:
        return "FR"
    if key in {"aucun", "none", "non", "no"}:
        return ""
    code = to_text(value).upper()
    try:
        holidays.country_holidays(code)
    except NotImplementedError:
        raise CellValueError(
            N_("unknown calendar {code}"),
            N_("write France, a country code such as BE or CH, or Aucun"),
            params={"code": repr(code)},
        ) from None
    return code


def _parse_scale_top(value: Any) -> int:
    """``4``, ``"1-4"``, ``"1 à 4"`` → 4."""
    text = to_text(value)
    return parse_int(text.replace("à", "-").split("-")[-1].strip() if "-" in text or "à" in text else value)


# --------------------------------------------------------------------------------------------
# Cross-row checks


def _check_roadmap(
    measures: list[Measure],
    risks: list[Risk],
    teams: list[Team],
    has_teams: bool,
    sheets: Mapping[str, str],
    issues: _Collector,
) -> tuple[list[Measure], list[Team]]:
    m_sheet, r_sheet, t_sheet = sheets.get("measures"), sheets.get("risks"), sheets.get("teams")
    seen: dict[str, Measure] = {}
    unique = []
    for measure in measures:
        if measure.id in seen:
            issues.add(
                "error",
                N_("duplicate ID; first used on row {row}"),
                sheet=m_sheet,
                row=measure.row,
                column="ID",
                value=measure.id,
                hint=N_("give each measure its own ID"),
                params={"row": seen[measure.id].row},
            )
            continue
        seen[measure.id] = measure
        unique.append(measure)
    risk_ids: set[str] = set()
    for risk in risks:
        if risk.id in risk_ids:
            issues.add(
                "error",
                N_("duplicate risk ID"),
                sheet=r_sheet,
                row=risk.row,
                column="ID",
                value=risk.id,
                hint=N_("give each risk its own ID"),
            )
        risk_ids.add(risk.id)
    team_names = {t.name for t in teams}
    if len(team_names) < len(teams):
        issues.add("error", N_("a team is listed twice"), sheet=t_sheet, hint=N_("keep one row per team"))
    for measure in unique:
        if not measure.team:
            issues.add(
                "error",
                N_("this measure has no team"),
                sheet=m_sheet,
                row=measure.row,
                column="Équipe",
                hint=N_("name the team that will do it (one of the Teams sheet)")
                if has_teams
                else N_("name the team that will do it"),
            )
        elif has_teams and measure.team not in team_names and measure.team not in issues.refused_teams:
            issues.add(
                "error",
                N_("unknown team"),
                sheet=m_sheet,
                row=measure.row,
                column="Équipe",
                value=measure.team,
                hint=N_("use a team of sheet '{sheet}': {teams}"),
                params={"sheet": t_sheet, "teams": ", ".join(sorted(team_names))},
            )
        for prerequisite in measure.depends_on:
            if prerequisite not in seen:
                issues.add(
                    "error",
                    N_("unknown prerequisite {id}"),
                    sheet=m_sheet,
                    row=measure.row,
                    column="Dépend de",
                    value=prerequisite,
                    hint=N_("use the ID of another measure"),
                    params={"id": prerequisite},
                )
        if risks:
            for link in measure.mitigates:
                if link.risk_id not in risk_ids:
                    issues.add(
                        "error",
                        N_("unknown risk {risk}"),
                        sheet=m_sheet,
                        row=measure.row,
                        column="Risques traités",
                        value=link.risk_id,
                        hint=N_("use a risk ID of sheet '{sheet}'"),
                        params={"risk": link.risk_id, "sheet": r_sheet},
                    )
    for cycle in _cycles({m.id: [d for d in m.depends_on if d in seen] for m in unique}):
        first = seen[cycle[0]]
        issues.add(
            "error",
            N_("dependency cycle: {cycle}"),
            sheet=m_sheet,
            row=first.row,
            column="Dépend de",
            hint=N_("remove one of these prerequisites so that the chain has a start"),
            params={"cycle": " → ".join([*cycle, cycle[0]])},
        )
    if not has_teams:
        names = sorted({m.team for m in unique if m.team})
        teams = [Team(name=name, fte=1.0) for name in names]
        if names:
            issues.add(
                "warning",
                N_("no Teams sheet: each of the {count} teams is assumed to be 1 FTE, fully available"),
                hint=N_("add a sheet 'Équipes' with columns Équipe, ETP, Disponibilité (%)"),
                params={"count": len(names)},
            )
    return unique, teams


def _cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Every dependency cycle, each once, as the list of its IDs (from graphlib's detection)."""
    remaining = {node: list(edges) for node, edges in graph.items()}
    cycles: list[list[str]] = []
    while True:
        try:
            graphlib.TopologicalSorter(remaining).prepare()
            return cycles
        except graphlib.CycleError as exc:
            cycle = list(dict.fromkeys(exc.args[1]))
            cycles.append(cycle)
            for node in cycle:  # break this cycle and look for the next one
                remaining[node] = [d for d in remaining.get(node, []) if d not in cycle]


# --------------------------------------------------------------------------------------------
# Public entry points


def load_workbook(
    source: bytes | str | Path, *, filename: str | None = None, mapping: ColumnMapping | None = None
) -> LoadResult:
    """Read a roadmap workbook and report every issue.

    Args:
        source: the file's bytes, or its path.
        filename: the file's name when ``source`` is bytes (for its extension and messages).
        mapping: a confirmed reading of the measures sheet of a workbook in another layout
            (:class:`roadmap.mapping.ColumnMapping`); without it, sheets and columns are found by
            their French or English names. Measures without an ID column get generated IDs.

    Returns:
        A :class:`LoadResult`: the roadmap (possibly partial) and the issues.

    Raises:
        NotASpreadsheetError: the file is not a spreadsheet at all.
        WorkbookError: ``source`` is a path that cannot be read.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            source = path.read_bytes()
        except OSError as exc:
            raise WorkbookError(f"cannot read '{path}': {exc.strerror or exc}") from exc
    filename = filename or "workbook.xlsx"
    tables = read_tables(source, filename=filename)
    issues = _Collector()
    roles = _assign_sheets(tables)
    if mapping is not None:
        roles = {name: (None if role == "measures" else role) for name, role in roles.items()}
        if mapping.sheet in tables:
            roles[mapping.sheet] = "measures"
        else:
            issues.add(
                "error",
                N_("the mapping's sheet '{sheet}' is not in this workbook"),
                hint=N_("sheets: {sheets}"),
                params={"sheet": mapping.sheet, "sheets": ", ".join(tables)},
            )
    found = {role: name for name, role in roles.items() if role}
    if Path(filename).suffix.lower() == ".xlsm" or _has_macros(source):
        issues.add(
            "warning",
            N_("this workbook contains macros; Rempart reads the values only and never runs them"),
            hint=N_("nothing to do; save as .xlsx to drop the macros"),
        )

    def table_for(role: str, synonyms: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> _Table | None:
        if role not in found:
            return None
        table = _find_table(found[role], tables[found[role]], synonyms, required)
        if table is None:
            issues.add(
                "error",
                N_("no header row with the columns {columns} in the first {count} rows"),
                sheet=found[role],
                hint=N_("put a header row with {headers}"),
                params={
                    "columns": ", ".join(required),
                    "count": _HEADER_SCAN_ROWS,
                    "headers": "; ".join(f"{r}: {synonyms[r][0]}" for r in required),
                },
            )
        return table

    settings_table = table_for("settings", SETTINGS_COLUMNS, ("key", "value"))
    settings = _build_settings(settings_table, issues) if settings_table else Settings()
    scales = (settings.likelihood_scale, settings.severity_scale)
    if mapping is not None and "measures" in found:
        measures_table = _mapped_table(found["measures"], tables[found["measures"]], mapping, issues)
    else:
        measures_table = table_for("measures", MEASURE_COLUMNS, ("title",))
    measures = _build_measures(measures_table, issues) if measures_table else []
    if measures_table is not None:
        _report_table_notes(measures_table, issues)
        _report_unsaved_formulas(source, measures_table.sheet, tables[measures_table.sheet], issues)
    risks_table = table_for("risks", RISK_COLUMNS, ("id", "likelihood", "severity"))
    risks = _build_risks(risks_table, issues, scales) if risks_table else []
    teams_table = table_for("teams", TEAM_COLUMNS, ("name", "fte"))
    teams = _build_teams(teams_table, issues) if teams_table else []

    if not any(any(not is_blank(c) for c in row) for rows in tables.values() for row in rows):
        issues.add(
            "error",
            N_("'{filename}' is empty: no cell holds a value"),
            hint=N_("check that it is the right file"),
            params={"filename": filename},
        )
    elif "measures" not in found:
        sheet_list = ", ".join(f"'{n}'" for n in list(tables)[:8]) + (" …" if len(tables) > 8 else "")
        issues.add(
            "error",
            N_(
                "no sheet of measures: none of the sheets ({sheets}) is named Mesures/Measures or has an ID "
                "column and a title column in its first rows"
            ),
            hint=N_(
                "name the sheet 'Mesures' with columns ID and Mesure, as in the sample workbook "
                "(data/sample/rivebelle.xlsx, downloadable from the Données page); trackers in other layouts "
                "(POA&M, risk registers) must be copied into that layout for now"
            ),
            params={"sheets": sheet_list},
        )
    elif measures_table is not None and not measures and not issues.errors():
        issues.add(
            "error",
            N_("the sheet of measures has no data rows"),
            sheet=found["measures"],
            hint=N_("add one row per measure under the header"),
        )
    if "risks" not in found and measures:
        issues.add(
            "warning",
            N_("no Risks sheet: residual risk cannot be computed"),
            hint=N_("add a sheet 'Risques' with columns ID, Scénario, Vraisemblance, Gravité"),
        )
    measures, teams = _check_roadmap(measures, risks, teams, teams_table is not None, found, issues)
    for name, role in roles.items():
        if role is None and "measures" in found:
            issues.add("warning", N_("sheet ignored: not a sheet of measures, risks, teams or settings"), sheet=name)
    roadmap = Roadmap(measures=tuple(measures), risks=tuple(risks), teams=tuple(teams), settings=settings)
    order = {name: n for n, name in enumerate(tables)}
    ordered = sorted(issues.issues, key=lambda i: (i.severity != "error", order.get(i.sheet or "", -1), i.row or 0))
    return LoadResult(roadmap=roadmap, issues=tuple(ordered), sheets=roles)


def formulas_without_values(data: bytes, sheet: str) -> list[str]:
    """Cell references (``B12``) of formulas whose result was never saved, in an .xlsx/.xlsm file.

    A workbook written by a script (openpyxl, pandas…) holds formulas but not their values until
    a spreadsheet program opens and saves it; a value reader sees empty cells there. Such a cell
    has an ``<f>`` element and no ``<v>``, or an empty ``<v/>`` without the string type (a saved
    empty text result is ``t="str"`` with ``<v/>``). The XML is parsed with defusedxml (no
    entity expansion). Other formats: ``[]``.
    """
    if data[:4] != b"PK\x03\x04":
        return []
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = SafeET.fromstring(archive.read("xl/workbook.xml"))
            rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            rel_id = next(s.get(relation) for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
            target = next(r.get("Target", "") for r in rels if r.get("Id") == rel_id)
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            found: list[str] = []
            with archive.open(part) as stream:
                head = stream.read()
            if b"<f>" not in head and b"<f " not in head:  # no formula at all: nothing to parse
                return found
            with archive.open(part) as stream:
                for _, element in SafeET.iterparse(stream):
                    if element.tag == f"{main}c":
                        value = element.find(f"{main}v")
                        unsaved = value is None or (not value.text and element.get("t") not in ("str", "inlineStr"))
                        if element.find(f"{main}f") is not None and unsaved:
                            found.append(element.get("r", "?"))
                        element.clear()
            return found
    except (KeyError, StopIteration, SafeET.ParseError, DefusedXmlException, *_ZIP_ERRORS):
        return []


def _report_unsaved_formulas(data: bytes, sheet: str, rows: Rows, issues: _Collector) -> None:
    del rows
    cells = formulas_without_values(data, sheet)
    if cells:
        issues.add(
            "warning",
            N_("formulas without a saved value, read as empty: {cells} … ({count} cells)")
            if len(cells) > 10
            else N_("formulas without a saved value, read as empty: {cells}"),
            sheet=sheet,
            value=cells[0],
            hint=N_("open the file in Excel or LibreOffice and save it, so the results are stored, then load it again"),
            params={"cells": ", ".join(cells[:10]), "count": len(cells)},
        )


def _has_macros(data: bytes) -> bool:
    """True for an Office Open XML file that carries a VBA project (macros)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except _ZIP_ERRORS:
        return False


_SKIPPED = {
    "repeated header": N_("row skipped: repeated header"),
    "description or type row under the header": N_("row skipped: description or type row under the header"),
}
"""The message of each reason :func:`body_rows` gives for a skipped row."""


def _report_table_notes(table: _Table, issues: _Collector) -> None:
    """Warnings for the rows skipped, the IDs generated and the mapping defaults used."""
    seen: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = _match_field(header, MEASURE_COLUMNS) if header else None
        if name is None or name not in table.columns:
            continue
        if name in seen and index != table.columns[name]:
            issues.add(
                "warning",
                N_(
                    "the column '{header}' appears twice: column {read} is read, "
                    "column {kept} is kept as an extra column"
                ),
                sheet=table.sheet,
                row=table.header_row,
                column=header,
                hint=N_("rename or delete one of the two columns"),
                params={
                    "header": header,
                    "read": _column_letter(table.columns[name]),
                    "kept": _column_letter(index),
                },
            )
        seen[name] = index
    for row, why in table.skipped:
        issues.add(
            "warning",
            _SKIPPED.get(why, N_("row skipped: {why}")),
            sheet=table.sheet,
            row=row,
            hint=N_("nothing to do if this row holds no measure"),
            params={"why": why},
        )
    if "id" not in table.columns:
        issues.add(
            "warning",
            N_("no ID column: each measure gets a stable ID made from its title (M-xxxxxx)"),
            sheet=table.sheet,
            row=table.header_row,
            hint=N_("add an ID column to choose the IDs yourself"),
        )
    for name, count in table.defaulted.items():
        issues.add(
            "warning",
            N_("{count} measure(s) take the mapping's default {field}: {default}"),
            sheet=table.sheet,
            column=table.header(name),
            hint=N_("fill the column in the workbook to use other values"),
            params={"count": count, "field": name, "default": repr(table.defaults[name])},
        )


def _assign_sheets(tables: Mapping[str, Rows]) -> dict[str, str | None]:
    """Which §4 sheet each sheet of the file is, by name, else (measures only) by its columns."""
    roles: dict[str, str | None] = {}
    for name in tables:
        key = normalize(name)
        roles[name] = next(
            (role for role, names in SHEET_NAMES.items() if key in names and role not in roles.values()), None
        )
    if "measures" not in roles.values():
        for name, rows in tables.items():
            if roles[name] is None and _find_table(name, rows, MEASURE_COLUMNS, ("id", "title")):  # both, to be sure
                roles[name] = "measures"
                break
    return roles


def load_roadmap(
    source: bytes | str | Path, *, filename: str | None = None, mapping: ColumnMapping | None = None
) -> tuple[Roadmap, list[Issue]]:
    """Like :func:`load_workbook`, but raise when any issue blocks planning.

    Returns:
        The roadmap and its warnings.

    Raises:
        InvalidWorkbookError: with every issue, when at least one is an error.
        NotASpreadsheetError: the file is not a spreadsheet at all.
    """
    result = load_workbook(source, filename=filename, mapping=mapping)
    if not result.ok:
        raise InvalidWorkbookError(result.issues)
    return result.roadmap, list(result.issues)


def condense_issues(issues: Sequence[Issue], *, per_column: int = 20) -> list[Issue]:
    """The issues to show a person: at most ``per_column`` of one severity in one sheet column,
    the rest replaced by one issue saying how many more there are.

    A workbook in another format can give thousands of identical issues; the full list stays in
    :attr:`LoadResult.issues`.
    """
    shown: list[Issue] = []
    counts: dict[tuple[str, str | None, str | None], int] = {}
    for issue in issues:
        key = (issue.severity, issue.sheet, issue.column)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= per_column:
            shown.append(issue)
    for (severity, sheet, column), count in counts.items():
        if count > per_column:
            template = (
                N_("… and {count} more error(s) in this column, not listed")
                if severity == "error"
                else N_("… and {count} more warning(s) in this column, not listed")
            )
            hint = N_("fix the ones above first; they are often the same problem")
            more = str(count - per_column)
            shown.append(
                Issue(
                    severity=severity,
                    sheet=sheet,
                    column=column,
                    message=template.format(count=more),
                    hint=hint,
                    template=template,
                    hint_template=hint,
                    params=(("count", more),),
                )
            )
    return shown
