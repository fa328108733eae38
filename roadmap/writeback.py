"""Write the IT team's edits (status, progress, done date) back into their own workbook.

Only the edited cells change: openpyxl opens the original file, sets the values of the measure's
row in the Status, Progress and Completed-on columns found by the loader, and saves; formatting,
other sheets, formulas, data validations and unknown columns stay as they were (macros too, for
an .xlsm, kept but never run). On disk, :func:`write_back` refuses a file that changed since it
was read, keeps a backup copy, and replaces the file atomically (a temporary file in the same
folder, then a rename), so that a crash leaves the old file or the new one, never half of one.
It writes only for an editor or above (:mod:`roadmap.security.roles`), and records every changed cell in
the audit log within the rename: the entries are accepted by the database before the file is
touched and committed right after the rename, so a log that cannot be written leaves the workbook
as it was, and a failed write leaves no entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from roadmap.errors import ConcurrentEditError, WorkbookError
from roadmap.importing.columns import MEASURE_COLUMNS, assign_sheets, find_table
from roadmap.importing.tables import read_tables
from roadmap.importing.tools import recognise_export
from roadmap.importing.values import normalize, to_text
from roadmap.models import Status
from roadmap.security.roles import Actor, require_role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow

STATUS_LABELS = {
    "fr": {
        Status.NOT_STARTED: "À faire",
        Status.IN_PROGRESS: "En cours",
        Status.DONE: "Fait",
        Status.BLOCKED: "Bloqué",
        Status.CANCELLED: "Abandonné",
    },
    "en": {
        Status.NOT_STARTED: "To do",
        Status.IN_PROGRESS: "In progress",
        Status.DONE: "Done",
        Status.BLOCKED: "Blocked",
        Status.CANCELLED: "Cancelled",
    },
}
"""The words written for each status, in the language of the sheet's header."""


@dataclass(frozen=True)
class MeasureEdit:
    """New values for one measure; ``None`` leaves a field as it is.

    Attributes:
        progress: percent, 0–100.
        clear_done_date: empty the completion date cell (a measure no longer done).
    """

    measure_id: str
    status: Status | None = None
    progress: float | None = None
    done_date: dt.date | None = None
    clear_done_date: bool = False


@dataclass(frozen=True)
class CellChange:
    """One cell written: ``cell`` as Excel shows it (``Mesures!H12``), old and new values as text."""

    measure_id: str
    field: str
    cell: str
    old: str
    new: str


def fingerprint(data: bytes) -> str:
    """SHA-256 of a file's bytes, to tell whether it changed on disk."""
    return hashlib.sha256(data).hexdigest()


def apply_edits(data: bytes, edits: Sequence[MeasureEdit], *, filename: str) -> tuple[bytes, list[CellChange]]:
    """The workbook with the edits written in, and the cells that changed.

    Raises:
        WorkbookError: an export of GLPI, Jira or MS Project (never written into: the tool owns it),
            not an .xlsx/.xlsm, no measures sheet, an unknown measure ID, or no column
            to write a field into (the message names it).
    """
    tables = read_tables(data, filename=filename)
    tool = recognise_export(tables)
    if tool is not None:  # the tool would not read its export back, and the next export would undo the edits
        raise WorkbookError(
            f"'{filename}' is an export of {tool.source.name}: Rempart does not write into it. "
            f"Record the progress in {tool.source.name} and export again, or export the plan (XLSX) from Rempart"
        )
    if Path(filename).suffix.lower() not in {".xlsx", ".xlsm"}:
        raise WorkbookError(f"'{filename}': edits are written into .xlsx or .xlsm workbooks only")
    sheet_name = next((name for name, role in assign_sheets(tables).items() if role == "measures"), None)
    found = find_table(sheet_name, tables[sheet_name], MEASURE_COLUMNS, ("id", "title")) if sheet_name else None
    if found is None:
        raise WorkbookError(f"'{filename}': no sheet of measures with an ID column to write into")
    row_of = {to_text(found.cell(cells, "id")): row for row, cells in found.rows}  # IDs as the loader reads them
    english = normalize(found.headers[found.columns["title"]]) in ("measure", "title")
    labels = STATUS_LABELS["en" if english else "fr"]
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), keep_vba=filename.lower().endswith(".xlsm"))
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"'{filename}' cannot be opened for writing: {exc}") from exc
    sheet = book[found.sheet]
    changes: list[CellChange] = []
    for edit in edits:
        if edit.measure_id not in row_of:
            raise WorkbookError(f"measure {edit.measure_id} is not in sheet '{found.sheet}'")
        row = row_of[edit.measure_id]
        wanted = {
            "status": labels[edit.status] if edit.status is not None else None,
            "progress": edit.progress,
            "done_date": edit.done_date,
        }
        for name, value in wanted.items():
            if value is None and not (name == "done_date" and edit.clear_done_date):
                continue
            if name not in found.columns:
                raise WorkbookError(f"sheet '{found.sheet}' has no {name} column to write into: add one")
            cell = sheet.cell(row=row, column=found.columns[name] + 1)
            if isinstance(cell, MergedCell):
                raise WorkbookError(f"cell {found.sheet}!{cell.coordinate} is merged: unmerge it to record {name}")
            if name == "progress" and isinstance(value, float) and value.is_integer():
                value = int(value)  # 55, as a person types it, not 55.0
            if name == "progress" and "%" in (cell.number_format or "") and isinstance(value, float | int):
                value = value / 100  # a cell formatted as a percentage holds a share
            if cell.value == value or (isinstance(cell.value, dt.datetime) and cell.value.date() == value):
                continue
            if value is None and (cell.value is None or str(cell.value).strip() == ""):
                continue
            changes.append(
                CellChange(
                    edit.measure_id,
                    name,
                    f"{found.sheet}!{cell.coordinate}",
                    "" if cell.value is None else str(cell.value),
                    "" if value is None else str(value),
                )
            )
            cell.value = value
            if (
                name == "done_date" and value is not None and not cell.is_date
            ):  # a date shown as a number would puzzle everyone
                cell.number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), changes


def write_back(
    path: Path,
    edits: Sequence[MeasureEdit],
    *,
    expected: str,
    by: Actor,
    audit: Engine | None = None,
    backup_dir: Path | None = None,
) -> list[CellChange]:
    """Write the edits into the workbook at ``path``, safely.

    Args:
        expected: :func:`fingerprint` of the file as it was read; a different file on disk means
            someone saved it meanwhile, and nothing is written.
        by: who writes (an editor or above); named in the audit log.
        audit: the history database (:func:`roadmap.store.database.open_store`) that receives one
            ``edit`` entry per changed cell (``target``: ``<file> <cell> (<measure> <field>)``,
            old → new), committed only once the file is replaced; ``None`` keeps no log (tests).
        backup_dir: where the copy of the previous file goes (default: next to it), named
            ``<name>.<UTC time>.bak``.

    Returns:
        The cells changed (empty when the edits change nothing; the file is then left alone).

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is read or written.
        ConcurrentEditError: the file changed on disk since it was read.
        WorkbookError: see :func:`apply_edits`, or the file cannot be read or written.
        StoreError: the audit log cannot be written; the workbook is then left as it was.
    """
    require_role(by, "write_back")
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"cannot read '{path}': {exc.strerror or exc}") from exc
    if fingerprint(current) != expected:
        raise ConcurrentEditError(
            f"'{path.name}' changed on disk since it was loaded (someone else saved it): nothing was written. "
            "Reload it, then make your changes again"
        )
    updated, changes = apply_edits(current, edits, filename=path.name)
    if not changes:
        return changes
    if audit is None:
        _replace(path, updated, backup_dir)
        return changes
    with _translate(audit.url), Session(audit) as session, session.begin():
        session.add_all(
            AuditRow(
                at=_now(),
                who=by.name,
                action="edit",
                target=f"{path.name} {c.cell} ({c.measure_id} {c.field})",
                old=c.old,
                new=c.new,
            )
            for c in changes
        )
        session.flush()  # the entries are accepted before the file is touched
        _replace(path, updated, backup_dir)
    return changes


def _replace(path: Path, updated: bytes, backup_dir: Path | None) -> None:
    """Back up ``path``, then replace it with ``updated`` through a temporary file and a rename.

    The new file keeps the old one's permission bits and, where the process may, its owner and
    group (a colleague who could read the workbook on the shared drive still can: ``mkstemp``
    creates ``-rw-------``). The backup is never more readable than the file: its mode is the
    file's, less any bit the file lacks, and it takes the file's group where allowed.
    """
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = backup_dir or path.parent
    try:
        before = path.stat()
        mode = stat.S_IMODE(before.st_mode)
        folder.mkdir(parents=True, exist_ok=True)
        backup = folder / f"{path.name}.{stamp}.bak"
        shutil.copy2(path, backup)
        _keep_owner(backup, before)
        os.chmod(backup, mode)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(updated)
            stream.flush()
            os.fsync(stream.fileno())
        _keep_owner(Path(temporary), before)
        os.chmod(temporary, mode)  # after the chown, which may clear set-id bits
        os.replace(temporary, path)
    except OSError as exc:
        raise WorkbookError(f"cannot write '{path}': {exc.strerror or exc}; the file on disk is unchanged") from exc


def _keep_owner(target: Path, like: os.stat_result) -> None:
    """Give ``target`` the owner and group of ``like`` where the process may (root, or a group it
    belongs to); an unprivileged process keeps its own owner and, failing the group, its own too."""
    if not hasattr(os, "chown"):  # Windows: ownership is the folder's ACL
        return
    try:
        os.chown(target, like.st_uid, like.st_gid)
    except PermissionError:
        with contextlib.suppress(PermissionError):
            os.chown(target, -1, like.st_gid)
