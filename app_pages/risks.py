"""Risques — heat maps (inherent, now, end of plan), each risk's trajectory, measure ↔ risk traceability."""

import pandas as pd
import streamlit as st

from app_pages.common import STATUSES, number, require_analysis
from roadmap.charts import heat_map_figure, trajectory_figure
from roadmap.risk import baseline_finish, completions_at, heat_map, risk_table, risk_trajectory

analysis = require_analysis(st.session_state["context"])
roadmap, plan = analysis.roadmap, analysis.plan
settings = roadmap.settings
if not roadmap.risks:
    st.title("Risques")
    st.info(
        "Le classeur n’a pas de feuille Risques : ajoutez-la (ID, Scénario, Vraisemblance, Gravité) pour voir "
        "le risque résiduel."
    )
    st.stop()

st.title("Risques")
maps = st.columns(3)
maps[0].plotly_chart(heat_map_figure(heat_map(roadmap), when="inherent"), key="heat_inherent")
maps[1].plotly_chart(heat_map_figure(heat_map(roadmap, completions_at(roadmap, None)), when="now"), key="heat_now")
maps[2].plotly_chart(
    heat_map_figure(heat_map(roadmap, completions_at(roadmap, plan.end, plan.finish_dates())), when="end"),
    key="heat_end",
)
st.caption(
    "Échelles EBIOS RM : vraisemblance V1 peu vraisemblable → V4 quasi certain ; gravité G1 mineure → G4 critique. "
    "Les mesures réduisent la vraisemblance : un risque se place à la vraisemblance × Π(1 − efficacité), "
    "arrondie au niveau supérieur ; la gravité ne change pas."
)

st.subheader("Risques par risque")
table = risk_table(roadmap, horizon_end=plan.end, plan_finish=plan.finish_dates(), lang="fr")
st.dataframe(
    table,
    hide_index=True,
    key="risk_table",
    column_config={
        "id": "ID",
        "scenario": st.column_config.TextColumn("Scénario", width="large"),
        "likelihood": "V",
        "severity": "G",
        "inherent": st.column_config.NumberColumn("Initial", format="%.0f"),
        "now": st.column_config.NumberColumn("Actuel", format="%.1f"),
        "end_of_plan": st.column_config.NumberColumn("Fin du plan", format="%.1f"),
        "level_now": "Niveau actuel",
        "level_end": "Niveau fin de plan",
        "target": "Cible",
        "above_target": st.column_config.CheckboxColumn("Au-dessus de la cible"),
    },
)
above = int(table["above_target"].sum())
st.caption(f"{above} risque(s) au-dessus de leur niveau cible aujourd’hui.")

chosen = st.selectbox(
    "Trajectoire d’un risque",
    table["id"],
    key="risk_choice",
    format_func=lambda r: f"{r} — {table.set_index('id').loc[r, 'scenario']}",
)
scenarios = {"baseline": baseline_finish(roadmap, start=plan.start), "optimised": plan.finish_dates()}
single = risk_trajectory(roadmap, start=plan.start, end=plan.end, scenarios=scenarios, risk_id=chosen)
figure = trajectory_figure(single, lang="fr")
figure.update_layout(title={"text": f"Risque résiduel de {chosen}"})
figure.update_yaxes(title="Score résiduel (1 à 16)")
st.plotly_chart(figure, key="risk_trajectory")

st.subheader("Traçabilité mesures ↔ risques")
finish = plan.finish_dates()
st.dataframe(
    pd.DataFrame(
        [
            {
                "Risque": link.risk_id,
                "Mesure": m.id,
                "Intitulé": m.title,
                "Efficacité": link.effectiveness,
                "Statut": STATUSES[m.status],
                "Fin planifiée": pd.Timestamp(finish[m.id]) if m.id in finish else pd.NaT,
            }
            for m in roadmap.measures
            for link in m.mitigates
        ]
    ).sort_values(["Risque", "Mesure"]),
    hide_index=True,
    key="traceability",
    column_config={
        "Efficacité": st.column_config.NumberColumn(format="%.2f"),
        "Fin planifiée": st.column_config.DateColumn(format="DD/MM/YYYY"),
    },
)
st.caption(
    f"Total du risque résiduel : {number(analysis.risk.now)} aujourd’hui, "
    f"{number(analysis.risk.end_of_plan)} en fin de plan."
)
