"""Exports — the board deck, the PDF report, the plan workbook, chart images and tables to download.

Each export is built on request (a click), cached by workbook, options and language, and offered
with a download button and a preview.
"""

import datetime as dt
import io

import pandas as pd
import streamlit as st

from app_pages.common import cached_analysis, require_analysis
from roadmap import RoadmapError, export
from roadmap.mapping import ColumnMapping

EXPORTS = {
    "pptx": (
        "Présentation du conseil (PPTX 16:9)",
        "Graphiques natifs modifiables dans PowerPoint, notes de l’orateur.",
    ),
    "pdf": ("Rapport (PDF)", "Le même contenu sur pages A4."),
    "xlsx": ("Classeur avec le plan (XLSX)", "Votre classeur, avec sprint, début, fin planifiés et raison du report."),
    "png": ("Graphiques (PNG)", "Chaque graphique en image, dans une archive ZIP."),
    "svg": ("Graphiques (SVG)", "Chaque graphique en image vectorielle, dans une archive ZIP."),
    "csv": ("Tableaux (CSV)", "Chaque tableau en CSV UTF-8, dans une archive ZIP."),
    "json": ("Tableaux (JSON)", "Chaque tableau en JSON, dans une archive ZIP."),
}
MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

context = st.session_state["context"]
require_analysis(context)


@st.cache_data(show_spinner=False, max_entries=32)
def build(
    kind: str, lang: str, data: bytes, name: str, options: tuple, today: dt.date, mapping: ColumnMapping | None
) -> dict[str, bytes]:
    """The files of one export (file name → bytes), from the cached analysis of the workbook."""
    analysis = cached_analysis(data, name, *options, mapping=mapping)
    if kind == "pptx":
        return {
            export.export_filename(analysis, "deck", "pptx", today=today): export.build_deck(
                analysis, lang=lang, today=today
            )
        }
    if kind == "pdf":
        return {
            export.export_filename(analysis, "report", "pdf", today=today): export.build_pdf(
                analysis, lang=lang, today=today
            )
        }
    if kind == "xlsx":
        file_name = export.export_filename(analysis, "plan", export.plan_extension(name), today=today)
        return {file_name: export.build_plan_xlsx(analysis, data, filename=name)}
    if kind in ("png", "svg"):
        return export.chart_images(analysis, lang=lang, fmt=kind, today=today)
    writer = export.to_csv if kind == "csv" else export.to_json
    frames = export.tables(analysis, lang=lang).items()
    return {export.export_filename(analysis, table, kind, today=today): writer(frame) for table, frame in frames}


st.title("Exports")
st.caption(
    "Pour le conseil et les équipes : chaque export est préparé à la demande, puis reste disponible tant que le "
    "classeur et les options ne changent pas. Les cellules commençant par =, +, - ou @ sont neutralisées."
)
lang = (
    st.segmented_control(
        "Langue des exports",
        ["fr", "en"],
        default="fr",
        format_func={"fr": "Français", "en": "English"}.get,
        key="export_lang",
    )
    or "fr"
)
today = dt.date.today()
requested = st.session_state.setdefault("exports_requested", set())

for kind, (label, description) in EXPORTS.items():
    with st.container(border=True):
        st.markdown(f"**{label}** — {description}")
        if st.button("Préparer", key=f"build_{kind}", icon=":material/build:"):
            requested.add(kind)
        if kind not in requested:
            continue
        try:
            slow = " (rendu des graphiques par Chromium, quelques secondes)" if kind in ("pdf", "png", "svg") else ""
            with st.spinner("Préparation de l’export…" + slow):
                files = build(kind, lang, context.data, context.name, context.options, today, context.mapping)
        except RoadmapError as exc:
            st.error(str(exc))
            continue
        if len(files) == 1:
            name, payload = next(iter(files.items()))
        else:  # several files: one ZIP named like them, e.g. rempart_<hospital>_<date>_png.zip
            name, payload = next(iter(files)).rsplit("_", 1)[0] + f"_{kind}.zip", export.archive(files)
        st.download_button(
            f"Télécharger {name}",
            payload,
            file_name=name,
            mime=MIME.get(kind, "application/zip"),
            key=f"download_{kind}",
            icon=":material/download:",
        )
        if kind == "pptx":
            st.write("Diapositives :")
            st.markdown("\n".join(f"{n}. {title}" for n, title in enumerate(export.deck_outline(payload), start=1)))
        elif kind == "pdf":
            st.caption(f"{export.pdf_page_count(payload)} pages A4.")
        elif kind == "xlsx":
            analysis = context.analysis
            st.dataframe(export.tables(analysis, lang=lang)["measures"].head(8), hide_index=True, key="preview_xlsx")
        elif kind == "png":
            columns = st.columns(2)
            for n, image in enumerate(files.values()):
                columns[n % 2].image(image)
        else:
            st.caption(f"{len(files)} fichiers : " + ", ".join(files))
            if kind == "csv":
                head = pd.read_csv(io.BytesIO(next(iter(files.values()))), encoding="utf-8-sig").head(8)
                st.dataframe(head, hide_index=True, key="preview_csv")
