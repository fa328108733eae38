"""The dashboard's deferred measures (helpers, not a page): a few figures and the ten worth the most,
the full list in a collapsed expander at a fixed height, so that 75 deferred measures do not make the
page thousands of pixels tall; and the column widths of the late and blocked tables."""

from __future__ import annotations

import streamlit as st

from app_pages.tables import deferred_frame
from app_pages.translation import _, md, ngettext, number, reasons
from roadmap import Plan, Roadmap
from roadmap.deferral import deferred_summary

FULL_LIST_HEIGHT = 420
"""Height of the full list's table in pixels (it scrolls inside)."""


def deferred_section(roadmap: Roadmap, plan: Plan) -> None:
    """Count, remaining person-days, residual risk left on the table (:mod:`roadmap.deferral`), the top
    ten by value, then every deferred measure with its reason in an expander."""
    summary = deferred_summary(roadmap, plan)
    sentence = ngettext(
        "**{count} deferred measure**, {days} person-days of work",
        "**{count} deferred measures**, {days} person-days of work",
        summary.count,
    ).format(count=summary.count, days=number(summary.person_days, 0))
    if roadmap.risks:
        sentence += _(
            ": done, they would lower the end-of-plan residual risk by {points} points; each month they wait "
            "keeps {risk_days} risk-days of exposure."
        ).format(points=number(summary.risk_points), risk_days=number(summary.risk_days_per_month, 0))
    else:
        sentence += "."
    st.markdown(sentence)
    why = reasons()
    top = summary.top.assign(reason=[why[r] for r in summary.top["reason"]])
    st.caption(
        _("The {count} worth the most (residual risk they would remove):").format(count=len(top))
        if roadmap.risks
        else _("The first {count}, by priority:").format(count=len(top))
    )
    st.dataframe(
        top[["id", "title", "team", "priority", "reason", "person_days", "risk_points"]],
        hide_index=True,
        key="deferred_top",
        column_config={
            "id": st.column_config.TextColumn(_("ID"), width=75),
            "title": st.column_config.TextColumn(_("Measure"), width=360),
            "team": st.column_config.TextColumn(_("Team"), width=180),
            "priority": st.column_config.TextColumn(_("Priority"), width=70),
            "reason": st.column_config.TextColumn(_("Reason"), width=190),
            "person_days": st.column_config.NumberColumn(_("Effort (person-days)"), format="%.1f", width=110),
            "risk_points": st.column_config.NumberColumn(_("Risk removed (points)"), format="%.2f", width=160),
        },
    )
    label = ngettext("All {count} deferred measure, with why", "All {count} deferred measures, with why", summary.count)
    with st.expander(md(label.format(count=summary.count)), icon=":material/list:"):
        st.dataframe(
            deferred_frame(roadmap, plan),
            hide_index=True,
            height=FULL_LIST_HEIGHT,
            key="deferred",
            column_config={
                _("Measure"): st.column_config.TextColumn(width="large"),
                _("Detail"): st.column_config.TextColumn(width="large"),
            },
        )


def late_columns() -> dict[str, object]:
    """Column widths (pixels) and formats of the late and blocked tables: ID, team, planned end and days
    late first and narrow, so that they stay in view in half the page's width (1440 px screen), the
    title after them."""
    return {
        _("ID"): st.column_config.TextColumn(width=70),
        _("Team"): st.column_config.TextColumn(width=125),
        _("Planned end"): st.column_config.DateColumn(format="DD/MM/YYYY", width=90),
        _("Days late"): st.column_config.NumberColumn(format="%d", width=105),
        _("Measure"): st.column_config.TextColumn(width="medium"),
        _("Status"): st.column_config.TextColumn(width="small"),
        _("Progress (%)"): st.column_config.NumberColumn(format="%d", width="small"),
        _("Note"): st.column_config.TextColumn(width="medium"),
    }
