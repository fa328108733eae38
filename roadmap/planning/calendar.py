"""The calendar of a plan: working days (Monday–Friday minus the public holidays of
``Settings.calendar``, from the ``holidays`` package; France by default) and the sprints that cut
the horizon.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import holidays

from roadmap.errors import PlanningError

MAX_HORIZON_WEEKS = 156
"""Three years: the longest horizon Rempart plans over."""


MAX_SPRINT_WEEKS = 12


@dataclass(frozen=True)
class Sprint:
    """One sprint: ``index`` from 1, ``start`` and ``end`` calendar days (inclusive)."""

    index: int
    start: dt.date
    end: dt.date


def working_days(start: dt.date, end: dt.date, *, calendar: str = "FR") -> list[dt.date]:
    """Monday–Friday days in [start, end] that are not public holidays in ``calendar``.

    Args:
        calendar: ISO 3166 country code known to the ``holidays`` package, or ``""`` for no
            public holidays.

    Raises:
        PlanningError: unknown country code.
    """
    return list(_working_days(start, end, calendar))


@functools.lru_cache(maxsize=256)
def _working_days(start: dt.date, end: dt.date, calendar: str) -> tuple[dt.date, ...]:
    """:func:`working_days`, computed once per (start, end, calendar): a plan, its crashing and its
    forecast ask for the same horizon tens of times, and ``holidays`` builds its calendar anew on
    each call (a sixth of a fresh server's warm-up)."""
    off: Mapping[dt.date, str] = {}
    if calendar:
        try:
            off = holidays.country_holidays(calendar, years=range(start.year, end.year + 1))
        except NotImplementedError:
            raise PlanningError(
                f"unknown calendar {calendar!r}: use a country code such as FR, BE or CH, or leave it empty"
            ) from None
    days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
    return tuple(d for d in days if d.weekday() < 5 and d not in off)


def make_sprints(start: dt.date, *, horizon_weeks: int, sprint_weeks: int) -> list[Sprint]:
    """Sprints of ``sprint_weeks`` weeks covering ``horizon_weeks`` weeks from ``start``.

    Raises:
        PlanningError: a horizon outside 1–156 weeks or a sprint length outside 1–12 weeks.
    """
    if not 1 <= horizon_weeks <= MAX_HORIZON_WEEKS:
        raise PlanningError(f"the horizon must be 1 to {MAX_HORIZON_WEEKS} weeks, not {horizon_weeks}")
    if not 1 <= sprint_weeks <= MAX_SPRINT_WEEKS:
        raise PlanningError(f"the sprint length must be 1 to {MAX_SPRINT_WEEKS} weeks, not {sprint_weeks}")
    try:
        end = start + dt.timedelta(weeks=horizon_weeks, days=-1)
    except OverflowError:
        raise PlanningError(f"a horizon starting on {start.isoformat()} ends after the year 9999") from None
    count = math.ceil(horizon_weeks / sprint_weeks)
    return [
        Sprint(
            index=k + 1,
            start=start + dt.timedelta(weeks=k * sprint_weeks),
            end=min(start + dt.timedelta(weeks=(k + 1) * sprint_weeks, days=-1), end),
        )
        for k in range(count)
    ]
