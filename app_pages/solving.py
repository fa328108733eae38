"""The workbook read and its plan solved, without making anyone wait for a solve done before.

:func:`cached_analysis` answers at once: with the full solve when it is on disk
(:class:`roadmap.planning.solved.PlanCache`, by input content, so a restart or a second user costs
nothing) or finished in memory, else with the fast plan
(:func:`roadmap.planning.optimise.quick_plan`, a few tenths of a second) while the full solve runs
in the background (one at a time for the whole server). :func:`refining_notice` tells the reader
and reloads the page when the refined plan is ready. The same path serves the what-if on capacity.
"""

from __future__ import annotations

import datetime as dt
import logging

import streamlit as st

from app_pages.translation import _
from roadmap import Analysis, LoadResult, Roadmap, RoadmapError, analyse_roadmap, load_workbook
from roadmap.analysis import analysis_key
from roadmap.importing.mapping import ColumnMapping
from roadmap.planning.optimise import with_capacity
from roadmap.planning.solved import BackgroundSolves, PlanCache
from roadmap.store.database import RempartSettings

log = logging.getLogger(__name__)

TeamChanges = tuple[tuple[str, float, float, float], ...]
"""What-if capacity: (team, FTE, availability 0–1, reinforcement person-days per week) per changed team."""

TIME_LIMIT = 5
"""The planner's time limit (seconds) the sidebar starts with."""

_cached_load = st.cache_data(show_spinner=False, max_entries=8)(load_workbook)


def cached_load(data: bytes, *, filename: str, mapping: ColumnMapping | None = None) -> LoadResult:
    """:func:`roadmap.load_workbook`, cached by content, with a spinner in the session's language."""
    with st.spinner(_("Reading the workbook…")):
        return _cached_load(data, filename=filename, mapping=mapping)


def default_options(result: LoadResult) -> tuple[dt.date, int, int, float]:
    """The options the sidebar starts with for this workbook: (start, horizon in weeks, sprint length
    in weeks, time limit in seconds), as :func:`cached_analysis` receives them."""
    settings = result.roadmap.settings
    return settings.start_date or next_monday(), settings.horizon_weeks, settings.sprint_weeks, float(TIME_LIMIT)


def next_monday() -> dt.date:
    """The next Monday after today (today excluded): the programme start without one in the workbook."""
    today = dt.date.today()
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def plan_cache() -> PlanCache:
    """Solved plans in ``<REMPART_DATA_DIR>/plans`` (the default data folder when the settings
    cannot be read: a cache is never a reason to fail)."""
    try:
        folder = RempartSettings().data_dir
    except ValueError:
        folder = RempartSettings.model_fields["data_dir"].default
    return PlanCache(folder.expanduser() / "plans")


@st.cache_resource(show_spinner=False)
def _background() -> BackgroundSolves[Analysis]:
    """The server's background solves, shared by every session."""
    return BackgroundSolves()


def _roadmap(data: bytes, name: str, changes: TeamChanges, mapping: ColumnMapping | None) -> Roadmap:
    roadmap = _cached_load(data, filename=name, mapping=mapping).roadmap  # loaded by the sidebar already
    if not changes:
        return roadmap
    return with_capacity(
        roadmap,
        {team: {"fte": fte, "availability": avail, "reinforcement": extra} for team, fte, avail, extra in changes},
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _analysis(
    data: bytes,
    name: str,
    start: dt.date,
    horizon: int,
    sprint: int,
    time_limit: float,
    changes: TeamChanges,
    mapping: ColumnMapping | None,
    quick: bool,
    folder: str,
) -> Analysis:
    """:func:`roadmap.analyse_roadmap` with the plan cache in ``folder``: its full solve when it
    is there, else the fast plan (``quick``) or the full solve (then kept)."""
    return analyse_roadmap(
        _roadmap(data, name, changes, mapping),
        start=start,
        horizon_weeks=horizon,
        sprint_weeks=sprint,
        time_limit=time_limit,
        cache=PlanCache(folder),
        quick=quick,
    )


@st.cache_data(show_spinner=False, max_entries=8)
def provisional_analysis(
    data: bytes,
    name: str,
    start: dt.date,
    horizon: int,
    sprint: int,
    time_limit: float,
    changes: TeamChanges = (),
    mapping: ColumnMapping | None = None,
) -> Analysis:
    """The fast plan of the workbook with these options even when the full solve is known (the
    plan a provisional scenario is compared with: fast with fast), without crashing (it does not
    depend on the plan: take the full solve's)."""
    del time_limit  # the fast plan does not depend on it
    roadmap = _roadmap(data, name, changes, mapping)
    return analyse_roadmap(roadmap, start=start, horizon_weeks=horizon, sprint_weeks=sprint, quick=True, crashing=False)


def refined_analysis(
    data: bytes,
    name: str,
    start: dt.date,
    horizon: int,
    sprint: int,
    time_limit: float,
    changes: TeamChanges = (),
    mapping: ColumnMapping | None = None,
) -> Analysis:
    """The full solve of the workbook with these options, waiting for it when it is not known yet
    (then kept on disk): for an export, whose figures must be the refined ones.

    Raises:
        PlanningError: the roadmap cannot be planned.
    """
    options = (data, name, start, horizon, sprint, time_limit, changes, mapping)
    return _analysis(*options, quick=False, folder=str(plan_cache().directory))


def cached_analysis(
    data: bytes,
    name: str,
    start: dt.date,
    horizon: int,
    sprint: int,
    time_limit: float,
    changes: TeamChanges = (),
    mapping: ColumnMapping | None = None,
) -> tuple[Analysis, str | None]:
    """The analysis of the workbook with these options, at once (module docstring).

    Returns:
        ``(analysis, refining)``: ``refining`` is the key of the full solve still running in the
        background (``analysis`` is then the fast plan, ``solver.provisional``), else ``None``.

    Raises:
        PlanningError: the roadmap cannot be planned (see :func:`roadmap.analyse_roadmap`).
    """
    roadmap = _roadmap(data, name, changes, mapping)
    key = analysis_key(roadmap, start, horizon, sprint, time_limit=time_limit, crashing=True)
    cache = plan_cache()
    options = (data, name, start, horizon, sprint, time_limit, changes, mapping)
    if key in cache:
        return _analysis(*options, quick=False, folder=str(cache.directory)), None
    background = _background()
    try:
        finished = background.result(key)
    except RoadmapError:  # the fast plan stays on screen; the failure is in the server's log
        log.exception("background solve failed")
        return _analysis(*options, quick=True, folder=str(cache.directory)), None
    if finished is not None:
        return finished, None
    background.submit(
        key,
        lambda: analyse_roadmap(
            roadmap, start=start, horizon_weeks=horizon, sprint_weeks=sprint, time_limit=time_limit, cache=cache
        ),
    )
    return _analysis(*options, quick=True, folder=str(cache.directory)), key


def refining_notice(refining: str | None) -> None:
    """While the full solve of ``refining`` runs: say the plan on screen is the fast one, and rerun
    the page once the refined plan is ready (:func:`rerun_when_refined`)."""
    if refining is None:
        return
    st.info(
        _(
            "Provisional plan, shown at once: the optimisation goes on in the background and this page "
            "updates itself when it is done."
        ),
        icon=":material/hourglass_top:",
    )
    rerun_when_refined(refining)


def rerun_when_refined(refining: str | None) -> None:
    """Rerun the page once the full solve of ``refining`` is ready (checked every second)."""
    if refining is None:
        return

    @st.fragment(run_every=1.0)
    def _poll() -> None:
        if not _background().running(refining):
            st.rerun()

    _poll()
