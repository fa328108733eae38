"""Historique — snapshots of the workbook, the frozen plan, earned value (PMBOK) and the audit log."""

import datetime as dt

import streamlit as st

from app_pages.access import can_edit
from app_pages.audit import show_audit_log
from app_pages.context import history_engine, require_analysis, source_name
from app_pages.deferred import late_columns
from app_pages.grid import show_table
from app_pages.import_steps import snapshot_deletion
from app_pages.tables import group_frame, late_frame, snapshots_frame
from app_pages.translation import _, day, language, md, ngettext, number
from roadmap import RoadmapError, freeze_plan, latest_frozen_plan, progress_report, snapshots
from roadmap.charts import burn_up_figure, trajectory_figure
from roadmap.progress import residual_comparison, snapshot_at
from roadmap.store.database import database_url
from roadmap.store.snapshots import sources

context = st.session_state["context"]
analysis = require_analysis(context)
lang = language()
st.title(_("History"))
try:
    engine = history_engine(database_url(), context=context)
    names = sources(engine)
except RoadmapError as exc:
    st.error(_("History unavailable: {error}").format(error=md(exc)))
    st.stop()
current = source_name(context)
if len(names) > 1:
    st.subheader(_("Establishments compared"))
    show_table(group_frame(engine, names), key="group", digits={_("SPI"): 2})
choices = sorted({*names, current})
source = st.selectbox(_("Establishment"), choices, index=choices.index(current), key="history_source")

actor = st.session_state["user"]
if can_edit():
    with st.expander(_("Freeze the current plan as the baseline"), icon=":material/lock:"):
        st.write(
            _(
                "The compressed plan of the workbook in use ({name}, {start} → {end}) becomes the baseline of "
                "“{source}”; progress will be compared with it."
            ).format(
                name=md(context.name), start=day(analysis.plan.start), end=day(analysis.plan.end), source=md(current)
            )
        )
        if st.button(_("Freeze the current plan as the baseline"), key="freeze", type="primary"):
            try:
                version = freeze_plan(engine, current, analysis, by=actor, at=dt.datetime.now(dt.UTC))
                st.success(
                    _("Plan frozen: version {version}, by {who}.").format(version=version.id, who=md(version.frozen_by))
                )
            except RoadmapError as exc:
                st.error(md(exc))

history = snapshots(engine, source)
snapshot_deletion(engine, source, history)  # a trial import recorded by mistake leaves the history here
plan = latest_frozen_plan(engine, source)
if not history or plan is None:
    st.info(
        (_("“{source}” has no snapshot yet.") if not history else _("“{source}” has no frozen plan yet.")).format(
            source=md(source)
        )
        + " "
        + _(
            "Record the workbook every week (“Save to history” on the Data page, or "
            "`python -m roadmap snapshot WORKBOOK`) and freeze the plan above."
        )
    )
    show_audit_log(engine)
    st.stop()

report = progress_report(plan, history)
st.caption(
    ngettext(
        "{count} snapshot from {first} to {last}; ",
        "{count} snapshots from {first} to {last}; ",
        len(history),
    ).format(count=len(history), first=day(history[0].taken_at), last=day(history[-1].taken_at))
    + _("baseline plan: version {version}, frozen on {date} by {who}. Situation on {as_of}.").format(
        version=plan.id, date=day(plan.frozen_at.date()), who=plan.frozen_by, as_of=day(report.as_of)
    )
)
cards = [*st.columns(3), *st.columns(3)]  # three a row: the labels and the forecast date whole
cards[0].metric(
    _("Planned value, PV (person-days)"),
    number(report.pv),
    border=True,
    help=_("Effort planned before this day."),
)
cards[1].metric(
    _("Earned value, EV (person-days)"),
    number(report.ev),
    border=True,
    help=_("Σ effort × progress."),
)
cards[2].metric(
    _("SPI"),
    "–" if report.spi is None else number(report.spi, 2),
    border=True,
    help=_("Schedule performance index EV / PV (PMBOK): below 1, the programme is behind schedule."),
)
cards[3].metric(
    _("Forecast end"),
    "–" if report.forecast_end is None else day(report.forecast_end),
    delta=None
    if report.forecast_end is None
    else _("{days} d vs plan").format(days=f"{(report.forecast_end - plan.end).days:+d}"),
    delta_color="inverse",
    border=True,
    help=_("Start + planned duration / SPI."),
)
cards[4].metric(_("Late measures"), len(report.late), border=True, help=_("Planned end passed, not done."))

left, right = st.columns(2)
left.plotly_chart(burn_up_figure(report.burn_up, lang=lang), key="burn_up")
at_freeze = snapshot_at(history, plan.start) or history[0]
right.plotly_chart(trajectory_figure(residual_comparison(plan, at_freeze.roadmap, history), lang=lang), key="actual")

st.subheader(_("Late measures"))
current_state = snapshot_at(history, report.as_of)
show_table(
    late_frame(plan, current_state, report.late, as_of=report.as_of),
    key="late",
    digits={_("Progress (%)"): 0, _("Days late"): 0},
    column_config=late_columns(),
)
st.subheader(_("Snapshots"))
show_table(snapshots_frame(history), key="snapshots")
show_audit_log(engine)
