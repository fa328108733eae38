"""Plotly figure builders for the dashboard and the exports.

Each builder takes domain objects, returns a ``plotly.graph_objects.Figure`` with a title, axis
units and a one-line reading in the subtitle, and never draws on screen or writes a file.
Colours come from the Okabe–Ito palette, which stays distinct for colour-blind readers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from roadmap.models import Roadmap, Status
from roadmap.schedule import Plan, schedule_table

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Colour-blind-safe qualitative palette (Okabe & Ito, 2008)."""

SCENARIO_COLOURS = {
    "baseline": "#999999",
    "naive": "#E69F00",
    "greedy": "#56B4E9",
    "optimised": "#0072B2",
    "actual": "#009E73",
}

_LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "baseline": "Plan initial sur 3 ans",
        "naive": "Compression naïve",
        "greedy": "Compression gloutonne",
        "optimised": "Plan compressé (optimisé)",
        "actual": "Réalisé",
        "trajectory": "Risque résiduel total",
        "trajectory_y": "Somme des scores résiduels",
        "trajectory_read": "Le plan compressé ramène le risque résiduel de {now:.0f} à {end:.0f} d’ici le {date}, "
        "contre {base:.0f} avec le plan initial.",
        "gantt": "Plan de sprints par équipe",
        "gantt_read": "{n} mesures planifiées en {s} sprints ; les bandes grises marquent les sprints.",
        "sprint": "Sprint",
        "domain": "Avancement par domaine",
        "domain_x": "Charge (jours-homme)",
        "domain_read": "{pct:.0f} % de la charge totale est réalisée ; le reste est planifié ou reporté.",
        "done": "Réalisé",
        "planned": "Planifié",
        "deferred": "Reporté",
        "date": "Date",
        "likelihood": "Vraisemblance",
        "severity": "Gravité",
        "heat_read": "{n} risque(s) en zone critique (score ≥ 9) sur {total}.",
        "burn_up": "Avancement : valeur planifiée et valeur acquise",
        "burn_up_y": "Charge cumulée (jours-homme)",
        "pv": "Valeur planifiée (plan figé)",
        "ev": "Valeur acquise (instantanés)",
        "burn_up_read": "Au {date} : {ev:.0f} j.h acquis pour {pv:.0f} j.h planifiés (SPI {spi}).",
    },
    "en": {
        "baseline": "Original 3-year plan",
        "naive": "Naive compression",
        "greedy": "Greedy compression",
        "optimised": "Compressed plan (optimised)",
        "actual": "Actual",
        "trajectory": "Total residual risk",
        "trajectory_y": "Sum of residual scores",
        "trajectory_read": "The compressed plan brings residual risk from {now:.0f} to {end:.0f} by {date}, "
        "against {base:.0f} under the original plan.",
        "gantt": "Sprint plan by team",
        "gantt_read": "{n} measures scheduled in {s} sprints; grey bands mark the sprints.",
        "sprint": "Sprint",
        "domain": "Progress by domain",
        "domain_x": "Effort (person-days)",
        "domain_read": "{pct:.0f}% of the total effort is done; the rest is planned or deferred.",
        "done": "Done",
        "planned": "Planned",
        "deferred": "Deferred",
        "date": "Date",
        "likelihood": "Likelihood",
        "severity": "Severity",
        "heat_read": "{n} risk(s) in the critical zone (score ≥ 9) out of {total}.",
        "burn_up": "Progress: planned value and earned value",
        "burn_up_y": "Cumulative effort (person-days)",
        "pv": "Planned value (frozen plan)",
        "ev": "Earned value (snapshots)",
        "burn_up_read": "On {date}: {ev:.0f} person-days earned for {pv:.0f} planned (SPI {spi}).",
    },
}


def _labels(lang: str) -> dict[str, Any]:
    return _LABELS.get(lang, _LABELS["en"])


def _layout(fig: go.Figure, title: str, reading: str, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "subtitle": {"text": reading}},
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 90, "b": 90},
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
                name=text.get(str(scenario), str(scenario)),
                mode="lines",
                line={
                    "shape": "hv",
                    "width": 3,
                    "color": SCENARIO_COLOURS.get(str(scenario), OKABE_ITO[3]),
                    "dash": "dash" if scenario in ("naive", "greedy") else "solid",
                },
                hovertemplate="%{x|%d/%m/%Y}: %{y:.1f}<extra></extra>",
            )
        )
    reading = ""
    compressed = trajectory[trajectory["scenario"] == "optimised"]
    baseline = trajectory[trajectory["scenario"] == "baseline"]
    if not compressed.empty and not baseline.empty:
        reading = text["trajectory_read"].format(
            now=compressed["total"].iloc[0],
            end=compressed["total"].iloc[-1],
            date=compressed["date"].iloc[-1].strftime("%d/%m/%Y"),
            base=baseline["total"].iloc[-1],
        )
    fig.update_yaxes(title=text["trajectory_y"], rangemode="tozero")
    fig.update_xaxes(title=text["date"], tickformat="%d/%m/%Y")
    return _layout(fig, text["trajectory"], reading)


def gantt_figure(roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> go.Figure:
    """Scheduled measures as bars from start to end (inclusive), one row per measure, grouped and
    coloured by team, with the sprints as alternating bands."""
    text = _labels(lang)
    table = schedule_table(roadmap, plan).dropna(subset=["start"])
    table = table.sort_values(["team", "start", "id"])
    teams = list(dict.fromkeys(table["team"]))
    fig = go.Figure()
    one_day = pd.Timedelta(days=1)
    for n, team in enumerate(teams):
        rows = table[table["team"] == team]
        fig.add_trace(
            go.Bar(
                base=rows["start"],
                x=(rows["end"] + one_day - rows["start"]).dt.total_seconds() * 1000,
                y=[rows["team"], rows["id"]],
                orientation="h",
                name=team,
                marker={"color": OKABE_ITO[n % len(OKABE_ITO)]},
                customdata=rows[["title", "sprint"]].to_numpy(),
                hovertemplate="%{y}: %{customdata[0]}<br>%{base|%d/%m} → sprint %{customdata[1]}<extra></extra>",
            )
        )
    for sprint in plan.sprints:
        if sprint.index % 2 == 1:
            fig.add_vrect(
                x0=pd.Timestamp(sprint.start),
                x1=pd.Timestamp(sprint.end) + one_day,
                fillcolor="#dddddd",
                opacity=0.35,
                line_width=0,
                layer="below",
            )
        fig.add_annotation(
            x=pd.Timestamp(sprint.start) + (pd.Timestamp(sprint.end) + one_day - pd.Timestamp(sprint.start)) / 2,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text=f"S{sprint.index}",
            showarrow=False,
        )
    fig.update_xaxes(
        tickformat="%d/%m",
        type="date",
        title=text["date"],
        range=[pd.Timestamp(plan.start), pd.Timestamp(plan.end) + one_day],
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 9})
    fig.update_layout(showlegend=False)  # the teams label the rows already
    reading = text["gantt_read"].format(n=len(table), s=len(plan.sprints))
    return _layout(fig, text["gantt"], reading, height=max(420, 16 * len(table) + 160))


def domain_progress_figure(roadmap: Roadmap, plan: Plan, *, lang: str = "fr") -> go.Figure:
    """Effort in person-days per domain: done, planned within the horizon, deferred (stacked bars).

    Done effort counts the done part of every measure (effort × progress/100, and all of a done
    measure); cancelled measures are left out.
    """
    text = _labels(lang)
    frame = domain_progress(roadmap, plan)
    fig = go.Figure()
    for key, colour in (("done", OKABE_ITO[2]), ("planned", OKABE_ITO[0]), ("deferred", OKABE_ITO[1])):
        fig.add_trace(
            go.Bar(
                y=frame["domain"],
                x=frame[key],
                name=text[key],
                orientation="h",
                marker={"color": colour},
                hovertemplate="%{y}: %{x:.1f} j.h<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=text["domain_x"])
    fig.update_yaxes(autorange="reversed")
    total = frame[["done", "planned", "deferred"]].to_numpy().sum()
    reading = text["domain_read"].format(pct=100 * frame["done"].sum() / total if total else 0.0)
    return _layout(fig, text["domain"], reading, height=max(360, 40 * len(frame) + 160))


def domain_progress(roadmap: Roadmap, plan: Plan) -> pd.DataFrame:
    """Effort per domain in person-days.

    Returns:
        DataFrame with columns ``domain``, ``done``, ``planned`` (remaining effort of measures
        scheduled in the horizon), ``deferred`` (remaining effort of deferred measures),
        ``measures`` and ``measures_done`` (counts), sorted by domain.
    """
    planned = {s.id for s in plan.scheduled}
    rows: dict[str, dict[str, float]] = {}
    for m in roadmap.measures:
        if m.status is Status.CANCELLED:
            continue
        row = rows.setdefault(
            m.domain or "—", dict.fromkeys(("done", "planned", "deferred", "measures", "measures_done"), 0.0)
        )
        row["done"] += m.effort_days - m.remaining_effort
        row["planned" if m.id in planned else "deferred"] += m.remaining_effort
        row["measures"] += 1
        row["measures_done"] += m.status is Status.DONE
    frame = pd.DataFrame(
        [{"domain": d, **v} for d, v in sorted(rows.items())],
        columns=["domain", "done", "planned", "deferred", "measures", "measures_done"],
    )
    return frame.astype({"measures": int, "measures_done": int})


def heat_map_figure(
    positions: pd.DataFrame, *, title: str, lang: str = "fr", likelihood_scale: int = 4, severity_scale: int = 4
) -> go.Figure:
    """A likelihood × severity matrix, each cell coloured by its score band and listing its risks.

    Args:
        positions: from :func:`roadmap.risk.heat_map` (columns ``id``, ``likelihood``, ``severity``).
        title: the chart's title (inherent, now, end of plan…).

    Colours: ColorBrewer's sequential OrRd on the cell's score likelihood × severity — it varies in
    lightness, so it reads with every colour-vision deficiency and in grey; capped below its darkest
    shade so that the black text stays legible. A cell's text gives its number of risks and their IDs.
    """
    text = _labels(lang)
    likelihoods = list(range(1, likelihood_scale + 1))
    severities = list(range(1, severity_scale + 1))
    scores = [[lk * sv for sv in severities] for lk in likelihoods]
    labels = []
    for lk in likelihoods:
        row = []
        for sv in severities:
            ids = positions[(positions["likelihood"] == lk) & (positions["severity"] == sv)]["id"].tolist()
            shown = ids if len(ids) <= 6 else [*ids[:5], "…"]
            row.append(
                f"<b>{len(ids)}</b><br>" + "<br>".join(" ".join(shown[i : i + 2]) for i in range(0, len(shown), 2))
                if ids
                else ""
            )
        labels.append(row)
    names_l = [f"V{v}" for v in likelihoods]
    names_s = [f"G{v}" for v in severities]
    fig = go.Figure(
        go.Heatmap(
            z=scores,
            x=list(names_s),
            y=list(names_l),
            text=labels,
            texttemplate="%{text}",
            colorscale="OrRd",
            zmin=0,
            zmax=likelihood_scale * severity_scale * 1.3,
            showscale=False,
            xgap=3,
            ygap=3,
            hoverinfo="skip",
            textfont={"size": 11},
        )
    )
    fig.update_xaxes(title=text["severity"], side="bottom")
    fig.update_yaxes(title=text["likelihood"])
    critical = int((positions["likelihood"] * positions["severity"] >= 9).sum()) if not positions.empty else 0
    return _layout(fig, title, text["heat_read"].format(n=critical, total=len(positions)), height=440)


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
            hovertemplate="%{x|%d/%m/%Y}: %{y:.1f}<extra></extra>",
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
            hovertemplate="%{x|%d/%m/%Y}: %{y:.1f}<extra></extra>",
        )
    )
    reading = ""
    if not earned.empty:
        last = earned.iloc[-1]
        planned = float(burn_up.loc[burn_up["date"] == last["date"], "pv"].iloc[0])
        spi = f"{last['ev'] / planned:.2f}" if planned > 0 else "–"
        spi = spi.replace(".", ",") if lang == "fr" else spi
        reading = text["burn_up_read"].format(
            date=last["date"].strftime("%d/%m/%Y"), ev=last["ev"], pv=planned, spi=spi
        )
    fig.update_yaxes(title=text["burn_up_y"], rangemode="tozero")
    fig.update_xaxes(title=text["date"], tickformat="%d/%m/%Y")
    return _layout(fig, text["burn_up"], reading)
