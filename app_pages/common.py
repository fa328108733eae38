"""What every page shares: the sidebar, the cached calls into :mod:`roadmap`, French formatting.

Caching wraps the domain functions here, in the UI layer; :mod:`roadmap` never imports
Streamlit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from sqlalchemy import Engine

from roadmap import (
    Analysis,
    LoadResult,
    Plan,
    Roadmap,
    RoadmapError,
    Snapshot,
    Status,
    analyse_roadmap,
    condense_issues,
    freeze_plan,
    latest_frozen_plan,
    load_roadmap,
    load_workbook,
    open_store,
    record_snapshot,
    snapshots,
)
from roadmap.mapping import ColumnMapping, inspect_workbook, recall_mapping
from roadmap.optimise import with_capacity
from roadmap.progress import compare_sources
from roadmap.roles import SYSTEM, Actor, Role
from roadmap.store import AuditEntry, FrozenPlan, content_hash, database_url, record_audit
from roadmap.wording import deferral_text
from roadmap.writeback import CellChange, MeasureEdit


def _(message: str) -> str:
    """The message in the interface language (gettext)."""
    return message


SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample" / "rivebelle.xlsx"
LOCALE = "fr_FR"
MAX_UPLOAD_MB = 20

REASONS = {
    "capacity": "Capacité insuffisante",
    "prerequisite": "Attend un prérequis",
    "blocked": "Bloquée",
    "too_long": "Trop longue pour l’horizon",
}
STATUSES = {
    "not_started": "À faire",
    "in_progress": "En cours",
    "done": "Fait",
    "blocked": "Bloqué",
    "cancelled": "Abandonné",
}


@dataclass(frozen=True)
class Context:
    """The workbook in use and the options chosen in the sidebar."""

    name: str
    data: bytes
    result: LoadResult
    analysis: Analysis | None
    error: str | None
    options: tuple[dt.date, int, int, float] | None = None
    mapping: ColumnMapping | None = None


cached_load = st.cache_data(show_spinner="Lecture du classeur…", max_entries=8)(load_workbook)


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

    bar = st.progress(0.0, text="Optimisation du plan (CP-SAT)…")
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
            bar.progress(min(0.99, max(done[0], elapsed)), text="Optimisation du plan (CP-SAT)…")
            time.sleep(0.2)
    bar.empty()
    return future.result()


def number(value: float, digits: int = 1) -> str:
    """A number in French: ``1 234,5``."""
    return format_decimal(round(value, digits), locale=LOCALE)


def percent(share: float) -> str:
    """A 0–1 share as a French percentage: ``42 %``."""
    return format_percent(share, locale=LOCALE)


def day(value: dt.date) -> str:
    """A date in French: ``30 nov. 2026``."""
    return format_date(value, format="medium", locale=LOCALE)


def sidebar() -> Context:
    """Draw the shared sidebar (workbook, start date, horizon, sprint length) and load the plan."""
    with st.sidebar:
        st.header("Classeur")
        upload = st.file_uploader(
            "Charger un autre classeur (.xlsx, .xlsm, .ods, .csv, .tsv, .txt)",
            type=["xlsx", "xlsm", "ods", "csv", "tsv", "txt"],
            key="upload",
            help=f"Taille maximale {MAX_UPLOAD_MB} Mo. Sans classeur, l’exemple du CH de Rivebelle est utilisé.",
        )
        shared = configured_workbook()
        if upload is not None and upload.size <= MAX_UPLOAD_MB * 1024 * 1024:
            data, name = upload.getvalue(), upload.name
        else:
            if upload is not None:
                st.error(f"Fichier trop volumineux (plus de {MAX_UPLOAD_MB} Mo) : l’exemple reste affiché.")
            source = shared or SAMPLE
            try:
                data, name = source.read_bytes(), source.name  # read on every run: a saved change shows at once
            except OSError as exc:
                st.error(f"Classeur configuré illisible ({source}) : {exc.strerror or exc}")
                data, name = SAMPLE.read_bytes(), SAMPLE.name
        st.caption(f"En cours : **{name}**")
        try:
            mapping = current_mapping(data, name)
            result = cached_load(data, filename=name, mapping=mapping)
        except RoadmapError as exc:
            st.error(str(exc))
            st.stop()
        if mapping is not None:
            st.caption(f"Lu avec une correspondance de colonnes (feuille « {mapping.sheet} »).")
        settings = result.roadmap.settings
        st.header("Programme")
        start = st.date_input(
            "Début du programme", value=settings.start_date or _next_monday(), key="start", format="DD/MM/YYYY"
        )
        horizon = st.number_input("Horizon (semaines)", 1, 156, settings.horizon_weeks, key="horizon")
        sprint = st.number_input("Durée d’un sprint (semaines)", 1, 12, settings.sprint_weeks, key="sprint")
        time_limit = st.number_input(
            "Temps de calcul max (s)",
            1,
            120,
            5,
            key="time_limit",
            help="Limite du solveur CP-SAT pour optimiser le plan ; le calcul « ce qu’il faudrait » en prend autant.",
        )
    if not result.ok:
        return Context(
            name, data, result, None, f"Le classeur a {len(result.errors)} problème(s) bloquant(s).", mapping=mapping
        )
    actor: Actor = st.session_state["user"]
    if upload is not None and actor.can(Role.EDITOR):
        with st.sidebar:
            try:
                st.caption(snapshot_upload(database_url(), data, name, mapping, actor))
            except RoadmapError as exc:
                st.warning(f"Instantané non enregistré : {exc}")
    elif upload is not None:
        st.sidebar.caption(_("Viewed only: a viewer's upload is not recorded in the history."))
    options = (start, int(horizon), int(sprint), float(time_limit))
    try:
        analysis = cached_analysis(data, name, *options, mapping=mapping)
    except RoadmapError as exc:
        return Context(name, data, result, None, str(exc), mapping=mapping)
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
    """The issues as a table with French column names."""
    return pd.DataFrame(
        [
            {
                "Gravité": "Bloquant" if i.severity == "error" else "Avertissement",
                "Feuille": i.sheet or "",
                "Ligne": i.row,
                "Colonne": i.column or "",
                "Valeur": i.value or "",
                "Problème": i.message,
                "Correction": i.hint,
            }
            for i in condense_issues(result.issues)
        ],
        columns=["Gravité", "Feuille", "Ligne", "Colonne", "Valeur", "Problème", "Correction"],
    ).astype({"Ligne": "Int64"})


def require_analysis(context: Context) -> Analysis:
    """The analysis, or an explanation of what to fix and a stop of the page."""
    if context.analysis is None:
        st.error(context.error or "Aucun plan disponible.")
        if not context.result.ok:
            st.write("Corrigez ces problèmes dans le classeur puis chargez-le à nouveau :")
            st.dataframe(issues_frame(context.result), hide_index=True, width="stretch")
        st.stop()
    return context.analysis


def deferred_frame(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """The deferred measures as a French table: ID, Mesure, Équipe, Priorité, Raison, Détail."""
    return pd.DataFrame(
        [
            {
                "ID": d.id,
                "Mesure": roadmap.measure_by_id[d.id].title,
                "Équipe": d.team,
                "Priorité": str(roadmap.measure_by_id[d.id].priority),
                "Raison": REASONS[d.reason],
                "Détail": deferral_text(d, roadmap, plan),
            }
            for d in plan.deferred
        ],
        columns=["ID", "Mesure", "Équipe", "Priorité", "Raison", "Détail"],
    )


FIELD_LABELS = {
    "id": "ID",
    "title": "Mesure (intitulé)",
    "domain": "Domaine",
    "team": "Équipe",
    "owner": "Responsable",
    "effort_days": "Charge (j.h)",
    "max_crew": "Personnes max",
    "status": "Statut",
    "progress": "Avancement (%)",
    "priority": "Priorité",
    "baseline_start": "Début prévu",
    "baseline_end": "Fin prévue",
    "baseline_quarter": "Trimestre prévu",
    "depends_on": "Dépend de",
    "mitigates": "Risques traités",
    "references": "Référentiel",
    "due_date": "Échéance",
    "done_date": "Date de réalisation",
    "fixed_sprint": "Sprint imposé",
    "notes": "Commentaire",
}
"""French labels of the measure fields, for the column mapping step."""


HISTORY = SAMPLE.parent / "history"
"""The sample's history: the workbook on several Mondays, ``rivebelle-YYYY-MM-DD.xlsx``."""


def source_name(context: Context) -> str:
    """The history source of the workbook in use: its establishment, else its file name."""
    return context.result.roadmap.settings.establishment or Path(context.name).stem


@st.cache_resource(show_spinner="Ouverture de l’historique…")
def history_engine(url: str) -> Engine:
    """The history database at ``url``, migrated; on first use, seeded with the sample's history.

    When the sample's source has no snapshot yet, the files of ``data/sample/history/`` are
    recorded at their dates and the plan computed on the first one is frozen as the baseline.
    """
    engine = open_store(url)
    files = sorted(HISTORY.glob("rivebelle-*.xlsx"))
    if not files:
        return engine
    first, _ = load_roadmap(files[0])
    source = first.settings.establishment or "rivebelle"
    if snapshots(engine, source):
        return engine
    for path in files:
        data = path.read_bytes()
        roadmap, _ = load_roadmap(data, filename=path.name)
        taken = dt.date.fromisoformat(path.stem.removeprefix("rivebelle-"))
        record_snapshot(engine, source, roadmap, taken_at=taken, content_hash=content_hash(data), by=SYSTEM)
    analysis = analyse_roadmap(first, time_limit=5, crashing=False)
    freeze_plan(engine, source, analysis, by=SYSTEM, at=dt.datetime.now(dt.UTC))
    return engine


def snapshots_frame(history: list[Snapshot]) -> pd.DataFrame:
    """The snapshots as a French table, newest first: date, measures done, in progress, hash."""
    return pd.DataFrame(
        [
            {
                "Date": s.taken_at,
                "Mesures faites": sum(m.status is Status.DONE for m in s.measures),
                "En cours": sum(m.status is Status.IN_PROGRESS for m in s.measures),
                "Bloquées": sum(m.status is Status.BLOCKED for m in s.measures),
                "Empreinte": s.content_hash[:12],
                "Enregistré le (UTC)": s.recorded_at,
            }
            for s in reversed(history)
        ],
        columns=["Date", "Mesures faites", "En cours", "Bloquées", "Empreinte", "Enregistré le (UTC)"],
    )


def late_frame(plan: FrozenPlan, current: Snapshot | None, late: tuple[str, ...]) -> pd.DataFrame:
    """The late measures as a French table: ID, Mesure, Équipe, Fin prévue, Statut, Avancement (%)."""
    state = {m.id: m for m in current.measures} if current else {}
    titles = current.roadmap.measure_by_id if current else {}
    planned = {m.id: m for m in plan.measures}
    return pd.DataFrame(
        [
            {
                "ID": ident,
                "Mesure": titles[ident].title if ident in titles else "",
                "Équipe": planned[ident].team,
                "Fin prévue": planned[ident].end,
                "Statut": STATUSES[state[ident].status] if ident in state else "",
                "Avancement (%)": state[ident].progress if ident in state else None,
            }
            for ident in late
        ],
        columns=["ID", "Mesure", "Équipe", "Fin prévue", "Statut", "Avancement (%)"],
    )


def audit_frame(entries: list[AuditEntry]) -> pd.DataFrame:
    """The audit log as a French table, newest first."""
    return pd.DataFrame(
        [
            {"Quand (UTC)": e.at, "Qui": e.who, "Action": e.action, "Cible": e.target, "Avant": e.old, "Après": e.new}
            for e in entries
        ],
        columns=["Quand (UTC)", "Qui", "Action", "Cible", "Avant", "Après"],
    )


def group_frame(engine: Engine, names: list[str]) -> pd.DataFrame:
    """Roll-up of the establishments (:func:`roadmap.progress.compare_sources`) with French headers."""
    table = compare_sources([(n, latest_frozen_plan(engine, n), snapshots(engine, n)) for n in names])
    return table.rename(
        columns={
            "source": "Établissement",
            "snapshots": "Instantanés",
            "as_of": "Au",
            "pv": "PV (j.h)",
            "ev": "EV (j.h)",
            "spi": "SPI",
            "forecast_end": "Fin prévisionnelle",
            "late": "En retard",
            "residual": "Risque résiduel",
        }
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def snapshot_upload(url: str, data: bytes, name: str, mapping: ColumnMapping | None, by: Actor) -> str:
    """Record an uploaded workbook as today's snapshot of its source, once per content (PRODUCT.md §5:
    every import whose content changed is a snapshot); returns a French sentence saying what happened.

    Raises:
        StoreError: the history database cannot be written.
    """
    roadmap = cached_load(data, filename=name, mapping=mapping).roadmap
    source = roadmap.settings.establishment or Path(name).stem
    today = dt.date.today()
    added = record_snapshot(
        history_engine(url), source, roadmap, taken_at=today, content_hash=content_hash(data), by=by
    )
    if added is None:
        return f"Historique : contenu identique au dernier instantané de « {source} »."
    return f"Historique : instantané du {day(today)} enregistré pour « {source} »."


def configured_workbook() -> Path | None:
    """The workbook on a shared drive set by ``REMPART_WORKBOOK`` (a path), read on every run and
    written back by the Données page; ``None`` when not configured."""
    value = os.environ.get("REMPART_WORKBOOK", "").strip()
    return Path(value) if value else None


def edits_from_table(before: pd.DataFrame, after: pd.DataFrame) -> list[MeasureEdit]:
    """The measures whose status, progress or done date the user changed in the data editor
    (columns ``ID``, ``Statut`` in French, ``Avancement (%)``, ``Date de réalisation``)."""
    status_of = {label: Status(key) for key, label in STATUSES.items()}
    edits = []
    for (_, old), (_, new) in zip(before.iterrows(), after.iterrows(), strict=True):
        status = status_of[new["Statut"]] if new["Statut"] != old["Statut"] else None
        progress = float(new["Avancement (%)"]) if new["Avancement (%)"] != old["Avancement (%)"] else None
        done = new["Date de réalisation"] if new["Date de réalisation"] != old["Date de réalisation"] else None
        if isinstance(done, pd.Timestamp):
            done = done.date()
        if status is not None or progress is not None or done is not None:
            edits.append(MeasureEdit(str(new["ID"]), status=status, progress=progress, done_date=done))
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
