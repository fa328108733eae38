"""Tableau de bord — the director's weekly view: on track or not, residual risk, what to decide."""

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis, source_name, tracking
from app_pages.deferred import deferred_section, late_columns
from app_pages.forecasting import forecast
from app_pages.grid import show_table
from app_pages.scenarios import settings_rates
from app_pages.tables import blocked_frame, late_frame, overdue_frame
from app_pages.translation import _, day, language, md, ngettext, number, percent
from roadmap.analysis import programme_status
from roadmap.charts import burn_up_figure, burnup_figure, domain_progress_figure, trajectory_figure
from roadmap.forecast_text import add_forecast_band, verdict_text
from roadmap.gantt import gantt_figure
from roadmap.wording import crashing_text

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap, plan, risk = analysis.roadmap, analysis.plan, analysis.risk
lang = language()
track = tracking(context)
report = track.report if track is not None else None
status = programme_status(analysis, report)

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
if not roadmap.risks:
    st.warning(
        _(
            "**No risk register**: the workbook has no Risks sheet, so the residual risk is not calculated and "
            "the risk charts are not drawn. Add a Risks sheet (ID, Scenario, Likelihood, Severity) to see them."
        ),
        icon=":material/report:",
    )


def _measures(count: int) -> str:
    return ngettext("{count} measure", "{count} measures", count).format(count=number(count, 0))


OUTSIDE_VOCABULARY = {  # read with the field's default until the column mapping says what they mean
    "status": lambda n: ngettext(
        "**{count} status outside the vocabulary** ({rows}) is read as to do: say what it means "
        "in the column mapping of the Data page.",
        "**{count} statuses outside the vocabulary** ({rows}) are read as to do: say what each "
        "means in the column mapping of the Data page.",
        n,
    ),
    "priority": lambda n: ngettext(
        "**{count} priority outside the vocabulary** ({rows}) is read as P3: say what it means "
        "in the column mapping of the Data page.",
        "**{count} priorities outside the vocabulary** ({rows}) are read as P3: say what each "
        "means in the column mapping of the Data page.",
        n,
    ),
}
for field_name, words in OUTSIDE_VOCABULARY.items():
    if values := context.result.unknown_values.get(field_name):
        rows = _measures(sum(n for _value, n in values))
        st.warning(words(len(values)).format(count=len(values), rows=rows), icon=":material/rule:")
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
        + md(crashing_text(analysis, lang=lang, daily_rates=settings_rates())),
        icon=":material/warning:",
    )
elif not status.above_target:
    st.success(_("Every non-blocked measure fits in the horizon with today's capacity."))

workbook_date = track.workbook_as_of if track is not None else None
st.caption(
    _("From the workbook on screen ({name}), as it stood on {date}:").format(
        name=md(context.name), date=day(workbook_date)
    )
    if workbook_date is not None
    else _("From the workbook on screen ({name}), as loaded:").format(name=md(context.name))
)
# the late and blocked measures of one day: the history's against a frozen plan (as on the History
# page), else the workbook's
state = track.current.roadmap if report is not None and track is not None and track.current else roadmap
frozen_ends = {m.id: m.end for m in track.plan.measures} if report is not None and track and track.plan else None
blocked = blocked_frame(state, planned=frozen_ends, as_of=report.as_of if report is not None else None)
count = 2 + 4 * bool(roadmap.risks) + (report is None)
slot = iter([column for _row in range(-(-count // 3)) for column in st.columns(3)])  # three a row: labels whole
next(slot).metric(
    _("Measures done"),
    f"{number(analysis.measures_done, 0)} / {number(analysis.measures_counted, 0)}",
    border=True,
    help=_("Measures with status “Done” out of all measures, cancelled measures excepted."),
)
next(slot).metric(
    _("Effort done"),
    percent(analysis.effort_done_share),
    border=True,
    help=_("Share of the total effort (person-days) already done, progress included."),
)
if roadmap.risks:
    next(slot).metric(
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
    next(slot).metric(
        _("End-of-plan risk"),
        number(risk.end_of_plan),
        delta=_("{change} vs now").format(change=number(risk.end_of_plan - risk.now)),
        delta_color="inverse",
        border=True,
        help=_("If the compressed plan is kept, on {date}.").format(date=day(plan.end)),
    )
    next(slot).metric(
        _("With the original plan"),
        number(risk.baseline_at_horizon),
        delta=_("{change} with the compressed plan").format(
            change=number(risk.end_of_plan - risk.baseline_at_horizon, 0)
        ),
        delta_color="inverse",  # lower is better: the compressed plan's lower risk is good news, in green
        border=True,
        help=_(
            "Residual risk on {date} if the original 3-year plan were followed; below, how much lower the "
            "compressed plan brings it."
        ).format(date=day(plan.end)),
    )
    next(slot).metric(
        _("Above target"),
        number(len(status.above_target), 0),
        border=True,
        help=_("Risks whose residual level at the end of the plan stays above the target level set in the workbook."),
    )
if report is None:
    next(slot).metric(_("Blocked measures"), number(len(blocked), 0), border=True)
if report is not None and track is not None and track.as_of is not None:
    st.caption(
        _("From the history of “{source}”, on {date}:").format(source=md(source_name(context)), date=day(track.as_of))
    )
    if workbook_date != track.as_of:
        st.info(
            (
                _(
                    "The history is more recent than the workbook on screen ({history} against {workbook}): the "
                    "figures above come from the workbook, those below from the history. Load the latest workbook "
                    "to bring them together."
                )
                if workbook_date is not None and workbook_date < track.as_of
                else _(
                    "The workbook on screen is not in the history yet: the figures above are today's workbook, "
                    "those below the history's last snapshot ({history})."
                )
            ).format(history=day(track.as_of), workbook=day(workbook_date) if workbook_date else ""),
            icon=":material/event:",
        )
if report is not None and track is not None and track.plan is not None:
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
if report is not None:
    more = st.columns(4)
    more[0].metric(
        _("Schedule performance (SPI)"),
        "–" if report.spi is None else number(report.spi, 2),
        border=True,
        help=_("Earned value / planned value against the frozen plan (PMBOK); below 1, behind schedule."),
    )
    more[1].metric(
        _("Earned value (person-days)"),
        number(report.ev),
        delta=_("of {pv} planned").format(pv=number(report.pv)),
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=_("Σ effort × progress of the measures of the frozen plan, against the effort planned before this day."),
    )
    more[2].metric(_("Late measures"), number(len(report.late), 0), border=True)
    more[3].metric(_("Blocked measures"), number(len(blocked), 0), border=True)

left, right = st.columns(2)
shown = analysis.trajectory[analysis.trajectory["scenario"] != "greedy"]
if track is not None:
    shown = pd.concat([shown, track.actual], ignore_index=True)
trajectory_slot = left.empty() if roadmap.risks else None  # no risk register: no risk chart
if trajectory_slot is None:
    right = left
else:
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
        show_table(
            late_frame(track.plan, track.current, report.late, as_of=report.as_of),
            key="late",
            digits={_("Progress (%)"): 0, _("Days late"): 0},
            column_config=late_columns(),
        )
    overdue = overdue_frame(roadmap, plan)  # outlined in red on the Gantt too
    if not overdue.empty:
        st.caption(_("Planned to end after its due date: the due date cannot be met with today's capacity."))
        show_table(
            overdue,
            key="overdue",
            digits={_("Days late"): 0},
            column_config={**late_columns(), _("Due date"): st.column_config.DateColumn(width=100)},
        )
    if not blocked.empty:
        st.caption(_("Blocked: waiting for something outside the team."))
        show_table(blocked, key="blocked", digits={_("Days late"): 0}, column_config=late_columns())
    if blocked.empty and overdue.empty and (report is None or not report.late):
        st.info(_("Nothing late or blocked."))

st.subheader(_("Deferred measures: a decision is needed"))
if plan.deferred:
    deferred_section(roadmap, plan)
else:
    st.info(_("No deferred measure: everything that is not blocked fits in the horizon."))

late_now = report.late if report is not None else ()
as_of = report.as_of if report is not None else plan.start  # the Gantt's "as of" line
st.plotly_chart(gantt_figure(roadmap, plan, lang=lang, today=as_of, late=late_now), key="gantt")

outlook = forecast(context, track)
if outlook is not None:
    headline = verdict_text(outlook, lang=lang, details=False)
    with verdict.container():
        st.info(md(headline), icon=":material/casino:")
        with st.expander(_("How this forecast is made")):
            st.caption(md(verdict_text(outlook, lang=lang, scheduled=len(plan.scheduled)).removeprefix(headline)))
    if trajectory_slot is not None:
        trajectory_slot.plotly_chart(
            add_forecast_band(trajectory_figure(shown, lang=lang), outlook.band, lang=lang), key="trajectory_band"
        )
