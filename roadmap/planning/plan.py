"""What planning gives: a :class:`Plan` of scheduled and deferred measures over sprints, and the
tables read from it (:func:`schedule_table`, :func:`team_load`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from roadmap.models import Roadmap
from roadmap.planning.calendar import Sprint


class DeferReason(StrEnum):
    """Why a measure is not in the compressed plan."""

    CAPACITY = "capacity"
    """The team has no room for it before the end of the horizon (or of its fixed sprint)."""
    PREREQUISITE = "prerequisite"
    """It waits on a prerequisite that is blocked or deferred."""
    BLOCKED = "blocked"
    """Its status is blocked."""
    TOO_LONG = "too_long"
    """Even alone, or after the shortest chain of its prerequisites, it cannot end inside the horizon
    (or its fixed sprint is after the horizon)."""


@dataclass(frozen=True)
class ScheduledMeasure:
    """A measure placed in the plan.

    Attributes:
        start: first working day; ``end``: last working day.
        sprint: index of the sprint that contains ``end``.
        crew: people of the team on it; ``rate``: person-days it uses per working day.
        duration: working days.
    """

    id: str
    team: str
    start: dt.date
    end: dt.date
    sprint: int
    crew: int
    rate: float
    duration: int


@dataclass(frozen=True)
class DeferredMeasure:
    """A measure left out of the plan, with its reason and a sentence saying why.

    Attributes:
        detail: the reason in an English sentence (for the CLI and logs).
        duration: working days the measure needs, when known (capacity, too long).
        waits_on: the blocked or deferred prerequisites it waits on (prerequisite).
    """

    id: str
    team: str
    reason: DeferReason
    detail: str
    duration: int | None = None
    waits_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A compressed plan over the horizon.

    Attributes:
        start, end: first and last calendar day of the horizon.
        days: the working days of the horizon, in order.
        sprints: the sprints covering the horizon (the last may be shorter).
        scheduled: placed measures, by start date.
        deferred: measures left out, with reasons.
        capacity: person-days per working day, by team.
        order: the priority rule used (``wspt`` or ``baseline``).
    """

    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    sprints: tuple[Sprint, ...]
    scheduled: tuple[ScheduledMeasure, ...]
    deferred: tuple[DeferredMeasure, ...]
    capacity: Mapping[str, float]
    order: str

    def finish_dates(self) -> dict[str, dt.date]:
        """Last working day of each scheduled measure, by ID."""
        return {s.id: s.end for s in self.scheduled}

    def sprint_of(self, day: dt.date) -> int:
        """Index of the sprint containing ``day``."""
        return next(s.index for s in self.sprints if s.start <= day <= s.end)


def schedule_table(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """The plan as a table, one row per open measure (scheduled first, then deferred).

    Returns:
        DataFrame with columns ``id``, ``title``, ``domain``, ``team``, ``priority``,
        ``status``, ``remaining`` (person-days), ``start``, ``end`` (datetime64, NaT when
        deferred), ``sprint`` (Int64, missing when deferred), ``crew``, ``duration`` (working
        days), ``deferral`` (reason or empty) and ``detail``.
    """
    rows = []
    by_id = roadmap.measure_by_id
    for s in plan.scheduled:
        m = by_id[s.id]
        rows.append(
            {
                "id": m.id,
                "start": pd.Timestamp(s.start),
                "end": pd.Timestamp(s.end),
                "sprint": s.sprint,
                "crew": s.crew,
                "duration": s.duration,
                "deferral": "",
                "detail": "",
            }
        )
    for d in plan.deferred:
        rows.append(
            {
                "id": d.id,
                "start": pd.NaT,
                "end": pd.NaT,
                "sprint": None,
                "crew": None,
                "duration": None,
                "deferral": str(d.reason),
                "detail": d.detail,
            }
        )
    frame = pd.DataFrame(rows, columns=["id", "start", "end", "sprint", "crew", "duration", "deferral", "detail"])
    info = pd.DataFrame(
        [
            {
                "id": m.id,
                "title": m.title,
                "domain": m.domain,
                "team": m.team,
                "priority": str(m.priority),
                "status": str(m.status),
                "remaining": m.remaining_effort,
            }
            for m in roadmap.measures
        ]
    )
    frame = frame.merge(info, on="id", how="left")  # keeps the plan order
    frame["sprint"] = frame["sprint"].astype("Int64")
    frame["crew"] = frame["crew"].astype("Int64")
    frame["duration"] = frame["duration"].astype("Int64")
    return frame[
        [
            "id",
            "title",
            "domain",
            "team",
            "priority",
            "status",
            "remaining",
            "start",
            "end",
            "sprint",
            "crew",
            "duration",
            "deferral",
            "detail",
        ]
    ]


def team_load(plan: Plan) -> pd.DataFrame:
    """Person-days busy per team and working day.

    Returns:
        DataFrame with columns ``team``, ``date`` (datetime64), ``busy`` and ``capacity``
        (person-days per working day).
    """
    busy = {(team, d): 0.0 for team in plan.capacity for d in plan.days}
    for s in plan.scheduled:
        for d in plan.days:
            if s.start <= d <= s.end:
                busy[(s.team, d)] += s.rate
    return pd.DataFrame(
        [
            {"team": team, "date": pd.Timestamp(d), "busy": value, "capacity": plan.capacity[team]}
            for (team, d), value in busy.items()
        ],
        columns=["team", "date", "busy", "capacity"],
    )
