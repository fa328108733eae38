"""Date axes and date hovers of the plotly charts, written by the project's formatting layer
(:mod:`roadmap.i18n`) as the tables write dates: ``30 nov. 2026`` in French, ``30 Nov 2026`` in
English, one style on every screen and in every export.

Plotly formats dates with d3's time formats (``tickformat``, ``%{x|…}`` in a hover), whose month
names are English unless a plotly.js locale is registered, which Streamlit's bundle does not ship
(nor kaleido's). So the charts carry their date labels as text: explicit tick values and tick text
(:func:`date_axis`), and hover dates precomputed into ``customdata`` (:func:`hover_days`). Pure
Python, no plotly import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd

from roadmap.i18n import format_day, format_days

_DAY_STEPS = (1, 2, 7, 14, 28)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


def date_ticks(first: dt.date, last: dt.date, *, most: int = 6) -> list[dt.date]:
    """Where a date axis from ``first`` to ``last`` gets its labels: at most ``most`` dates, a
    day, two days, one, two or four weeks apart (weeks from the first Monday on or after ``first``,
    the day sprints start), else on the first day of every 1, 2, 3, 6, 12… months.

    Args:
        first, last: the axis's first and last dates (in either order).
        most: the most labels the axis has room for (at least 2).

    Returns:
        The dates, in order; ``[first]`` for a single day.
    """
    first, last = min(first, last), max(first, last)
    most = max(2, most)
    for step in _DAY_STEPS:
        start = first if step < 7 else first + dt.timedelta(days=-first.weekday() % 7)
        ticks = [start + dt.timedelta(days=k) for k in range(0, (last - start).days + 1, step)]
        if ticks and len(ticks) <= most:
            return ticks
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    for step in _MONTH_STEPS:
        ticks = []
        for n in range(months + 1):
            index = first.year * 12 + first.month - 1 + n
            day = dt.date(index // 12, index % 12 + 1, 1)
            if first <= day <= last and index % step == 0:
                ticks.append(day)
        if ticks and len(ticks) <= most:
            return ticks
    return [first, last]


def date_axis(values: Iterable[Any], lang: str, *, most: int = 6) -> dict[str, Any]:
    """The properties of a plotly date axis whose labels are written by :mod:`roadmap.i18n` as the
    tables write dates (``30 nov. 2026``, ``14 déc.``…; ``30 Nov 2026`` in English), not by plotly's
    d3 formats, which know English month names only: explicit ``tickvals`` at :func:`date_ticks` and
    their ``ticktext`` from :func:`roadmap.i18n.format_days`. The labels are the same in the browser
    and in kaleido's images; they stay where they are when the reader zooms.

    Args:
        values: the dates the axis shows (dates, datetimes or pandas timestamps; NaT ignored).
        lang: ``"fr"`` or ``"en"``.
        most: the most labels the axis has room for.

    Returns:
        Keyword arguments for ``fig.update_xaxes`` (empty when there is no date).
    """
    days = sorted({pd.Timestamp(v).date() for v in values if not pd.isna(v)})
    if not days:
        return {}
    ticks = date_ticks(days[0], days[-1], most=most)
    return {
        "type": "date",
        "tickmode": "array",
        "tickvals": [pd.Timestamp(d) for d in ticks],
        "ticktext": format_days(ticks, lang),
    }


def hover_days(values: Iterable[Any], lang: str) -> list[str]:
    """Each date as a hover label shows it (:func:`roadmap.i18n.format_day`; ``""`` for NaT), for a
    trace's ``customdata`` read by ``%{customdata}`` in its ``hovertemplate``."""
    return ["" if pd.isna(v) else format_day(pd.Timestamp(v).date(), lang) for v in values]
