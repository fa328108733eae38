"""The audit log: who did what, when, old → new; read in write order (row id), never by its clock."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import (
    Engine,
    func,
    select,
)
from sqlalchemy.orm import Session

from roadmap.importing.values import neutralise

if TYPE_CHECKING:
    pass
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow


@dataclass(frozen=True)
class AuditEntry:
    """One audit-log entry: who did what to which target, old → new (texts or ``None``)."""

    at: dt.datetime
    who: str
    action: str
    target: str
    old: str | None
    new: str | None


def record_audit(
    engine: Engine, *, who: str, action: str, target: str, old: str | None = None, new: str | None = None
) -> None:
    """Append one entry to the audit log (dated now, UTC).

    Raises:
        StoreError: the database cannot be written.
    """
    with _translate(engine.url), Session(engine) as session, session.begin():
        session.add(AuditRow(at=_now(), who=who, action=action, target=target, old=old, new=new))


def audit_log(engine: Engine, *, limit: int | None = 500) -> list[AuditEntry]:
    """The latest ``limit`` audit entries (``None``: all), newest first, in the order of writing.

    The log is read in write order — by its row id, which the database hands out from an
    increasing sequence at insert (SQLite's ``INTEGER PRIMARY KEY``, PostgreSQL's ``SERIAL``) —
    never by its ``at`` column: clocks go backwards (a corrected server time, a wrong clock on one
    application server of a hospital group, a ``now=`` given by a caller), and an entry written
    later must still be listed as later. ``at`` is kept as data, as the writer's clock said it.

    Raises:
        StoreError: the database cannot be read.
    """
    query = select(AuditRow).order_by(AuditRow.id.desc())
    with _translate(engine.url), Session(engine) as session:
        rows = session.scalars(query if limit is None else query.limit(limit))
        return [AuditEntry(r.at, r.who, r.action, r.target, r.old, r.new) for r in rows]


def audit_count(engine: Engine) -> int:
    """How many entries the audit log holds.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


AUDIT_COLUMNS = ("at_utc", "who", "action", "target", "old", "new")
"""Columns of :func:`export_audit`, in order."""


def export_audit(entries: Sequence[AuditEntry], *, fmt: Literal["csv", "json"] = "csv") -> bytes:
    """The audit entries as a file for an auditor: columns :data:`AUDIT_COLUMNS`, ``at_utc`` as ISO
    8601 (UTC, to the second).

    CSV is UTF-8 with a byte-order mark (Excel reads the accents), comma-separated, and every text
    a spreadsheet could take for a formula is neutralised (:func:`roadmap.importing.values.neutralise`): the
    log holds values typed by users. JSON is a list of objects, values as recorded.
    """
    rows = [
        {"at_utc": e.at.isoformat(), "who": e.who, "action": e.action, "target": e.target, "old": e.old, "new": e.new}
        for e in entries
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AUDIT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
