"""Risques — heat maps (inherent, now, end of plan), each risk's trajectory, measure ↔ risk traceability."""

import pandas as pd
import streamlit as st

from app_pages.context import require_analysis
from app_pages.grid import show_table
from app_pages.translation import _, language, ngettext, number, statuses
from roadmap.charts import heat_map_figure, plotly_text, trajectory_figure
from roadmap.risk import baseline_finish, completions_at, heat_map, risk_table, risk_trajectory

analysis = require_analysis(st.session_state["context"])
roadmap, plan = analysis.roadmap, analysis.plan
settings = roadmap.settings
lang = language()
if not roadmap.risks:
    st.title(_("Risks"))
    st.info(
        _("The workbook has no Risks sheet: add one (ID, Scenario, Likelihood, Severity) to see the residual risk.")
    )
    st.stop()

st.title(_("Risks"))
maps = st.columns(3)
maps[0].plotly_chart(heat_map_figure(heat_map(roadmap), when="inherent", lang=lang), key="heat_inherent")
maps[1].plotly_chart(
    heat_map_figure(heat_map(roadmap, completions_at(roadmap, None)), when="now", lang=lang), key="heat_now"
)
maps[2].plotly_chart(
    heat_map_figure(heat_map(roadmap, completions_at(roadmap, plan.end, plan.finish_dates())), when="end", lang=lang),
    key="heat_end",
)
st.caption(
    _(
        "EBIOS RM scales: likelihood L1 unlikely → L4 almost certain; severity S1 minor → S4 critical. Measures "
        "lower the likelihood: a risk sits at likelihood × Π(1 − effectiveness), rounded up to the next level; "
        "the severity does not change."
    )
)

st.subheader(_("Risk by risk"))
table = risk_table(roadmap, horizon_end=plan.end, plan_finish=plan.finish_dates(), lang=lang)
show_table(
    table,
    key="risk_table",
    digits={"inherent": 0, "likelihood": 0, "severity": 0},
    column_config={
        "id": _("ID"),
        "scenario": st.column_config.TextColumn(_("Scenario"), width="large"),
        "likelihood": st.column_config.NumberColumn(_("L"), help=_("Likelihood (1–4)")),
        "severity": st.column_config.NumberColumn(_("S"), help=_("Severity (1–4)")),
        "inherent": st.column_config.NumberColumn(_("Initial")),
        "now": st.column_config.NumberColumn(_("Now")),
        "end_of_plan": st.column_config.NumberColumn(_("End of plan")),
        "level_now": _("Level now"),
        "level_end": _("Level at the end of the plan"),
        "target": _("Target"),
        "above_target": st.column_config.CheckboxColumn(_("Above target")),
    },
)
above = int(table["above_target"].sum())
st.caption(
    ngettext(
        "{count} risk above its target level today.", "{count} risks above their target level today.", above
    ).format(count=above)
)

chosen = st.selectbox(
    _("One risk's trajectory"),
    table["id"],
    key="risk_choice",
    format_func=lambda r: f"{r} — {table.set_index('id').loc[r, 'scenario']}",
)
scenarios = {"baseline": baseline_finish(roadmap, start=plan.start), "optimised": plan.finish_dates()}
single = risk_trajectory(roadmap, start=plan.start, end=plan.end, scenarios=scenarios, risk_id=chosen)
figure = trajectory_figure(single, lang=lang)
figure.update_layout(title={"text": _("Residual risk of {risk}").format(risk=plotly_text(chosen))})
figure.update_yaxes(title=_("Residual score (1 to 16)"))
st.plotly_chart(figure, key="risk_trajectory")

st.subheader(_("Measure ↔ risk traceability"))
finish = plan.finish_dates()
labels = statuses()
risk_col, measure_col, effect_col, finish_col = _("Risk"), _("Measure"), _("Effectiveness"), _("Planned finish")
show_table(
    pd.DataFrame(
        [
            (
                link.risk_id,
                m.id,
                m.title,
                link.effectiveness,
                labels[m.status],
                pd.Timestamp(finish[m.id]) if m.id in finish else pd.NaT,
            )
            for m in roadmap.measures
            for link in m.mitigates
        ],
        columns=[risk_col, measure_col, _("Title"), effect_col, _("Status"), finish_col],
    ).sort_values([risk_col, measure_col]),
    key="traceability",
    percents=[effect_col],
)
st.caption(
    _("Total residual risk: {now} today, {end} at the end of the plan.").format(
        now=number(analysis.risk.now), end=number(analysis.risk.end_of_plan)
    )
)
