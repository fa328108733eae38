"""Tables → measures, risks, teams and settings, one row at a time, with the issues of each row.

A cell that cannot be read is recorded (:class:`IssueCollector`) with its sheet, row, column,
value and fix, and the field takes its default, so that the later checks can go on. A measures
table may also be read as a confirmed :class:`~roadmap.importing.mapping.ColumnMapping` says
(:func:`mapped_table`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from roadmap.errors import CellValueError
from roadmap.i18n import N_, NP_
from roadmap.importing.cells import LENIENT_DATES, MISSING, NOTED, CellReader, date_parser, field_values
from roadmap.importing.columns import (
    MEASURE_COLUMNS,
    Table,
    body_rows,
    column_letter,
    header_unit,
)
from roadmap.importing.grc import Assessment, constant_id, report_assessment
from roadmap.importing.inference import SAMPLE_ROWS, sort_rows
from roadmap.importing.issues import IssueCollector
from roadmap.importing.mapping import ColumnMapping, missing_fields
from roadmap.importing.tables import Rows
from roadmap.importing.values import (
    generated_id,
    is_blank,
    normalize,
    parse_effort,
    parse_id_list,
    parse_int,
    parse_mitigations,
    parse_percent,
    parse_priority,
    parse_quarter,
    parse_status,
    shorten,
    to_text,
)
from roadmap.models import Measure, Mitigation, Priority, Status

DEFAULT_EFFORT_BY_PRIORITY: dict[Priority, float] = {
    Priority.P1: 8.0,
    Priority.P2: 5.0,
    Priority.P3: 3.0,
    Priority.P4: 2.0,
}
"""Effort in person-days assumed for a measure whose effort is missing (reported as a warning)."""


FIELD_LABELS: dict[str, str] = {
    "id": N_("ID"),
    "title": N_("Measure (title)"),
    "domain": N_("Domain"),
    "team": N_("Team"),
    "owner": N_("Owner"),
    "effort_days": N_("Effort (person-days)"),
    "effort_min": N_("Effort min (person-days)"),
    "effort_max": N_("Effort max (person-days)"),
    "max_crew": N_("Max people"),
    "status": N_("Status"),
    "progress": N_("Progress (%)"),
    "priority": N_("Priority"),
    "baseline_start": N_("Planned start"),
    "baseline_end": N_("Planned end"),
    "baseline_quarter": N_("Planned quarter"),
    "depends_on": N_("Depends on"),
    "mitigates": N_("Mitigated risks"),
    "references": N_("References"),
    "due_date": N_("Due date"),
    "done_date": N_("Completed on"),
    "fixed_sprint": N_("Fixed sprint"),
    "notes": N_("Notes"),
}
"""The label of each measure field (English msgids), shown in messages and in the column mapping step
instead of the field's code name."""


DEFAULT_EFFECTIVENESS = 0.5
"""Effectiveness assumed for a measure↔risk link written without one (reported as a warning)."""


def mapped_table(sheet: str, rows: Rows, mapping: ColumnMapping, issues: IssueCollector) -> Table | None:
    """The measures table as a confirmed :class:`roadmap.importing.mapping.ColumnMapping` says."""
    if mapping.header_row > len(rows):
        issues.add(
            "error",
            N_("the mapping's header row {row} is below the last row ({last})"),
            sheet=sheet,
            hint=N_("inspect the file again and confirm the header row"),
            params={"row": mapping.header_row, "last": len(rows)},
        )
        return None
    missing = missing_fields(mapping)
    if missing:  # one error, not one per row: without a title no row is a measure
        issues.add(
            "error",
            N_("the mapping reads no column as '{field_label}', a required field"),
            sheet=sheet,
            row=mapping.header_row,
            hint=N_("choose the column that holds it in the column mapping, then apply the mapping again"),
            params={"field_label": FIELD_LABELS[missing[0]]},
        )
        return None
    index = mapping.header_row - 1
    headers = [to_text(c) for c in rows[index]]
    columns: dict[str, int] = {}
    for header, name in mapping.columns.items():
        if name not in MEASURE_COLUMNS:
            issues.add(
                "error",
                N_("unknown field {field} in the mapping"),
                sheet=sheet,
                column=header,
                hint=N_("fields: {fields}"),
                params={"field": repr(name), "fields": ", ".join(MEASURE_COLUMNS)},
            )
        elif header.strip() not in headers:
            issues.add(
                "error",
                N_("the mapping names a column that is not in the header row"),
                sheet=sheet,
                row=mapping.header_row,
                column=header,
                hint=N_("inspect the file again and confirm the mapping"),
            )
        else:
            columns[name] = headers.index(header.strip())
    data, skipped = body_rows(rows, index)
    table = Table(sheet, mapping.header_row, columns, headers, data, skipped, dict(mapping.defaults))
    table.values = {
        name: {normalize(value): meaning for value, meaning in meanings.items()}
        for name, meanings in mapping.values.items()
    }
    return table


def sorted_table(table: Table) -> Table:
    """The table without the rows that are not measures (:func:`roadmap.importing.inference.sort_rows`):
    they join :attr:`Table.skipped` with their reason, and the sections' titles become the domain of
    the rows under them (:attr:`Table.domains`)."""
    width = max((i + 1 for i, h in enumerate(table.headers) if h), default=0)
    kept, skipped, domains = sort_rows(table.rows, table.columns, width)
    table.rows = kept
    table.skipped = sorted([*table.skipped, *((row, why) for row, why, _ in skipped)])
    table.skipped_values.update({row: value for row, _, value in skipped if value})
    table.domains.update(domains)
    return table


def _vocabulary(table: Table, field_name: str, parser: Callable[[Any], Any], issues: IssueCollector) -> None:
    """One warning per distinct value of a status or priority column that ``parser`` does not know,
    naming the value, how many rows hold it (and the first ones) and the fix; those rows take the
    default (to do, P3) instead of an error each."""
    if field_name not in table.columns:
        return
    parser = _translated(parser, table.values.get(field_name, {}))
    unknown: dict[str, tuple[Any, list[int]]] = {}
    seen: dict[tuple[type, Any], str | None] = {}  # cell value → its key when unknown, None when known
    for (row, _), raw in zip(table.rows, field_values(table, field_name), strict=True):
        if is_blank(raw):
            continue
        cached = seen.get((raw.__class__, raw), MISSING)
        if cached is None:
            continue
        if isinstance(cached, str):
            unknown[cached][1].append(row)
            continue
        key = normalize(to_text(raw))
        if key in unknown:
            unknown[key][1].append(row)
            seen[raw.__class__, raw] = key
            continue
        try:
            parser(raw)
            seen[raw.__class__, raw] = None
        except CellValueError:
            unknown[key] = (raw, [row])
            seen[raw.__class__, raw] = key
    issues.unknown_values[field_name] = [(to_text(raw), len(rows)) for raw, rows in unknown.values()]
    for raw, rows in unknown.values():
        shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
        params = {"value": shorten(raw, 40), "count": len(rows), "rows": shown, "column": table.header(field_name)}
        if field_name == "status":
            issues.add(
                "warning",
                NP_(
                    "unknown status '{value}' in {count} row (row {rows}): read as to do",
                    "unknown status '{value}' in {count} rows (rows {rows}): read as to do",
                ),
                sheet=table.sheet,
                row=rows[0],
                column=table.header(field_name),
                value=raw,
                hint=N_(
                    "use À faire, En cours, Fait, Bloqué or Abandonné (or the English terms) in column "
                    "'{column}', or give this value its meaning in the column mapping of the Données page"
                ),
                params=params,
            )
        else:
            issues.add(
                "warning",
                NP_(
                    "unknown priority '{value}' in {count} row (row {rows}): read as P3",
                    "unknown priority '{value}' in {count} rows (rows {rows}): read as P3",
                ),
                sheet=table.sheet,
                row=rows[0],
                column=table.header(field_name),
                value=raw,
                hint=N_(
                    "use P1, P2, P3 or P4 (P1 highest), or High, Medium, Low, in column '{column}', or give "
                    "this value its meaning in the column mapping of the Données page"
                ),
                params=params,
            )


def _translated(parser: Callable[[Any], Any], meanings: Mapping[str, str]) -> Callable[[Any], Any]:
    """``parser``, reading first the values the column mapping gave a meaning
    (:attr:`ColumnMapping.values`, keys normalised)."""
    if not meanings:
        return parser

    def parse(value: Any) -> Any:
        meaning = meanings.get(normalize(to_text(value)))
        return parser(meaning if meaning is not None else value)

    return parse


def _lenient(parser: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``parser``, giving ``None`` (the field's default) for a value it does not know: already reported
    once per value by :func:`_vocabulary`. Each distinct value is parsed once."""
    seen: dict[Any, Any] = {}

    def parse(value: Any) -> Any:
        if value in seen:
            return seen[value]
        try:
            result = parser(value)
        except CellValueError:
            result = None
        seen[value] = result
        return result

    return parse


_LATER_FIELDS = (
    "domain",
    "team",
    "owner",
    "effort_min",
    "effort_max",
    "max_crew",
    "baseline_quarter",
    "depends_on",
    "references",
    "fixed_sprint",
    "notes",
)
"""The fields :func:`build_measures` reads last, in this order, once the checks across fields are done."""


def build_measures(table: Table, issues: IssueCollector, *, day_hours: float = 7.0) -> list[Measure]:
    """The measures of a table, with the issues of each row (see the module's docstring).

    Args:
        table: the measures table, rows that are not measures already out (:func:`sorted_table`).
        day_hours: hours in a working day; efforts of a column whose header says hours
            (``Charge (h)``) are divided by it to give person-days, and the conversion is reported.
    """
    date_fields = ("baseline_start", "baseline_end", "due_date", "done_date")
    date_parsers = {f: date_parser(table, f, issues) for f in date_fields if f in table.columns}
    _vocabulary(table, "status", parse_status, issues)
    _vocabulary(table, "priority", parse_priority, issues)
    status_parser = _lenient(_translated(parse_status, table.values.get("status", {})))
    priority_parser = _lenient(_translated(parse_priority, table.values.get("priority", {})))
    in_hours = "effort_days" in table.columns and header_unit(table.header("effort_days")) == "hours"
    effort_parser: Callable[[Any], float] = parse_effort
    if in_hours:
        issues.add(
            "warning",
            N_("the efforts of column '{column}' are in hours: converted to person-days at {hours} h a day"),
            sheet=table.sheet,
            row=table.header_row,
            column=table.header("effort_days"),
            hint=N_("if a working day is not {hours} h, set 'Heures par jour' in the Settings sheet"),
            params={"column": table.header("effort_days"), "hours": f"{day_hours:g}"},
        )

        def effort_parser(value: Any) -> float:
            return parse_effort(value, in_hours=True, day_hours=day_hours)

    defaulted_efforts: dict[Priority, int] = {}
    unrated: list[tuple[int, str, Any]] = []  # (row, risk, cell) of the links written without an effectiveness
    known = set(table.columns.values())
    width = max((len(cells) for _, cells in table.rows), default=0)
    others = [  # the columns of no field: kept in Measure.extra under their header
        (i, (table.headers[i] if i < len(table.headers) else "") or column_letter(i))
        for i in range(width)
        if i not in known
    ]
    parsers: dict[str, Callable[[Any], Any]] = {
        "title": to_text,
        "id": to_text,
        "priority": priority_parser,
        "effort_days": effort_parser,
        "status": status_parser,
        "mitigates": parse_mitigations,
        "progress": parse_percent,
        "domain": to_text,
        "team": to_text,
        "owner": to_text,
        "effort_min": effort_parser,
        "effort_max": effort_parser,
        "max_crew": lambda v: parse_int(v, minimum=1),
        "baseline_quarter": parse_quarter,
        "depends_on": parse_id_list,
        "references": to_text,
        "fixed_sprint": lambda v: parse_int(v, minimum=1),
        "notes": to_text,
        **date_parsers,
    }
    read = {
        name: CellReader(table, name, parser, issues, severity="warning" if name in LENIENT_DATES else "error")
        for name, parser in parsers.items()
    }
    assessment = Assessment.of(table, [i for i, _ in others], SAMPLE_ROWS)
    # Every field of every row read column by column (each distinct value once, at C speed); a row where
    # a reader records something (a problem, a default) is read again cell by cell, in the order below
    # (the order of its issues).
    order = ("priority", "effort_days", "status", "mitigates", *date_parsers, "progress", *_LATER_FIELDS)
    columns = {name: read[name].every_row(table.rows) for name in ("title", "id", *order)}
    noted = {pos for column in columns.values() if NOTED in column for pos, v in enumerate(column) if v is NOTED}
    fast_rows = zip(*(columns[name] for name in order), strict=True)
    titles, idents = columns["title"], columns["id"]
    measures = []
    taken: set[str] = set()
    has_ids = "id" in table.columns and not constant_id(table, issues, SAMPLE_ROWS)
    for pos, ((row, cells), fast) in enumerate(zip(table.rows, fast_rows, strict=True)):
        odd = pos in noted
        title = read["title"](row, cells) if odd else titles[pos]
        if not has_ids:
            ident = title and generated_id(title, taken)
        elif odd:
            ident = read["id"](row, cells)
        else:
            ident = idents[pos]
        if not ident or not title:
            column = "id" if not ident else "title"
            issues.add(
                "error",
                N_("this measure has no ID") if not ident else N_("this measure has no title"),
                sheet=table.sheet,
                row=row,
                column=table.header(column),
                value=title or ident,
                hint=N_("give every measure an ID, or delete the row")
                if not ident
                else N_("give every measure a title, or delete the row"),
            )
            continue
        got = dict(zip(order, [read[name](row, cells) for name in order] if odd else fast, strict=True))
        priority = assessment.priority(row, cells, priority_parser, lambda _row, _cells, read=got["priority"]: read)
        priority = priority or Priority.P3
        effort = got["effort_days"]
        status = got["status"] or Status.NOT_STARTED
        if assessment.scope and status is not Status.CANCELLED and assessment.out_of_scope(row, cells):
            status = Status.CANCELLED
        if effort is None:
            effort = DEFAULT_EFFORT_BY_PRIORITY[priority]
            if "effort_days" not in table.columns:
                defaulted_efforts[priority] = defaulted_efforts.get(priority, 0) + 1
            elif is_blank(table.cell(cells, "effort_days")):
                issues.add(
                    "warning",
                    N_("no effort given; {effort} person-days assumed for a {priority} measure"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header("effort_days") if "effort_days" in table.columns else "Charge (j.h)",
                    hint=N_("type the estimated effort in person-days"),
                    params={"effort": f"{effort:g}", "priority": priority},
                )
        links = []
        for risk_id, effectiveness in got["mitigates"] or ():
            if effectiveness is None:
                effectiveness = DEFAULT_EFFECTIVENESS
                unrated.append((row, risk_id, table.cell(cells, "mitigates")))
            links.append(Mitigation(risk_id=risk_id, effectiveness=effectiveness))
        dates = {f: got[f] for f in date_parsers}
        start, end = dates.get("baseline_start"), dates.get("baseline_end")
        if start is not None and end is not None and end < start:
            issues.add(
                "warning",
                N_("the planned end {end} is before the planned start {start}"),
                sheet=table.sheet,
                row=row,
                column=table.header("baseline_end"),
                value=table.cell(cells, "baseline_end"),
                hint=N_("check the two dates (day and month may be swapped); the dates are kept as written"),
                params={"end": end.isoformat(), "start": start.isoformat()},
            )
        typed_progress = got["progress"]
        progress = typed_progress or 0.0
        _check_done(table, cells, row, status, typed_progress, dates.get("done_date"), issues)
        if status is Status.NOT_STARTED and 0 < progress < 100:
            status = Status.IN_PROGRESS
        if progress >= 100 and status in (Status.NOT_STARTED, Status.IN_PROGRESS):
            issues.add(
                "warning",
                N_("progress is 100 % but the status is not done; counted as not done"),
                sheet=table.sheet,
                row=row,
                column=table.header("status"),
                hint=N_("set the status to Fait (Done) if the measure is finished"),
            )
            progress = 0.0 if status is Status.NOT_STARTED else 99.0
        extra = {}
        for i, header in others:  # {header: to_text(cell)} of the filled cells; plain text inlined
            cell = cells[i] if i < len(cells) else None
            if cell.__class__ is str:
                if text := cell.strip():
                    extra[header] = text
            elif cell is not None and not is_blank(cell):
                extra[header] = to_text(cell)
        try:
            measures.append(
                Measure.model_validate(  # as Measure(**fields), without __init__'s cost (a third of it)
                    dict(
                        id=ident,
                        title=title,
                        domain=got["domain"] or table.domains.get(row, ""),
                        team=got["team"] or "",
                        owner=got["owner"] or "",
                        effort_days=effort,
                        effort_min=got["effort_min"],
                        effort_max=got["effort_max"],
                        max_crew=got["max_crew"] or 1,
                        status=status,
                        progress=progress,
                        priority=priority,
                        baseline_quarter=got["baseline_quarter"],
                        depends_on=got["depends_on"] or (),
                        mitigates=tuple(links),
                        references=got["references"] or "",
                        fixed_sprint=got["fixed_sprint"],
                        notes=got["notes"] or "",
                        extra=extra,
                        row=row,
                        **dates,
                    )
                )
            )
        except ValidationError as exc:  # a rule of the model that no parser checks
            issues.add(
                "error",
                N_("invalid measure: {detail}"),
                sheet=table.sheet,
                row=row,
                params={"detail": exc.errors()[0]["msg"]},
            )
    report_assessment(table, assessment, issues)
    _report_unrated(table, unrated, issues)
    if defaulted_efforts:
        issues.add(
            "warning",
            NP_(
                "no effort column: {count} measure takes the default effort of its priority "
                "({defaults} person-days), an estimate to review",
                "no effort column: {count} measures take the default effort of their priority "
                "({defaults} person-days), an estimate to review",
            ),
            sheet=table.sheet,
            row=table.header_row,
            hint=N_("add a column 'Charge (j.h)' with the estimated effort of each measure in person-days"),
            params={
                "count": sum(defaulted_efforts.values()),
                "defaults": ", ".join(f"{p} {d:g}" for p, d in DEFAULT_EFFORT_BY_PRIORITY.items()),
            },
        )
    return measures


UNRATED_EACH = 3
"""Links without an effectiveness reported one by one up to this many; more are one warning."""


def _report_unrated(table: Table, unrated: list[tuple[int, str, Any]], issues: IssueCollector) -> None:
    """The measure ↔ risk links written without an effectiveness (:data:`DEFAULT_EFFECTIVENESS`
    assumed): one warning each, at its cell, when there are a few; one for all of them, naming the
    first rows, when a whole column is written so (``R1; R2`` on every row)."""
    column = table.header("mitigates")
    if len(unrated) <= UNRATED_EACH:
        for row, risk_id, cell in unrated:
            issues.add(
                "warning",
                N_("no effectiveness given for {risk}; {effectiveness} assumed"),
                sheet=table.sheet,
                row=row,
                column=column,
                value=cell,
                hint=N_("write {risk}:0.6 for 60 %"),
                params={"risk": risk_id, "effectiveness": DEFAULT_EFFECTIVENESS},
            )
        return
    rows = sorted({row for row, _, _ in unrated})
    shown = ", ".join(str(r) for r in rows[:5]) + (" …" if len(rows) > 5 else "")
    issues.add(
        "warning",
        NP_(
            "no effectiveness given for {count} link to a risk (rows {rows}); {effectiveness} assumed for each",
            "no effectiveness given for {count} links to risks (rows {rows}); {effectiveness} assumed for each",
        ),
        sheet=table.sheet,
        row=rows[0],
        column=column,
        value=unrated[0][2],
        hint=N_("write {risk}:0.6 for 60 %"),
        params={"count": len(unrated), "rows": shown, "effectiveness": DEFAULT_EFFECTIVENESS, "risk": unrated[0][1]},
    )


def _check_done(
    table: Table,
    cells: list[Any],
    row: int,
    status: Status,
    progress: float | None,
    done: dt.date | None,
    issues: IssueCollector,
) -> None:
    """Warn of a status that its progress or completion date contradicts: done below 100 % (read
    as 100), a completion date on a measure not done (kept, not counted as done). Progress at 100 on a
    measure not done is told by :func:`build_measures` itself."""
    if status is Status.DONE and progress is not None and progress < 100:
        issues.add(
            "warning",
            N_("the status is done but the progress is {progress}; counted as done, at 100"),
            sheet=table.sheet,
            row=row,
            column=table.header("progress"),
            value=table.cell(cells, "progress"),
            hint=N_("type 100 in the progress if the measure is finished, or change its status"),
            params={"progress": f"{progress:g}"},
        )
    if done is not None and status not in (Status.DONE, Status.CANCELLED):
        issues.add(
            "warning",
            N_("a completion date ({date}) on a measure whose status is not done; the measure counts as not done"),
            sheet=table.sheet,
            row=row,
            column=table.header("done_date"),
            value=table.cell(cells, "done_date"),
            hint=N_("set the status to Fait (Done) if the measure is finished, else empty the date"),
            params={"date": done.isoformat()},
        )
