"""GLPI exports (CSV of the search engine, ``;``, UTF-8 with BOM), French and English: tickets, and
project tasks.

Tickets (``ID;Titre;Entité;Statut;Date d'ouverture;…;Attribué à - Groupe de techniciens;Catégorie;
Date d'échéance``; English ``ID;Title;Entity;Status;Opening date;…;Assigned to - Technician group;
Category;Time to resolve``): the technician group is the team (the first one when a cell lists
several), the technicians the owner; GLPI's statuses and its six priorities (``Majeure`` above
``Très haute``) are read as in GLPI; IDs lose their thousands separators (``5 731 928``, no-break
spaces); dates (``07-03-2027 17:00``, day first unless the column says otherwise) lose their time;
the category is the domain. A ticket has no effort: each takes the default of its priority, which
the loader reports as an estimate to confirm.

Project tasks (``Nom;Projet;Statut;Date de début planifiée;Date de fin planifiée;Durée planifiée;
Pourcentage effectué``): the project is the domain, the planned duration the effort
(:func:`roadmap.importing.durations.parse_duration`), the planned dates the baseline.
"""

from __future__ import annotations

import contextlib
import re

from roadmap.errors import CellValueError
from roadmap.i18n import N_
from roadmap.importing.durations import parse_duration
from roadmap.importing.tables import Rows
from roadmap.importing.tools.common import Converter, DateColumn, ToolExport, header_row, tool_status
from roadmap.importing.values import is_blank, normalize, parse_percent, to_text
from roadmap.models import Priority, Status

_TICKETS = (
    frozenset({"titre", "title"}),
    frozenset({"statut", "status"}),
    frozenset(
        {
            "attribue a technicien",
            "attribue a groupe de techniciens",
            "assigned to technician",
            "assigned to technician group",
            "demandeur demandeur",
            "requester requester",
        }
    ),
)
_TASKS = (
    frozenset({"nom", "name"}),
    frozenset({"projet", "project"}),
    frozenset({"duree planifiee", "planned duration", "date de debut planifiee", "planned start date"}),
)

STATUSES: dict[str, Status] = {
    "nouveau": Status.NOT_STARTED,
    "new": Status.NOT_STARTED,
    "en attente": Status.NOT_STARTED,
    "pending": Status.NOT_STARTED,
    "en cours attribue": Status.IN_PROGRESS,
    "en cours planifie": Status.IN_PROGRESS,
    "processing assigned": Status.IN_PROGRESS,
    "processing planned": Status.IN_PROGRESS,
    "en cours": Status.IN_PROGRESS,
    "resolu": Status.DONE,
    "solved": Status.DONE,
    "clos": Status.DONE,
    "closed": Status.DONE,
    "ferme": Status.DONE,
    "termine": Status.DONE,
}
"""GLPI's ticket statuses (normalised, French and English) → Rempart's. ``En attente`` (pending) is
work not done yet: to do, as the team reads it."""

PRIORITIES: dict[str, Priority] = {
    "majeure": Priority.P1,
    "major": Priority.P1,
    "tres haute": Priority.P1,
    "very high": Priority.P1,
    "haute": Priority.P2,
    "high": Priority.P2,
    "moyenne": Priority.P3,
    "medium": Priority.P3,
    "basse": Priority.P4,
    "low": Priority.P4,
    "tres basse": Priority.P4,
    "very low": Priority.P4,
}
"""GLPI's six priorities → P1–P4 (``Majeure`` is GLPI's highest, above ``Très haute``)."""

_SPACED_ID = re.compile(r"^\d{1,3}(?:[\s\u00a0\u202f]\d{3})+$")


def recognise(sheet: str, rows: Rows) -> ToolExport | None:
    """The GLPI export in ``rows`` made readable, or ``None`` when the headers are not GLPI's."""
    index = header_row(rows, _TICKETS)
    if index is not None:
        return _tickets(Converter(sheet, rows, index, _language(rows[index])))
    index = header_row(rows, _TASKS)
    if index is not None:
        return _tasks(Converter(sheet, rows, index, _language(rows[index])))
    return None


def _language(cells: list[object]) -> str:
    keys = {normalize(c) for c in cells if isinstance(c, str)}
    return "fr" if keys & {"titre", "statut", "nom", "projet", "priorite"} else "en"


def _tickets(conv: Converter) -> ToolExport:
    conv.convert(
        N_("{tool} export ({kind}) recognised from its headers: read with no column mapping"),
        tool="GLPI",
        kind="tickets",
    )
    ident = conv.find("id")
    _ids(conv, ident)
    conv.read_as(conv.find("titre", "title"), "title")
    _statuses(conv, conv.find("statut", "status"))
    _priorities(conv, conv.find("priorite", "priority"))
    group = conv.find("attribue a groupe de techniciens", "assigned to technician group")
    _first_line(conv, group, "team")
    if group is not None:
        conv.convert(N_("the technician group ('{column}') is the team"), column=conv.headers[group])
    technicians = conv.find("attribue a technicien", "assigned to technician")
    for _, cells in conv.data():
        names = [line.strip() for line in conv.text(cells, technicians).splitlines() if line.strip()]
        if technicians is not None and names:
            conv.put(cells, technicians, ", ".join(names))
    conv.read_as(technicians, "owner")
    conv.read_as(conv.find("categorie", "category"), "domain")
    due = conv.find("date d echeance", "time to resolve", "due date", "temps de resolution")
    done = conv.find("date de resolution", "resolution date", "date de cloture", "closing date", "close date")
    for column, name in ((due, "due_date"), (done, "done_date")):
        dates = DateColumn(conv, column, True)
        dates.rewrite()
        conv.read_as(column, name)
        if dates.example:
            raw, parsed = dates.example
            conv.convert(
                N_("dates with their time read as days (e.g. '{raw}' → {date})"), raw=raw, date=parsed.isoformat()
            )
    conv.convert(
        N_(
            "a GLPI ticket has no effort: each takes the default effort of its priority, an estimate to "
            "confirm in the Charge (j.h) column"
        )
    )
    return conv.export(tool="glpi", name="GLPI", kind="tickets")


def _tasks(conv: Converter) -> ToolExport:
    conv.convert(
        N_("{tool} export ({kind}) recognised from its headers: read with no column mapping"),
        tool="GLPI",
        kind="project tasks",
    )
    ident = conv.find("id")
    if ident is not None:
        _ids(conv, ident)
    conv.read_as(conv.find("nom", "name"), "title")
    conv.read_as(conv.find("projet", "project"), "domain")
    conv.convert(N_("the project is the domain of its tasks"))
    _statuses(conv, conv.find("statut", "status"))
    progress = conv.find("pourcentage effectue", "effectue", "percent done", "done")
    for _, cells in conv.data():
        raw = conv.get(cells, progress)
        if not is_blank(raw):
            with contextlib.suppress(CellValueError):
                conv.put(cells, progress, f"{parse_percent(raw):g}%")  # type: ignore[arg-type]
    conv.read_as(progress, "progress")
    duration = conv.find("duree planifiee", "planned duration")
    if duration is not None:
        effort = conv.add_column("Charge (j.h)" if conv.language == "fr" else "Effort (person-days)", "effort_days")
        for _, cells in conv.data():
            raw = conv.get(cells, duration)
            if is_blank(raw):
                continue
            try:
                days = parse_duration(raw).days
            except CellValueError:
                conv.put(cells, effort, raw)  # left for the loader to report
                continue
            conv.put(cells, effort, days if days > 0 else None)
        conv.convert(
            N_("the planned duration ('{column}') is the effort, in person-days"), column=conv.headers[duration]
        )
    for names, name in (
        (("date de debut planifiee", "planned start date"), "baseline_start"),
        (("date de fin planifiee", "planned end date"), "baseline_end"),
    ):
        column = conv.find(*names)
        DateColumn(conv, column, True).rewrite()
        conv.read_as(column, name)
    return conv.export(tool="glpi", name="GLPI", kind="project tasks")


def _ids(conv: Converter, column: int | None) -> None:
    if column is None:
        return
    example = None
    for _, cells in conv.data():
        raw = conv.text(cells, column)
        if _SPACED_ID.match(raw):
            plain = re.sub(r"\s", "", raw.replace("\u00a0", "").replace("\u202f", ""))
            example = example or (raw, plain)
            conv.put(cells, column, plain)
    conv.read_as(column, "id")
    if example:
        conv.convert(
            N_("IDs read without their thousands separators (e.g. '{raw}' → {id})"), raw=example[0], id=example[1]
        )


def _statuses(conv: Converter, column: int | None) -> None:
    if column is None:
        return
    seen: dict[str, str] = {}
    for _, cells in conv.data():
        raw = conv.text(cells, column)
        status = tool_status(raw, STATUSES)
        if status is None:
            continue  # the loader reports it once
        seen.setdefault(raw, status.value)
        conv.put(cells, column, status.value.replace("_", " "))
    conv.read_as(column, "status")
    conv.statuses(seen)


def _priorities(conv: Converter, column: int | None) -> None:
    if column is None:
        return
    for _, cells in conv.data():
        priority = PRIORITIES.get(normalize(conv.text(cells, column)))
        if priority is not None:
            conv.put(cells, column, priority.value)
    conv.read_as(column, "priority")
    conv.convert(
        N_("GLPI priorities read as P1–P4: Majeure and Très haute P1, Haute P2, Moyenne P3, Basse and Très basse P4")
    )


def _first_line(conv: Converter, column: int | None, field_name: str) -> None:
    """The first line of each cell of ``column`` (GLPI lists several groups in one quoted multi-line cell)."""
    if column is None:
        return
    for row, cells in conv.data():
        lines = [line.strip() for line in conv.text(cells, column).splitlines() if line.strip()]
        if len(lines) > 1:
            conv.warn(
                N_("several groups in one cell: the first, '{team}', is the team"),
                N_("keep one technician group per ticket to choose the team"),
                row=row,
                column=column,
                shown=to_text(conv.get(cells, column)),
                team=lines[0],
            )
        conv.put(cells, column, lines[0] if lines else None)
    conv.read_as(column, field_name)
