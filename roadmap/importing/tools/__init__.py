"""The exports of the tools hospital IT teams already use, read as those tools meant them.

Input: the tables of a file (:func:`roadmap.importing.tables.read_tables`). Output: a
:class:`~roadmap.importing.tools.common.ToolExport` when a sheet's headers are those of a GLPI, Jira or
MS Project / ProjectLibre export (French or English), else ``None``: the sheet's rows with the cells
rewritten in Rempart's terms (statuses, priorities, IDs, dates, efforts in person-days, domains,
prerequisites), the :class:`~roadmap.importing.mapping.ColumnMapping` that reads them, the
:class:`~roadmap.importing.tools.common.SourceTool` the Données page shows (which tool, what was
converted) and the warnings. :func:`roadmap.importing.load.load_workbook` then reads the table as
any mapped one, so every check of the format still runs. Errors: none raised; a cell that cannot
be converted is left as it is, for the loader to report.

Modules: :mod:`~roadmap.importing.tools.common` (the converter, the tools' dates),
:mod:`~roadmap.importing.tools.glpi`, :mod:`~roadmap.importing.tools.jira`,
:mod:`~roadmap.importing.tools.msproject` (one per tool: its headers, words and units). Durations
are :func:`roadmap.importing.durations.parse_duration`'s.
"""

from __future__ import annotations

from collections.abc import Mapping

from roadmap.importing.tables import Rows
from roadmap.importing.tools import common, glpi, jira, msproject
from roadmap.importing.tools.common import Conversion, SourceTool, ToolExport
from roadmap.importing.tools.jira import JIRA_DAY_HOURS

__all__ = ["JIRA_DAY_HOURS", "Conversion", "SourceTool", "ToolExport", "recognise_export"]


def recognise_export(tables: Mapping[str, Rows], *, jira_day_hours: float = JIRA_DAY_HOURS) -> ToolExport | None:
    """The first sheet of ``tables`` whose headers are a tool's export, made readable; else ``None``.

    Args:
        tables: sheet name → rows, as :func:`roadmap.importing.tables.read_tables` returns them.
        jira_day_hours: hours in a working day for Jira's estimates in seconds (8, Jira's default).
    """
    try:
        for sheet, rows in tables.items():
            found = (
                jira.recognise(sheet, rows, day_hours=jira_day_hours)
                or glpi.recognise(sheet, rows)
                or msproject.recognise(sheet, rows)
            )
            if found is not None:
                return found
        return None
    finally:
        common.forget_tables()
