"""The forecast and the "why" in the director's words and charts, French or English: the verdict
sentence, the P10–P90 band on the residual-risk trajectory, and one sentence per measure saying
what holds it or what it would take.

One wording for the app, the deck, the PDF and the XLSX plan (like :mod:`roadmap.wording`); pure
Python and plotly (no Streamlit, no export libraries).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from roadmap.chart_axes import date_axis, hover_days
from roadmap.i18n import format_day, format_number, format_percent
from roadmap.planning.explain import DeferredWhy, Explanation, MeasureWhy
from roadmap.planning.forecast import Forecast

SENTENCES: dict[str, dict[str, str]] = {
    "fr": {
        "verdict": "{p} de chances de tout terminer au {end} ; P80 : {p80}.",
        "verdict_plan": " Les {n} mesures planifiées tiennent l’horizon dans {p} des cas.",
        "verdict_none": "Rien à planifier : aucune mesure ouverte non bloquée.",
        "verdict_risk": " Risque le moins sûr d’atteindre sa cible : {risk} ; probabilité de finir à son niveau "
        "cible ou en dessous : {p}.",
        "more": "{ids} et {n} autres",
        "verdict_late_one": " {n} mesure ne tient pas dans l’horizon même sans aléa{pace} : {ids}.",
        "verdict_late_many": " {n} mesures ne tiennent pas dans l’horizon même sans aléa{pace} : {ids}.",
        "pace": ", au rythme observé des équipes",
        "plan_late_one": " {n} d’entre elles finit après l’horizon même sans aléa{pace}.",
        "plan_late_many": " {n} d’entre elles finissent après l’horizon même sans aléa{pace}.",
        "verdict_no_slack": " Sans aléa, tout tiendrait ; mais aucune des {runs} simulations ne finit à temps : "
        "le plan n’a pas de marge pour les dépassements de durée.",
        "plan_no_slack": " Sans aléa, elles tiendraient : le plan n’a pas de marge pour les dépassements de durée.",
        "verdict_spi": " Durées recalibrées par le SPI observé de chaque équipe ({teams}).",
        "verdict_runs": " ({runs} simulations Monte Carlo du plan ; P50 {p50}, P95 {p95}.)",
        "band": "Prévision P10–P90",
        "band_median": "Prévision (médiane)",
        "held_none": "Démarre dès que possible.",
        "held_prerequisite": "Attend {by} (fin le {until}).",
        "held_team": "Équipe « {by} » pleine jusqu’au {until}.",
        "value": " Vaut {value} risque·jours par j.h.",
        "unlocks": " Débloque {ids}.",
        "take_capacity": "Il faudrait {pd} j.h de « {team} » sur {days} jours ouvrés d’affilée ; "
        "l’équipe n’a que {spare} j.h libres, morcelés, d’ici la fin de l’horizon.",
        "take_prerequisite": "Il faudrait d’abord faire entrer {ids} dans le plan.",
        "take_blocked": "Il faudrait la débloquer.",
        "take_too_long": "Il faudrait {crew} personnes en même temps, ou un horizon de {weeks} semaines.",
    },
    "en": {
        "verdict": "{p} chance of finishing everything by {end}; P80: {p80}.",
        "verdict_plan": " The {n} scheduled measures fit the horizon in {p} of the runs.",
        "verdict_none": "Nothing to plan: no open, non-blocked measure.",
        "verdict_risk": " Risk least sure to reach its target: {risk}; probability of ending at or under its "
        "target level: {p}.",
        "more": "{ids} and {n} more",
        "verdict_late_one": " {n} measure does not fit the horizon even with no uncertainty{pace}: {ids}.",
        "verdict_late_many": " {n} measures do not fit the horizon even with no uncertainty{pace}: {ids}.",
        "pace": ", at the teams' observed pace",
        "plan_late_one": " {n} of them ends past the horizon even with no uncertainty{pace}.",
        "plan_late_many": " {n} of them end past the horizon even with no uncertainty{pace}.",
        "verdict_no_slack": " With no uncertainty everything would fit; but none of the {runs} runs ends on time: "
        "the plan has no slack for overruns.",
        "plan_no_slack": " With no uncertainty they would fit: the plan has no slack for overruns.",
        "verdict_spi": " Durations recalibrated by each team's observed SPI ({teams}).",
        "verdict_runs": " ({runs} Monte Carlo runs of the plan; P50 {p50}, P95 {p95}.)",
        "band": "Forecast P10–P90",
        "band_median": "Forecast (median)",
        "held_none": "Starts as soon as possible.",
        "held_prerequisite": "Waits on {by} (ends {until}).",
        "held_team": "Team “{by}” full until {until}.",
        "value": " Worth {value} risk-days per person-day.",
        "unlocks": " Unlocks {ids}.",
        "take_capacity": "It would take {pd} person-days of “{team}” over {days} consecutive working days; "
        "the team has only {spare} person-days free, scattered, before the end of the horizon.",
        "take_prerequisite": "It would take bringing {ids} into the plan first.",
        "take_blocked": "It would take unblocking it.",
        "take_too_long": "It would take {crew} people at once, or a {weeks}-week horizon.",
    },
}
"""Sentence templates by language (``fr``, ``en``); placeholders in braces."""


def _text(lang: str) -> dict[str, str]:
    return SENTENCES["fr" if lang == "fr" else "en"]


def _short_day(day: dt.date, lang: str, *, year: bool) -> str:
    if year:
        return format_day(day, lang)
    months = format_day(day, lang).rsplit(" ", 1)[0]
    return months


def verdict_text(
    forecast: Forecast, *, lang: str = "fr", scheduled: int | None = None, details: bool = True, reason: bool = True
) -> str:
    """The dashboard's verdict: ``72 % de chances de tout terminer au 28 févr. 2027 ; P80 : 14 mars``;
    when that chance shows as 0 %, why (the measures that end past the horizon even with no spread,
    :attr:`Forecast.late_without_spread`, or no slack for overruns); then (``details``) the scheduled
    measures' own chance, the risk least sure to reach its target with its probability of ending at
    or under its target level, the SPI calibration and the number of runs (the locale's thousands
    separator: ``1 000`` in French, ``1,000`` in English). ``reason=False`` leaves out the why of a
    0 % (:func:`late_reason`), for a headline that shows it apart."""
    text = _text(lang)
    if forecast.p80_end is None:
        return text["verdict_none"]
    p80 = forecast.p80_end
    sentence = text["verdict"].format(
        p=format_percent(forecast.on_time_probability, lang),
        end=format_day(forecast.horizon_end, lang),
        p80=_short_day(p80, lang, year=p80.year != forecast.horizon_end.year),
    )
    if sentence.endswith(".."):  # a French month's abbreviation ends the sentence: "P80 : 18 janv."
        sentence = sentence[:-1]
    if reason:
        sentence += late_reason(forecast, lang=lang)
    if not details:
        return sentence
    if scheduled:
        sentence += text["verdict_plan"].format(n=scheduled, p=format_percent(forecast.plan_on_time_probability, lang))
        if round(forecast.plan_on_time_probability * 100) == 0:
            sentence += _why_plan_late(forecast, lang)
    if forecast.risk_target_probability:
        risk = min(forecast.risk_target_probability, key=lambda r: (forecast.risk_target_probability[r], r))
        sentence += text["verdict_risk"].format(
            risk=risk, p=format_percent(forecast.risk_target_probability[risk], lang)
        )
    if forecast.calibration:
        teams = ", ".join(f"{t} {format_number(s, lang, 2)}" for t, s in sorted(forecast.calibration.items()))
        sentence += text["verdict_spi"].format(teams=teams)
    assert forecast.p50_end is not None and forecast.p95_end is not None
    return sentence + text["verdict_runs"].format(
        runs=format_number(forecast.simulations, lang, 0),
        p50=format_day(forecast.p50_end, lang),
        p95=format_day(forecast.p95_end, lang),
    )


def late_reason(forecast: Forecast, *, lang: str = "fr") -> str:
    """Why no run ends on time, when the on-time probability shows as 0 % (else ``""``): the measures
    late even on their mode durations (the first five named; "at the teams' observed pace" when SPI
    calibrated them), else the lack of slack. Starts with a space (it follows the verdict)."""
    if forecast.p80_end is None or round(forecast.on_time_probability * 100) != 0:
        return ""
    text = _text(lang)
    late = forecast.late_without_spread
    if not late:
        return text["verdict_no_slack"].format(runs=format_number(forecast.simulations, lang, 0))
    ids = ", ".join(late[:5])
    if len(late) > 5:
        ids = text["more"].format(ids=ids, n=len(late) - 5)
    pace = text["pace"] if forecast.calibration else ""
    return text["verdict_late_one" if len(late) == 1 else "verdict_late_many"].format(n=len(late), ids=ids, pace=pace)


def _why_plan_late(forecast: Forecast, lang: str) -> str:
    """Why no run ends the scheduled measures on time: those late even on their mode durations (at
    the teams' observed pace when the durations are calibrated by SPI), else no slack."""
    text = _text(lang)
    planned = forecast.measures.set_index("id")["planned_end"]
    late = [i for i in forecast.late_without_spread if i in planned.index and planned[i] is not None]
    if not late:
        return text["plan_no_slack"]
    pace = text["pace"] if forecast.calibration else ""
    return text["plan_late_one" if len(late) == 1 else "plan_late_many"].format(n=len(late), pace=pace)


def add_forecast_band(fig: go.Figure, band: pd.DataFrame, *, lang: str = "fr") -> go.Figure:
    """Draw the forecast's P10–P90 band (columns ``date``, ``p10``, ``p50``, ``p90`` of
    :attr:`Forecast.band`) under the lines of :func:`roadmap.charts.trajectory_figure`; returns ``fig``."""
    text = _text(lang)
    colour = "rgba(0, 114, 178, 0.18)"
    under = [
        go.Scatter(
            x=band["date"],
            y=band["p10"],
            mode="lines",
            line={"width": 0, "shape": "hv"},
            showlegend=False,
            hoverinfo="skip",
        ),
        go.Scatter(
            x=band["date"],
            y=band["p90"],
            mode="lines",
            line={"width": 0, "shape": "hv"},
            fill="tonexty",
            fillcolor=colour,
            name=text["band"],
            customdata=hover_days(band["date"], lang),
            hovertemplate="P90 %{customdata}: %{y:.1f}<extra></extra>",
        ),
        go.Scatter(
            x=band["date"],
            y=band["p50"],
            mode="lines",
            name=text["band_median"],
            line={"width": 1.5, "shape": "hv", "dash": "dot", "color": "#0072B2"},
            customdata=hover_days(band["date"], lang),
            hovertemplate="P50 %{customdata}: %{y:.1f}<extra></extra>",
        ),
    ]
    shown = [x for trace in fig.data for x in (trace.x if trace.x is not None else ())]
    fig.add_traces(under)
    fig.data = fig.data[-3:] + fig.data[:-3]  # the band under the lines
    fig.update_xaxes(**date_axis([*shown, *band["date"]], lang))  # labels over the band's dates too
    return fig


def why_text(why: MeasureWhy, *, lang: str = "fr") -> str:
    """One scheduled measure's "why": what holds it, what it is worth, what it unlocks."""
    text = _text(lang)
    hold = why.held_by
    if hold.kind == "none" or hold.until is None:
        sentence = text["held_none"]
    else:
        sentence = text[f"held_{hold.kind}"].format(by=hold.by, until=format_day(hold.until, lang))
    sentence += text["value"].format(value=format_number(why.value_per_person_day, lang))
    if why.unlocks:
        sentence += text["unlocks"].format(ids=", ".join(why.unlocks))
    return sentence


def would_take_text(take: DeferredWhy, *, lang: str = "fr") -> str:
    """What it would take to bring a deferred measure in, as a sentence."""
    text = _text(lang)
    if take.kind == "capacity":
        return text["take_capacity"].format(
            pd=format_number(take.person_days or 0, lang),
            team=take.team,
            days=take.working_days,
            spare=format_number(take.spare_person_days or 0, lang),
        )
    if take.kind in ("prerequisite", "blocked") and take.first:
        return text["take_prerequisite"].format(ids=", ".join(take.first))
    if take.kind == "blocked":
        return text["take_blocked"]
    return text["take_too_long"].format(crew=take.crew_needed, weeks=take.horizon_weeks_needed)


def why_column(explanation: Explanation, ids: pd.Series, *, lang: str = "fr") -> pd.Series:
    """The "Pourquoi ?" column for a schedule table's ``id`` column: :func:`why_text` for a
    scheduled measure, :func:`would_take_text` for a deferred one, empty otherwise."""

    def one(ident: object) -> str:
        key = str(ident)
        if key in explanation.measures:
            return why_text(explanation.measures[key], lang=lang)
        if key in explanation.deferred:
            return would_take_text(explanation.deferred[key], lang=lang)
        return ""

    return ids.map(one)


def bottleneck_frame(explanation: Explanation, *, lang: str = "fr") -> pd.DataFrame:
    """Per sprint, the bottleneck team, its planned share of capacity and every team's share.

    Returns:
        DataFrame with columns ``sprint`` (int), ``bottleneck`` (team or empty), ``load`` (the
        bottleneck's share, 0–1) and ``teams`` (text: each team and its share, busiest first).
    """
    rows = []
    for s in explanation.sprints:
        ranked = sorted(s.load.items(), key=lambda item: (-item[1], item[0]))
        rows.append(
            {
                "sprint": s.index,
                "bottleneck": s.bottleneck or "",
                "load": s.load.get(s.bottleneck, 0.0) if s.bottleneck else 0.0,
                "teams": " · ".join(f"{team} {format_percent(share, lang)}" for team, share in ranked),
            }
        )
    return pd.DataFrame(rows, columns=["sprint", "bottleneck", "load", "teams"])
