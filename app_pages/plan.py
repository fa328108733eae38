"""Plan — the sprint plan in detail, how it compares, what it would take, and what-if on capacity."""

import pandas as pd
import streamlit as st

from app_pages.common import REASONS, STATUSES, cached_analysis, number, require_analysis
from roadmap import schedule_table
from roadmap.charts import gantt_figure
from roadmap.wording import crashing_text

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap = analysis.roadmap

st.title("Plan de sprints")
st.subheader("Comparaison des plans")
solver = analysis.solver
status = {
    "OPTIMAL": "optimum prouvé",
    "FEASIBLE": "meilleure solution trouvée dans le temps imparti",
    "GREEDY": "plan glouton conservé (aucune meilleure solution trouvée)",
}[solver.status]
st.caption(
    f"Solveur CP-SAT : {status} ; écart à la borne {number(100 * solver.gap)} % ; {number(solver.seconds)} s. "
    "Exposition cumulée : somme, sur chaque jour de l’horizon, du risque résiduel total (risque·jours) ; "
    "plus elle est basse, plus le risque a baissé tôt."
)
done = analysis.done_by_horizon
st.dataframe(
    pd.DataFrame(
        [
            {
                "Plan": label,
                "Exposition cumulée (risque·jours)": analysis.exposure[key],
                "Mesures faites à la fin de l’horizon": done[key],
            }
            for key, label in (
                ("optimised", "Plan compressé (optimisé, CP-SAT)"),
                ("greedy", "Compression gloutonne (risque par jour)"),
                ("naive", "Compression naïve (ordre du plan initial)"),
                ("baseline", "Plan initial sur 3 ans"),
            )
        ]
    ),
    hide_index=True,
    key="comparison",
    column_config={"Exposition cumulée (risque·jours)": st.column_config.NumberColumn(format="%.0f")},
)

st.subheader("Ce qu’il faudrait pour tout terminer")
st.write(crashing_text(analysis))

with st.expander("Et si… (capacité des équipes)", icon=":material/tune:"):
    teams = pd.DataFrame(
        [
            {
                "Équipe": t.name,
                "ETP": t.fte,
                "Disponibilité (%)": 100 * t.availability,
                "Renfort (j.h/semaine)": t.reinforcement,
            }
            for t in roadmap.teams
        ]
    )
    edited = st.data_editor(
        teams,
        hide_index=True,
        disabled=["Équipe"],
        key="whatif_teams",
        column_config={
            "ETP": st.column_config.NumberColumn(min_value=0.1, max_value=500, step=0.1),
            "Disponibilité (%)": st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
            "Renfort (j.h/semaine)": st.column_config.NumberColumn(min_value=0, max_value=500, step=0.5),
        },
    )
    original = {t.name: (t.fte, t.availability, t.reinforcement) for t in roadmap.teams}
    rows = [
        (row["Équipe"], float(row["ETP"]), float(row["Disponibilité (%)"]) / 100, float(row["Renfort (j.h/semaine)"]))
        for row in edited.to_dict("records")
    ]
    changed = tuple(r for r in rows if r[1:] != original[r[0]])
    if changed and context.options:
        start, horizon, sprint, time_limit = context.options
        whatif = cached_analysis(
            context.data, context.name, start, horizon, sprint, time_limit, changed, mapping=context.mapping
        )
        cols = st.columns(3)
        cols[0].metric(
            "Exposition cumulée",
            number(whatif.exposure["optimised"], 0),
            delta=number(whatif.exposure["optimised"] - analysis.exposure["optimised"], 0),
            delta_color="inverse",
        )
        cols[1].metric(
            "Mesures reportées",
            len(whatif.plan.deferred),
            delta=len(whatif.plan.deferred) - len(analysis.plan.deferred),
            delta_color="inverse",
        )
        cols[2].metric(
            "Risque en fin de plan",
            number(whatif.risk.end_of_plan),
            delta=number(whatif.risk.end_of_plan - analysis.risk.end_of_plan),
            delta_color="inverse",
        )
        st.caption(crashing_text(whatif))
    else:
        st.caption("Modifiez l’ETP, la disponibilité ou le renfort d’une équipe pour voir l’effet sur le plan.")

st.subheader("Détail du plan")
st.plotly_chart(gantt_figure(roadmap, analysis.plan, lang="fr"), key="plan_gantt")
table = schedule_table(roadmap, analysis.plan)
table["status"] = table["status"].map(STATUSES)
table["deferral"] = table["deferral"].map(lambda r: REASONS.get(r, ""))
chosen = st.multiselect("Équipes", sorted(table["team"].unique()), key="plan_teams", placeholder="Toutes les équipes")
if chosen:
    table = table[table["team"].isin(chosen)]
st.dataframe(
    table[
        [
            "id",
            "title",
            "team",
            "sprint",
            "start",
            "end",
            "deferral",
            "priority",
            "remaining",
            "crew",
            "duration",
            "status",
            "domain",
        ]
    ],
    hide_index=True,
    height=600,
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
    },
)
