"""Historique — snapshots of the workbook, the frozen plan, earned value (PMBOK) and the audit log."""

import datetime as dt

import streamlit as st

from app_pages.access import can_edit
from app_pages.common import (
    _,
    audit_frame,
    day,
    group_frame,
    history_engine,
    late_frame,
    number,
    require_analysis,
    snapshots_frame,
    source_name,
)
from roadmap import RoadmapError, freeze_plan, latest_frozen_plan, progress_report, snapshots
from roadmap.charts import burn_up_figure, trajectory_figure
from roadmap.progress import residual_comparison, snapshot_at
from roadmap.store import audit_log, database_url, export_audit, sources

context = st.session_state["context"]
analysis = require_analysis(context)
st.title("Historique")
try:
    engine = history_engine(database_url())
    names = sources(engine)
except RoadmapError as exc:
    st.error(f"Historique indisponible : {exc}")
    st.stop()
current = source_name(context)
if len(names) > 1:
    st.subheader("Comparaison des établissements")
    st.dataframe(group_frame(engine, names), hide_index=True, key="group")
choices = sorted({*names, current})
source = st.selectbox("Établissement", choices, index=choices.index(current), key="history_source")

actor = st.session_state["user"]
if can_edit():
    with st.expander("Figer le plan actuel comme référence", icon=":material/lock:"):
        st.write(
            f"Le plan compressé du classeur en cours ({context.name}, {day(analysis.plan.start)} → "
            f"{day(analysis.plan.end)}) devient la référence de « {current} » ; l’avancement lui sera comparé."
        )
        if st.button("Figer le plan actuel comme référence", key="freeze", type="primary"):
            try:
                version = freeze_plan(engine, current, analysis, by=actor, at=dt.datetime.now(dt.UTC))
                st.success(f"Plan figé : version {version.id}, par {version.frozen_by}.")
            except RoadmapError as exc:
                st.error(str(exc))

history = snapshots(engine, source)
plan = latest_frozen_plan(engine, source)
if not history or plan is None:
    st.info(
        f"« {source} » n’a pas encore {'d’instantané' if not history else 'de plan figé'}. Enregistrez le classeur "
        "chaque semaine (`python -m roadmap snapshot CLASSEUR`) et figez le plan ci-dessus."
    )
    st.stop()

report = progress_report(plan, history)
st.caption(
    f"{len(history)} instantané(s) du {day(history[0].taken_at)} au {day(history[-1].taken_at)} ; "
    f"plan de référence : version {plan.id}, figé le {day(plan.frozen_at.date())} par {plan.frozen_by}. "
    f"Situation au {day(report.as_of)}."
)
cards = st.columns(5)
cards[0].metric("Valeur planifiée (PV)", f"{number(report.pv)} j.h", border=True, help="Charge prévue avant ce jour.")
cards[1].metric("Valeur acquise (EV)", f"{number(report.ev)} j.h", border=True, help="Σ charge × avancement.")
cards[2].metric(
    "SPI",
    "–" if report.spi is None else number(report.spi, 2),
    border=True,
    help="Indice de performance des délais EV / PV (PMBOK) : sous 1, le programme est en retard.",
)
cards[3].metric(
    "Fin prévisionnelle",
    "–" if report.forecast_end is None else f"{report.forecast_end:%d/%m/%Y}",
    delta=None if report.forecast_end is None else f"{(report.forecast_end - plan.end).days:+d} j vs plan",
    delta_color="inverse",
    border=True,
    help="Début + durée planifiée / SPI.",
)
cards[4].metric("Mesures en retard", len(report.late), border=True, help="Fin prévue passée, non faites.")

left, right = st.columns(2)
left.plotly_chart(burn_up_figure(report.burn_up, lang="fr"), key="burn_up")
at_freeze = snapshot_at(history, plan.start) or history[0]
right.plotly_chart(trajectory_figure(residual_comparison(plan, at_freeze.roadmap, history), lang="fr"), key="actual")

st.subheader("Mesures en retard")
current_state = snapshot_at(history, report.as_of)
st.dataframe(late_frame(plan, current_state, report.late), hide_index=True, key="late")
st.subheader("Instantanés")
st.dataframe(snapshots_frame(history), hide_index=True, key="snapshots")
st.subheader("Journal d’audit")
entries = audit_log(engine, limit=None)
st.dataframe(audit_frame(entries[:500]), hide_index=True, key="audit")
st.caption(
    _("{shown} latest of {total} entries. The log cannot be changed from the app.").format(
        shown=min(500, len(entries)), total=len(entries)
    )
)
left, right = st.columns(2)
left.download_button(
    _("Export the audit log (CSV)"), export_audit(entries), file_name="rempart-audit.csv", key="audit_csv"
)
right.download_button(
    _("Export the audit log (JSON)"),
    export_audit(entries, fmt="json"),
    file_name="rempart-audit.json",
    key="audit_json",
)
