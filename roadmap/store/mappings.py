"""Column mappings kept in the database under the fingerprint of their header row.

A mapping a person confirmed on the Données page is remembered here (:func:`remember`) so that the
next workbook with the same headers is read the same way (:func:`recall`, which says when it was
saved, so that the page can say so); a wrong one can be forgotten (:func:`forget`). Both writes are
role-checked (:data:`roadmap.security.roles.WRITE_ROLES`) and audited in the same transaction
(actions ``remember_mapping`` and ``forget_mapping``, target ``mapping <fingerprint> (<sheet>)``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from roadmap.importing.mapping import ColumnMapping, headers_fingerprint
from roadmap.security.roles import Actor, require_role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, MappingRow


@dataclass(frozen=True)
class RememberedMapping:
    """A mapping remembered for a header row: the mapping, the headers' fingerprint
    (:func:`roadmap.importing.mapping.headers_fingerprint`) and when it was saved (UTC, naive)."""

    mapping: ColumnMapping
    fingerprint: str
    saved_at: dt.datetime


def save_mapping(engine: Engine, fingerprint: str, mapping: dict[str, Any]) -> None:
    """Remember a confirmed column mapping (JSON-serialisable) under a header fingerprint, without
    role check nor audit entry (:func:`remember` is the checked write).

    Raises:
        StoreError: the database cannot be written.
    """
    json.dumps(mapping)  # fail early on a value JSON cannot hold
    with _translate(engine.url), Session(engine) as session, session.begin():
        _save(session, fingerprint, mapping)


def _save(session: Session, fingerprint: str, mapping: dict[str, Any]) -> None:
    row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
    if row is None:
        session.add(MappingRow(fingerprint=fingerprint, mapping=mapping, saved_at=_now()))
    else:
        row.mapping, row.saved_at = mapping, _now()


def load_mapping(engine: Engine, fingerprint: str) -> dict[str, Any] | None:
    """The mapping remembered for a header fingerprint, or ``None``.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
        return dict(row.mapping) if row is not None else None


def _target(fingerprint: str, sheet: str) -> str:
    return f"mapping {fingerprint} ({sheet})"


def remember(engine: Engine, mapping: ColumnMapping, headers: Sequence[object], *, by: Actor) -> RememberedMapping:
    """Remember ``mapping`` for workbooks whose header row is ``headers`` (replacing any earlier one),
    with an audit entry ``remember_mapping`` (new: the mapping's columns as JSON).

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is written.
        StoreError: the database cannot be written.
    """
    require_role(by, "remember_mapping")
    fingerprint = headers_fingerprint(headers)
    record = mapping.model_dump(mode="json")
    with _translate(engine.url), Session(engine) as session, session.begin():
        _save(session, fingerprint, record)
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="remember_mapping",
                target=_target(fingerprint, mapping.sheet),
                old=None,
                new=json.dumps(record["columns"], ensure_ascii=False),
            )
        )
        saved = session.scalar(select(MappingRow.saved_at).where(MappingRow.fingerprint == fingerprint))
    assert saved is not None
    return RememberedMapping(mapping, fingerprint, saved)


def recall(engine: Engine, headers: Sequence[object]) -> RememberedMapping | None:
    """The mapping remembered for this header row, or ``None`` (also when the stored record is no
    longer a valid mapping, e.g. written by an older version).

    Raises:
        StoreError: the database cannot be read.
    """
    fingerprint = headers_fingerprint(headers)
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
        if row is None:
            return None
        record, saved = dict(row.mapping), row.saved_at
    try:
        return RememberedMapping(ColumnMapping.model_validate(record), fingerprint, saved)
    except ValidationError:
        return None


def forget(engine: Engine, fingerprint: str, *, by: Actor) -> bool:
    """Forget the mapping remembered under ``fingerprint``, with an audit entry ``forget_mapping``
    (old: its columns as JSON); returns ``False`` when there was none (nothing is logged).

    Raises:
        PermissionDeniedError: ``by`` is a viewer; nothing is deleted.
        StoreError: the database cannot be written.
    """
    require_role(by, "forget_mapping")
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(MappingRow).where(MappingRow.fingerprint == fingerprint))
        if row is None:
            return False
        record = dict(row.mapping)
        session.delete(row)
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="forget_mapping",
                target=_target(fingerprint, str(record.get("sheet", ""))),
                old=json.dumps(record.get("columns", {}), ensure_ascii=False),
                new=None,
            )
        )
        return True
