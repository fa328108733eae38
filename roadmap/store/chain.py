"""The audit log's hash chain: how an entry is sealed, so that a change, a deletion or a reordering
made outside Rempart is detected (:func:`roadmap.store.audit.verify_audit`).

Each entry of ``audit_log`` stores ``hash`` = SHA-256 over the previous entry's hash and the
entry's canonical content (:func:`entry_hash`); the first entry is hashed over the database's own
random key (:func:`new_key`, 32 bytes, kept in the one row of table ``audit_chain``) instead of a
previous hash. That row also keeps the chain's head — the id, time and hash of the last entry and
how many entries the chain holds — so that entries removed from the end, or the whole table
emptied, are detected too.

Appends are serialised (:func:`seal_entries`, called when the ORM flushes new entries): the head
row is updated *before* it is read, which takes PostgreSQL's row lock, or SQLite's database write
lock, until the transaction ends; a second writer waits, then chains after the first. The entry's
id is given by the chain (head id + 1), never by a database sequence, so the chain's order is the
log's order.

The content hashed (format ``rempart-audit-v1``) is the JSON array ``["rempart-audit-v1", id, at,
who, action, target, old, new]``, ``at`` as ``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC), UTF-8,
no spaces; the hash is ``sha256(previous_hex + "\\n" + content)`` in lowercase hex. An auditor can
recompute it by hand (``sha256sum``) from an export of the log and the key.

This module is pure (no database access except in :func:`seal_entries`, through the session it
is handed) and is what the migration ``0003`` uses to seal the entries written before the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from roadmap.errors import StoreError

FORMAT = "rempart-audit-v1"
"""Name of the canonical form :func:`entry_hash` hashes (changes if the form ever does)."""
ANCHOR_ID = 1
"""The id of the one row of ``audit_chain``."""


def new_key() -> str:
    """A new per-database chain key: 32 random bytes from the OS (:mod:`secrets`), in hex."""
    return secrets.token_hex(32)


def naive_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as the log stores it: naive UTC (an aware time is converted, a naive one kept)."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def canonical_content(
    *, id: int, at: dt.datetime, who: str, action: str, target: str, old: str | None, new: str | None
) -> bytes:
    """The bytes :func:`entry_hash` hashes for one entry (see the module's docstring)."""
    fields: list[Any] = [FORMAT, id, naive_utc(at).isoformat(sep=" ", timespec="microseconds")]
    fields += [who, action, target, old, new]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(
    previous: str,
    *,
    id: int,
    at: dt.datetime,
    who: str,
    action: str,
    target: str,
    old: str | None,
    new: str | None,
) -> str:
    """SHA-256 (hex) of the previous entry's hash (the chain key for the first entry) and this
    entry's :func:`canonical_content`."""
    content = canonical_content(id=id, at=at, who=who, action=action, target=target, old=old, new=new)
    return hashlib.sha256(previous.encode("ascii") + b"\n" + content).hexdigest()


def seal_entries(session: Session, rows: Sequence[Any], *, anchor: Table) -> None:
    """Give new audit rows (in the order they were added) their id and hash, and move the head.

    Runs inside the session's transaction, before the rows are inserted: the head row of
    ``anchor`` is updated first (a no-op update that takes the lock, see the module's docstring),
    then read, then moved to the last of ``rows``. Text values are stored as ``str`` and times as
    naive UTC, exactly as they are hashed.

    Raises:
        StoreError: the chain's head row is missing (the database was tampered with, or not
            migrated): nothing is written.
    """
    connection = session.connection()
    locked = connection.execute(update(anchor).where(anchor.c.id == ANCHOR_ID).values(length=anchor.c.length)).rowcount
    if locked != 1:
        raise StoreError(
            "the audit log's chain head (table audit_chain) is missing: nothing was written. "
            "Check the log with: python -m roadmap audit verify"
        )
    head = connection.execute(
        select(anchor.c.key, anchor.c.head_id, anchor.c.head_hash, anchor.c.length).where(anchor.c.id == ANCHOR_ID)
    ).one()
    previous = head.head_hash or head.key
    ident, length, at = head.head_id, head.length, None
    for row in rows:
        ident += 1
        length += 1
        row.id, row.at = ident, naive_utc(row.at)
        row.old = None if row.old is None else str(row.old)
        row.new = None if row.new is None else str(row.new)
        row.hash = previous = entry_hash(
            previous, id=row.id, at=row.at, who=row.who, action=row.action, target=row.target, old=row.old, new=row.new
        )
        at = row.at
    connection.execute(
        update(anchor)
        .where(anchor.c.id == ANCHOR_ID)
        .values(head_id=ident, head_hash=previous, head_at=at, length=length)
    )
