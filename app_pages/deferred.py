"""The dashboard's deferred measures (helpers, not a page): a few figures and the ten worth the most,
the full list in a collapsed expander at a fixed height, so that 75 deferred measures do not make the
page thousands of pixels tall; and the column widths of the late and blocked tables."""

from __future__ import annotations

import streamlit as st

from app_pages.grid import show_table
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
    names = {
        "id": _("ID"),
        "title": _("Measure"),
        "team": _("Team"),
        "priority": _("Priority"),
        "reason": _("Reason"),
        "person_days": _("Effort (person-days)"),
        "risk_points": _("Risk removed (points)"),
    }
    show_table(
        top[list(names)].rename(columns=names),
        key="deferred_top",
        digits={names["person_days"]: 1, names["risk_points"]: 2},
        column_config={
            names["id"]: st.column_config.TextColumn(width=75),
            names["title"]: st.column_config.TextColumn(width=360),
            names["team"]: st.column_config.TextColumn(width=180),
            names["priority"]: st.column_config.TextColumn(width=70),
            names["reason"]: st.column_config.TextColumn(width=190),
            names["person_days"]: st.column_config.NumberColumn(width=110),
            names["risk_points"]: st.column_config.NumberColumn(width=160),
        },
    )
    label = ngettext("All {count} deferred measure, with why", "All {count} deferred measures, with why", summary.count)
    with st.expander(md(label.format(count=summary.count)), icon=":material/list:"):
        show_table(
            deferred_frame(roadmap, plan),
            height=FULL_LIST_HEIGHT,
            key="deferred",
            column_config={
                _("Measure"): st.column_config.TextColumn(width="large"),
                _("Detail"): st.column_config.TextColumn(width="large"),
            },
        )


def late_columns() -> dict[str, object]:
    """Column widths (pixels) and alignment of the late and blocked tables (their cells formatted by
    :func:`app_pages.grid.show_table`): ID, team, planned end and days
    late first and narrow, so that they stay in view in half the page's width (1440 px screen), the
    title after them."""
    return {
        _("ID"): st.column_config.TextColumn(width=70),
        _("Team"): st.column_config.TextColumn(width=125),
        _("Planned end"): st.column_config.DateColumn(width=100),
        _("Days late"): st.column_config.NumberColumn(width=100),
        _("Measure"): st.column_config.TextColumn(width="medium"),
        _("Status"): st.column_config.TextColumn(width="small"),
        _("Progress (%)"): st.column_config.NumberColumn(width="small"),
        _("Note"): st.column_config.TextColumn(width="medium"),
    }
