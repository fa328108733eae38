"""The sprint plan as a Gantt chart that reads on its own: each bar names its measure, says its
status by its pattern and a late measure by its outline, the as-of date is a line, and the
prerequisites are arrows.

Workbook text enters the figure through :func:`roadmap.charts.plotly_text` (see :mod:`roadmap.charts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from roadmap.chart_axes import date_axis, hover_days
from roadmap.charts import OKABE_ITO, _labels, _layout, _plotly_texts, plotly_text
from roadmap.i18n import format_day
from roadmap.importing.values import shorten
from roadmap.models import Roadmap, Status
from roadmap.planning.plan import Plan, schedule_table

LATE_COLOUR = "#B00020"
"""Outline of a late measure's bar (with a ⚠ before its title, so that colour is not the only sign)."""

TITLE_CHARACTERS = 38
"""Longest title written beside a bar (cut with an ellipsis; the hover shows it whole)."""

GANTT_TICKS = 7
"""Most date labels under the Gantt (full width): one a sprint (two weeks, on its first Monday) on
the default 13-week horizon; weekly labels would have to be tilted to fit."""

MAX_ARROWS = 120
"""Prerequisite arrows drawn at most (beyond, the chart would be a web; the hover names them)."""

_STATUS: dict[str, dict[str, str]] = {
    "fr": {"not_started": "à faire", "in_progress": "en cours", "blocked": "bloquée"},
    "en": {"not_started": "to do", "in_progress": "in progress", "blocked": "blocked"},
}

_TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "today": "Au {date}",
        "late": "en retard",
        "on_time": "dans les temps",
        "hover": "%{y}: %{customdata[0]}<br>%{customdata[2]} → %{customdata[3]}, sprint %{customdata[1]}"
        "<br>%{customdata[4]}, %{customdata[5]}<br>Prérequis : %{customdata[6]}<extra></extra>",
        "read": "{n} mesures planifiées en {s} sprints ; hachures : en cours ; contour rouge et ⚠ : en retard "
        "(après son échéance ou sur le plan figé) ; flèches : prérequis ; trait pointillé : date de situation.",
        "none": "aucun",
    },
    "en": {
        "today": "As of {date}",
        "late": "late",
        "on_time": "on time",
        "hover": "%{y}: %{customdata[0]}<br>%{customdata[2]} → %{customdata[3]}, sprint %{customdata[1]}"
        "<br>%{customdata[4]}, %{customdata[5]}<br>Prerequisites: %{customdata[6]}<extra></extra>",
        "read": "{n} measures scheduled in {s} sprints; hatched: in progress; red outline and ⚠: late (after its "
        "due date or behind the frozen plan); arrows: prerequisites; dotted line: as-of date.",
        "none": "none",
    },
}


def late_measures(roadmap: Roadmap, plan: Plan, behind: Collection[str] = ()) -> set[str]:
    """The scheduled measures drawn as late: those the plan ends after their due date
    (:attr:`roadmap.models.Measure.due_date`), and those of ``behind`` (late against the frozen plan,
    :attr:`roadmap.progress.ProgressReport.late`)."""
    by_id = roadmap.measure_by_id
    overdue = {s.id for s in plan.scheduled if (due := by_id[s.id].due_date) is not None and s.end > due}
    return overdue | (set(behind) & {s.id for s in plan.scheduled})


def gantt_figure(
    roadmap: Roadmap,
    plan: Plan,
    *,
    lang: str = "fr",
    today: dt.date | None = None,
    late: Collection[str] = (),
) -> go.Figure:
    """Scheduled measures as bars from start to end (inclusive), one row per measure, grouped and
    coloured by team, the sprints as alternating bands.

    Each bar has its title beside it (right of the bar, or left when the bar ends near the horizon),
    a hatched pattern when the measure is in progress, a red outline and ⚠ when it is late
    (:func:`late_measures`, with ``late`` the IDs behind the frozen plan); arrows go from each
    prerequisite's end to its dependant's start; ``today`` (the as-of date of the figures, injected,
    never the wall clock) is a dotted line. The hover gives ID, title, dates, sprint, status, lateness
    and prerequisites.
    """
    text, words, status = _labels(lang), _TEXT.get(lang, _TEXT["en"]), _STATUS.get(lang, _STATUS["en"])
    table = schedule_table(roadmap, plan).dropna(subset=["start"])
    table = table.sort_values(["team", "start", "id"]).reset_index(drop=True)
    teams = list(dict.fromkeys(table["team"]))
    overdue = late_measures(roadmap, plan, late)
    by_id = roadmap.measure_by_id
    table["late"] = table["id"].isin(overdue)
    table["status_code"] = [str(by_id[i].status) for i in table["id"]]
    table["requires"] = [", ".join(d for d in by_id[i].depends_on) or words["none"] for i in table["id"]]
    fig = go.Figure()
    one_day = pd.Timedelta(days=1)
    for n, team in enumerate(teams):
        rows = table[table["team"] == team]
        fig.add_trace(
            go.Bar(
                base=rows["start"],
                x=(rows["end"] + one_day - rows["start"]).dt.total_seconds() * 1000,
                y=[_plotly_texts(rows["team"]), _plotly_texts(rows["id"])],
                orientation="h",
                name=plotly_text(team),
                marker={
                    "color": OKABE_ITO[n % len(OKABE_ITO)],
                    "pattern": {
                        "shape": ["/" if s == Status.IN_PROGRESS else "" for s in rows["status_code"]],
                        "fgcolor": "white",
                        "solidity": 0.3,
                    },
                    "line": {
                        "color": [LATE_COLOUR if x else "rgba(0,0,0,0)" for x in rows["late"]],
                        "width": [3 if x else 0 for x in rows["late"]],
                    },
                },
                customdata=list(
                    zip(
                        _plotly_texts(rows["title"]),
                        rows["sprint"],
                        hover_days(rows["start"], lang),
                        hover_days(rows["end"], lang),
                        [status.get(s, s) for s in rows["status_code"]],
                        [words["late"] if x else words["on_time"] for x in rows["late"]],
                        _plotly_texts(rows["requires"]),
                        strict=True,
                    )
                ),
                hovertemplate=words["hover"],
            )
        )
    _titles(fig, table, plan)
    shapes, annotations = _sprints(plan)
    annotations += _arrows(table, roadmap)
    if today is not None and plan.start <= today <= plan.end + dt.timedelta(days=1):
        moment = pd.Timestamp(today)
        shapes.append(
            {
                "type": "line",
                "x0": moment,
                "x1": moment,
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"dash": "dot", "width": 2},
            }
        )
        annotations.append(
            {
                "x": moment,
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "xanchor": "left",
                "text": words["today"].format(date=format_day(today, lang)),
                "showarrow": False,
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 11},
            }
        )
    fig.update_layout(shapes=shapes, annotations=annotations)  # at once: add_shape/add_annotation are slow
    fig.update_xaxes(
        **date_axis([plan.start, plan.end], lang, most=GANTT_TICKS),
        title=text["date"],
        range=[pd.Timestamp(plan.start), pd.Timestamp(plan.end) + one_day],
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 9})
    fig.update_layout(showlegend=False, barmode="overlay")  # the teams label the rows already
    reading = words["read"].format(n=len(table), s=len(plan.sprints))
    return _layout(fig, text["gantt"], reading, height=max(420, 18 * len(table) + 160), lang=lang)


def _titles(fig: go.Figure, table: pd.DataFrame, plan: Plan) -> None:
    """Each title beside its bar: right of it, or left of it when the bar ends in the last third of
    the horizon (a text past the horizon would be cut)."""
    if table.empty:
        return
    start, end = pd.Timestamp(plan.start), pd.Timestamp(plan.end) + pd.Timedelta(days=1)
    late_third = start + (end - start) * 2 / 3
    right = table["end"] < late_third
    labels = [
        ("⚠ " if late else "") + plotly_text(shorten(t, TITLE_CHARACTERS))
        for t, late in zip(table["title"], table["late"], strict=True)
    ]
    for side, rows in ((True, table[right]), (False, table[~right])):
        if rows.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=rows["end"] + pd.Timedelta(days=1) if side else rows["start"],
                y=[_plotly_texts(rows["team"]), _plotly_texts(rows["id"])],
                mode="text",
                text=[labels[i] for i in rows.index],
                textposition="middle right" if side else "middle left",
                textfont={"size": 10},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            )
        )


def _arrows(table: pd.DataFrame, roadmap: Roadmap) -> list[dict[str, Any]]:
    """An arrow from each scheduled prerequisite's end to its scheduled dependant's start (rows by
    their position on the reversed category axis), at most :data:`MAX_ARROWS`."""
    row_of = {ident: n for n, ident in enumerate(table["id"])}
    ends = dict(zip(table["id"], table["end"], strict=True))
    starts = dict(zip(table["id"], table["start"], strict=True))
    arrows: list[dict[str, Any]] = []
    for ident in table["id"]:
        for prerequisite in roadmap.measure_by_id[ident].depends_on:
            if prerequisite not in row_of or len(arrows) >= MAX_ARROWS:
                continue
            arrows.append(
                {
                    "x": starts[ident],
                    "y": row_of[ident],
                    "ax": ends[prerequisite] + pd.Timedelta(days=1),
                    "ay": row_of[prerequisite],
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowsize": 1,
                    "arrowwidth": 1,
                    "arrowcolor": "#777777",
                    "opacity": 0.45,
                    "text": "",
                }
            )
    return arrows


def _sprints(plan: Plan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Alternate sprints as grey bands (shapes), each named S1, S2… above the chart (annotations)."""
    one_day = pd.Timedelta(days=1)
    shapes: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    for sprint in plan.sprints:
        start, end = pd.Timestamp(sprint.start), pd.Timestamp(sprint.end) + one_day
        if sprint.index % 2 == 1:
            shapes.append(
                {
                    "type": "rect",
                    "x0": start,
                    "x1": end,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "fillcolor": "#dddddd",
                    "opacity": 0.35,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        names.append(
            {
                "x": start + (end - start) / 2,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"S{sprint.index}",
                "showarrow": False,
            }
        )
    return shapes, names
