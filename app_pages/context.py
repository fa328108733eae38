"""The workbook in use, shared by every page: the sidebar that chooses it and its options, the cached
calls into :mod:`roadmap` (load and analysis in :mod:`app_pages.solving`, inspection), and its
history store (snapshots of uploads, what the history says of this workbook, the audit of edits).

Caching wraps the domain functions here, in the UI layer; :mod:`roadmap` never imports
Streamlit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from app_pages.grid import show_table
from app_pages.limits import server_busy, upload_allowed
from app_pages.solving import TIME_LIMIT, cached_analysis, cached_load, next_monday, refining_notice
from app_pages.tables import issues_frame
from app_pages.translation import _, day, md, ngettext
from app_pages.uploader import uploader_words
from roadmap import (
    Analysis,
    LoadResult,
    RoadmapError,
    Snapshot,
    analyse_roadmap,
    freeze_plan,
    latest_frozen_plan,
    load_roadmap,
    open_store,
    record_snapshot,
    snapshots,
)
from roadmap.errors import ServerBusyError
from roadmap.importing.mapping import ColumnMapping, inspect_workbook
from roadmap.progress import ProgressReport, actual_residual, progress_report, snapshot_at, team_performance
from roadmap.security.roles import SYSTEM, Actor
from roadmap.store.audit import record_audit
from roadmap.store.database import database_url
from roadmap.store.mappings import RememberedMapping, recall
from roadmap.store.snapshots import FrozenPlan, content_hash
from roadmap.writeback import CellChange

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx"


MAX_UPLOAD_MB = 20


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
    refining: str | None = None
    remembered: RememberedMapping | None = None
    """The remembered mapping the file is read with (:func:`current_mapping`), to say so and offer
    to forget it."""


def sidebar() -> Context:
    """Draw the shared sidebar (workbook, start date, horizon, sprint length) and load the plan."""
    with st.sidebar:
        st.header(_("Workbook"))
        uploader_words(MAX_UPLOAD_MB)
        upload = st.file_uploader(
            _("Load another workbook (.xlsx, .xlsm, .ods, .csv, .tsv, .txt)"),
            type=["xlsx", "xlsm", "ods", "csv", "tsv", "txt"],
            key="upload",
            help=_("At most {size} MB. Without a workbook, the sample of the Rivebelle hospital is used.").format(
                size=MAX_UPLOAD_MB
            ),
        )
        shared = configured_workbook()
        actor: Actor = st.session_state["user"]
        if upload is not None and upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            st.error(_("File too large (over {size} MB): the sample stays on screen.").format(size=MAX_UPLOAD_MB))
            upload = None
        elif upload is not None and not upload_allowed(upload, actor):
            upload = None
        if upload is not None:
            data, name = saved_copies().get(upload.file_id, (upload.getvalue(), upload.name))
        else:
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
            if source == SAMPLE:  # the sample edited and saved in this session
                data, name = saved_copies().get("sample", (data, name))
        st.caption(_("In use: **{name}**").format(name=md(name)))
        if upload is not None:  # the rule, said where the upload is: nothing enters the history by itself
            st.caption(
                _("Not recorded in the history: an editor records it from the Data page, after the import report.")
            )
        try:
            mapping, remembered = current_mapping(data, name)
            result = cached_load(data, filename=name, mapping=mapping)
        except ServerBusyError:
            server_busy(name, actor)
            raise
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
        if remembered is not None:
            st.caption(
                _("Mapping remembered on {date} applied (sheet “{sheet}”): see the Data page.").format(
                    date=day(remembered.saved_at.date()), sheet=md(remembered.mapping.sheet)
                )
            )
        elif mapping is not None:
            st.caption(_("Read with a column mapping (sheet “{sheet}”).").format(sheet=md(mapping.sheet)))
        settings = result.roadmap.settings
        st.header(_("Programme"))
        start = st.date_input(
            _("Programme start"),
            value=settings.start_date or next_monday(),
            key="start",
            format="DD/MM/YYYY",
        )
        horizon = st.number_input(_("Horizon (weeks)"), 1, 156, settings.horizon_weeks, key="horizon")
        sprint = st.number_input(_("Sprint length (weeks)"), 1, 12, settings.sprint_weeks, key="sprint")
        time_limit = st.number_input(
            _("Maximum solving time (s)"),
            1,
            120,
            TIME_LIMIT,
            key="time_limit",
            help=_(
                "Time limit of the planner that optimises the plan and bounds how far it is from the best "
                "possible one (the plan on screen at once is the fast one; the optimised one follows)."
            ),
        )
    if not result.ok:
        count = len(result.errors)
        error = ngettext(
            "The workbook has {count} blocking problem.", "The workbook has {count} blocking problems.", count
        ).format(count=count)
        return Context(name, data, result, None, error, mapping=mapping, remembered=remembered)
    options = (start, int(horizon), int(sprint), float(time_limit))
    try:
        analysis, refining = cached_analysis(data, name, *options, mapping=mapping)
    except RoadmapError as exc:
        return Context(name, data, result, None, md(exc), mapping=mapping, remembered=remembered)
    return Context(name, data, result, analysis, None, options, mapping, refining, remembered)


def saved_copies() -> dict[str, tuple[bytes, str]]:
    """The uploads edited and saved on the Données page in this session: upload ID → (the workbook
    as written, its name). The copy replaces the upload it came from at once (the plan, dashboard
    and history follow it), until another file is uploaded."""
    copies: dict[str, tuple[bytes, str]] = st.session_state.setdefault("saved_copies", {})
    return copies


def today() -> dt.date:
    """Today's date on the server: the clock of the pages (the completion date of a measure marked
    done), one place for a test to set it."""
    return dt.date.today()


def file_key(data: bytes) -> str:
    """A short digest of a file's bytes, to keep per-file choices in the session."""
    return hashlib.sha256(data).hexdigest()[:16]


cached_inspect = st.cache_data(show_spinner=False, max_entries=8)(inspect_workbook)


def current_mapping(data: bytes, name: str) -> tuple[ColumnMapping | None, RememberedMapping | None]:
    """The column mapping for this file and, when it is a remembered one, the record that says when
    it was saved: the mapping confirmed in this session, else one remembered in the history database
    (:func:`roadmap.store.mappings.recall`) for the same headers when the file is not in Rempart's own
    format or holds values outside the vocabulary (a remembered mapping says what they mean). A
    database that cannot be read recalls nothing."""
    chosen: ColumnMapping | None = st.session_state.setdefault("mappings", {}).get(file_key(data))
    read = cached_load(data, filename=name)
    if chosen is not None or ("measures" in read.sheets.values() and not read.unknown_values):
        return chosen, None
    try:
        engine = history_engine(database_url())
        for sheet in cached_inspect(data, filename=name).sheets:
            remembered = recall(engine, [c.header for c in sheet.columns])
            if remembered is not None and remembered.mapping.sheet == sheet.name:
                return remembered.mapping, remembered
    except RoadmapError:
        return None, None
    return None, None


def require_analysis(context: Context) -> Analysis:
    """The analysis, or an explanation of what to fix and a stop of the page; while the full solve
    runs in the background, a notice that the plan is the fast one (:func:`refining_notice`)."""
    if context.analysis is None:
        st.error(context.error or _("No plan available."))
        if not context.result.ok:
            st.write(_("Fix these problems in the workbook, then load it again:"))
            show_table(issues_frame(context.result), key="blocking_issues", width="stretch")
            if "measures" in context.result.sheets.values():  # read: how it is read can be changed here
                st.info(
                    _(
                        "Some can be fixed without editing the file: the **Column mapping** section of the Data "
                        "page sets a **Default team (empty cells)** and a default effort, and which column holds "
                        "which field."
                    ),
                    icon=":material/build:",
                )
                st.page_link("app_pages/data.py", label=_("Open the column mapping"), icon=":material/table:")
        st.stop()
    refining_notice(context.refining)
    return context.analysis


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
        if context is not None and context.name == SAMPLE.name and context.data == _sample_bytes(SAMPLE):
            _seed_sample_history(url)
        return engine


@functools.cache
def _sample_bytes(path: Path) -> bytes:
    """The bundled sample's bytes, read once per path (it does not change while the app runs)."""
    return path.read_bytes()


@st.cache_resource(show_spinner=False)
def _history_engine(url: str) -> Engine:
    """The history database at ``url``, created and migrated if needed."""
    return open_store(url)


@st.cache_resource(show_spinner=False)
def _seed_sample_history(url: str) -> None:
    """Record the sample's history once per database: the files of ``data/sample/history/`` at
    their dates, and the fast plan (:func:`roadmap.planning.optimise.quick_plan`) of the first one
    frozen as the baseline on that date."""
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
    # the fast plan (a few tenths of a second, the same on every machine): a full solve here would
    # hold the first dashboard for its whole time limit
    analysis = analyse_roadmap(first, crashing=False, quick=True)
    first_day = dt.datetime.combine(dt.date.fromisoformat(files[0].stem.removeprefix("rivebelle-")), dt.time(8))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    freeze_plan(engine, source, analysis, by=SYSTEM, at=min(first_day, now))  # frozen before it is measured


@dataclass(frozen=True)
class Tracking:
    """What the history says about the workbook in use: its snapshots' actual residual risk
    (``actual``: columns ``date``, ``scenario`` = ``actual``, ``total``), and, once a plan is frozen,
    the earned-value report against it, and each team's SPI (``team_spi``, from two snapshots on).

    ``as_of`` is the date the history speaks of (the report's, else the last snapshot's);
    ``workbook_as_of`` the date of the snapshot whose content is the workbook on screen (``None``
    when the workbook is in no snapshot), so that a page can date its figures and say when the
    workbook and the history speak of different days."""

    actual: pd.DataFrame
    plan: FrozenPlan | None
    report: ProgressReport | None
    current: Snapshot | None
    team_spi: dict[str, float] = dataclasses.field(default_factory=dict)
    as_of: dt.date | None = None
    workbook_as_of: dt.date | None = None


def tracking(context: Context) -> Tracking | None:
    """The history of the workbook's establishment (:func:`source_name`), or ``None`` when it has
    no snapshot or the history database cannot be read (the dashboard then shows the plan alone)."""
    try:
        return history_tracking(history_engine(database_url(), context=context), context)
    except RoadmapError:
        return None


def history_tracking(engine: Engine, context: Context) -> Tracking | None:
    """:func:`tracking` in the history database ``engine`` (no spinner: also run by the server's
    warm-up, outside any page).

    Raises:
        StoreError: the database cannot be read.
    """
    history = snapshots(engine, source_name(context))
    plan = latest_frozen_plan(engine, source_name(context)) if history else None
    if not history:
        return None
    actual = actual_residual(history).assign(scenario="actual")[["date", "scenario", "total"]]
    report = progress_report(plan, history) if plan is not None else None
    current = snapshot_at(history, report.as_of) if report is not None else history[-1]
    team_spi = team_performance(plan, history) if plan is not None else {}
    as_of = report.as_of if report is not None else history[-1].taken_at
    digest = content_hash(context.data)
    workbook_as_of = next((s.taken_at for s in reversed(history) if s.content_hash == digest), None)
    return Tracking(actual, plan, report, current, team_spi, as_of, workbook_as_of)


def configured_workbook() -> Path | None:
    """The workbook on a shared drive set by ``REMPART_WORKBOOK`` (a path), read on every run and
    written back by the Données page; ``None`` when not configured."""
    value = os.environ.get("REMPART_WORKBOOK", "").strip()
    return Path(value) if value else None


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
