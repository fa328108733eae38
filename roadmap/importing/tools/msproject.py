"""MS Project and ProjectLibre task tables exported to Excel or CSV, French and English
(``N°, Nom, Durée, Début, Fin, Prédécesseurs, Niveau hiérarchique, Noms ressources, % achevé``;
``ID, Name, Duration, Start, Finish, Predecessors, Outline Level, Resource Names, % Complete``).

* summary tasks (a task whose next task sits one outline level deeper; the level from ``Outline
  Level``, else the dots of ``WBS`` / ``Outline Number``, else the name's indentation) are not
  measures: each is the domain of the tasks under it (the nearest one);
* milestones (duration 0) are not measures either; a task that follows one follows its predecessors;
* durations keep their units (``2 jours``, ``1 sem.``, ``4 h``, ``1 mo``, ``3 j?``, ``0,5 j``) and become
  working days (:func:`roadmap.importing.durations.parse_duration`, MS Project's 8-hour day); the
  effort is ``Work`` / ``Travail`` when the table has it, else the duration (one person);
* predecessors (``7``, ``7FD+2 j``, ``3SS-1 day``; ``;`` or ``,`` between them) become prerequisites;
  a summary task named as predecessor stands for every task under it. The planner knows
  finish-to-start without lag only: another type (DD/SS, FF, DF/SF) or a lag is named in a warning;
* ``% achevé`` / ``% Complete`` gives the progress and the status (0 to do, 100 done, else in progress);
* priorities 0–1000 become P1–P4 (:func:`_priorities`); the first resource (without its ``[50%]``) is
  the team; ``Début``/``Fin`` the baseline, ``Échéance`` / ``Deadline`` the due date.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from roadmap.errors import CellValueError
from roadmap.i18n import N_, NP_
from roadmap.importing.durations import parse_duration
from roadmap.importing.tables import Rows
from roadmap.importing.tools.common import Converter, DateColumn, ToolExport, day_first_of, header_row
from roadmap.importing.values import is_blank, normalize, parse_number, to_text

MSPROJECT_DAY_HOURS = 8.0
"""Hours in MS Project's default working day (Options → Schedule → Hours per day)."""

_NAME = ("nom", "name", "nom de la tache", "task name", "nom tache")
_SIGNATURE = (
    frozenset(_NAME),
    frozenset({"duree", "duration"}),
    frozenset(
        {"predecesseurs", "predecessors", "niveau hierarchique", "outline level", "niveau", "acheve", "complete"}
    ),
)
_LINK = re.compile(r"^\s*(\d+)\s*(FD|DD|FF|DF|FS|SS|SF)?\s*(?:([+-])\s*(.+?))?\s*$", re.IGNORECASE)
_TYPES = {"FD": "FS", "DD": "SS", "FF": "FF", "DF": "SF"}


def recognise(sheet: str, rows: Rows) -> ToolExport | None:
    """The MS Project / ProjectLibre task table in ``rows`` made readable, or ``None``."""
    index = header_row(rows, _SIGNATURE)
    if index is None:
        return None
    keys = {normalize(c) for c in rows[index] if isinstance(c, str)}
    conv = Converter(sheet, rows, index, "fr" if keys & {"nom", "duree", "debut", "nom de la tache"} else "en")
    conv.convert(
        N_("{tool} export ({kind}) recognised from its headers: read with no column mapping"),
        tool="MS Project / ProjectLibre",
        kind="tasks",
    )
    ident = conv.find("n", "no", "id", "numero")
    name = conv.find(*_NAME)
    duration = conv.find("duree", "duration")
    tasks = [(row, cells) for row, cells in conv.data() if conv.text(cells, name)]
    ids = [conv.text(cells, ident) or str(row) for row, cells in tasks]
    if ident is None:
        ident = conv.add_column("N°" if conv.language == "fr" else "ID", "id")
        for (_, cells), task_id in zip(tasks, ids, strict=True):
            conv.put(cells, ident, task_id)
    conv.read_as(ident, "id")
    levels = _levels(conv, tasks, name)
    summary = {ids[i] for i in range(len(tasks)) if i + 1 < len(tasks) and levels[i + 1] > levels[i]}
    children: dict[str, list[str]] = {}
    stack: list[tuple[int, str]] = []
    domain_of: dict[str, str] = {}
    title_of = {task_id: conv.text(cells, name).strip() for (_, cells), task_id in zip(tasks, ids, strict=True)}
    for task_id, level in zip(ids, levels, strict=True):
        while stack and stack[-1][0] >= level:
            stack.pop()
        for _, parent in stack:
            children.setdefault(parent, []).append(task_id)
        if stack:
            domain_of[task_id] = title_of[stack[-1][1]]
        if task_id in summary:
            stack.append((level, task_id))
    for (_, cells), task_id in zip(tasks, ids, strict=True):
        if name is not None:
            conv.put(cells, name, title_of[task_id])  # indentation dropped
    conv.read_as(name, "title")

    days: dict[str, float] = {}
    estimated = 0
    examples: dict[str, tuple[str, float]] = {}
    for (_, cells), task_id in zip(tasks, ids, strict=True):
        raw = conv.get(cells, duration)
        if is_blank(raw):
            continue
        try:
            read = parse_duration(raw, day_hours=MSPROJECT_DAY_HOURS)
        except CellValueError:
            continue
        days[task_id] = read.days
        estimated += read.estimated
        unit = re.sub(r"[\d\s.,?]+", "", to_text(raw)) or "j"
        examples.setdefault(unit, (to_text(raw), read.days))
    milestones = {t for t in ids if t not in summary and days.get(t) == 0}

    effort = conv.add_column("Charge (j.h)" if conv.language == "fr" else "Effort (person-days)", "effort_days")
    work = conv.find("travail", "work")
    for (_, cells), task_id in zip(tasks, ids, strict=True):
        amount = days.get(task_id)
        if work is not None and not is_blank(conv.get(cells, work)):
            with contextlib.suppress(CellValueError):
                amount = parse_duration(conv.get(cells, work), day_hours=MSPROJECT_DAY_HOURS).days or amount
        conv.put(cells, effort, amount if amount else None)
    for raw, value in examples.values():
        conv.convert(N_("Duration '{raw}' → {days} working days"), raw=raw, days=f"{value:g}")
    if work is not None:
        conv.convert(
            N_("the effort is column '{column}' (person-days at 8 h a day), else the duration"),
            column=conv.headers[work],
        )
    if estimated:
        conv.warn(
            NP_(
                "{count} duration marked '?' (estimated) in the plan: read as given",
                "{count} durations marked '?' (estimated) in the plan: read as given",
            ),
            N_("confirm these durations in the tool, then export again"),
            row=conv.header_index + 1,
            column=duration,
            count=estimated,
        )

    domain = conv.add_column("Domaine" if conv.language == "fr" else "Domain", "domain")
    for (_, cells), task_id in zip(tasks, ids, strict=True):
        conv.put(cells, domain, domain_of.get(task_id))
    _prerequisites(conv, tasks, ids, summary, milestones, children)
    _progress(conv, tasks)
    _resources(conv, tasks)
    _priorities(conv, tasks)
    dates = {
        "baseline_start": conv.find("debut", "start", "date de debut"),
        "baseline_end": conv.find("fin", "finish", "date de fin"),
        "due_date": conv.find("echeance", "deadline", "date limite", "date d echeance"),
    }
    for column in dates.values():
        for _, cells in tasks:
            if column is not None and normalize(conv.text(cells, column)) in ("na", "nd", "n a", "n d"):
                conv.put(cells, column, None)  # MS Project's "no date"
    # one order of day and month for the whole table: a column that tells it tells it for the others
    day_first, known = day_first_of(
        [conv.get(cells, c) for c in dates.values() if c is not None for _, cells in tasks], conv.language == "fr"
    )
    for field_name, column in dates.items():
        DateColumn(conv, column, day_first, known).rewrite()
        conv.read_as(column, field_name)
    if summary:
        names = ", ".join(title_of[t] for t in ids if t in summary)
        conv.convert(
            NP_(
                "{count} summary task read as the domain of the tasks under it: {names}",
                "{count} summary tasks read as the domain of the tasks under them: {names}",
            ),
            count=len(summary),
            names=names,
        )
    for (row, _), task_id in zip(tasks, ids, strict=True):
        if task_id in summary:
            conv.skip(
                row,
                N_("row skipped: summary task '{value}', used as the domain of the measures under it"),
                title_of[task_id],
            )
        elif task_id in milestones:
            conv.skip(row, N_("row skipped: milestone '{value}' (no duration), not a measure"), title_of[task_id])
    return conv.export(tool="msproject", name="MS Project / ProjectLibre", kind="tasks")


def _levels(conv: Converter, tasks: list[tuple[int, list[Any]]], name: int | None) -> list[int]:
    """Each task's outline level: the Outline Level column, else the dots of the WBS, else indentation."""
    level = conv.find("niveau hierarchique", "outline level", "niveau")
    wbs = conv.find("wbs", "edt", "code wbs", "numero hierarchique", "outline number")
    found = []
    for _, cells in tasks:
        try:
            found.append(int(parse_number(conv.get(cells, level))))
            continue
        except CellValueError:
            pass
        text = conv.text(cells, wbs)
        if text:
            found.append(text.count(".") + 1)
            continue
        raw = str(conv.get(cells, name) or "")
        found.append(len(raw) - len(raw.lstrip(" \u00a0\t")))
    return found


def _prerequisites(
    conv: Converter,
    tasks: list[tuple[int, list[Any]]],
    ids: list[str],
    summary: set[str],
    milestones: set[str],
    children: dict[str, list[str]],
) -> None:
    column = conv.find("predecesseurs", "predecessors")
    if column is None:
        return
    written = {task_id: conv.text(cells, column) for (_, cells), task_id in zip(tasks, ids, strict=True)}
    known = set(ids)

    def measures(task_id: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """The measures a predecessor stands for: itself, a summary's tasks, a milestone's predecessors."""
        if task_id in seen or task_id not in known:
            return []
        if task_id in summary:
            return [
                m
                for child in children.get(task_id, [])
                if child not in summary
                for m in measures(child, seen | {task_id})
            ]
        if task_id in milestones:
            links = [_LINK.match(p) for p in re.split(r"[;,]", written[task_id]) if p.strip()]
            return [m for link in links if link for m in measures(link.group(1), seen | {task_id})]
        return [task_id]

    target = conv.add_column("Dépend de" if conv.language == "fr" else "Depends on", "depends_on")
    count = 0
    for (row, cells), task_id in zip(tasks, ids, strict=True):
        found: dict[str, None] = {}
        for part in (p.strip() for p in re.split(r"[;,]", written[task_id]) if p.strip()):
            link = _LINK.match(part)
            if link is None or link.group(1) not in known:
                conv.warn(
                    N_("predecessor '{value}' is not a task of this table: not read as a prerequisite"),
                    N_("write the N° of a task, such as 7 or 7FD+2 j"),
                    row=row,
                    column=column,
                    shown=part,
                    value=part,
                )
                continue
            written_type = (link.group(2) or "").upper()
            lag = f"{link.group(3)}{link.group(4)}" if link.group(3) else ""
            other_type = _TYPES.get(written_type, written_type or "FS") != "FS"
            if other_type or lag:
                conv.warn(
                    N_("predecessor '{value}' is of type {type} with a lag of {lag}: read as finish-to-start, no lag")
                    if other_type and lag
                    else N_("predecessor '{value}' is of type {type}: read as finish-to-start")
                    if other_type
                    else N_("predecessor '{value}' has a lag of {lag}: read as finish-to-start, no lag"),
                    N_("the plan starts a task after the end of its prerequisites; check the dates of these two tasks"),
                    row=row,
                    column=column,
                    shown=part,
                    value=part,
                    type=written_type,
                    lag=lag,
                )
            for measure in measures(link.group(1)):
                if measure != task_id:
                    found[measure] = None
        if task_id not in summary and task_id not in milestones:
            count += len(found)
        conv.put(cells, target, ", ".join(found) or None)
    conv.convert(
        N_("predecessors read as prerequisites ({count}), a summary task standing for the tasks under it"), count=count
    )


def _progress(conv: Converter, tasks: list[tuple[int, list[Any]]]) -> None:
    column = conv.find("acheve", "complete", "pourcentage acheve", "percent complete")
    if column is None:
        return
    status = conv.add_column("Statut" if conv.language == "fr" else "Status", "status")
    for _, cells in tasks:
        raw = conv.get(cells, column)
        if is_blank(raw):
            continue
        text = to_text(raw).rstrip("%").strip()
        try:
            number = parse_number(text)
        except CellValueError:
            continue
        if isinstance(raw, float) and 0 <= raw <= 1 and not isinstance(raw, bool):
            number *= 100  # a percentage cell of Excel
        conv.put(cells, column, f"{number:g}%")
        conv.put(cells, status, "done" if number >= 100 else ("in progress" if number > 0 else "not started"))
    conv.read_as(column, "progress")
    conv.convert(
        N_("'{column}' gives the progress and the status (to do at 0 %, done at 100 %)"), column=conv.headers[column]
    )


def _priorities(conv: Converter, tasks: list[tuple[int, list[Any]]]) -> None:
    """MS Project's priorities, 0–1000 (500 by default) → P1–P4: 800 and above P1 (Very High, Highest),
    600–799 P2 (High, Higher), 400–599 P3 (Medium), below 400 P4."""
    column = conv.find("priorite", "priority")
    if column is None:
        return
    for _, cells in tasks:
        try:
            number = parse_number(conv.get(cells, column))
        except CellValueError:
            continue  # a word (High, Haute): the loader reads it
        conv.put(cells, column, "P1" if number >= 800 else "P2" if number >= 600 else "P3" if number >= 400 else "P4")
    conv.read_as(column, "priority")
    conv.convert(N_("MS Project priorities (0–1000) read as P1 (800 and above) to P4 (below 400)"))


def _resources(conv: Converter, tasks: list[tuple[int, list[Any]]]) -> None:
    column = conv.find("noms ressources", "noms des ressources", "resource names", "ressources", "resources")
    if column is None:
        return
    for _, cells in tasks:
        names = [re.sub(r"\[[^\]]*\]", "", n).strip() for n in re.split(r"[;,]", conv.text(cells, column))]
        names = [n for n in names if n]
        conv.put(cells, column, names[0] if names else None)
    conv.read_as(column, "team")
    conv.convert(N_("the first resource ('{column}') is the team"), column=conv.headers[column])
