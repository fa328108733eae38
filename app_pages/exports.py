"""Exports — the board deck, the PDF report, the plan workbook, chart images and tables to download.

Each export is built on request (a click), cached by workbook, options and language, and offered
with a download button and a preview.
"""

import datetime as dt
import io

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis
from app_pages.solving import cached_analysis
from app_pages.tables import show_table
from app_pages.translation import LANGUAGE_NAMES, _, language, md, ngettext
from roadmap import RoadmapError, exports
from roadmap.importing.mapping import ColumnMapping


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


MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

context = st.session_state["context"]
require_analysis(context)


@st.cache_data(show_spinner=False, max_entries=32)
def build(
    kind: str,
    lang: str,
    data: bytes,
    name: str,
    options: tuple,
    today: dt.date,
    mapping: ColumnMapping | None,
    provisional: bool,
) -> dict[str, bytes]:
    """The files of one export (file name → bytes), from the cached analysis of the workbook
    (``provisional``: of its fast plan, while the full solve runs; kept apart from the refined one)."""
    analysis, _refining = cached_analysis(data, name, *options, mapping=mapping)
    if kind == "pptx":
        return {
            exports.export_filename(analysis, "deck", "pptx", today=today): exports.build_deck(
                analysis, lang=lang, today=today
            )
        }
    if kind == "pdf":
        return {
            exports.export_filename(analysis, "report", "pdf", today=today): exports.build_pdf(
                analysis, lang=lang, today=today
            )
        }
    if kind == "xlsx":
        file_name = exports.export_filename(analysis, "plan", exports.plan_extension(name), today=today)
        return {file_name: exports.build_plan_xlsx(analysis, data, filename=name)}
    if kind in ("png", "svg"):
        return exports.chart_images(analysis, lang=lang, fmt=kind, today=today)
    writer = exports.to_csv if kind == "csv" else exports.to_json
    frames = exports.tables(analysis, lang=lang).items()
    return {exports.export_filename(analysis, table, kind, today=today): writer(frame) for table, frame in frames}


st.title(_("Exports"))
st.caption(
    _(
        "For the board and the teams: each export is prepared on request, then stays available as long as the "
        "workbook and the options do not change. Cells beginning with =, +, - or @ are neutralised."
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
requested = st.session_state.setdefault("exports_requested", set())

for kind, (label, description) in export_kinds().items():
    with st.container(border=True):
        st.markdown(f"**{label}** — {description}")
        if st.button(_("Prepare"), key=f"build_{kind}", icon=":material/build:"):
            requested.add(kind)
        if kind not in requested:
            continue
        try:
            slow = kind in ("pdf", "png", "svg")
            with st.spinner(
                _("Preparing the export (Chromium draws the charts, a few seconds)…")
                if slow
                else _("Preparing the export…")
            ):
                provisional = context.refining is not None
                files = build(
                    kind, lang, context.data, context.name, context.options, today, context.mapping, provisional
                )
        except RoadmapError as exc:
            st.error(md(exc))
            continue
        if len(files) == 1:
            name, payload = next(iter(files.items()))
        else:  # several files: one ZIP named like them, e.g. rempart_<hospital>_<date>_png.zip
            name, payload = next(iter(files)).rsplit("_", 1)[0] + f"_{kind}.zip", exports.archive(files)
        st.download_button(
            _("Download {name}").format(name=name),
            payload,
            file_name=name,
            mime=MIME.get(kind, "application/zip"),
            key=f"download_{kind}",
            icon=":material/download:",
        )
        if kind == "pptx":
            st.write(_("Slides:"))
            st.markdown(
                "\n".join(f"{n}. {md(title)}" for n, title in enumerate(exports.deck_outline(payload), start=1))
            )
        elif kind == "pdf":
            pages = exports.pdf_page_count(payload)
            st.caption(ngettext("{count} A4 page.", "{count} A4 pages.", pages).format(count=pages))
        elif kind == "xlsx":
            analysis = context.analysis
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
