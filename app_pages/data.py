"""Données — the workbook as read: which sheets were used, every issue, the measures."""

import pandas as pd
import streamlit as st

from app_pages.common import SAMPLE, STATUSES, issues_frame

context = st.session_state["context"]
result = context.result

st.title("Données")
st.write(f"Classeur : **{context.name}**")
roles = {"measures": "Mesures", "risks": "Risques", "teams": "Équipes", "settings": "Paramètres"}
st.dataframe(
    pd.DataFrame(
        [{"Feuille": sheet, "Lue comme": roles.get(role or "", "ignorée")} for sheet, role in result.sheets.items()]
    ),
    hide_index=True,
    key="sheets",
)

st.subheader("Rapport de validation")
if result.issues:
    errors = len(result.errors)
    st.write(f"{errors} problème(s) bloquant(s), {len(result.issues) - errors} avertissement(s).")
    st.dataframe(issues_frame(result), hide_index=True, key="issues")
else:
    st.success("Aucun problème trouvé.")

st.subheader("Mesures")
roadmap = result.roadmap
st.dataframe(
    pd.DataFrame(
        [
            {
                "ID": m.id,
                "Mesure": m.title,
                "Domaine": m.domain,
                "Équipe": m.team,
                "Charge (j.h)": m.effort_days,
                "Statut": STATUSES[m.status],
                "Avancement (%)": m.progress,
                "Priorité": str(m.priority),
                "Dépend de": ", ".join(m.depends_on),
            }
            for m in roadmap.measures
        ]
    ),
    hide_index=True,
    key="measures",
)
st.download_button(
    "Télécharger le classeur d’exemple", SAMPLE.read_bytes(), file_name=SAMPLE.name, key="download_sample"
)
