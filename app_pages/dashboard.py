"""Tableau de bord — the director's weekly view: on track or not, residual risk, what to decide."""

import streamlit as st

from app_pages.common import day, deferred_frame, number, percent, require_analysis
from roadmap.charts import domain_progress_figure, gantt_figure, trajectory_figure
from roadmap.wording import crashing_text

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk

st.title(roadmap.settings.establishment or "Programme de sécurisation")
st.caption(
    f"Plan compressé du {day(plan.start)} au {day(plan.end)} : {len(plan.sprints)} sprints, "
    f"{len(plan.days)} jours ouvrés (jours fériés exclus). Classeur : {context.name}."
)

if plan.deferred:
    st.warning(
        f"**{len(plan.deferred)} mesure(s) ne tiennent pas dans l’horizon** avec la capacité actuelle : "
        "décision nécessaire (renfort, arbitrage ou report assumé). " + crashing_text(analysis),
        icon=":material/warning:",
    )
else:
    st.success("Toutes les mesures non bloquées tiennent dans l’horizon avec la capacité actuelle.")

cards = st.columns(5)
cards[0].metric(
    "Mesures réalisées",
    f"{analysis.measures_done} / {analysis.measures_counted}",
    border=True,
    help="Mesures au statut « Fait » sur l’ensemble des mesures, hors mesures abandonnées.",
)
cards[1].metric(
    "Charge réalisée",
    percent(analysis.effort_done_share),
    border=True,
    help="Part de la charge totale (jours-homme) déjà réalisée, avancement compris.",
)
cards[2].metric(
    "Risque résiduel actuel",
    number(risk.now),
    delta=f"{number(risk.now - risk.inherent)} vs initial ({number(risk.inherent)})",
    delta_color="inverse",
    border=True,
    help="Somme des scores résiduels : vraisemblance × gravité × Π(1 − efficacité des mesures faites), "
    "de 1 à 16 par risque.",
)
cards[3].metric(
    "Risque en fin de plan",
    number(risk.end_of_plan),
    delta=f"{number(risk.end_of_plan - risk.now)} vs actuel",
    delta_color="inverse",
    border=True,
    help=f"Si le plan compressé est tenu, au {day(plan.end)}.",
)
cards[4].metric(
    "Avec le plan initial",
    number(risk.baseline_at_horizon),
    delta=f"{number(risk.baseline_at_horizon - risk.end_of_plan, 0)} vs compressé",
    delta_color="inverse",
    border=True,
    help=f"Risque résiduel au {day(plan.end)} si l’on suivait le plan initial sur 3 ans.",
)

left, right = st.columns([3, 2])
shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
left.plotly_chart(trajectory_figure(shown, lang="fr"), key="trajectory")
right.plotly_chart(domain_progress_figure(roadmap, plan, lang="fr"), key="domains")

st.subheader("Mesures reportées : décision nécessaire")
if plan.deferred:
    st.dataframe(
        deferred_frame(roadmap, plan),
        hide_index=True,
        height=36 * (len(plan.deferred) + 1) + 3,
        key="deferred",
        column_config={
            "Mesure": st.column_config.TextColumn(width="large"),
            "Détail": st.column_config.TextColumn(width="large"),
        },
    )
else:
    st.info("Aucune mesure reportée : tout ce qui n’est pas bloqué tient dans l’horizon.")

st.plotly_chart(gantt_figure(roadmap, plan, lang="fr"), key="gantt")
