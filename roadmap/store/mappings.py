"""Column mappings kept in the database under the fingerprint of their header row."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Engine,
    select,
)
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    pass
from roadmap.store.database import _now, _translate
from roadmap.store.schema import MappingRow


def save_mapping(engine: Engine, fingerprint: str, mapping: dict[str, Any]) -> None:
    """Remember a confirmed column mapping (JSON-serialisable) under a header fingerprint.

    Raises:
        StoreError: the database cannot be written.
    """
    json.dumps(mapping)  # fail early on a value JSON cannot hold
    with _translate(engine.url), Session(engine) as session, session.begin():
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
