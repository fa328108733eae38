"""The tables the pages show (issues, deferred measures, snapshots, late and blocked measures, the
audit log, the group roll-up) with headers in the session's language, and the edits read back from
the Données page's editable table.

Every table reaches the screen through :func:`app_pages.grid.show_table`: its numbers and dates stay
typed (a header click sorts them as numbers and dates) and are shown in the session's language
(``17 déc. 2026``, ``3 229``, ``4,3``, an empty cell for ``None``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app_pages.access import role_name
from app_pages.translation import _, cell, day, language, ngettext, pgettext, reasons, statuses
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
from roadmap.gantt import late_measures
from roadmap.progress import compare_sources
from roadmap.security.accounts import Account
from roadmap.store.audit import AuditEntry
from roadmap.store.snapshots import FrozenPlan
from roadmap.wording import deferral_text


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


def measures_frame(roadmap: Roadmap) -> pd.DataFrame:
    """The workbook's measures as the Données page lists them, in the session's language, the columns
    a reader needs first (French: ID, Mesure, Statut, Avancement (%), Charge (j.h), Équipe, Domaine,
    Priorité, Dépend de); progress 0–100, effort in person-days, kept numbers for the sort."""
    labels = statuses()
    return pd.DataFrame(
        [
            (
                m.id,
                m.title,
                labels[m.status],
                m.progress,
                m.effort_days,
                m.team,
                m.domain,
                str(m.priority),
                ", ".join(m.depends_on),
            )
            for m in roadmap.measures
        ],
        columns=[
            _("ID"),
            _("Measure"),
            _("Status"),
            _("Progress (%)"),
            _("Effort (person-days)"),
            _("Team"),
            _("Domain"),
            _("Priority"),
            _("Depends on"),
        ],
    )


def measure_columns() -> dict[str, object]:
    """Column widths (pixels) of :func:`measures_frame` on screen: the title cut at 350 px (whole when
    its cell is opened), so that ID, title, status, progress, effort and team (930 px) stay in view in
    the page's width on a 1440 px screen (980 px beside the sidebar); domain, priority and
    prerequisites follow, a scroll away."""
    return {
        _("ID"): st.column_config.TextColumn(width=75),
        _("Measure"): st.column_config.TextColumn(width=350),
        _("Status"): st.column_config.TextColumn(width=90),
        _("Progress (%)"): st.column_config.NumberColumn(width=110),
        _("Effort (person-days)"): st.column_config.NumberColumn(width=130),
        _("Team"): st.column_config.TextColumn(width=175),
        _("Domain"): st.column_config.TextColumn(width=175),
        _("Priority"): st.column_config.TextColumn(width=70),
        _("Depends on"): st.column_config.TextColumn(width=110),
    }


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


def overdue_frame(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """The scheduled measures the plan ends after their due date (:func:`roadmap.gantt.late_measures`
    without the frozen plan: late by the plan, not yet by the history), as a table in the session's
    language: ID, team, planned end, days late (calendar days past the due date), measure, due date —
    the measures the Gantt outlines in red for that reason, latest first."""
    by_id, overdue = roadmap.measure_by_id, late_measures(roadmap, plan)
    rows = [
        (s.id, s.team, s.end, (s.end - due).days, by_id[s.id].title, due)
        for s in plan.scheduled
        if s.id in overdue and (due := by_id[s.id].due_date) is not None
    ]
    rows.sort(key=lambda row: (-row[3], row[0]))
    return pd.DataFrame(
        rows, columns=[_("ID"), _("Team"), _("Planned end"), _("Days late"), _("Measure"), _("Due date")]
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
        "sessions_revoke": _("Signed-in sessions ended"),
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
