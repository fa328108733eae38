"""Reading other people's trackers: find the header row, suggest a field per column, remember the
mapping a person confirmed.

A POA&M, a risk register or a catalogue export is not in Rempart's format (PRODUCT.md §4).
:func:`inspect_workbook` finds each sheet's header row and suggests, for each column, the field
it most likely holds, with a confidence from 0 to 1: 1 for a known French or English synonym
(:data:`roadmap.importing.columns.MEASURE_COLUMNS`…), otherwise 0.99 × the rapidfuzz ``token_sort_ratio``
of the normalised header against the synonyms (tolerant of typos, accents, word order), kept at
0.8 and above. A person confirms or corrects the
suggestion; the resulting :class:`ColumnMapping` is given to :func:`roadmap.importing.load.load_workbook`
and saved with :func:`remember_mapping` under a fingerprint of the headers, so that the next
workbook with the same headers is read the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz import fuzz, process

from roadmap.errors import WorkbookError
from roadmap.importing.columns import (
    HEADER_SCAN_ROWS,
    MEASURE_COLUMNS,
    SHEET_NAMES,
    body_rows,
)
from roadmap.importing.synonyms import RISK_COLUMNS, TEAM_COLUMNS
from roadmap.importing.tables import Rows, read_tables, read_text_table
from roadmap.importing.values import is_blank, normalize, to_text
from roadmap.models import Priority, Status
from roadmap.security.roles import Actor, require_role

FUZZY_THRESHOLD = 0.8
"""Below this confidence no field is suggested."""

ROLE_FIELDS: dict[str, Mapping[str, tuple[str, ...]]] = {
    "measures": MEASURE_COLUMNS,
    "risks": RISK_COLUMNS,
    "teams": TEAM_COLUMNS,
}


@dataclass(frozen=True)
class ColumnSuggestion:
    """A column and the field suggested for it.

    Attributes:
        header: the header text as in the file; ``index``: 0-based column index.
        field: a field of the sheet's role (e.g. ``title``), or ``None`` below the threshold.
        confidence: 0–1 (1 = a known synonym).
    """

    header: str
    index: int
    field: str | None
    confidence: float


@dataclass(frozen=True)
class SheetInspection:
    """What :func:`inspect_workbook` found in one sheet.

    Attributes:
        role: ``measures``, ``risks``, ``teams``, ``settings`` or ``ignored``.
        header_row: 1-based header row as Excel shows it, ``None`` when none was found.
        data_rows: non-empty rows under the header, without repeated headers and description rows.
        reason: why the role was chosen, or why the sheet is ignored.
    """

    name: str
    role: str
    header_row: int | None
    data_rows: int
    columns: list[ColumnSuggestion]
    reason: str


@dataclass(frozen=True)
class Inspection:
    """A whole file: its format, text encoding and delimiter (text files), and its sheets."""

    file: str
    format: str
    encoding: str | None
    delimiter: str | None
    sheets: list[SheetInspection] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``inspect --json`` object (README)."""
        data = asdict(self)
        for sheet in data["sheets"]:
            sheet["columns"] = [
                {"header": c["header"], "field": c["field"], "confidence": round(c["confidence"], 2)}
                for c in sheet["columns"]
            ]
            del sheet["reason"]
        return data


class ColumnMapping(BaseModel):
    """A confirmed reading of a measures sheet in another layout.

    Attributes:
        sheet: the sheet's name.
        header_row: 1-based header row.
        columns: header text → field of :data:`roadmap.importing.columns.MEASURE_COLUMNS`; headers not
            listed are kept as unknown columns.
        defaults: field → value used where the cell is blank or the column absent (e.g.
            ``{"team": "DSI", "effort_days": 5}``); reported as assumptions.
        values: ``status`` or ``priority`` → {a value of the file outside the vocabulary → what it
            means: a :class:`~roadmap.models.Status` value (``done``) or a priority (``P2``)}, asked
            once per distinct value in the mapping step (``{"status": {"Waived": "cancelled"}}``);
            values are matched case-, accent- and space-insensitively.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    sheet: str
    header_row: int = Field(ge=1)
    columns: dict[str, str]
    defaults: dict[str, str | float] = Field(default_factory=dict)
    values: dict[Literal["status", "priority"], dict[str, str]] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _known_meanings(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for name, meanings in values.items():
            allowed = {s.value for s in Status} if name == "status" else {p.value for p in Priority}
            wrong = sorted(set(meanings.values()) - allowed)
            if wrong:
                raise ValueError(f"{name} values must mean one of {', '.join(sorted(allowed))}, not {wrong[0]!r}")
        return values


REQUIRED_FIELDS: tuple[str, ...] = ("title",)
"""The measure fields a mapping must give a column: without a title no row is a measure (the ID is
generated from the title, the team and the effort have defaults)."""


def missing_fields(mapping: ColumnMapping) -> list[str]:
    """The fields of :data:`REQUIRED_FIELDS` that no column of ``mapping`` is read as (codes such as
    ``title``; :data:`roadmap.importing.rows.FIELD_LABELS` names them for a person)."""
    chosen = set(mapping.columns.values())
    return [name for name in REQUIRED_FIELDS if name not in chosen]


def detect_header_row(rows: Rows, synonyms: Mapping[str, tuple[str, ...]] = MEASURE_COLUMNS) -> int | None:
    """0-based index of the header row among the first 30 rows, or ``None``.

    The header is the first row with the most text cells (numbers and dates do not count),
    known synonyms counting double; a row needs two text cells.
    """
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [c for c in cells if isinstance(c, str) and c.strip() and not _looks_numeric(c)]
        if len(texts) < 2:
            continue
        score = len(texts) + sum(1 for c in texts if _exact_field(c, synonyms))
        if best is None or score > best[1]:
            best = (index, score)
    return best[0] if best else None


def _looks_numeric(text: str) -> bool:
    return text.strip().replace(".", "", 1).replace(",", "", 1).replace("-", "", 1).isdigit()


def _exact_field(header: str, synonyms: Mapping[str, tuple[str, ...]]) -> str | None:
    key = normalize(header)
    return next((name for name, words in synonyms.items() if key in words), None)


def suggest_columns(headers: Sequence[object], synonyms: Mapping[str, tuple[str, ...]]) -> list[ColumnSuggestion]:
    """A field and a confidence for each non-empty header; each field goes to one column at most
    (the most confident, then the leftmost)."""
    choices = {word: name for name, words in synonyms.items() for word in words}
    candidates: list[tuple[int, str, str | None, float]] = []
    for index, cell in enumerate(headers):
        text = to_text(cell)
        if not text:
            continue
        marked = text.replace("#", " no ").replace("N°", "no ").replace("n°", "no ")  # "Task #" is an ID
        key = normalize(marked)
        exact = _exact_field(marked, synonyms)
        if exact:
            candidates.append((index, text, exact, 1.0))
            continue
        best = process.extractOne(key, list(choices), scorer=fuzz.token_sort_ratio) if key else None
        if best and best[1] / 100 >= FUZZY_THRESHOLD:
            candidates.append((index, text, choices[best[0]], best[1] / 100 * 0.99))
        else:
            candidates.append((index, text, None, best[1] / 100 if best else 0.0))
    taken: dict[str, int] = {}
    for index, _text, name, _confidence in sorted(candidates, key=lambda c: (-c[3], c[0])):
        if name is not None and name not in taken:
            taken[name] = index
    return [
        ColumnSuggestion(text, index, name if name is not None and taken.get(name) == index else None, confidence)
        for index, text, name, confidence in candidates
    ]


def inspect_workbook(data: bytes, *, filename: str) -> Inspection:
    """Header row, data rows and suggested column fields of every sheet of a file.

    Raises:
        NotASpreadsheetError: the file is not a spreadsheet.
    """
    suffix = Path(filename).suffix.lower().lstrip(".")
    encoding = delimiter = None
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        tables = read_tables(data, filename=filename)
        fmt = suffix if suffix in {"xlsx", "xlsm", "ods", "xls", "xlsb"} else "xlsx"
    else:
        tables = read_tables(data, filename=filename)
        _, encoding, delimiter = read_text_table(data, filename=filename)
        fmt = "csv"
    sheets = [_inspect_sheet(name, rows) for name, rows in tables.items()]
    return Inspection(filename, fmt, encoding, delimiter, sheets)


def _inspect_sheet(name: str, rows: Rows) -> SheetInspection:
    key = normalize(name)
    named = next((role for role, names in SHEET_NAMES.items() if key in names), None)
    if named == "settings":
        count = sum(1 for r in rows[1:] if any(not is_blank(c) for c in r))
        return SheetInspection(name, "settings", 1 if rows else None, count, [], "named as a settings sheet")
    header_index = detect_header_row(rows)
    if header_index is None:
        return SheetInspection(name, "ignored", None, 0, [], "no row with two or more text headers")
    data, _ = body_rows(rows, header_index)
    by_role = {role: suggest_columns(rows[header_index], synonyms) for role, synonyms in ROLE_FIELDS.items()}
    role, reason = named, f"named as a {named} sheet" if named else ""
    if role is None:
        fields = {r: {c.field for c in cols if c.field and c.confidence >= 0.9} for r, cols in by_role.items()}
        if {"likelihood", "severity"} <= fields["risks"]:
            role, reason = "risks", "has likelihood and severity columns"
        elif "title" in fields["measures"] and fields["measures"] & {"id", "status", "team", "effort_days", "owner"}:
            role, reason = "measures", "has a title column and an ID, status, team, owner or effort column"
        elif {"name", "fte"} <= fields["teams"]:
            role, reason = "teams", "has team and FTE columns"
        else:
            role, reason = "ignored", "no title, likelihood/severity or FTE column recognised"
    columns = by_role.get(role, by_role["measures"])
    return SheetInspection(name, role, header_index + 1, len(data), columns, reason)


def suggested_mapping(inspection: Inspection) -> ColumnMapping | None:
    """The mapping of the best measures sheet of an inspection, as suggested (to be confirmed)."""
    candidates = [s for s in inspection.sheets if s.role == "measures" and s.header_row]
    if not candidates:
        candidates = [s for s in inspection.sheets if s.header_row and any(c.field == "title" for c in s.columns)]
    if not candidates:
        return None
    sheet = max(candidates, key=lambda s: (s.role == "measures", s.data_rows))
    assert sheet.header_row is not None
    return ColumnMapping(
        sheet=sheet.name,
        header_row=sheet.header_row,
        columns={c.header: c.field for c in sheet.columns if c.field},
    )


def headers_fingerprint(headers: Sequence[object]) -> str:
    """A stable fingerprint of a header row (normalised texts, order kept): 16 hex digits."""
    joined = "\x1f".join(normalize(h) for h in headers if not is_blank(h))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def mappings_dir() -> Path:
    """Where confirmed mappings are kept: ``$REMPART_DATA_DIR/mappings`` (default
    ``~/.local/share/rempart/mappings``)."""
    base = os.environ.get("REMPART_DATA_DIR") or Path.home() / ".local" / "share" / "rempart"
    return Path(base) / "mappings"


def remember_mapping(
    mapping: ColumnMapping, headers: Sequence[object], *, by: Actor, directory: Path | None = None
) -> Path:
    """Save a confirmed mapping under the fingerprint of its headers (written atomically).

    Args:
        by: who confirms it (an editor or above: a remembered mapping changes how everyone's next
            workbook with these headers is read).

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is written.
        WorkbookError: the directory cannot be written.
    """
    require_role(by, "remember_mapping")
    folder = directory or mappings_dir()
    path = folder / f"{headers_fingerprint(headers)}.json"
    record = {"saved": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **mapping.model_dump()}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        raise WorkbookError(f"cannot save the column mapping in {folder}: {exc.strerror or exc}") from exc
    return path


def recall_mapping(headers: Sequence[object], *, directory: Path | None = None) -> ColumnMapping | None:
    """The mapping confirmed earlier for a workbook with the same headers, if any."""
    path = (directory or mappings_dir()) / f"{headers_fingerprint(headers)}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("saved", None)
        return ColumnMapping.model_validate(record)
    except (OSError, ValueError, ValidationError):
        return None


def read_mapping_file(path: Path) -> ColumnMapping:
    """A mapping from a JSON file (``--mapping FILE.json``).

    Raises:
        WorkbookError: unreadable file or not a mapping (the message says which key is wrong).
    """
    try:
        return ColumnMapping.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise WorkbookError(f"cannot read the mapping file '{path}': {exc.strerror or exc}") from exc
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "the file"
        raise WorkbookError(
            f"mapping file '{path}': {where}: {error['msg']}. Expected "
            '{"sheet": "…", "header_row": 5, "columns": {"Header": "field", …}, "defaults": {…}}'
        ) from exc
