"""Jira's "all fields" CSV export, English and French headers (``Summary, Issue key, Issue id,
Parent id, Issue Type, Status, …``; ``Résumé, Clé de ticket, ID de ticket, ID parent, Type de ticket,
État, …``).

* estimates (``Original Estimate``, ``Remaining Estimate``, ``Time Spent``) are in **seconds**: divided
  by 3,600 and by the working-day length (:data:`JIRA_DAY_HOURS`, Jira's default "working hours per
  day", since that is the day Jira used to turn a typed ``1d`` into 28,800 s) to give person-days;
* progress is 1 − remaining / original estimate (0–100 %);
* ``Blocks`` links in either direction are prerequisites: X's ``Outward issue link (Blocks)`` naming Y
  and Y's ``Inward issue link (Blocks)`` naming X both say Y depends on X (the union, no duplicate);
  a link to an issue outside the export is dropped with a warning;
* epics are not measures: each is the domain of the issues under it (``Parent id``, or the older
  ``Custom field (Epic Link)``); sub-tasks are measures under their parent, whose domain and team
  they take when they have none;
* the team is ``Team`` / ``Custom field (Team)``, else the first component;
* repeated columns (``Labels``, ``Component/s``, link columns) are kept together, every value;
* dates ``01/Mar/27 9:00 AM`` (French month names too) lose their time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from roadmap.errors import CellValueError
from roadmap.i18n import N_, NP_
from roadmap.importing.tables import Rows
from roadmap.importing.tools.common import Converter, DateColumn, ToolExport, header_row, tool_status
from roadmap.importing.values import is_blank, normalize, parse_number, to_text
from roadmap.models import Priority, Status

JIRA_DAY_HOURS = 8.0
"""Hours in a working day for Jira's estimates: Jira's own default ("Working hours per day" in its
time-tracking settings). Rempart's ``day_hours`` setting (7 h by default) is for the efforts people
type in hours; a Jira instance set to another day is read with ``load_workbook(…, jira_day_hours=…)``."""

_SIGNATURE = (
    frozenset({"issue key", "cle de ticket", "cle du ticket", "cle de la demande", "cle de demande", "cle"}),
    frozenset({"summary", "resume"}),
    frozenset(
        {
            "issue type",
            "type de ticket",
            "type d issue",
            "type de demande",
            "type de la demande",
            # a filter's export may leave the type out: another header only Jira writes, then
            "issue id",
            "id de ticket",
            "original estimate",
            "estimation originale",
            "time spent",
            "temps consacre",
            "status category",
            "reporter",
            "rapporteur",
        }
    ),
)

STATUSES: dict[str, Status] = {
    "to do": Status.NOT_STARTED,
    "open": Status.NOT_STARTED,
    "backlog": Status.NOT_STARTED,
    "selected for development": Status.NOT_STARTED,
    "a faire": Status.NOT_STARTED,
    "ouvert": Status.NOT_STARTED,
    "ouverte": Status.NOT_STARTED,
    "in progress": Status.IN_PROGRESS,
    "in review": Status.IN_PROGRESS,
    "en cours": Status.IN_PROGRESS,
    "en revue": Status.IN_PROGRESS,
    "done": Status.DONE,
    "closed": Status.DONE,
    "resolved": Status.DONE,
    "termine": Status.DONE,
    "termine e": Status.DONE,
    "terminee": Status.DONE,
    "ferme": Status.DONE,
    "fermee": Status.DONE,
    "resolu": Status.DONE,
    "blocked": Status.BLOCKED,
    "bloque": Status.BLOCKED,
}
"""Jira's default workflow statuses, English and French (normalised) → Rempart's."""

_CANCELLING = {
    "won t do",
    "won t fix",
    "duplicate",
    "cannot reproduce",
    "ne sera pas fait",
    "ne sera pas corrige",
    "doublon",
}
"""Resolutions that close an issue without doing it: cancelled, not done."""

PRIORITIES: dict[str, Priority] = {
    "highest": Priority.P1,
    "la plus haute": Priority.P1,
    "tres haute": Priority.P1,
    "la plus elevee": Priority.P1,
    "high": Priority.P2,
    "haute": Priority.P2,
    "elevee": Priority.P2,
    "medium": Priority.P3,
    "moyenne": Priority.P3,
    "low": Priority.P4,
    "basse": Priority.P4,
    "faible": Priority.P4,
    "lowest": Priority.P4,
    "la plus basse": Priority.P4,
    "tres basse": Priority.P4,
    "la plus faible": Priority.P4,
}
"""Jira's five priorities → P1–P4 (Low and Lowest are both P4)."""

_EPICS = {"epic", "epopee", "epique"}
_SUBTASKS = {"sub task", "subtask", "sous tache", "sous taches"}


def recognise(sheet: str, rows: Rows, *, day_hours: float = JIRA_DAY_HOURS) -> ToolExport | None:
    """The Jira export in ``rows`` made readable, or ``None`` when the headers are not Jira's."""
    index = header_row(rows, _SIGNATURE)
    if index is None:
        return None
    keys = {normalize(c) for c in rows[index] if isinstance(c, str)}
    conv = Converter(sheet, rows, index, "fr" if "resume" in keys else "en")
    conv.convert(
        N_("{tool} export ({kind}) recognised from its headers: read with no column mapping"),
        tool="Jira",
        kind="issues",
    )
    key, ident = (
        conv.find("issue key", "cle de ticket", "cle du ticket", "cle de la demande", "cle de demande", "cle"),
        conv.find("issue id", "id de ticket", "id du ticket"),
    )
    parent = conv.find("parent id", "id parent", "id du parent", "parent")
    kind = conv.find("issue type", "type de ticket", "type d issue", "type de demande", "type de la demande")
    epic_link = conv.find("custom field epic link", "champ personnalise epic link", "champ personnalise lien d epopee")
    for names in (("labels", "etiquettes", "libelles"), ("component s", "components", "composants", "composant s")):
        conv.merge_repeated(conv.find_all(*names))
    outward = _links(conv, ("outward", "sortant"))
    inward = _links(conv, ("inward", "entrant"))
    for columns in (outward, inward):
        conv.merge_repeated(columns)
    conv.read_as(key, "id")
    conv.read_as(conv.find("summary", "resume"), "title")
    conv.read_as(conv.find("assignee", "responsable", "personne assignee"), "owner")

    key_of = {conv.text(cells, ident): conv.text(cells, key) for _, cells in conv.data() if ident is not None}
    rows_by_key = {conv.text(cells, key): (row, cells) for row, cells in conv.data()}
    kinds = {k: normalize(conv.text(cells, kind)) for k, (_, cells) in rows_by_key.items()}
    parent_of: dict[str, str] = {}
    for k, (_, cells) in rows_by_key.items():
        up = conv.text(cells, parent)
        up = key_of.get(up, up)
        if not up and epic_link is not None:
            up = conv.text(cells, epic_link)
        if up and up in rows_by_key:
            parent_of[k] = up
    epics = {k for k, t in kinds.items() if t in _EPICS}

    def epic_of(k: str) -> str | None:
        seen = set()
        while k in parent_of and k not in seen:
            seen.add(k)
            k = parent_of[k]
            if k in epics:
                return k
        return None

    title_col = conv.find("summary", "resume")
    domain = conv.add_column("Domaine" if conv.language == "fr" else "Domain", "domain")
    for k, (_, cells) in rows_by_key.items():
        if (epic := epic_of(k)) is not None:
            conv.put(cells, domain, conv.text(rows_by_key[epic][1], title_col))
    if epics:
        epic_names = ", ".join(conv.text(rows_by_key[e][1], title_col) for e in sorted(epics))
        conv.convert(
            NP_(
                "{count} epic read as the domain of the issues under it: {names}",
                "{count} epics read as the domain of the issues under them: {names}",
            ),
            count=len(epics),
            names=epic_names,
        )

    _team(conv, rows_by_key, parent_of, kinds)
    _status(conv, rows_by_key)
    _priority(conv)
    _estimates(conv, day_hours)
    _prerequisites(conv, rows_by_key, outward, inward, epics)
    for names, name in (
        (("due date", "date d echeance", "echeance"), "due_date"),
        (("resolved", "resolu", "date de resolution"), "done_date"),
    ):
        column = conv.find(*names)
        dates = DateColumn(conv, column, True)
        dates.rewrite()
        conv.read_as(column, name)
        if dates.example and name == "due_date":
            raw, parsed = dates.example
            conv.convert(
                N_("dates with their time read as days (e.g. '{raw}' → {date})"), raw=raw, date=parsed.isoformat()
            )
    for k in sorted(epics, key=lambda e: rows_by_key[e][0]):
        row, cells = rows_by_key[k]
        conv.skip(
            row,
            N_("row skipped: epic '{value}', used as the domain of the issues under it"),
            conv.text(cells, title_col),
        )
    return conv.export(tool="jira", name="Jira", kind="issues")


def _links(conv: Converter, direction: tuple[str, ...]) -> list[int]:
    """The ``Blocks`` link columns of one direction (``Outward issue link (Blocks)``, repeated)."""
    return [
        i
        for i, key in enumerate(conv.keys)
        if any(w in key.split() for w in direction) and any(w in key for w in ("block", "bloque"))
    ]


def _team(
    conv: Converter, rows_by_key: dict[str, tuple[int, list[Any]]], parent_of: dict[str, str], kinds: dict[str, str]
) -> None:
    team = conv.find("custom field team", "team", "champ personnalise team", "champ personnalise equipe", "equipe")
    component = conv.find("component s", "components", "composants", "composant s")
    target = conv.add_column("Équipe" if conv.language == "fr" else "Team", "team")
    named = {k: conv.text(cells, team) for k, (_, cells) in rows_by_key.items()}
    for k, (_, cells) in rows_by_key.items():
        up = parent_of.get(k)
        if not named[k] and up is not None and kinds.get(k) in _SUBTASKS:
            named[k] = named[up]  # a sub-task under its parent: the parent's team when it names none
        conv.put(cells, target, named[k] or conv.text(cells, component).split(", ")[0] or None)
    if team is not None:
        conv.convert(N_("the team is column '{column}'"), column=conv.headers[team])
    if component is not None:
        conv.convert(
            N_("issues without a team take their first component ('{column}') as team"), column=conv.headers[component]
        )


def _status(conv: Converter, rows_by_key: dict[str, tuple[int, list[Any]]]) -> None:
    column = conv.find("status", "etat", "statut")
    resolution = conv.find("resolution")
    if column is None:
        return
    seen: dict[str, str] = {}
    for _, cells in rows_by_key.values():
        raw = conv.text(cells, column)
        status = tool_status(raw, STATUSES)
        if status is None:
            continue  # the loader reports it once
        if status is Status.DONE and normalize(conv.text(cells, resolution)) in _CANCELLING:
            status = Status.CANCELLED
        seen.setdefault(raw, status.value)
        conv.put(cells, column, status.value.replace("_", " "))
    conv.read_as(column, "status")
    conv.statuses(seen)


def _priority(conv: Converter) -> None:
    column = conv.find("priority", "priorite")
    for _, cells in conv.data():
        priority = PRIORITIES.get(normalize(conv.text(cells, column)))
        if priority is not None and column is not None:
            conv.put(cells, column, priority.value)
    conv.read_as(column, "priority")


def _estimates(conv: Converter, day_hours: float) -> None:
    original = conv.find("original estimate", "estimation originale", "estimation initiale")
    remaining = conv.find("remaining estimate", "estimation restante", "temps restant")
    spent = conv.find("time spent", "temps consacre", "temps passe")
    if original is None and remaining is None:
        return
    effort = conv.add_column("Charge (j.h)" if conv.language == "fr" else "Effort (person-days)", "effort_days")
    progress = conv.add_column("Avancement (%)" if conv.language == "fr" else "Progress (%)", "progress")
    seconds: Callable[[list[Any], int | None], float | None] = lambda cells, c: _seconds(conv.get(cells, c))  # noqa: E731
    example = None
    for _, cells in conv.data():
        first, left, used = seconds(cells, original), seconds(cells, remaining), seconds(cells, spent)
        total = first if first else ((left or 0) + (used or 0)) or None
        if total:
            conv.put(cells, effort, total / 3600 / day_hours)
            example = example or (to_text(conv.get(cells, original if first else remaining)), total / 3600 / day_hours)
        if first and left is not None:
            conv.put(cells, progress, f"{max(0.0, min(100.0, 100 * (1 - left / first))):g}%")
    if example:
        conv.convert(
            N_("Jira estimates in seconds → person-days at {hours} h a day (e.g. {raw} s → {days} person-days)"),
            hours=f"{day_hours:g}",
            raw=example[0],
            days=f"{example[1]:g}",
        )
    conv.convert(N_("progress is 1 − remaining estimate / original estimate"))


def _seconds(value: object) -> float | None:
    if is_blank(value):
        return None
    try:
        return max(0.0, parse_number(value))
    except CellValueError:
        return None


def _prerequisites(
    conv: Converter,
    rows_by_key: dict[str, tuple[int, list[Any]]],
    outward: list[int],
    inward: list[int],
    epics: set[str],
) -> None:
    """``Blocks`` links → each issue's prerequisites: X blocks Y → Y depends on X."""
    depends: dict[str, dict[str, None]] = {k: {} for k in rows_by_key}
    missing: dict[str, list[int]] = {}
    count = 0
    for k, (row, cells) in rows_by_key.items():
        for columns, out in ((outward[:1], True), (inward[:1], False)):
            for column in columns:
                for other in (v.strip() for v in conv.text(cells, column).split(",") if v.strip()):
                    if other not in rows_by_key or other in epics:
                        missing.setdefault(other, []).append(row)
                        continue
                    later, first = (other, k) if out else (k, other)
                    if first not in depends[later]:
                        depends[later][first] = None
                        count += 1
    target = conv.add_column("Dépend de" if conv.language == "fr" else "Depends on", "depends_on")
    for k, (_, cells) in rows_by_key.items():
        conv.put(cells, target, ", ".join(depends[k]) or None)
    for other, rows in missing.items():
        conv.warn(
            N_("link to {id}, which is not an issue of this export: not read as a prerequisite"),
            N_("export the linked issue too, or ignore this note"),
            row=rows[0],
            column=(outward or inward)[0],
            shown=other,
            id=other,
        )
    if outward or inward:
        conv.convert(N_("'Blocks' links read as prerequisites ({count}): X blocks Y means Y depends on X"), count=count)
