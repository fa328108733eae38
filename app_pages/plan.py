"""Plan — how the plans compare, what it would take, capacity scenarios, the sprint plan in detail."""

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis, tracking
from app_pages.forecasting import explanation
from app_pages.grid import show_table
from app_pages.scenarios import editor, gantt_choice, settings_rates
from app_pages.translation import _, language, md, reasons, statuses
from roadmap import schedule_table
from roadmap.forecast_text import bottleneck_frame, why_column
from roadmap.gantt import gantt_figure
from roadmap.wording import crashing_text, fte_note, planner_quality

context = st.session_state["context"]
analysis = require_analysis(context)
roadmap = analysis.roadmap
lang = language()

st.title(_("Sprint plan"))
st.subheader(_("Plans compared"))
st.caption(md(planner_quality(analysis.solver, lang=lang)))
done = analysis.done_by_horizon
exposure_col = _("Cumulative exposure (risk·days)")
show_table(
    pd.DataFrame(
        [
            (label, analysis.exposure[key], done[key])
            for key, label in (
                ("optimised", _("Compressed plan (optimised)")),
                ("greedy", _("Greedy compression (risk per day)")),
                ("naive", _("Naive compression (original plan order)")),
                ("baseline", _("Original 3-year plan")),
            )
        ],
        columns=[_("Plan"), exposure_col, _("Measures done at the end of the horizon")],
    ),
    key="comparison",
    digits={exposure_col: 0},
)

st.subheader(_("What it would take to finish everything"))
st.write(md(crashing_text(analysis, lang=lang, daily_rates=settings_rates())))
st.caption(md(fte_note(analysis, lang=lang)))

st.subheader(_("Capacity scenarios"))
st.caption(
    _(
        "Try a capacity (FTE, availability, reinforcement in person-days per week), compare it with today's plan, "
        "save it under a name: it can then be shown on the Gantt and put in the board's deck."
    )
)
edited = editor(context, analysis)

st.subheader(_("The plan in detail"))
shown = gantt_choice(context, edited)
track = tracking(context)  # as on the dashboard: the "as of" line and the late measures of the history
report = track.report if track is not None else None
as_of = report.as_of if report is not None else analysis.plan.start
late = report.late if report is not None else ()
drawn = analysis if shown is None else shown.analysis
st.plotly_chart(gantt_figure(drawn.roadmap, drawn.plan, lang=lang, today=as_of, late=late), key="plan_gantt")
if shown is not None:
    st.caption(_("The Gantt shows the scenario; the table below is today's plan."))
table = schedule_table(roadmap, analysis.plan)
table["status"] = table["status"].map(statuses())
why = reasons()
table["deferral"] = table["deferral"].map(lambda r: why.get(r, ""))
explained = explanation(context)
table["why"] = why_column(explained, table["id"], lang=lang) if explained is not None else ""
chosen = st.multiselect(_("Teams"), sorted(table["team"].unique()), key="plan_teams", placeholder=_("All teams"))
if chosen:
    table = table[table["team"].isin(chosen)]
show_table(
    table[
        [
            "id",
            "title",
            "why",
            "team",
            "sprint",
            "start",
            "end",
            "deferral",
            "priority",
            "remaining",
            "crew",
            "duration",
            "status",
            "domain",
        ]
    ],
    height=600,
    key="plan_table",
    column_config={
        "id": _("ID"),
        "title": st.column_config.TextColumn(_("Measure"), width="medium"),
        "domain": _("Domain"),
        "team": _("Team"),
        "priority": _("Priority"),
        "status": _("Status"),
        "remaining": st.column_config.NumberColumn(_("Remaining (person-days)")),
        "start": _("Start"),
        "end": _("End"),
        "sprint": st.column_config.NumberColumn(_("Sprint")),
        "crew": st.column_config.NumberColumn(_("People")),
        "duration": st.column_config.NumberColumn(_("Working days")),
        "deferral": _("Deferral"),
        "why": st.column_config.TextColumn(_("Why?"), width="large"),
    },
)

if explained is not None:
    st.subheader(_("Team load per sprint and bottleneck"))
    st.caption(
        _(
            "Share of each team's capacity planned in each sprint; the bottleneck is the busiest team "
            "(on a tie, the one with the most work still to come)."
        )
    )
    loads = bottleneck_frame(explained, lang=lang)
    show_table(
        loads,
        key="sprint_bottleneck",
        percents=["load"],
        column_config={
            "sprint": st.column_config.NumberColumn(_("Sprint")),
            "bottleneck": _("Bottleneck"),
            "load": st.column_config.NumberColumn(_("Bottleneck load")),
            "teams": st.column_config.TextColumn(_("Every team"), width="large"),
        },
    )
