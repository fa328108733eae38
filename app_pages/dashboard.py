"""Tableau de bord — the director's weekly view: on track or not, residual risk, what to decide."""

import streamlit as st

from app_pages.common import _, day, deferred_frame, language, md, ngettext, number, percent, require_analysis
from roadmap.charts import domain_progress_figure, gantt_figure, trajectory_figure
from roadmap.wording import crashing_text

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk
lang = language()

st.title(md(roadmap.settings.establishment) if roadmap.settings.establishment else _("Security hardening programme"))
st.caption(
    _(
        "Compressed plan from {start} to {end}: {sprints} sprints, {days} working days (public holidays "
        "excluded). Workbook: {name}."
    ).format(
        start=day(plan.start), end=day(plan.end), sprints=len(plan.sprints), days=len(plan.days), name=md(context.name)
    )
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
else:
    st.success(_("Every non-blocked measure fits in the horizon with today's capacity."))

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

left, right = st.columns([3, 2])
shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
left.plotly_chart(trajectory_figure(shown, lang=lang), key="trajectory")
right.plotly_chart(domain_progress_figure(roadmap, plan, lang=lang), key="domains")

st.subheader(_("Deferred measures: a decision is needed"))
if plan.deferred:
    st.dataframe(
        deferred_frame(roadmap, plan),
        hide_index=True,
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
