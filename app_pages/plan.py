"""Plan — the sprint plan in detail: what each team does in which sprint, and what does not fit."""

import streamlit as st

from app_pages.common import REASONS, STATUSES, number, require_analysis
from roadmap import schedule_table

analysis = require_analysis(st.session_state["context"])
plan = analysis.plan

st.title("Plan de sprints")
compare = st.columns(3)
compare[0].metric("Exposition cumulée — plan compressé", f"{number(analysis.exposure['compressed'], 0)} risque·jours")
compare[1].metric("Compression naïve (ordre du plan initial)", f"{number(analysis.exposure['naive'], 0)} risque·jours")
compare[2].metric("Plan initial sur 3 ans", f"{number(analysis.exposure['baseline'], 0)} risque·jours")
st.caption(
    "Exposition cumulée : somme, sur chaque jour de l’horizon, du risque résiduel total. "
    "Plus elle est basse, plus le risque a baissé tôt."
)

table = schedule_table(analysis.roadmap, plan)
table["status"] = table["status"].map(STATUSES)
table["deferral"] = table["deferral"].map(lambda r: REASONS.get(r, ""))
teams = st.multiselect("Équipes", sorted(table["team"].unique()), key="plan_teams", placeholder="Toutes les équipes")
if teams:
    table = table[table["team"].isin(teams)]
st.dataframe(
    table,
    hide_index=True,
    height=700,
    key="plan_table",
    column_config={
        "id": "ID",
        "title": st.column_config.TextColumn("Mesure", width="large"),
        "domain": "Domaine",
        "team": "Équipe",
        "priority": "Priorité",
        "status": "Statut",
        "remaining": st.column_config.NumberColumn("Reste (j.h)", format="%.1f"),
        "start": st.column_config.DateColumn("Début", format="DD/MM/YYYY"),
        "end": st.column_config.DateColumn("Fin", format="DD/MM/YYYY"),
        "sprint": "Sprint",
        "crew": "Personnes",
        "duration": "Jours ouvrés",
        "deferral": "Report",
        "detail": "Détail",
    },
)
