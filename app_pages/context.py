"""What every page shares: the sidebar, the cached calls into :mod:`roadmap`, the session's language
(gettext ``_`` and ``ngettext``, locale formatting of numbers and dates).

Caching wraps the domain functions here, in the UI layer; :mod:`roadmap` never imports
Streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from roadmap import (
    LANGUAGES,
    Analysis,
    LoadResult,
    Plan,
    Roadmap,
    RoadmapError,
    Snapshot,
    Status,
    analyse_roadmap,
    condense_issues,
    format_day,
    format_number,
    format_percent,
    freeze_plan,
    latest_frozen_plan,
    load_roadmap,
    load_workbook,
    open_store,
    record_snapshot,
    snapshots,
    translation,
)
from roadmap.importing.mapping import ColumnMapping, inspect_workbook, recall_mapping
from roadmap.planning.optimise import with_capacity
from roadmap.progress import ProgressReport, actual_residual, compare_sources, progress_report, snapshot_at
from roadmap.security.roles import SYSTEM, Actor, Role
from roadmap.store.audit import AuditEntry, record_audit
from roadmap.store.database import database_url
from roadmap.store.snapshots import FrozenPlan, content_hash
from roadmap.wording import deferral_text, markdown_text
from roadmap.writeback import CellChange, MeasureEdit

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx"
MAX_UPLOAD_MB = 20
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language in its own words, for the switch in the sidebar (not translated)."""


def md(value: object) -> str:
    """Text from outside (a workbook, a file name, an error quoting a cell, a user's name) made safe
    to place in Markdown: shown as typed, never as a link, an image or formatting."""
    return markdown_text(str(value))


def language() -> str:
    """The session's language: ``"fr"`` (default) or ``"en"``, from the sidebar switch (``lang``)."""
    lang = st.session_state.get("lang", LANGUAGES[0])
    return lang if lang in LANGUAGES else LANGUAGES[0]


def _(message: str) -> str:
    """``message`` (an English msgid) in the session's language."""
    return translation(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the session's language."""
    return translation(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the session's language, told apart from the same English words by ``context``."""
    return translation(language()).pgettext(context, message)


def language_switch() -> str:
    """The language switch of the sidebar (key ``lang``, French by default, ``?lang=en`` honoured on
    the first load); returns the language chosen, so that the navigation can be titled in it."""
    if "lang" not in st.session_state:
        asked = st.query_params.get("lang", LANGUAGES[0]).strip().lower()
        st.session_state["lang"] = asked if asked in LANGUAGES else LANGUAGES[0]
    with st.sidebar:
        st.radio(_("Language"), LANGUAGES, format_func=LANGUAGE_NAMES.__getitem__, key="lang", horizontal=True)
    return language()


def reasons() -> dict[str, str]:
    """Why a measure is deferred (:class:`roadmap.DeferReason`), as short labels in the session's language."""
    return {
        "capacity": _("Not enough capacity"),
        "prerequisite": _("Waits on a prerequisite"),
        "blocked": pgettext("deferral reason", "Blocked"),
        "too_long": _("Too long for the horizon"),
    }


def statuses() -> dict[str, str]:
    """The measure statuses (:class:`roadmap.Status` values) as labels in the session's language."""
    return {
        "not_started": _("To do"),
        "in_progress": _("In progress"),
        "done": _("Done"),
        "blocked": pgettext("measure status", "Blocked"),
        "cancelled": _("Cancelled"),
    }


@dataclass(frozen=True)
class Context:
    """The workbook in use and the options chosen in the sidebar; ``error`` is Markdown, its
    outside text already escaped."""

    name: str
    data: bytes
    result: LoadResult
    analysis: Analysis | None
    error: str | None
    options: tuple[dt.date, int, int, float] | None = None
    mapping: ColumnMapping | None = None


_cached_load = st.cache_data(show_spinner=False, max_entries=8)(load_workbook)


def cached_load(data: bytes, *, filename: str, mapping: ColumnMapping | None = None) -> LoadResult:
    """:func:`roadmap.load_workbook`, cached by content, with a spinner in the session's language."""
    with st.spinner(_("Reading the workbook…")):
        return _cached_load(data, filename=filename, mapping=mapping)


TeamChanges = tuple[tuple[str, float, float, float], ...]
"""What-if capacity: (team, FTE, availability 0–1, reinforcement person-days per week) per changed team."""


@st.cache_data(show_spinner=False, max_entries=16)
def cached_analysis(
    data: bytes,
    name: str,
    start: dt.date,
    horizon: int,
    sprint: int,
    time_limit: float,
    changes: TeamChanges = (),
    mapping: ColumnMapping | None = None,
) -> Analysis:
    """:func:`roadmap.analyse_roadmap` on the workbook's roadmap, cached by content and options.

    The solve runs in a worker thread while this (script) thread shows its progress bar.
    """
    roadmap = cached_load(data, filename=name, mapping=mapping).roadmap
    if changes:
        roadmap = with_capacity(
            roadmap,
            {team: {"fte": fte, "availability": avail, "reinforcement": extra} for team, fte, avail, extra in changes},
        )
    done = [0.0]

    def progress(share: float, message: str) -> None:
        done[0] = share

    text = _("Optimising the plan (CP-SAT)…")
    bar = st.progress(0.0, text=text)
    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(
            analyse_roadmap,
            roadmap,
            start=start,
            horizon_weeks=horizon,
            sprint_weeks=sprint,
            time_limit=time_limit,
            progress=progress,
        )
        while not future.done():
            elapsed = (time.monotonic() - began) / (2 * time_limit + 1)
            bar.progress(min(0.99, max(done[0], elapsed)), text=text)
            time.sleep(0.2)
    bar.empty()
    return future.result()


def number(value: float, digits: int = 1) -> str:
    """A number in the session's language: ``1 234,5`` (fr), ``1,234.5`` (en)."""
    return format_number(value, language(), digits)


def percent(share: float) -> str:
    """A 0–1 share as a percentage in the session's language: ``42 %`` (fr), ``42%`` (en)."""
    return format_percent(share, language())


def day(value: dt.date) -> str:
    """A date in the session's language: ``30 nov. 2026`` (fr), ``30 Nov 2026`` (en)."""
    return format_day(value, language())


def sidebar() -> Context:
    """Draw the shared sidebar (workbook, start date, horizon, sprint length) and load the plan."""
    with st.sidebar:
        st.header(_("Workbook"))
        upload = st.file_uploader(
            _("Load another workbook (.xlsx, .xlsm, .ods, .csv, .tsv, .txt)"),
            type=["xlsx", "xlsm", "ods", "csv", "tsv", "txt"],
            key="upload",
            help=_("At most {size} MB. Without a workbook, the sample of the Rivebelle hospital is used.").format(
                size=MAX_UPLOAD_MB
            ),
        )
        shared = configured_workbook()
        if upload is not None and upload.size <= MAX_UPLOAD_MB * 1024 * 1024:
            data, name = upload.getvalue(), upload.name
        else:
            if upload is not None:
                st.error(_("File too large (over {size} MB): the sample stays on screen.").format(size=MAX_UPLOAD_MB))
            source = shared or SAMPLE
            try:
                data, name = source.read_bytes(), source.name  # read on every run: a saved change shows at once
            except OSError as exc:
                st.error(
                    _("The configured workbook cannot be read ({path}): {reason}").format(
                        path=md(source), reason=md(exc.strerror or exc)
                    )
                )
                data, name = SAMPLE.read_bytes(), SAMPLE.name
        st.caption(_("In use: **{name}**").format(name=md(name)))
        try:
            mapping = current_mapping(data, name)
            result = cached_load(data, filename=name, mapping=mapping)
        except RoadmapError as exc:
            unreadable = md(exc)
        else:
            unreadable = None
    if unreadable is not None:  # said on the page too, with what to do, then nothing else is drawn
        st.error(
            _("This file cannot be used: {error}").format(error=unreadable)
            + "\n\n"
            + _("Load another workbook in the sidebar, or remove this one to go back to the sample.")
        )
        st.stop()
    with st.sidebar:
        if mapping is not None:
            st.caption(_("Read with a column mapping (sheet “{sheet}”).").format(sheet=md(mapping.sheet)))
        settings = result.roadmap.settings
        st.header(_("Programme"))
        start = st.date_input(
            _("Programme start"),
            value=settings.start_date or _next_monday(),
            key="start",
            format="DD/MM/YYYY",
        )
        horizon = st.number_input(_("Horizon (weeks)"), 1, 156, settings.horizon_weeks, key="horizon")
        sprint = st.number_input(_("Sprint length (weeks)"), 1, 12, settings.sprint_weeks, key="sprint")
        time_limit = st.number_input(
            _("Maximum solving time (s)"),
            1,
            120,
            5,
            key="time_limit",
            help=_(
                "Time limit of the CP-SAT solver that optimises the plan; the “what it would take” "
                "calculation takes as long again."
            ),
        )
    if not result.ok:
        count = len(result.errors)
        error = ngettext(
            "The workbook has {count} blocking problem.", "The workbook has {count} blocking problems.", count
        ).format(count=count)
        return Context(name, data, result, None, error, mapping=mapping)
    actor: Actor = st.session_state["user"]
    if upload is not None and actor.can(Role.EDITOR):
        with st.sidebar:
            try:
                st.caption(snapshot_upload(database_url(), data, name, mapping, actor))
            except RoadmapError as exc:
                st.warning(_("Snapshot not recorded: {error}").format(error=md(exc)))
    elif upload is not None:
        st.sidebar.caption(_("Viewed only: a viewer's upload is not recorded in the history."))
    options = (start, int(horizon), int(sprint), float(time_limit))
    try:
        analysis = cached_analysis(data, name, *options, mapping=mapping)
    except RoadmapError as exc:
        return Context(name, data, result, None, md(exc), mapping=mapping)
    return Context(name, data, result, analysis, None, options, mapping)


def file_key(data: bytes) -> str:
    """A short digest of a file's bytes, to keep per-file choices in the session."""
    return hashlib.sha256(data).hexdigest()[:16]


cached_inspect = st.cache_data(show_spinner=False, max_entries=8)(inspect_workbook)


def current_mapping(data: bytes, name: str) -> ColumnMapping | None:
    """The column mapping for this file: the one confirmed in this session, else one remembered
    for the same headers when the file is not in Rempart's own format."""
    chosen: ColumnMapping | None = st.session_state.setdefault("mappings", {}).get(file_key(data))
    if chosen is not None or "measures" in cached_load(data, filename=name).sheets.values():
        return chosen
    for sheet in cached_inspect(data, filename=name).sheets:
        remembered = recall_mapping([c.header for c in sheet.columns])
        if remembered is not None and remembered.sheet == sheet.name:
            return remembered
    return None


def _next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


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


def require_analysis(context: Context) -> Analysis:
    """The analysis, or an explanation of what to fix and a stop of the page."""
    if context.analysis is None:
        st.error(context.error or _("No plan available."))
        if not context.result.ok:
            st.write(_("Fix these problems in the workbook, then load it again:"))
            st.dataframe(issues_frame(context.result), hide_index=True, width="stretch")
        st.stop()
    return context.analysis


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


def field_labels() -> dict[str, str]:
    """Labels of the measure fields in the session's language, for the column mapping step."""
    return {
        "id": _("ID"),
        "title": _("Measure (title)"),
        "domain": _("Domain"),
        "team": _("Team"),
        "owner": _("Owner"),
        "effort_days": _("Effort (person-days)"),
        "max_crew": _("Max people"),
        "status": _("Status"),
        "progress": _("Progress (%)"),
        "priority": _("Priority"),
        "baseline_start": _("Planned start"),
        "baseline_end": _("Planned end"),
        "baseline_quarter": _("Planned quarter"),
        "depends_on": _("Depends on"),
        "mitigates": _("Mitigated risks"),
        "references": _("References"),
        "due_date": _("Due date"),
        "done_date": _("Completed on"),
        "fixed_sprint": _("Fixed sprint"),
        "notes": _("Notes"),
    }


HISTORY = SAMPLE.parent / "history"
"""The sample's history: the workbook on several Mondays, ``rivebelle-YYYY-MM-DD.xlsx``."""


def source_name(context: Context) -> str:
    """The history source of the workbook in use: its establishment, else its file name."""
    return context.result.roadmap.settings.establishment or Path(context.name).stem


def history_engine(url: str, *, context: Context | None = None) -> Engine:
    """The history database at ``url``, migrated, with a spinner on first use.

    When the workbook in use (``context``) is the bundled sample, the sample's fictional history is
    recorded first (:func:`_seed_sample_history`); a hospital's own database never receives it
    otherwise.
    """
    with st.spinner(_("Opening the history…")):
        engine = _history_engine(url)
        if context is not None and context.name == SAMPLE.name and context.data == _sample_bytes():
            _seed_sample_history(url)
        return engine


@functools.cache
def _sample_bytes() -> bytes:
    """The bundled sample's bytes, read once (it does not change while the app runs)."""
    return SAMPLE.read_bytes()


@st.cache_resource(show_spinner=False)
def _history_engine(url: str) -> Engine:
    """The history database at ``url``, created and migrated if needed."""
    return open_store(url)


@st.cache_resource(show_spinner=False)
def _seed_sample_history(url: str) -> None:
    """Record the sample's history once per database: the files of ``data/sample/history/`` at
    their dates, and the plan computed on the first one frozen as the baseline on that date."""
    engine = _history_engine(url)
    files = sorted(HISTORY.glob("rivebelle-*.xlsx"))
    if not files:
        return
    first, _issues = load_roadmap(files[0])
    source = first.settings.establishment or "rivebelle"
    if snapshots(engine, source):
        return
    for path in files:
        data = path.read_bytes()
        roadmap, _issues = load_roadmap(data, filename=path.name)
        taken = dt.date.fromisoformat(path.stem.removeprefix("rivebelle-"))
        record_snapshot(engine, source, roadmap, taken_at=taken, content_hash=content_hash(data), by=SYSTEM)
    analysis = analyse_roadmap(first, time_limit=5, crashing=False)
    first_day = dt.datetime.combine(dt.date.fromisoformat(files[0].stem.removeprefix("rivebelle-")), dt.time(8))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    freeze_plan(engine, source, analysis, by=SYSTEM, at=min(first_day, now))  # frozen before it is measured


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


@dataclass(frozen=True)
class Tracking:
    """What the history says about the workbook in use: its snapshots' actual residual risk
    (``actual``: columns ``date``, ``scenario`` = ``actual``, ``total``), and, once a plan is frozen,
    the earned-value report against it."""

    actual: pd.DataFrame
    plan: FrozenPlan | None
    report: ProgressReport | None
    current: Snapshot | None


def tracking(context: Context) -> Tracking | None:
    """The history of the workbook's establishment (:func:`source_name`), or ``None`` when it has
    no snapshot or the history database cannot be read (the dashboard then shows the plan alone)."""
    try:
        engine = history_engine(database_url(), context=context)
        history = snapshots(engine, source_name(context))
        plan = latest_frozen_plan(engine, source_name(context)) if history else None
    except RoadmapError:
        return None
    if not history:
        return None
    actual = actual_residual(history).assign(scenario="actual")[["date", "scenario", "total"]]
    report = progress_report(plan, history) if plan is not None else None
    current = snapshot_at(history, report.as_of) if report is not None else history[-1]
    return Tracking(actual, plan, report, current)


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


def snapshot_upload(url: str, data: bytes, name: str, mapping: ColumnMapping | None, by: Actor) -> str:
    """Record an uploaded workbook as today's snapshot of its source, once per content (PRODUCT.md §5:
    every import whose content changed is a snapshot); returns a sentence in the session's language
    saying what happened.

    Raises:
        StoreError: the history database cannot be written.
    """
    added, source, today = _record_upload(url, data, name, mapping, by)
    if not added:
        return _("History: same content as the last snapshot of “{source}”.").format(source=md(source))
    return _("History: snapshot of {date} recorded for “{source}”.").format(date=day(today), source=md(source))


@st.cache_resource(show_spinner=False, max_entries=64)
def _record_upload(
    url: str, data: bytes, name: str, mapping: ColumnMapping | None, by: Actor
) -> tuple[bool, str, dt.date]:
    """:func:`snapshot_upload`'s recording, once per content: (snapshot added, source, date)."""
    roadmap = cached_load(data, filename=name, mapping=mapping).roadmap
    source = roadmap.settings.establishment or Path(name).stem
    today = dt.date.today()
    added = record_snapshot(
        history_engine(url), source, roadmap, taken_at=today, content_hash=content_hash(data), by=by
    )
    return added is not None, source, today


def configured_workbook() -> Path | None:
    """The workbook on a shared drive set by ``REMPART_WORKBOOK`` (a path), read on every run and
    written back by the Données page; ``None`` when not configured."""
    value = os.environ.get("REMPART_WORKBOOK", "").strip()
    return Path(value) if value else None


def edits_from_table(before: pd.DataFrame, after: pd.DataFrame) -> list[MeasureEdit]:
    """The measures whose status, progress or done date the user changed in the data editor
    (columns ``ID``, status, progress (%) and completed on, named and labelled in the session's language:
    ``Statut``, ``Avancement (%)``, ``Date de réalisation`` in French)."""
    status_of = {label: Status(key) for key, label in statuses().items()}
    status_col, progress_col, done_col = _("Status"), _("Progress (%)"), _("Completed on")
    edits = []
    for (_row, old), (_same, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        status = status_of[new[status_col]] if new[status_col] != old[status_col] else None
        progress = float(new[progress_col]) if new[progress_col] != old[progress_col] else None
        done = new[done_col] if new[done_col] != old[done_col] else None
        if isinstance(done, pd.Timestamp):
            done = done.date()
        if status is not None or progress is not None or done is not None:
            edits.append(MeasureEdit(str(new[_("ID")]), status=status, progress=progress, done_date=done))
    return edits


def record_changes(changes: list[CellChange], *, workbook: str, by: Actor) -> None:
    """One audit entry per cell of a prepared copy (:func:`roadmap.writeback.write_back` records
    its own, in the same transaction as the write)."""
    engine = history_engine(database_url())
    for change in changes:
        record_audit(
            engine,
            who=by.name,
            action="edit",
            target=f"{workbook} {change.cell} ({change.measure_id} {change.field})",
            old=change.old,
            new=change.new,
        )
