"""Capacity scenarios kept per source (:class:`roadmap.scenarios.Scenario`), each save and delete
in the audit log (old → new as the scenario's JSON).

A scenario changes no workbook: it is the director's what-if. Saving or deleting one is the
``save_scenario`` write of :data:`roadmap.security.roles.WRITE_ROLES`, open to viewers (the
director's role), and named in the audit log like every write.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from roadmap.scenarios import Scenario
from roadmap.security.roles import Actor, require_role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, ScenarioRow
from roadmap.store.snapshots import _source


@dataclass(frozen=True)
class SavedScenario:
    """A scenario as the store keeps it: ``saved_at`` naive UTC, ``saved_by`` the actor's name."""

    id: int
    source: str
    scenario: Scenario
    saved_at: dt.datetime
    saved_by: str


def _dump(scenario: Scenario) -> str:
    return json.dumps(scenario.to_json(), ensure_ascii=False, sort_keys=True)


def save_scenario(engine: Engine, source: str, scenario: Scenario, *, by: Actor) -> SavedScenario:
    """Keep ``scenario`` for ``source``, replacing the one of the same name (audit ``save_scenario``,
    old → new JSON).

    Raises:
        PermissionDeniedError: ``by`` may not save scenarios; nothing is written.
        StoreError: the database cannot be written.
    """
    require_role(by, "save_scenario")
    with _translate(engine.url), Session(engine) as session, session.begin():
        src = _source(session, source, create=True)
        assert src is not None
        row = session.scalar(
            select(ScenarioRow).where(ScenarioRow.source_id == src.id, ScenarioRow.name == scenario.name)
        )
        old = None if row is None else json.dumps(row.scenario, ensure_ascii=False, sort_keys=True)
        if row is None:
            row = ScenarioRow(source_id=src.id, name=scenario.name)
            session.add(row)
        row.scenario, row.saved_at, row.saved_by = scenario.to_json(), _now(), by.name
        session.add(
            AuditRow(
                at=_now(),
                who=by.name,
                action="save_scenario",
                target=f"{source} / {scenario.name}",
                old=old,
                new=_dump(scenario),
            )
        )
        session.flush()
        return SavedScenario(row.id, source, scenario, row.saved_at, row.saved_by)


def saved_scenarios(engine: Engine, source: str) -> list[SavedScenario]:
    """The source's scenarios, by name (an empty list for an unknown source).

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        src = _source(session, source, create=False)
        if src is None:
            return []
        rows = session.scalars(select(ScenarioRow).where(ScenarioRow.source_id == src.id).order_by(ScenarioRow.name))
        return [SavedScenario(r.id, source, Scenario.from_json(r.scenario), r.saved_at, r.saved_by) for r in rows]


def delete_scenario(engine: Engine, source: str, name: str, *, by: Actor) -> bool:
    """Delete the source's scenario ``name`` (audit ``delete_scenario``, old JSON → nothing).

    Returns:
        ``False`` when there was no such scenario (nothing written).

    Raises:
        PermissionDeniedError: ``by`` may not delete scenarios; nothing is written.
        StoreError: the database cannot be written.
    """
    require_role(by, "save_scenario")
    with _translate(engine.url), Session(engine) as session, session.begin():
        src = _source(session, source, create=False)
        row = (
            None
            if src is None
            else session.scalar(select(ScenarioRow).where(ScenarioRow.source_id == src.id, ScenarioRow.name == name))
        )
        if row is None:
            return False
        old = json.dumps(row.scenario, ensure_ascii=False, sort_keys=True)
        session.delete(row)
        session.add(
            AuditRow(at=_now(), who=by.name, action="delete_scenario", target=f"{source} / {name}", old=old, new=None)
        )
        return True
