"""Tableau de bord — the director's weekly view: on track or not, residual risk, what to decide."""

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis, tracking
from app_pages.forecasting import forecast
from app_pages.tables import blocked_frame, deferred_frame, late_frame, show_table
from app_pages.translation import _, day, language, md, ngettext, number, percent
from roadmap.analysis import programme_status
from roadmap.charts import burn_up_figure, burnup_figure, domain_progress_figure, gantt_figure, trajectory_figure
from roadmap.forecast_text import add_forecast_band, verdict_text
from roadmap.wording import crashing_text

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk
lang = language()
status = programme_status(analysis)
track = tracking(context)
report = track.report if track is not None else None

st.title(md(roadmap.settings.establishment) if roadmap.settings.establishment else _("Security hardening programme"))
st.caption(
    _(
        "Compressed plan from {start} to {end}: {sprints} sprints, {days} working days (public holidays "
        "excluded). Workbook: {name}."
    ).format(
        start=day(plan.start), end=day(plan.end), sprints=len(plan.sprints), days=len(plan.days), name=md(context.name)
    )
)

verdict = st.empty()  # filled last: the simulation runs after the rest of the page is drawn
if status.above_target:
    st.error(
        ngettext(
            "**Red: {count} risk stays above its target level** at the end of the plan ({ids}).",
            "**Red: {count} risks stay above their target level** at the end of the plan ({ids}).",
            len(status.above_target),
        ).format(count=len(status.above_target), ids=md(", ".join(status.above_target))),
        icon=":material/error:",
    )
if plan.deferred:
    count = len(plan.deferred)
    st.warning(
        ngettext(
            "**{count} measure does not fit in the horizon** with today's capacity: a decision is needed "
            "(reinforcement, trade-off or accepted deferral). ",
            "**{count} measures do not fit in the horizon** with today's capacity: a decision is needed "
            "(reinforcement, trade-off or accepted deferral). ",
            count,
        ).format(count=count)
        + md(crashing_text(analysis, lang=lang)),
        icon=":material/warning:",
    )
elif not status.above_target:
    st.success(_("Every non-blocked measure fits in the horizon with today's capacity."))
if report is not None:
    behind = report.spi is not None and report.spi < 0.95
    (st.warning if behind else st.info)(
        _(
            "Against the plan frozen on {frozen}: earned value {ev} of {pv} person-days planned (SPI {spi}), "
            "forecast end {forecast}; {late} late."
        ).format(
            frozen=day(track.plan.frozen_at.date()),
            ev=number(report.ev),
            pv=number(report.pv),
            spi="–" if report.spi is None else number(report.spi, 2),
            forecast="–" if report.forecast_end is None else day(report.forecast_end),
            late=ngettext("{count} measure", "{count} measures", len(report.late)).format(count=len(report.late)),
        ),
        icon=":material/schedule:",
    )

cards = st.columns(5)
cards[0].metric(
    _("Measures done"),
    f"{analysis.measures_done} / {analysis.measures_counted}",
    border=True,
    help=_("Measures with status “Done” out of all measures, cancelled measures excepted."),
)
cards[1].metric(
    _("Effort done"),
    percent(analysis.effort_done_share),
    border=True,
    help=_("Share of the total effort (person-days) already done, progress included."),
)
cards[2].metric(
    _("Residual risk now"),
    number(risk.now),
    delta=_("{change} vs initial ({initial})").format(
        change=number(risk.now - risk.inherent), initial=number(risk.inherent)
    ),
    delta_color="inverse",
    border=True,
    help=_(
        "Sum of the residual scores: likelihood × severity × Π(1 − effectiveness of the measures done), "
        "from 1 to 16 per risk."
    ),
)
cards[3].metric(
    _("End-of-plan risk"),
    number(risk.end_of_plan),
    delta=_("{change} vs now").format(change=number(risk.end_of_plan - risk.now)),
    delta_color="inverse",
    border=True,
    help=_("If the compressed plan is kept, on {date}.").format(date=day(plan.end)),
)
cards[4].metric(
    _("With the original plan"),
    number(risk.baseline_at_horizon),
    delta=_("{change} vs compressed").format(change=number(risk.baseline_at_horizon - risk.end_of_plan, 0)),
    delta_color="inverse",
    border=True,
    help=_("Residual risk on {date} if the original 3-year plan were followed.").format(date=day(plan.end)),
)

blocked = blocked_frame(roadmap)
more = st.columns(4)
more[0].metric(
    _("Schedule performance (SPI)"),
    "–" if report is None or report.spi is None else number(report.spi, 2),
    border=True,
    help=_("Earned value / planned value against the frozen plan (PMBOK); below 1, behind schedule."),
)
more[1].metric(_("Late measures"), "–" if report is None else len(report.late), border=True)
more[2].metric(_("Blocked measures"), len(blocked), border=True)
more[3].metric(
    _("Above target at the end of the plan"),
    len(status.above_target),
    border=True,
    help=_("Risks whose residual level at the end of the plan stays above the target level set in the workbook."),
)

left, right = st.columns(2)
shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
if track is not None:
    shown = pd.concat([shown, track.actual], ignore_index=True)
with left:
    trajectory_slot = st.empty()
trajectory_slot.plotly_chart(trajectory_figure(shown, lang=lang), key="trajectory")
if report is not None:
    right.plotly_chart(burn_up_figure(report.burn_up, lang=lang), key="burn_up")
else:
    right.plotly_chart(burnup_figure(roadmap, plan, lang=lang), key="burn_up")

left, right = st.columns(2)
left.plotly_chart(domain_progress_figure(roadmap, plan, lang=lang), key="domains")
with right:
    st.subheader(_("Late or blocked"))
    if report is not None and report.late and track is not None and track.plan is not None:
        st.caption(_("Late: planned end passed, not done."))
        show_table(late_frame(track.plan, track.current, report.late), key="late", digits={_("Progress (%)"): 0})
    if not blocked.empty:
        st.caption(_("Blocked: waiting for something outside the team."))
        show_table(blocked, key="blocked")
    if blocked.empty and (report is None or not report.late):
        st.info(_("Nothing late or blocked."))

st.subheader(_("Deferred measures: a decision is needed"))
if plan.deferred:
    show_table(
        deferred_frame(roadmap, plan),
        height=36 * (len(plan.deferred) + 1) + 3,
        key="deferred",
        column_config={
            _("Measure"): st.column_config.TextColumn(width="large"),
            _("Detail"): st.column_config.TextColumn(width="large"),
        },
    )
else:
    st.info(_("No deferred measure: everything that is not blocked fits in the horizon."))

st.plotly_chart(gantt_figure(roadmap, plan, lang=lang), key="gantt")

outlook = forecast(context, track)
if outlook is not None:
    verdict.info(md(verdict_text(outlook, lang=lang, scheduled=len(plan.scheduled))), icon=":material/casino:")
    trajectory_slot.plotly_chart(
        add_forecast_band(trajectory_figure(shown, lang=lang), outlook.band, lang=lang), key="trajectory_band"
    )
