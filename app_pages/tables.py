"""The tables the pages show (issues, deferred measures, snapshots, late and blocked measures, the
audit log, the group roll-up) with headers in the session's language, and the edits read back from
the Données page's editable table.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from app_pages.access import role_name
from app_pages.translation import _, day, field_labels, language, number, pgettext, reasons, statuses
from roadmap import (
    LoadResult,
    Plan,
    Roadmap,
    Snapshot,
    Status,
    condense_issues,
    latest_frozen_plan,
    snapshots,
)
from roadmap.editing import EditReview, ProposedChange, Value
from roadmap.progress import compare_sources
from roadmap.security.accounts import Account
from roadmap.store.audit import AuditEntry
from roadmap.store.snapshots import FrozenPlan
from roadmap.wording import deferral_text
from roadmap.writeback import CellChange, MeasureEdit


def issues_frame(result: LoadResult) -> pd.DataFrame:
    """The issues as a table with column names in the session's language."""
    columns = [_("Severity"), _("Sheet"), _("Row"), _("Column"), _("Value"), _("Problem"), _("Fix")]
    lang = language()
    return pd.DataFrame(
        [
            (
                _("Blocking") if i.severity == "error" else _("Warning"),
                i.sheet or "",
                i.row,
                i.column or "",
                i.value or "",
                *i.text(lang),
            )
            for i in condense_issues(result.issues)
        ],
        columns=columns,
    ).astype({_("Row"): "Int64"})


def deferred_frame(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """The deferred measures as a table in the session's language: ID, measure, team, priority,
    reason, detail (French: ID, Mesure, Équipe, Priorité, Raison, Détail)."""
    why = reasons()
    return pd.DataFrame(
        [
            (
                d.id,
                roadmap.measure_by_id[d.id].title,
                d.team,
                str(roadmap.measure_by_id[d.id].priority),
                why[d.reason],
                deferral_text(d, roadmap, plan, lang=language()),
            )
            for d in plan.deferred
        ],
        columns=[_("ID"), _("Measure"), _("Team"), _("Priority"), _("Reason"), _("Detail")],
    )


def snapshots_frame(history: list[Snapshot]) -> pd.DataFrame:
    """The snapshots as a table in the session's language, newest first: date, measures done, in
    progress, blocked, hash, recorded at."""
    return pd.DataFrame(
        [
            (
                s.taken_at,
                sum(m.status is Status.DONE for m in s.measures),
                sum(m.status is Status.IN_PROGRESS for m in s.measures),
                sum(m.status is Status.BLOCKED for m in s.measures),
                s.content_hash[:12],
                s.recorded_at,
            )
            for s in reversed(history)
        ],
        columns=[
            _("Date"),
            pgettext("snapshots", "Measures done"),
            _("In progress"),
            pgettext("snapshots", "Blocked"),
            _("Hash"),
            _("Recorded at (UTC)"),
        ],
    )


def blocked_frame(roadmap: Roadmap) -> pd.DataFrame:
    """The blocked measures as a table in the session's language: ID, measure, team, note."""
    return pd.DataFrame(
        [(m.id, m.title, m.team, m.notes or "") for m in roadmap.measures if m.status is Status.BLOCKED],
        columns=[_("ID"), _("Measure"), _("Team"), _("Note")],
    )


def late_frame(plan: FrozenPlan, current: Snapshot | None, late: tuple[str, ...]) -> pd.DataFrame:
    """The late measures as a table in the session's language: ID, measure, team, planned end,
    status, progress (%)."""
    state = {m.id: m for m in current.measures} if current else {}
    titles = current.roadmap.measure_by_id if current else {}
    planned = {m.id: m for m in plan.measures}
    labels = statuses()
    return pd.DataFrame(
        [
            (
                ident,
                titles[ident].title if ident in titles else "",
                planned[ident].team,
                planned[ident].end,
                labels[state[ident].status] if ident in state else "",
                state[ident].progress if ident in state else None,
            )
            for ident in late
        ],
        columns=[_("ID"), _("Measure"), _("Team"), _("Planned end"), _("Status"), _("Progress (%)")],
    )


def audit_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The audit log as a table in the session's language, newest first."""
    return pd.DataFrame(
        [(e.at, e.who, e.action, e.target, e.old, e.new) for e in entries],
        columns=[_("When (UTC)"), _("Who"), _("Action"), _("Target"), _("Before"), _("After")],
    )


def accounts_frame(accounts: list[Account]) -> pd.DataFrame:
    """The accounts as a table in the session's language (never a password hash)."""

    def state(a: Account) -> str:
        if not a.enabled:
            return _("disabled")
        if a.locked_until is not None:
            return _("locked until {at} UTC").format(at=f"{a.locked_until:%Y-%m-%d %H:%M}")
        return _("must change its password") if a.must_change_password else _("active")

    return pd.DataFrame(
        [
            (
                a.name,
                role_name(a.role),
                _("identity provider") if a.kind == "oidc" else _("password"),
                state(a),
                a.created_at,
                a.created_by,
            )
            for a in accounts
        ],
        columns=[_("Account"), _("Role"), _("Sign-in"), _("State"), _("Added (UTC)"), _("Added by")],
    )


def group_frame(engine: Engine, names: list[str]) -> pd.DataFrame:
    """Roll-up of the establishments (:func:`roadmap.progress.compare_sources`), headers in the session's
    language."""
    table = compare_sources([(n, latest_frozen_plan(engine, n), snapshots(engine, n)) for n in names])
    return table.rename(
        columns={
            "source": _("Establishment"),
            "snapshots": _("Snapshots"),
            "as_of": _("As of"),
            "pv": _("PV (person-days)"),
            "ev": _("EV (person-days)"),
            "spi": _("SPI"),
            "forecast_end": _("Forecast end"),
            "late": _("Late"),
            "residual": _("Residual risk"),
        }
    )


def edits_from_table(before: pd.DataFrame, after: pd.DataFrame) -> list[MeasureEdit]:
    """The measures whose status, progress or done date the user changed in the data editor
    (columns ``ID``, status, progress (%) and completed on, named and labelled in the session's language:
    ``Statut``, ``Avancement (%)``, ``Date de réalisation`` in French). An emptied progress cell is
    ``nan`` (refused by :func:`roadmap.editing.review_edits`); an emptied date clears the date."""
    status_of = {label: Status(key) for key, label in statuses().items()}
    status_col, progress_col, done_col = _("Status"), _("Progress (%)"), _("Completed on")
    edits = []
    for (_row, old), (_same, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        status = status_of[new[status_col]] if new[status_col] != old[status_col] else None
        new_progress = math.nan if pd.isna(new[progress_col]) else float(new[progress_col])
        progress = new_progress if new_progress != old[progress_col] else None
        old_done, new_done = _day(old[done_col]), _day(new[done_col])
        done = new_done if new_done != old_done else None
        clear = old_done is not None and new_done is None
        if status is not None or progress is not None or done is not None or clear:
            edits.append(
                MeasureEdit(str(new[_("ID")]), status=status, progress=progress, done_date=done, clear_done_date=clear)
            )
    return edits


def _day(value: object) -> dt.date | None:
    """A grid cell's date: ``None`` for an empty cell (``None``, ``NaT``), a date for a timestamp."""
    if value is None or pd.isna(value):  # NaT is a datetime too
        return None
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def shown_value(value: Value) -> str:
    """A field's value as the change list shows it: a status's label, ``40 %``, a date, ``—`` when empty."""
    if value is None:
        return "—"
    if isinstance(value, Status):
        return statuses()[value.value]
    if isinstance(value, dt.date):
        return day(value)
    if math.isnan(value):
        return "—"
    return f"{number(value)} %"


def change_label(change: ProposedChange) -> str:
    """One change on one line: ``MSG-02 · Avancement (%) : 40 % → 0 %``."""
    return _("{id} · {field}: {old} → {new}").format(
        id=change.measure_id,
        field=field_labels()[change.field],
        old=shown_value(change.old),
        new=shown_value(change.new),
    )


def changes_frame(review: EditReview) -> pd.DataFrame:
    """The changes a save would write, one row per measure and field: ID, measure, field, before,
    after, set by (the user, or Rempart from the status), check (the problems, blocking ones first)."""
    lang = language()

    def check(change: ProposedChange) -> str:
        ordered = sorted(change.problems, key=lambda p: p.severity != "error")
        return " ; ".join(
            (_("Blocking: {problem}") if p.severity == "error" else _("To check: {problem}")).format(
                problem=p.text(lang)
            )
            for p in ordered
        )

    return pd.DataFrame(
        [
            (
                c.measure_id,
                c.title,
                field_labels()[c.field],
                shown_value(c.old),
                shown_value(c.new),
                _("Rempart, from the status") if c.automatic else _("you"),
                check(c) or "✓",
            )
            for c in review.changes
        ],
        columns=[_("ID"), _("Measure"), _("Field"), _("Before"), _("After"), _("Set by"), _("Check")],
    )


def problem_lines(review: EditReview) -> list[tuple[str, str]]:
    """Each problem of the change list in full, blocking ones first: (severity, ``<change>: <problem>``)."""
    lang = language()
    lines = [(p.severity, f"{change_label(c)} — {p.text(lang)}") for c in review.changes for p in c.problems]
    return sorted(lines, key=lambda line: line[0] != "error")


def written_frame(cells: Sequence[CellChange], review: EditReview) -> pd.DataFrame:
    """The cells a save wrote: sheet, cell, ID, measure, field, before, after (values as the change
    list shows them when the review has them, else as written in the cell)."""
    by_key = {(c.measure_id, c.field): c for c in review.changes}

    def values(cell: CellChange) -> tuple[str, str]:
        change = by_key.get((cell.measure_id, cell.field))
        return (shown_value(change.old), shown_value(change.new)) if change else (cell.old, cell.new)

    rows = []
    for cell in cells:
        sheet, _sep, coordinate = cell.cell.rpartition("!")
        change = by_key.get((cell.measure_id, cell.field))
        rows.append(
            (
                sheet,
                coordinate,
                cell.measure_id,
                change.title if change else "",
                field_labels()[cell.field],
                *values(cell),
            )
        )
    return pd.DataFrame(
        rows, columns=[_("Sheet"), _("Cell"), _("ID"), _("Measure"), _("Field"), _("Before"), _("After")]
    )


def value_frame(result: LoadResult, field: str, remembered: dict[str, str], meanings: dict[str, str]) -> pd.DataFrame:
    """The value table of the mapping step for a status or priority column: each distinct value outside
    the vocabulary once (those the mapping already gives a meaning first), with the number of rows
    holding it and what it is read as (a label of ``meanings``: canonical value → label).

    Columns: Value, Rows, Read as."""
    default = "not_started" if field == "status" else "P3"
    counts = dict(result.unknown_values.get(field, ()))
    rows = [(value, counts.pop(value, None), meanings[meaning]) for value, meaning in remembered.items()]
    rows += [(value, count, meanings[default]) for value, count in counts.items()]
    return pd.DataFrame(rows, columns=[_("Value"), _("Rows"), _("Read as")]).astype({_("Rows"): "Int64"})
