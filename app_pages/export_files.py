"""The files of each export (helpers of the Exports page): their names known before they are built,
and the bytes built on the download click (:func:`st.download_button` with a callable ``data``,
run on another thread: no Streamlit call and no session state in here), cached by workbook, options,
language and date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from roadmap import exports
from roadmap.analysis import Analysis
from roadmap.planning.forecast import Forecast
from roadmap.progress import ProgressReport
from roadmap.scenarios import ScenarioPlan

MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
"""The MIME type of each single-file export; the others are ZIP archives."""


def export_name(kind: str, analysis: Analysis, workbook: str, *, today: dt.date) -> str:
    """The downloaded file's name, e.g. ``rempart_<hospital>_<date>_deck.pptx``, or ``…_png.zip`` for
    the exports of several files (:func:`roadmap.exports.export_filename`)."""
    if kind == "pptx":
        return exports.export_filename(analysis, "deck", "pptx", today=today)
    if kind == "pdf":
        return exports.export_filename(analysis, "report", "pdf", today=today)
    if kind == "xlsx":
        return exports.export_filename(analysis, "plan", exports.plan_extension(workbook), today=today)
    return exports.export_filename(analysis, kind, "zip", today=today)


@st.cache_data(show_spinner=False, max_entries=32)
def build(
    kind: str,
    lang: str,
    data: bytes,
    name: str,
    key: tuple,
    today: dt.date,
    _analysis: Analysis,
    _progress: ProgressReport | None = None,
    _scenario: ScenarioPlan | None = None,
    _forecast: Forecast | None = None,
) -> dict[str, bytes]:
    """The files of one export (file name → bytes) of ``_analysis``, with the progress against the
    frozen plan (deck and report), a capacity scenario's comparison slide (deck) and the dashboard's
    forecast (deck and report: the same simulation, calibrated by the teams' observed SPI) when
    given. None of these is hashed: ``key`` names them — the workbook's options, mapping, whether
    the plan is the provisional one, the progress report's JSON, the SPI calibration and the
    scenario's JSON."""
    analysis = _analysis
    if kind == "pptx":
        deck = exports.build_deck(
            analysis, lang=lang, today=today, progress=_progress, scenario=_scenario, forecast=_forecast
        )
        return {export_name(kind, analysis, name, today=today): deck}
    if kind == "pdf":
        pdf = exports.build_pdf(analysis, lang=lang, today=today, progress=_progress, forecast=_forecast)
        return {export_name(kind, analysis, name, today=today): pdf}
    if kind == "xlsx":
        return {export_name(kind, analysis, name, today=today): exports.build_plan_xlsx(analysis, data, filename=name)}
    if kind in ("png", "svg"):
        return exports.chart_images(analysis, lang=lang, fmt=kind, today=today)
    writer = exports.to_csv if kind == "csv" else exports.to_json
    frames = exports.tables(analysis, lang=lang).items()
    return {exports.export_filename(analysis, table, kind, today=today): writer(frame) for table, frame in frames}


def payload(files: dict[str, bytes]) -> bytes:
    """The bytes to download: the single file, or a ZIP of several (:func:`roadmap.exports.archive`)."""
    if len(files) == 1:
        return next(iter(files.values()))
    return exports.archive(files)


def deferred(
    kind: str,
    lang: str,
    data: bytes,
    name: str,
    key: tuple,
    today: dt.date,
    analysis: Analysis,
    progress: ProgressReport | None = None,
    scenario: ScenarioPlan | None = None,
    forecast: Forecast | None = None,
) -> Callable[[], bytes]:
    """The ``data`` callable of the download button: builds (or takes from the cache) on the click."""
    return lambda: payload(build(kind, lang, data, name, key, today, analysis, progress, scenario, forecast))
