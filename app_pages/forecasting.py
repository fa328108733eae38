"""The forecast and the explanation of the workbook in use, each computed once per analysis and
cached: keyed like :func:`app_pages.solving.cached_analysis` (plus the teams' SPI, and whether the
plan is the fast one shown while the full solve runs), so a rerun of a page never simulates again
and the first dashboard draws its plan before the forecast runs."""

from __future__ import annotations

import streamlit as st

from app_pages.context import Context, Tracking
from app_pages.solving import cached_analysis
from app_pages.translation import _
from roadmap.analysis import explain_analysis, forecast_analysis
from roadmap.planning.explain import Explanation
from roadmap.planning.forecast import Forecast

Calibration = tuple[tuple[str, float], ...]
"""Team → observed SPI, as a sorted tuple (hashable, for the cache key)."""


def calibration(track: Tracking | None) -> Calibration:
    """The teams' observed SPI from the history (empty with fewer than two snapshots)."""
    return tuple(sorted(track.team_spi.items())) if track is not None else ()


@st.cache_data(show_spinner=False, max_entries=16)
def _forecast(context_key: tuple, spi: Calibration) -> Forecast:
    data, name, options, mapping, _provisional = context_key
    analysis, _refining = cached_analysis(data, name, *options, mapping=mapping)
    return forecast_analysis(analysis, spi=dict(spi))


@st.cache_data(show_spinner=False, max_entries=16)
def _explanation(context_key: tuple) -> Explanation:
    data, name, options, mapping, _provisional = context_key
    return explain_analysis(cached_analysis(data, name, *options, mapping=mapping)[0])


def forecast(context: Context, track: Tracking | None) -> Forecast | None:
    """The Monte Carlo forecast of the plan in use (``None`` without a plan), with a spinner."""
    if context.analysis is None or context.options is None:
        return None
    with st.spinner(_("Simulating the plan…")):
        return _forecast(_key(context), calibration(track))


def explanation(context: Context) -> Explanation | None:
    """Why the plan in use is as it is (``None`` without a plan)."""
    if context.analysis is None or context.options is None:
        return None
    return _explanation(_key(context))


def _key(context: Context) -> tuple:
    return (context.data, context.name, context.options, context.mapping, context.refining is not None)
