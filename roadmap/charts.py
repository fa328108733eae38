"""Plotly figure builders for the dashboard and the exports.

Each builder takes domain objects, returns a ``plotly.graph_objects.Figure`` with a title, axis
units and a one-line reading in the subtitle, and never draws on screen or writes a file.
Colours come from the Okabe–Ito palette, which stays distinct for colour-blind readers.

Plotly draws a subset of HTML in every string it renders (titles, axis tick labels, trace names,
annotations, hover labels, and the values ``hovertemplate`` inserts through ``%{x}``, ``%{y}`` or
``%{customdata}``): ``<b>``, ``<br>``, ``<span style=…>`` and ``<a href=…>`` links. Every string
that comes from a workbook (measure IDs and titles, team, domain and risk names) therefore goes
through :func:`plotly_text` where it enters a figure, so that it is drawn as literal text; our own
fixed labels, numbers and dates are left as they are.
"""

from __future__ import annotations

import html
import textwrap
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from roadmap.chart_axes import date_axis, hover_days
from roadmap.i18n import PLOTLY_SEPARATORS, format_day, format_number, plural_text
from roadmap.models import Roadmap, Status
from roadmap.planning.plan import Plan
from roadmap.risk import LEVEL_LABELS

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Colour-blind-safe qualitative palette (Okabe & Ito, 2008)."""

SCENARIO_COLOURS = {
    "baseline": "#999999",
    "naive": "#E69F00",
    "greedy": "#56B4E9",
    "optimised": "#0072B2",
    "actual": "#009E73",
}

_LABELS = {
    "fr": {
        "baseline": "Plan initial sur 3 ans",
        "naive": "Compression naïve",
        "greedy": "Compression gloutonne",
        "optimised": "Plan compressé (optimisé)",
        "actual": "Réalisé",
        "trajectory": "Risque résiduel total",
        "trajectory_y": "Somme des scores résiduels",
        "trajectory_read": "Le plan compressé ramène le risque résiduel de {now} à {end} d’ici le {date}, "
        "contre {base} avec le plan initial.",
        "gantt": "Plan de sprints par équipe",
        "sprint": "Sprint",
        "domain": "Avancement par domaine",
        "domain_x": "Charge (jours-homme)",
        "no_domain": "Sans domaine",
        "unit": "\u00a0j.h",
        "domain_read": "{pct:.0f} % de la charge totale est réalisée ; le reste est planifié ou reporté.",
        "done": "Réalisé",
        "planned": "Planifié",
        "deferred": "Reporté",
        "date": "Date",
        "burnup": "Charge réalisée, cumul par sprint",
        "burnup_y": "Charge (jours-homme)",
        "burnup_done": "Réalisé + planifié (cumul)",
        "burnup_scope": "Charge totale",
        "start": "Départ",
        "burnup_read": "Si le plan compressé est tenu, {pct:.0f} % de la charge totale sera réalisée à la fin du "
        "sprint {s} ; le reste est reporté.",
        "sprint_load": "Charge planifiée par équipe et par sprint",
        "sprint_load_y": "Charge (jours-homme)",
        "sprint_load_read": "{days} jours-homme planifiés sur {s} sprints, pour une capacité de {cap} "
        "jours-homme ({pct:.0f} % utilisés).",
        "heat_inherent": "Carte des risques initiale",
        "heat_now": "Carte des risques actuelle",
        "heat_end": "Carte des risques en fin de plan",
        "heat_read": "{critical} risques sur {n} en niveau critique, {high} en niveau élevé.",
        "heat_read_one": "{critical} risque sur {n} en niveau critique, {high} en niveau élevé.",
        "scale_codes": "VG",  # EBIOS RM: vraisemblance V1–V4, gravité G1–G4
        "likelihood": "Vraisemblance",
        "severity": "Gravité",
        "level": "Niveau",
        "burn_up": "Avancement : valeur planifiée et valeur acquise",
        "burn_up_y": "Charge cumulée (jours-homme)",
        "pv": "Valeur planifiée (plan figé)",
        "ev": "Valeur acquise (instantanés)",
        "burn_up_read": "Au {date} : {ev}\u00a0j.h acquis pour {pv}\u00a0j.h planifiés (SPI {spi}).",
    },
    "en": {
        "baseline": "Original 3-year plan",
        "naive": "Naive compression",
        "greedy": "Greedy compression",
        "optimised": "Compressed plan (optimised)",
        "actual": "Actual",
        "trajectory": "Total residual risk",
        "trajectory_y": "Sum of residual scores",
        "trajectory_read": "The compressed plan brings residual risk from {now} to {end} by {date}, "
        "against {base} under the original plan.",
        "gantt": "Sprint plan by team",
        "sprint": "Sprint",
        "domain": "Progress by domain",
        "domain_x": "Effort (person-days)",
        "no_domain": "No domain",
        "unit": " person-days",
        "domain_read": "{pct:.0f}% of the total effort is done; the rest is planned or deferred.",
        "done": "Done",
        "planned": "Planned",
        "deferred": "Deferred",
        "date": "Date",
        "burnup": "Effort done, cumulative by sprint",
        "burnup_y": "Effort (person-days)",
        "burnup_done": "Done + planned (cumulative)",
        "burnup_scope": "Total effort",
        "start": "Start",
        "burnup_read": "If the compressed plan is delivered, {pct:.0f}% of the total effort is done by the end of "
        "sprint {s}; the rest is deferred.",
        "sprint_load": "Planned effort by team and sprint",
        "sprint_load_y": "Effort (person-days)",
        "sprint_load_read": "{days} person-days planned over {s} sprints, against a capacity of {cap} "
        "person-days ({pct:.0f}% used).",
        "heat_inherent": "Risk map before measures",
        "heat_now": "Risk map now",
        "heat_end": "Risk map at the end of the plan",
        "heat_read": "{critical} of {n} risks at the critical level, {high} at the high level.",
        "heat_read_one": "{critical} of {n} risk at the critical level, {high} at the high level.",
        "scale_codes": "LS",  # likelihood L1–L4, severity S1–S4
        "likelihood": "Likelihood",
        "severity": "Severity",
        "level": "Level",
        "burn_up": "Progress: planned value and earned value",
        "burn_up_y": "Cumulative effort (person-days)",
        "pv": "Planned value (frozen plan)",
        "ev": "Earned value (snapshots)",
        "burn_up_read": "On {date}: {ev} person-days earned for {pv} planned (SPI {spi}).",
    },
}

HEAT_COLOURS = ("#FFF3B0", "#FDB863", "#E6550D", "#7F1D4E")
"""Fill of the four risk levels (low … critical) on heat maps: a sequential light-yellow → dark
red-purple scale whose lightness falls with the level, so it reads without hue (colour-blind
safe) and in grey-scale print."""

HEAT_TEXT = ("#000000", "#000000", "#FFFFFF", "#FFFFFF")
"""Text colour on each level's fill (contrast ≥ 4.5:1)."""


def plotly_text(value: object) -> str:
    """``value`` as text that plotly draws literally: ``&``, ``<`` and ``>`` become entities, so
    workbook text such as ``<a href="…">`` or ``<b>`` is shown as typed instead of becoming a link
    or markup (plotly decodes the entities back when it draws, on screen and in kaleido's PNG/SVG).

    Apply it once, where a workbook string enters a figure (trace names, categories, ``text``,
    annotations, ``customdata`` read by ``hovertemplate``); never to our own labels, which may hold
    markup on purpose, nor to numbers and dates. Markdown (``[x](url)``) means nothing to plotly
    and is left as is.
    """
    return html.escape(str(value), quote=False)


def _plotly_texts(values: pd.Series) -> list[str]:
    """:func:`plotly_text` of each value of a column of workbook text."""
    return [plotly_text(v) for v in values]


def _labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["en"])


def chart_text(lang: str = "fr") -> dict[str, str]:
    """The labels the charts use in ``lang`` (``fr`` or ``en``; anything else gives English):
    scenario names (``baseline``, ``naive``, ``greedy``, ``optimised``), ``done``/``planned``/
    ``deferred``, titles and axis titles, so that other outputs (the PPTX deck) name things alike."""
    return dict(_labels(lang))


READING_WIDTH = 80
"""Characters per line of a chart's reading before it wraps: it must fit a half-width chart at 1440 px
(90 characters clipped the end of a French line)."""


def _layout(fig: go.Figure, title: str, reading: str, *, height: int = 420, lang: str = "fr") -> go.Figure:
    lines = textwrap.wrap(reading, READING_WIDTH) or [""]
    fig.update_layout(
        separators=PLOTLY_SEPARATORS.get(lang, PLOTLY_SEPARATORS["fr"]),
        title={"text": title, "subtitle": {"text": "<br>".join(lines)}},
        template="plotly_white",
        height=height + 16 * (len(lines) - 1),
        margin={"l": 10, "r": 10, "t": 74 + 16 * len(lines), "b": 90},
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0.01,
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        font={"family": "Arial, sans-serif"},
    )
    return fig


def trajectory_figure(trajectory: pd.DataFrame, *, lang: str = "fr") -> go.Figure:
    """Total residual risk over time, one stepped line per scenario.

    Args:
        trajectory: long DataFrame with columns ``date``, ``scenario`` (``baseline``,
            ``naive``, ``greedy``, ``optimised`` or ``actual``) and ``total``, as from
            :func:`roadmap.risk.risk_trajectory`.
    """
    text = _labels(lang)
    fig = go.Figure()
    for scenario, rows in trajectory.groupby("scenario", sort=False):
        fig.add_trace(
            go.Scatter(
                x=rows["date"],
                y=rows["total"],
                name=text.get(str(scenario)) or plotly_text(scenario),
                mode="lines",
                line={
                    "shape": "hv",
                    "width": 3,
                    "color": SCENARIO_COLOURS.get(str(scenario), OKABE_ITO[3]),
                    "dash": "dash" if scenario in ("naive", "greedy") else "solid",
                },
                customdata=hover_days(rows["date"], lang),
                hovertemplate="%{customdata}: %{y:.1f}<extra></extra>",
            )
        )
    reading = ""
    compressed = trajectory[trajectory["scenario"] == "optimised"]
    baseline = trajectory[trajectory["scenario"] == "baseline"]
    if not compressed.empty and not baseline.empty:
        reading = text["trajectory_read"].format(
            now=format_number(compressed["total"].iloc[0], lang, 0),
            end=format_number(compressed["total"].iloc[-1], lang, 0),
            date=format_day(pd.Timestamp(compressed["date"].iloc[-1]).date(), lang),
            base=format_number(baseline["total"].iloc[-1], lang, 0),
        )
    fig.update_yaxes(title=text["trajectory_y"], rangemode="tozero")
    fig.update_xaxes(title=text["date"], **date_axis(trajectory["date"], lang))
    # taller than the default: its legend (up to seven lines in half a page) must leave the plot room for
    # the y axis's title, which would otherwise run up into the reading
    return _layout(fig, text["trajectory"], reading, height=540, lang=lang)


def domain_progress_figure(roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> go.Figure:
    """Effort in person-days per domain: done, planned within the horizon, deferred (stacked bars).

    Done effort counts the done part of every measure (effort × progress/100, and all of a done
    measure); cancelled measures are left out.
    """
    text = _labels(lang)
    frame = domain_progress(roadmap, plan, lang=lang)
    fig = go.Figure()
    for key, colour in (("done", OKABE_ITO[2]), ("planned", OKABE_ITO[0]), ("deferred", OKABE_ITO[1])):
        fig.add_trace(
            go.Bar(
                y=_plotly_texts(frame["domain"]),
                x=frame[key],
                name=text[key],
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}: %{x:.1f}" + text["unit"] + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=text["domain_x"])
    fig.update_yaxes(autorange="reversed")
    total = frame[["done", "planned", "deferred"]].to_numpy().sum()
    reading = text["domain_read"].format(pct=100 * frame["done"].sum() / total if total else 0.0)
    return _layout(fig, text["domain"], reading, height=max(360, 40 * len(frame) + 160), lang=lang)


def domain_progress(roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> pd.DataFrame:
    """Effort per domain in person-days.

    Args:
        lang: the language of the row of the measures without a domain (``Sans domaine``,
            ``No domain``: a workbook with no domain column has only that row).

    Returns:
        DataFrame with columns ``domain``, ``done``, ``planned`` (remaining effort of measures
        scheduled in the horizon), ``deferred`` (remaining effort of deferred measures),
        ``measures`` and ``measures_done`` (counts), sorted by domain, the measures without a
        domain last.
    """
    planned = {s.id for s in plan.scheduled}
    rows: dict[str, dict[str, float]] = {}
    for m in roadmap.measures:
        if m.status is Status.CANCELLED:
            continue
        row = rows.setdefault(
            m.domain.strip(), dict.fromkeys(("done", "planned", "deferred", "measures", "measures_done"), 0.0)
        )
        row["done"] += m.effort_days - m.remaining_effort
        row["planned" if m.id in planned else "deferred"] += m.remaining_effort
        row["measures"] += 1
        row["measures_done"] += m.status is Status.DONE
    unnamed = _labels(lang)["no_domain"]
    frame = pd.DataFrame(
        [{"domain": d or unnamed, **v} for d, v in sorted(rows.items(), key=lambda item: (not item[0], item[0]))],
        columns=["domain", "done", "planned", "deferred", "measures", "measures_done"],
    )
    return frame.astype({"measures": int, "measures_done": int})


def burnup(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """Cumulative effort done at the end of each sprint if the plan is delivered (burn-up).

    Returns:
        DataFrame with one row per sprint, plus sprint 0 for the start of the horizon; columns
        ``sprint`` (0 … n), ``date`` (datetime64: the horizon's first day for sprint 0, else the
        sprint's last day), ``done`` (person-days: the done part of every measure today plus the
        remaining effort of the measures the plan finishes in sprints ≤ ``sprint``) and ``scope``
        (person-days: total effort of the measures that are not cancelled).
    """
    measures = [m for m in roadmap.measures if m.status is not Status.CANCELLED]
    done_now = sum(m.effort_days - m.remaining_effort for m in measures)
    scope = sum(m.effort_days for m in measures)
    by_sprint = dict.fromkeys((s.index for s in plan.sprints), 0.0)
    for s in plan.scheduled:
        by_sprint[s.sprint] += roadmap.measure_by_id[s.id].remaining_effort
    rows = [{"sprint": 0, "date": pd.Timestamp(plan.start), "done": done_now, "scope": scope}]
    total = done_now
    for sprint in plan.sprints:
        total += by_sprint[sprint.index]
        rows.append({"sprint": sprint.index, "date": pd.Timestamp(sprint.end), "done": total, "scope": scope})
    return pd.DataFrame(rows, columns=["sprint", "date", "done", "scope"])


def sprint_load(plan: Plan) -> pd.DataFrame:
    """Person-days each team works in each sprint under the plan, and its capacity there.

    Returns:
        DataFrame with one row per sprint and team (sprints in order, teams as in the plan's
        capacity), columns ``sprint`` (index from 1), ``team``, ``busy`` (person-days: the rate
        of each scheduled measure summed over its working days in the sprint) and ``capacity``
        (person-days: the team's daily capacity × the sprint's working days).
    """
    busy: dict[tuple[int, str], float] = {}
    working = dict.fromkeys((s.index for s in plan.sprints), 0)
    for day in plan.days:
        working[plan.sprint_of(day)] += 1
    for s in plan.scheduled:
        for day in plan.days:
            if s.start <= day <= s.end:
                key = (plan.sprint_of(day), s.team)
                busy[key] = busy.get(key, 0.0) + s.rate
    rows = [
        {
            "sprint": sprint.index,
            "team": team,
            "busy": busy.get((sprint.index, team), 0.0),
            "capacity": capacity * working[sprint.index],
        }
        for sprint in plan.sprints
        for team, capacity in plan.capacity.items()
    ]
    return pd.DataFrame(rows, columns=["sprint", "team", "busy", "capacity"])


def burnup_figure(roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> go.Figure:
    """Burn-up: cumulative effort done per sprint under the plan (:func:`burnup`) against the
    total effort, in person-days."""
    text = _labels(lang)
    frame = burnup(roadmap, plan)
    labels = [f"S{n}" if n else text["start"] for n in frame["sprint"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=frame["done"],
            name=text["burnup_done"],
            mode="lines+markers",
            line={"width": 3, "color": OKABE_ITO[0]},
            hovertemplate="%{x}: %{y:.1f}" + text["unit"] + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=frame["scope"],
            name=text["burnup_scope"],
            mode="lines",
            line={"width": 2, "color": "#555555", "dash": "dash"},
            hovertemplate="%{x}: %{y:.1f}" + text["unit"] + "<extra></extra>",
        )
    )
    fig.update_yaxes(title=text["burnup_y"], rangemode="tozero")
    fig.update_xaxes(title=text["sprint"])
    scope = float(frame["scope"].iloc[0])
    reading = text["burnup_read"].format(
        pct=100 * float(frame["done"].iloc[-1]) / scope if scope else 0.0, s=int(frame["sprint"].iloc[-1])
    )
    return _layout(fig, text["burnup"], reading, lang=lang)


def sprint_load_figure(plan: Plan, *, lang: str = "fr", load: pd.DataFrame | None = None) -> go.Figure:
    """Person-days per team and sprint (:func:`sprint_load`) as stacked columns.

    Args:
        load: the person-days to draw, with the columns of :func:`sprint_load` (default: it); the
            exports pass the planned effort of :meth:`roadmap.analysis.Analysis.sprint_effort`.
    """
    text = _labels(lang)
    frame = sprint_load(plan) if load is None else load
    fig = go.Figure()
    for n, (team, rows) in enumerate(frame.groupby("team", sort=False)):
        fig.add_trace(
            go.Bar(
                x=[f"S{k}" for k in rows["sprint"]],
                y=rows["busy"],
                name=plotly_text(team),
                marker={"color": OKABE_ITO[n % len(OKABE_ITO)]},
                hovertemplate="%{x}: %{y:.1f}" + text["unit"] + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=text["sprint_load_y"])
    fig.update_xaxes(title=text["sprint"])
    busy, capacity = float(frame["busy"].sum()), float(frame["capacity"].sum())
    days, cap = format_number(busy, lang, 0), format_number(capacity, lang, 0)
    used = busy / capacity if capacity else 0.0
    reading = text["sprint_load_read"].format(days=days, s=len(plan.sprints), cap=cap, pct=100 * used)
    return _layout(fig, text["sprint_load"], reading, lang=lang)


CELL_IDS_PER_LINE = 2
CELL_ID_LINES = 3
"""A heat-map cell lists its risk IDs two per line, on three lines at most; the rest is counted
(``+4``) and listed in the cell's hover label."""


def _cell_ids(risks: str) -> str:
    """The risk IDs of a heat-map cell (``"R01, R02, …"``), escaped and wrapped to fit the cell."""
    ids = [plotly_text(r) for r in risks.split(", ") if r]
    room = CELL_IDS_PER_LINE * CELL_ID_LINES
    shown, rest = (ids, []) if len(ids) <= room else (ids[: room - 1], ids[room - 1 :])
    lines = [", ".join(shown[i : i + CELL_IDS_PER_LINE]) for i in range(0, len(shown), CELL_IDS_PER_LINE)]
    if rest:
        lines[-1] += f", +{len(rest)}"
    return "<br>".join(lines)


def heat_map_figure(
    cells: pd.DataFrame, *, when: Literal["inherent", "now", "end"] = "now", lang: str = "fr"
) -> go.Figure:
    """A likelihood × severity heat map; each cell coloured by its level (:data:`HEAT_COLOURS`)
    and labelled with the number of risks and their IDs.

    Args:
        cells: as from :func:`roadmap.risk.heat_map`.
        when: what the map shows, for its title: the risks before any measure (``inherent``),
            with today's statuses (``now``) or at the end of the plan (``end``).
    """
    text = _labels(lang)
    title = text[f"heat_{when}"]
    likelihoods = sorted(cells["likelihood"].unique(), reverse=True)
    severities = sorted(cells["severity"].unique())
    grid = cells.set_index(["likelihood", "severity"])
    levels = [[int(grid.loc[(v, g), "level"]) for g in severities] for v in likelihoods]
    labels = [
        [
            f"<b>{grid.loc[(v, g), 'count']}</b><br>{_cell_ids(str(grid.loc[(v, g), 'risks']))}"
            if grid.loc[(v, g), "count"]
            else ""
            for g in severities
        ]
        for v in likelihoods
    ]
    names = LEVEL_LABELS.get(lang, LEVEL_LABELS["en"])
    scale = [[stop, colour] for level, colour in enumerate(HEAT_COLOURS) for stop in (level / 4, (level + 1) / 4)]
    fig = go.Figure(
        go.Heatmap(
            z=levels,
            x=[f"{text['scale_codes'][1]}{g}" for g in severities],
            y=[f"{text['scale_codes'][0]}{v}" for v in likelihoods],
            zmin=-0.5,  # level k sits in the middle of its band [k/4, (k+1)/4]
            zmax=3.5,
            colorscale=scale,
            customdata=[
                [
                    f"{names[level]}<br>{plotly_text(grid.loc[(v, g), 'risks'])}"
                    for level, g in zip(row, severities, strict=True)
                ]
                for row, v in zip(levels, likelihoods, strict=True)
            ],
            hovertemplate="%{y} × %{x}: %{customdata}<extra></extra>",
            xgap=3,
            ygap=3,
            showscale=False,
        )
    )
    for v_index, row in enumerate(levels):
        for g_index, level in enumerate(row):
            if labels[v_index][g_index]:
                fig.add_annotation(
                    x=g_index,
                    y=v_index,
                    text=labels[v_index][g_index],
                    showarrow=False,
                    font={"color": HEAT_TEXT[level], "size": 11},
                )
    fig.update_xaxes(title=text["severity"], side="bottom")
    fig.update_yaxes(title=text["likelihood"], autorange="reversed")  # V4 at the top
    critical = int(cells.loc[cells["level"] == 3, "count"].sum())
    reading = plural_text(text, "heat_read", critical, lang).format(
        critical=critical,
        high=int(cells.loc[cells["level"] == 2, "count"].sum()),
        n=int(cells["count"].sum()),
    )
    return _layout(fig, title, reading, height=520, lang=lang)


def burn_up_figure(burn_up: pd.DataFrame, *, lang: str = "fr") -> go.Figure:
    """Burn-up: cumulative planned value of the frozen plan against the earned value of each snapshot.

    Args:
        burn_up: from :func:`roadmap.progress.burn_up`: columns ``date``, ``pv`` and ``ev``
            (person-days; ``ev`` NaN on days without a snapshot).

    The reading compares EV and PV on the last snapshot's date (SPI = EV / PV, PMBOK).
    """
    text = _labels(lang)
    earned = burn_up.dropna(subset=["ev"])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=burn_up["date"],
            y=burn_up["pv"],
            name=text["pv"],
            mode="lines",
            line={"width": 3, "color": SCENARIO_COLOURS["optimised"]},
            customdata=hover_days(burn_up["date"], lang),
            hovertemplate="%{customdata}: %{y:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=earned["date"],
            y=earned["ev"],
            name=text["ev"],
            mode="lines+markers",
            line={"width": 3, "color": SCENARIO_COLOURS["actual"]},
            marker={"size": 9, "symbol": "diamond"},
            customdata=hover_days(earned["date"], lang),
            hovertemplate="%{customdata}: %{y:.1f}<extra></extra>",
        )
    )
    reading = ""
    if not earned.empty:
        last = earned.iloc[-1]
        planned = float(burn_up.loc[burn_up["date"] == last["date"], "pv"].iloc[0])
        spi = format_number(last["ev"] / planned, lang, 2) if planned > 0 else "–"
        reading = text["burn_up_read"].format(
            date=format_day(pd.Timestamp(last["date"]).date(), lang),
            ev=format_number(last["ev"], lang, 0),
            pv=format_number(planned, lang, 0),
            spi=spi,
        )
    fig.update_yaxes(title=text["burn_up_y"], rangemode="tozero")
    fig.update_xaxes(title=text["date"], **date_axis(burn_up["date"], lang))
    return _layout(fig, text["burn_up"], reading, lang=lang)
