"""Données — the workbook as read: sheets used, column mapping, every issue, the measures, templates."""

import pandas as pd
import streamlit as st

from app_pages.access import can_edit, role_name
from app_pages.common import (
    FIELD_LABELS,
    SAMPLE,
    STATUSES,
    _,
    cached_inspect,
    configured_workbook,
    edits_from_table,
    file_key,
    history_engine,
    issues_frame,
    record_changes,
)
from roadmap import RoadmapError
from roadmap.loading import MEASURE_COLUMNS
from roadmap.mapping import ColumnMapping, remember_mapping, suggest_columns
from roadmap.store import database_url
from roadmap.template import build_template
from roadmap.writeback import apply_edits, fingerprint, write_back

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

needs_mapping = "measures" not in result.sheets.values()
with st.expander("Correspondance des colonnes (classeur dans un autre format)", expanded=needs_mapping):
    inspection = cached_inspect(context.data, filename=context.name)
    candidates = [s for s in inspection.sheets if s.header_row]
    if not candidates:
        st.info("Aucune feuille de ce fichier n’a de ligne d’en-tête reconnaissable.")
    else:
        current = context.mapping
        names = [s.name for s in candidates]
        best = max(candidates, key=lambda s: (s.role == "measures", s.data_rows))
        sheet = st.selectbox(
            "Feuille des mesures",
            names,
            index=names.index(current.sheet if current and current.sheet in names else best.name),
            key="map_sheet",
        )
        info = next(s for s in candidates if s.name == sheet)
        st.caption(f"En-tête détecté ligne {info.header_row}, {info.data_rows} ligne(s) de données.")
        columns = suggest_columns([c.header for c in info.columns], MEASURE_COLUMNS)
        labels = {"": "(ignorer)", **FIELD_LABELS}
        table = pd.DataFrame(
            [
                {"Colonne": c.header, "Champ": labels[c.field or ""], "Confiance": round(c.confidence, 2)}
                for c in columns
            ]
        )
        edited = st.data_editor(
            table,
            hide_index=True,
            disabled=["Colonne", "Confiance"],
            key="map_columns",
            column_config={"Champ": st.column_config.SelectboxColumn(options=list(labels.values()), required=True)},
        )
        team = st.text_input("Équipe par défaut (cellules vides)", key="map_team")
        effort = st.number_input("Charge par défaut (j.h, 0 = aucune)", 0.0, 200.0, 0.0, key="map_effort")
        if st.button("Appliquer et mémoriser cette correspondance", key="map_apply", type="primary"):
            field_of = {label: name for name, label in labels.items()}
            chosen = {
                row["Colonne"]: field_of[row["Champ"]] for row in edited.to_dict("records") if field_of[row["Champ"]]
            }
            defaults: dict[str, str | float] = {"team": team} if team.strip() else {}
            if effort > 0:
                defaults["effort_days"] = effort
            assert info.header_row is not None
            mapping = ColumnMapping(sheet=sheet, header_row=info.header_row, columns=chosen, defaults=defaults)
            st.session_state.setdefault("mappings", {})[file_key(context.data)] = mapping
            try:
                if can_edit():  # a viewer's mapping serves this session only
                    remember_mapping(mapping, [c.header for c in info.columns], by=st.session_state["user"])
            except RoadmapError as exc:
                st.warning(f"Correspondance appliquée mais non mémorisée : {exc}")
            st.rerun()

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

st.subheader("Modèles")
left, middle, right = st.columns(3)
left.download_button(
    "Modèle vierge (français)", build_template(lang="fr"), file_name="rempart_modele.xlsx", key="download_template_fr"
)
middle.download_button(
    "Blank template (English)", build_template(lang="en"), file_name="rempart_template.xlsx", key="download_template_en"
)
right.download_button("Classeur d’exemple", SAMPLE.read_bytes(), file_name=SAMPLE.name, key="download_sample")

st.subheader("Mettre à jour l’avancement")
if not can_edit():
    st.info(
        _("Your role ({role}) reads only: an editor of the IT team records progress here.").format(
            role=role_name(st.session_state["user"].role)
        )
    )
    st.stop()
editable = pd.DataFrame(
    [
        {
            "ID": m.id,
            "Mesure": m.title,
            "Statut": STATUSES[m.status],
            "Avancement (%)": m.progress,
            "Date de réalisation": m.done_date,
        }
        for m in roadmap.measures
    ]
)
edited = st.data_editor(
    editable,
    hide_index=True,
    disabled=["ID", "Mesure"],
    key="edit_measures",
    column_config={
        "Statut": st.column_config.SelectboxColumn(options=list(STATUSES.values()), required=True),
        "Avancement (%)": st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
        "Date de réalisation": st.column_config.DateColumn(format="DD/MM/YYYY"),
    },
)
edits = edits_from_table(editable, edited)
shared = configured_workbook()
writes_in_place = shared is not None and shared.name == context.name and st.session_state.get("upload") is None
st.caption(
    f"{len(edits)} mesure(s) modifiée(s). "
    + (
        f"L’enregistrement écrit dans {shared} (copie de sauvegarde, écriture atomique)."
        if writes_in_place
        else "L’enregistrement prépare une copie mise à jour du classeur à télécharger ; l’original n’est pas touché."
    )
)
if st.button("Enregistrer dans le classeur", key="save_edits", disabled=not edits, type="primary"):
    try:
        if writes_in_place and shared is not None:
            changes = write_back(
                shared,
                edits,
                expected=fingerprint(context.data),
                by=st.session_state["user"],
                audit=history_engine(database_url()),
                backup_dir=shared.parent / "sauvegardes",
            )
            st.success(f"{len(changes)} cellule(s) écrite(s) dans {shared.name}.")
        else:
            updated, changes = apply_edits(context.data, edits, filename=context.name)
            st.session_state["edited_workbook"] = (context.name, updated)
            record_changes(changes, workbook=context.name, by=st.session_state["user"])
    except RoadmapError as exc:
        st.error(str(exc))
if "edited_workbook" in st.session_state:
    name, payload = st.session_state["edited_workbook"]
    st.download_button(f"Télécharger {name} mis à jour", payload, file_name=name, key="download_edited")
