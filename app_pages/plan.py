"""Plan — the sprint plan in detail, how it compares, what it would take, and what-if on capacity."""

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis
from app_pages.forecasting import explanation
from app_pages.solving import cached_analysis, refining_notice
from app_pages.tables import show_table
from app_pages.translation import _, language, md, number, percent, reasons, statuses
from roadmap import schedule_table
from roadmap.charts import gantt_figure
from roadmap.forecast_text import bottleneck_frame, why_column
from roadmap.wording import crashing_text, planner_quality

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
st.write(md(crashing_text(analysis, lang=lang)))

with st.expander(_("What if… (team capacity)"), icon=":material/tune:"):
    team_col, fte_col, avail_col, extra_col = (
        _("Team"),
        _("FTE"),
        _("Availability (%)"),
        _("Reinforcement (person-days/week)"),
    )
    teams = pd.DataFrame(
        [(t.name, t.fte, 100 * t.availability, t.reinforcement) for t in roadmap.teams],
        columns=[team_col, fte_col, avail_col, extra_col],
    )
    edited = st.data_editor(
        teams,
        hide_index=True,
        disabled=[team_col],
        key="whatif_teams",
        column_config={
            fte_col: st.column_config.NumberColumn(min_value=0.1, max_value=500, step=0.1),
            avail_col: st.column_config.NumberColumn(min_value=0, max_value=100, step=5),
            extra_col: st.column_config.NumberColumn(min_value=0, max_value=500, step=0.5),
        },
    )
    original = {t.name: (t.fte, t.availability, t.reinforcement) for t in roadmap.teams}
    rows = [
        (row[team_col], float(row[fte_col]), float(row[avail_col]) / 100, float(row[extra_col]))
        for row in edited.to_dict("records")
    ]
    changed = tuple(r for r in rows if r[1:] != original[r[0]])
    if changed and context.options:
        start, horizon, sprint, time_limit = context.options
        whatif, refining = cached_analysis(
            context.data, context.name, start, horizon, sprint, time_limit, changed, mapping=context.mapping
        )
        if context.refining is None:  # one notice (and one reload) at a time
            refining_notice(refining)
        cols = st.columns(3)
        cols[0].metric(
            _("Cumulative exposure"),
            number(whatif.exposure["optimised"], 0),
            delta=number(whatif.exposure["optimised"] - analysis.exposure["optimised"], 0),
            delta_color="inverse",
        )
        cols[1].metric(
            _("Deferred measures"),
            len(whatif.plan.deferred),
            delta=len(whatif.plan.deferred) - len(analysis.plan.deferred),
            delta_color="inverse",
        )
        cols[2].metric(
            _("End-of-plan risk"),
            number(whatif.risk.end_of_plan),
            delta=number(whatif.risk.end_of_plan - analysis.risk.end_of_plan),
            delta_color="inverse",
        )
        st.caption(md(crashing_text(whatif, lang=lang)))
    else:
        st.caption(_("Change a team's FTE, availability or reinforcement to see the effect on the plan."))

st.subheader(_("The plan in detail"))
st.plotly_chart(gantt_figure(roadmap, analysis.plan, lang=lang), key="plan_gantt")
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
        "remaining": st.column_config.TextColumn(_("Remaining (person-days)"), alignment="right"),
        "start": _("Start"),
        "end": _("End"),
        "sprint": st.column_config.TextColumn(_("Sprint"), alignment="right"),
        "crew": st.column_config.TextColumn(_("People"), alignment="right"),
        "duration": st.column_config.TextColumn(_("Working days"), alignment="right"),
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
    loads["load"] = loads["load"].map(percent)  # the grid's own percent reads 0.8 to a screen reader
    show_table(
        loads,
        key="sprint_bottleneck",
        column_config={
            "sprint": st.column_config.TextColumn(_("Sprint"), alignment="right"),
            "bottleneck": _("Bottleneck"),
            "load": st.column_config.TextColumn(_("Bottleneck load"), alignment="right"),
            "teams": st.column_config.TextColumn(_("Every team"), width="large"),
        },
    )
