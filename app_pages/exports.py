"""Exports — the board deck, the PDF report, the plan workbook, chart images and tables to download.

One click each: the download button builds its file when pressed (:mod:`app_pages.export_files`,
cached by workbook, options, language and date), then shows a preview of it.
"""

import datetime as dt
import io
import json

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis, tracking
from app_pages.export_files import MIME, build, deferred, export_name, payload
from app_pages.forecasting import calibration, forecast
from app_pages.grid import show_table
from app_pages.scenarios import deck_scenario, stored
from app_pages.translation import LANGUAGE_NAMES, _, language, md, ngettext
from roadmap import RoadmapError, exports


def export_kinds() -> dict[str, tuple[str, str]]:
    """Each export's label and description in the session's language, by kind."""
    return {
        "pptx": (
            _("Board deck (PPTX 16:9)"),
            _("Native charts you can edit in PowerPoint, speaker notes."),
        ),
        "pdf": (_("Report (PDF)"), _("The same content on A4 pages.")),
        "xlsx": (
            _("Workbook with the plan (XLSX)"),
            _("Your workbook, with planned sprint, start, end and the reason for any deferral."),
        ),
        "png": (_("Charts (PNG)"), _("Each chart as an image, in a ZIP archive.")),
        "svg": (_("Charts (SVG)"), _("Each chart as a vector image, in a ZIP archive.")),
        "csv": (_("Tables (CSV)"), _("Each table as UTF-8 CSV, in a ZIP archive.")),
        "json": (_("Tables (JSON)"), _("Each table as JSON, in a ZIP archive.")),
    }


def preview(kind: str, files: dict[str, bytes], lang: str) -> None:
    """What the export holds: the deck's slide titles, the report's page count, the plan's first rows,
    the chart images, or the files of the archive."""
    data = payload(files)
    if kind == "pptx":
        st.write(_("Slides:"))
        st.markdown("\n".join(f"{n}. {md(title)}" for n, title in enumerate(exports.deck_outline(data), start=1)))
    elif kind == "pdf":
        pages = exports.pdf_page_count(data)
        st.caption(ngettext("{count} A4 page.", "{count} A4 pages.", pages).format(count=pages))
    elif kind == "xlsx":
        show_table(exports.tables(analysis, lang=lang)["measures"].head(8), key="preview_xlsx")
    elif kind == "png":
        columns = st.columns(2)
        for n, image in enumerate(files.values()):
            columns[n % 2].image(image)
    else:
        st.caption(
            ngettext("{count} file: {names}", "{count} files: {names}", len(files)).format(
                count=len(files), names=", ".join(files)
            )
        )
        if kind == "csv":
            head = pd.read_csv(io.BytesIO(next(iter(files.values()))), encoding="utf-8-sig").head(8)
            show_table(head, key="preview_csv")


context = st.session_state["context"]
analysis = require_analysis(context)


st.title(_("Exports"))
st.caption(
    _(
        "For the board and the teams: each button builds its file when clicked (a few seconds for the report and "
        "the images), then keeps it ready while the workbook and the options do not change. Cells beginning with "
        "=, +, - or @ are neutralised."
    )
)
ui = language()
lang = (
    st.segmented_control(
        _("Language of the exports"),
        list(LANGUAGE_NAMES),
        default=ui,
        format_func=LANGUAGE_NAMES.__getitem__,
        key=f"export_lang_{ui}",  # one choice per interface language: each defaults to it
    )
    or ui
)
today = dt.date.today()
saved = {s.scenario.name: s.scenario for s in stored(context)}
requested = st.session_state.setdefault("exports_requested", set())
key = (context.options, context.mapping, context.refining is not None)  # the fast plan's exports kept apart

for kind, (label, description) in export_kinds().items():
    with st.container(border=True):
        st.markdown(f"**{label}** — {description}")
        files_key = key
        progress = scenario = outlook = None
        if kind in ("pptx", "pdf"):  # the history's progress and the dashboard's forecast, as on screen
            track = tracking(context)
            progress = track.report if track is not None else None
            outlook = forecast(context, track)
            files_key += (
                json.dumps(progress.to_json(), sort_keys=True) if progress is not None else "",
                calibration(track),
            )
        if kind == "pptx" and saved:
            picked = st.selectbox(
                _("Scenario slide (compared with today's plan)"),
                [None, *saved],
                format_func=lambda key: _("No scenario") if key is None else key,
                key="deck_scenario",
            )
            if picked:
                try:
                    scenario = deck_scenario(context, analysis, saved[picked])
                except RoadmapError as exc:
                    st.error(md(exc))
                files_key += (json.dumps(saved[picked].to_json(), sort_keys=True),)
        name = export_name(kind, analysis, context.name, today=today)
        if st.download_button(  # one click: the file is built when the button is pressed
            _("Download {name}").format(name=name),
            deferred(kind, lang, context.data, context.name, files_key, today, analysis, progress, scenario, outlook),
            file_name=name,
            mime=MIME.get(kind, "application/zip"),
            key=f"download_{kind}",
            icon=":material/download:",
        ):
            requested.add(kind)
        if kind not in requested:  # a preview of what was downloaded (from the cache), after the click
            continue
        try:
            with st.spinner(_("Preparing the preview…")):
                files = build(
                    kind, lang, context.data, context.name, files_key, today, analysis, progress, scenario, outlook
                )
        except RoadmapError as exc:
            st.error(md(exc))
            continue
        preview(kind, files, lang)
