"""The server's warm-up: what the first dashboard of the workbook in use
(``REMPART_WORKBOOK``, else the bundled sample) needs, prepared on a
background thread when the server starts (:func:`start_warm_up`, called by ``serve.py``), so that
the first person to connect does not wait for it.

In this order: the modules the pages import (Plotly, pandas, OR-Tools, the pages' helpers), then,
once Streamlit's runtime is up (its caches are the runtime's), the same cached calls the
dashboard makes with the sidebar's default options: the sample read, its plan
(:func:`app_pages.solving.cached_analysis`: the solved plan from disk, else the fast plan while
the full solve starts in the background), the history database opened and migrated with the
sample's history, and the Monte Carlo forecast. Each is a cache entry of its own, keyed exactly as
the page keys it: a page that arrives while the warm-up still runs waits for the entry being
computed (Streamlit computes a cache entry once), and the figures are the ones a warm server shows
because they are the same entries.

A failure is logged and leaves the caches as they were: the page then computes what is missing
(and shows the error as it always does).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

from roadmap import RoadmapError

log = logging.getLogger(__name__)

MODULES = (
    "pandas",
    "plotly.graph_objects",
    "plotly.io",
    "ortools.sat.python.cp_model",
    "ortools.linear_solver.pywraplp",
    "sqlalchemy",
    "alembic.command",
    "app_pages.context",
    "app_pages.deferred",
    "app_pages.forecasting",
    "app_pages.scenarios",
    "app_pages.tables",
    "roadmap.charts",
    "roadmap.gantt",
    "roadmap.forecast_text",
)
"""Imported first (a few seconds on a cold interpreter): what the dashboard's script imports."""

RUNTIME_WAIT = 60.0
"""Seconds to wait for Streamlit's runtime before giving up the cached part of the warm-up."""


def start_warm_up() -> threading.Thread:
    """Start :func:`warm_up` on a daemon thread (it never delays the server's start)."""
    thread = threading.Thread(target=warm_up, name="rempart-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up() -> bool:
    """Import the pages' modules, then fill the caches of the first dashboard (module
    docstring). Returns ``True`` when the caches were filled, ``False`` when Streamlit's runtime
    did not start within :data:`RUNTIME_WAIT` or a step failed (logged)."""
    began = time.perf_counter()
    for name in MODULES:
        importlib.import_module(name)
    log.info("warm-up: modules imported in %.1f s", time.perf_counter() - began)
    if not _runtime_started():
        return False
    try:
        _sample_dashboard()
    except RoadmapError:
        log.exception("warm-up: the first dashboard could not be prepared")
        return False
    log.info("warm-up: the first dashboard prepared in %.1f s", time.perf_counter() - began)
    return True


def _runtime_started() -> bool:
    from streamlit import runtime

    deadline = time.monotonic() + RUNTIME_WAIT
    while not runtime.exists():
        if time.monotonic() > deadline:
            log.warning("warm-up: no Streamlit runtime after %.0f s, caches left cold", RUNTIME_WAIT)
            return False
        time.sleep(0.05)
    return True


def _sample_dashboard() -> None:
    """The cache entries of the first dashboard with the default options, in the page's order."""
    from app_pages.context import (
        SAMPLE,
        Context,
        _history_engine,
        _sample_bytes,
        _seed_sample_history,
        configured_workbook,
        history_tracking,
    )
    from app_pages.forecasting import _forecast, _key, calibration
    from app_pages.solving import _cached_load, cached_analysis, default_options
    from roadmap.store.database import database_url

    source = configured_workbook() or SAMPLE
    try:
        data = source.read_bytes()
    except OSError as exc:  # the page says so, in the reader's language
        log.warning("warm-up: %s cannot be read: %s", source, exc.strerror or exc)
        return
    began = time.perf_counter()
    result = _cached_load(data, filename=source.name, mapping=None)
    log.info("warm-up: workbook read in %.1f s", time.perf_counter() - began)
    if not result.ok or "measures" not in result.sheets.values() or result.unknown_values:
        return  # read with a column mapping, chosen in a session or remembered: left to the page
    options = default_options(result)
    analysis, refining = cached_analysis(data, source.name, *options)
    log.info("warm-up: plan ready at %.1f s", time.perf_counter() - began)
    url = database_url()
    engine = _history_engine(url)
    if source.name == SAMPLE.name and data == _sample_bytes(SAMPLE):  # as history_engine: the sample only
        _seed_sample_history(url)
    log.info("warm-up: history ready at %.1f s", time.perf_counter() - began)
    context = Context(source.name, data, result, analysis, None, options, None, refining)
    _forecast(_key(context), calibration(history_tracking(engine, context)))
