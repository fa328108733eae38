"""The tables the pages show (issues, deferred measures, snapshots, late and blocked measures, the
audit log, the group roll-up) with headers in the session's language, and the edits read back from
the Données page's editable table.

Every table reaches the screen through :func:`show_table`: its dates, numbers and missing values
formatted in the session's language by :func:`localised` (``17 déc. 2026``, ``3 229``, ``4,3``, an
empty cell for ``None``), numbers right-aligned. The grid itself has no locale (it would print
``4.3`` and ``2026-12-17``), so the cells are text; these tables are short, read rather than sorted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from app_pages.access import role_name
from app_pages.translation import _, cell, day, field_labels, language, ngettext, number, pgettext, reasons, statuses
from roadmap import (
    Issue,
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


def issues_frame(result: LoadResult, issues: Sequence[Issue] | None = None) -> pd.DataFrame:
    """The issues (``issues``, else all those of ``result``) as a table with column names in the
    session's language."""
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
            for i in condense_issues(result.issues if issues is None else issues)
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


def blocked_frame(
    roadmap: Roadmap, *, planned: dict[str, dt.date] | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """The blocked measures as a table in the session's language: ID, team, planned end (the frozen
    plan's, ``planned``, else the workbook's planned end), days late at ``as_of`` (0 when not late,
    empty without a date), measure, note — what to act on first, the title after."""
    rows = []
    for m in roadmap.measures:
        if m.status is not Status.BLOCKED:
            continue
        end = (planned or {}).get(m.id) or m.baseline_end
        late = _days_late(end, as_of)
        rows.append((m.id, m.team, end, 0 if late is None and end and as_of else late, m.title, m.notes or ""))
    return pd.DataFrame(
        rows, columns=[_("ID"), _("Team"), _("Planned end"), _("Days late"), _("Measure"), _("Note")]
    ).astype({_("Days late"): "Int64"})


def _days_late(end: dt.date | None, as_of: dt.date | None) -> int | None:
    """Calendar days from ``end`` to ``as_of`` when ``end`` is passed, else ``None``."""
    if end is None or as_of is None or as_of <= end:
        return None
    return (as_of - end).days


def late_frame(
    plan: FrozenPlan, current: Snapshot | None, late: tuple[str, ...], *, as_of: dt.date | None = None
) -> pd.DataFrame:
    """The late measures as a table in the session's language: ID, team, planned end, days late at
    ``as_of`` (empty without it), measure, status, progress (%) — what to act on first, the title after."""
    state = {m.id: m for m in current.measures} if current else {}
    titles = current.roadmap.measure_by_id if current else {}
    planned = {m.id: m for m in plan.measures}
    labels = statuses()
    return pd.DataFrame(
        [
            (
                ident,
                planned[ident].team,
                planned[ident].end,
                _days_late(planned[ident].end, as_of),
                titles[ident].title if ident in titles else "",
                labels[state[ident].status] if ident in state else "",
                state[ident].progress if ident in state else None,
            )
            for ident in late
        ],
        columns=[_("ID"), _("Team"), _("Planned end"), _("Days late"), _("Measure"), _("Status"), _("Progress (%)")],
    ).astype({_("Days late"): "Int64"})


def audit_actions() -> dict[str, str]:
    """The audit log's action codes (:mod:`roadmap.store.audit`) as labels in the session's language."""
    return {
        "snapshot": _("Snapshot recorded"),
        "snapshot_delete": _("Snapshot deleted"),
        "freeze_plan": _("Plan frozen"),
        "edit": _("Cell edited"),
        "user_add": _("Account added"),
        "user_remove": _("Account removed"),
        "user_disable": _("Account disabled"),
        "user_enable": _("Account enabled"),
        "password_reset": _("Password reset"),
        "password_change": _("Password changed"),
        "password_change_failed": _("Password change refused"),
        "password_change_refused_locked": _("Password change refused (account locked)"),
        "login": _("Signed in"),
        "login_failed": _("Sign-in failed"),
        "login_refused_disabled": _("Sign-in refused (account disabled)"),
        "login_refused_locked": _("Sign-in refused (account locked)"),
        "audit_chain_start": _("Audit chain started"),
    }


_FROZEN = re.compile(r"plan version (\d+): (\d+) scheduled measures, (\d{4}-\d{2}-\d{2}) → (\d{4}-\d{2}-\d{2})")
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_DIGEST = re.compile(r"\b([0-9a-f]{12})[0-9a-f]{52}\b")


def audit_value(value: str | None) -> str:
    """An audit entry's before or after value as the screen shows it: the frozen plan's summary in
    the session's language, ISO dates as dates (:func:`app_pages.translation.day`), a SHA-256 digest
    shortened to its first 12 characters (as in the snapshots table); the log itself keeps the text
    as recorded."""
    if value is None:
        return ""
    frozen = _FROZEN.fullmatch(value)
    if frozen:
        version, count, start, end = frozen.groups()
        return ngettext(
            "plan version {version}: {count} scheduled measure, {start} → {end}",
            "plan version {version}: {count} scheduled measures, {start} → {end}",
            int(count),
        ).format(
            version=version, count=count, start=day(dt.date.fromisoformat(start)), end=day(dt.date.fromisoformat(end))
        )
    value = _ISO_DAY.sub(lambda m: _day_or_text(m.group(1)), value)
    return _DIGEST.sub(lambda m: m.group(1) + "…", value)


def _day_or_text(text: str) -> str:
    try:
        return day(dt.date.fromisoformat(text))
    except ValueError:
        return text


def audit_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The audit log as a table in the session's language, newest first (an action code without a
    label is shown as recorded; values through :func:`audit_value`)."""
    actions = audit_actions()
    return pd.DataFrame(
        [
            (e.at, e.who, actions.get(e.action, e.action), e.target, audit_value(e.old), audit_value(e.new))
            for e in entries
        ],
        columns=[_("When (UTC)"), _("Who"), _("Action"), _("Target"), _("Before"), _("After")],
    )


def accounts_frame(accounts: list[Account]) -> pd.DataFrame:
    """The accounts as a table in the session's language (never a password hash)."""

    def state(a: Account) -> str:
        if not a.enabled:
            return _("disabled")
        if a.locked_until is not None:
            return _("locked until {at} UTC").format(at=cell(a.locked_until))
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
    for written in cells:
        sheet, _sep, coordinate = written.cell.rpartition("!")
        change = by_key.get((written.measure_id, written.field))
        rows.append(
            (
                sheet,
                coordinate,
                written.measure_id,
                change.title if change else "",
                field_labels()[written.field],
                *values(written),
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
