"""The audit log: who did what, when, old → new; read in write order (row id), never by its clock;
checked against its hash chain by :func:`verify_audit` (the chain itself: :mod:`roadmap.store.chain`)."""

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
from roadmap.store.chain import ANCHOR_ID, entry_hash
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditChainRow, AuditRow

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class AuditEntry:
    """One audit-log entry: who did what to which target, old → new (texts or ``None``); ``id``, its
    place in the log, and ``hash``, its link of the chain (:mod:`roadmap.store.chain`)."""

    at: dt.datetime
    who: str
    action: str
    target: str
    old: str | None
    new: str | None
    id: int = 0
    hash: str = ""


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
        return [AuditEntry(r.at, r.who, r.action, r.target, r.old, r.new, r.id, r.hash) for r in rows]


def audit_count(engine: Engine) -> int:
    """How many entries the audit log holds.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)


@dataclass(frozen=True)
class ChainCheck:
    """What :func:`verify_audit` found.

    Attributes:
        intact: True when every entry verifies and the chain's head is the last entry.
        checked: entries that verified, in order, before the first problem (all of them when intact).
        problem: ``None`` when intact; else ``changed`` (an entry's hash does not match its content
            and the entry before it: it was changed, or an entry before it was deleted, moved or
            inserted), ``missing`` (entries are gone from the end, or the table was emptied: the
            head names the last entry written), or ``no_head`` (the chain's head row is missing).
        entry_id, entry_at: the first entry that does not verify (for ``missing``: the last entry
            the chain's head says was written), naive UTC.
        started_at: when the chain was started (the migration that introduced it, or the database's
            creation); ``None`` with ``no_head``.
        sealed: entries written before the chain and sealed as found when it was started.
        head_hash: the hash of the last entry (write it down elsewhere to anchor the log in time).
    """

    intact: bool
    checked: int
    problem: Literal["changed", "missing", "no_head"] | None = None
    entry_id: int | None = None
    entry_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    sealed: int = 0
    head_hash: str | None = None

    def describe(self) -> str:
        """One English line for the command line and logs."""
        if self.intact:
            since = f" {self.started_at:%Y-%m-%d %H:%M} UTC" if self.started_at else ""
            sealed = f"; {self.sealed} earlier entries sealed as found when it started" if self.sealed else ""
            return f"audit log intact: {self.checked} entries verified (chain started{since}{sealed})"
        if self.problem == "no_head":
            return "audit log NOT intact: the chain's head (table audit_chain) is missing or was changed"
        where = f"entry #{self.entry_id} of {self.entry_at:%Y-%m-%d %H:%M:%S} UTC" if self.entry_at else "the log"
        if self.problem == "missing":
            return (
                f"audit log NOT intact: {where} and possibly others before it are missing "
                f"(deleted from the end, or the table emptied); {self.checked} entries verified before"
            )
        return (
            f"audit log NOT intact: {where} does not verify (changed, or an entry before it deleted, "
            f"moved or inserted); {self.checked} entries verified before it"
        )


def verify_audit(engine: Engine) -> ChainCheck:
    """Recompute the audit log's hash chain, in id order, and compare it with the chain's head.

    Every entry's hash must equal SHA-256 over the previous entry's hash (the database's key for
    the first) and its content (:func:`roadmap.store.chain.entry_hash`); after the last entry, the
    chain's head must name it and count every entry. A change, a deletion, a swap of two entries,
    an entry inserted without the chain, or a truncation is therefore found; the check reads the
    log in batches and stops at the first problem.

    What it cannot see: someone who can write the database *and* knows the key (it is in the
    database) can rebuild a consistent chain. Keeping :attr:`ChainCheck.head_hash` outside the
    database (a printed report, an e-mail to the CISO) closes that: a rebuilt chain has another head.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        head = session.get(AuditChainRow, ANCHOR_ID)
        if head is None:
            return ChainCheck(intact=False, checked=0, problem="no_head")
        previous, checked, last_id = head.key, 0, 0
        rows = session.execute(select(AuditRow).order_by(AuditRow.id).execution_options(yield_per=1000)).scalars()
        for row in rows:
            expected = entry_hash(
                previous,
                id=row.id,
                at=row.at,
                who=row.who,
                action=row.action,
                target=row.target,
                old=row.old,
                new=row.new,
            )
            if row.hash != expected or row.id > head.head_id:
                return ChainCheck(
                    intact=False,
                    checked=checked,
                    problem="changed",
                    entry_id=row.id,
                    entry_at=row.at,
                    started_at=head.started_at,
                    sealed=head.sealed,
                )
            previous, checked, last_id = row.hash, checked + 1, row.id
        if checked == head.length and last_id == head.head_id and previous != (head.head_hash or head.key):
            return ChainCheck(intact=False, checked=checked, problem="no_head")  # the head itself was changed
        if checked != head.length or last_id != head.head_id:
            return ChainCheck(
                intact=False,
                checked=checked,
                problem="missing",
                entry_id=head.head_id,
                entry_at=head.head_at,
                started_at=head.started_at,
                sealed=head.sealed,
            )
        return ChainCheck(
            intact=True, checked=checked, started_at=head.started_at, sealed=head.sealed, head_hash=head.head_hash
        )


AUDIT_COLUMNS = ("id", "at_utc", "who", "action", "target", "old", "new", "hash")
"""Columns of :func:`export_audit`, in order."""


def export_audit(entries: Sequence[AuditEntry], *, fmt: Literal["csv", "json"] = "csv") -> bytes:
    """The audit entries as a file for an auditor: columns :data:`AUDIT_COLUMNS`, ``at_utc`` as ISO
    8601 (UTC, to the second), ``hash`` the entry's link of the chain.

    CSV is UTF-8 with a byte-order mark (Excel reads the accents), comma-separated, and every text
    a spreadsheet could take for a formula is neutralised (:func:`roadmap.importing.values.neutralise`): the
    log holds values typed by users. JSON is a list of objects, values as recorded.
    """
    rows = [
        {
            "id": e.id,
            "at_utc": e.at.isoformat(),
            "who": e.who,
            "action": e.action,
            "target": e.target,
            "old": e.old,
            "new": e.new,
            "hash": e.hash,
        }
        for e in entries
    ]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=AUDIT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
