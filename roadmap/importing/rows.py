"""Tables → measures, risks, teams and settings, one row at a time, with the issues of each row.

A cell that cannot be read is recorded (:class:`IssueCollector`) with its sheet, row, column,
value and fix, and the field takes its default, so that the later checks can go on. A measures
table may also be read as a confirmed :class:`~roadmap.importing.mapping.ColumnMapping` says
(:func:`mapped_table`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from roadmap.errors import CellValueError
from roadmap.i18n import N_, NP_
from roadmap.importing.columns import (
    MEASURE_COLUMNS,
    Table,
    body_rows,
    column_letter,
    header_unit,
)
from roadmap.importing.inference import sort_rows
from roadmap.importing.mapping import ColumnMapping
from roadmap.importing.tables import Rows
from roadmap.importing.values import (
    detect_day_first,
    is_blank,
    normalize,
    parse_date,
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
from roadmap.models import Issue, Measure, Mitigation, Priority, Status

DEFAULT_EFFORT_BY_PRIORITY: dict[Priority, float] = {
    Priority.P1: 8.0,
    Priority.P2: 5.0,
    Priority.P3: 3.0,
    Priority.P4: 2.0,
}
"""Effort in person-days assumed for a measure whose effort is missing (reported as a warning)."""


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


class IssueCollector:
    """Collects issues while building models from one table."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.refused_teams: set[str] = set()
        self.unknown_values: dict[str, list[tuple[str, int]]] = {}  # field -> (value, rows holding it)

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(
        self,
        severity: str,
        message: str | tuple[str, str],
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        """Record an issue; ``message`` and ``hint`` are :func:`N_` templates filled from ``params``
        (``message`` an :func:`NP_` pair when it has a plural: chosen by ``params["count"]``)."""
        pairs = tuple((name, str(text)) for name, text in (params or {}).items())
        singular, plural = message if isinstance(message, tuple) else (message, "")
        self.append(severity, singular, hint, pairs, sheet=sheet, row=row, column=column, value=value, plural=plural)

    def append(
        self,
        severity: str,
        template: str,
        hint_template: str,
        params: tuple[tuple[str, str], ...],
        *,
        sheet: str | None,
        row: int | None,
        column: str | None,
        value: object,
        plural: str = "",
    ) -> None:
        fields = dict(params)
        english = plural if plural and fields.get("count") != "1" else template
        self.issues.append(
            Issue(
                severity=severity,
                message=english.format(**fields) if fields else english,
                sheet=sheet,
                row=row,
                column=column,
                value=None if value is None else shorten(value),
                hint=hint_template.format(**fields) if fields else hint_template,
                template=template,
                hint_template=hint_template,
                params=params,
                plural_template=plural,
            )
        )

    def parse(
        self,
        table: Table,
        row: int,
        cells: list[Any],
        field_name: str,
        parser: Callable[[Any], Any],
        *,
        severity: str = "error",
    ) -> Any:
        """Parse one cell; ``None`` when blank or unreadable (the problem is recorded)."""
        raw = table.cell(cells, field_name)
        if is_blank(raw):
            return None
        try:
            return parser(raw)
        except CellValueError as exc:
            self.append(
                severity,
                exc.template,
                exc.hint_template,
                exc.params,
                sheet=table.sheet,
                row=row,
                column=table.header(field_name),
                value=raw,
            )
            return None


def _date_parser(table: Table, field_name: str, issues: IssueCollector) -> Callable[[Any], dt.date]:
    """A date parser for one column, day-first or month-first as the column's texts decide."""
    values = [table.cell(cells, field_name) for _, cells in table.rows]
    day_first = detect_day_first(values)
    if day_first is None:
        ambiguous = [v for v in values if isinstance(v, str) and "/" in v]
        if ambiguous:
            issues.add(
                "warning",
                N_(
                    "dates written nn/nn/yyyy whose order (day/month) cannot be told from the "
                    "column; they are read day first (31/03/2027)"
                ),
                sheet=table.sheet,
                row=table.header_row,
                column=table.header(field_name),
                value=ambiguous[0],
                hint=N_("use real date cells or ISO dates (2027-03-31) to remove the doubt"),
            )
        day_first = True

    def parse(value: Any) -> dt.date:
        return parse_date(value, day_first=day_first)

    return parse


def _vocabulary(table: Table, field_name: str, parser: Callable[[Any], Any], issues: IssueCollector) -> None:
    """One warning per distinct value of a status or priority column that ``parser`` does not know,
    naming the value, how many rows hold it (and the first ones) and the fix; those rows take the
    default (to do, P3) instead of an error each."""
    if field_name not in table.columns:
        return
    parser = _translated(parser, table.values.get(field_name, {}))
    unknown: dict[str, tuple[Any, list[int]]] = {}
    for row, cells in table.rows:
        raw = table.cell(cells, field_name)
        if is_blank(raw):
            continue
        key = normalize(to_text(raw))
        if key in unknown:
            unknown[key][1].append(row)
            continue
        try:
            parser(raw)
        except CellValueError:
            unknown[key] = (raw, [row])
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


def build_measures(table: Table, issues: IssueCollector, *, day_hours: float = 7.0) -> list[Measure]:
    """The measures of a table, with the issues of each row (see the module's docstring).

    Args:
        table: the measures table, rows that are not measures already out (:func:`sorted_table`).
        day_hours: hours in a working day; efforts of a column whose header says hours
            (``Charge (h)``) are divided by it to give person-days, and the conversion is reported.
    """
    date_fields = ("baseline_start", "baseline_end", "due_date", "done_date")
    date_parsers = {f: _date_parser(table, f, issues) for f in date_fields if f in table.columns}
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
    known = set(table.columns.values())
    measures = []
    taken: set[str] = set()
    for row, cells in table.rows:

        def value(
            name: str,
            parser: Callable[[Any], Any],
            *,
            severity: str = "error",
            _row: int = row,
            _cells: list[Any] = cells,
        ) -> Any:
            if name not in table.columns and name not in table.defaults:
                return None
            return issues.parse(table, _row, _cells, name, parser, severity=severity)

        title = value("title", to_text)
        ident = value("id", to_text) if "id" in table.columns else (title and generated_id(title, taken))
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
        priority = value("priority", priority_parser) or Priority.P3
        effort = value("effort_days", effort_parser)
        status = value("status", status_parser) or Status.NOT_STARTED
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
        for risk_id, effectiveness in value("mitigates", parse_mitigations) or ():
            if effectiveness is None:
                effectiveness = DEFAULT_EFFECTIVENESS
                issues.add(
                    "warning",
                    N_("no effectiveness given for {risk}; {effectiveness} assumed"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header("mitigates"),
                    value=table.cell(cells, "mitigates"),
                    hint=N_("write {risk}:0.6 for 60 %"),
                    params={"risk": risk_id, "effectiveness": DEFAULT_EFFECTIVENESS},
                )
            links.append(Mitigation(risk_id=risk_id, effectiveness=effectiveness))
        dates = {f: value(f, p) for f, p in date_parsers.items()}
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
        progress = value("progress", parse_percent) or 0.0
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
        extra = {
            (table.headers[i] if i < len(table.headers) else "") or column_letter(i): to_text(c)
            for i, c in enumerate(cells)
            if i not in known and not is_blank(c)
        }
        try:
            measures.append(
                Measure(
                    id=ident,
                    title=title,
                    domain=value("domain", to_text) or table.domains.get(row, ""),
                    team=value("team", to_text) or "",
                    owner=value("owner", to_text) or "",
                    effort_days=effort,
                    effort_min=value("effort_min", effort_parser),
                    effort_max=value("effort_max", effort_parser),
                    max_crew=value("max_crew", lambda v: parse_int(v, minimum=1)) or 1,
                    status=status,
                    progress=progress,
                    priority=priority,
                    baseline_quarter=value("baseline_quarter", parse_quarter),
                    depends_on=value("depends_on", parse_id_list) or (),
                    mitigates=tuple(links),
                    references=value("references", to_text) or "",
                    fixed_sprint=value("fixed_sprint", lambda v: parse_int(v, minimum=1)),
                    notes=value("notes", to_text) or "",
                    extra=extra,
                    row=row,
                    **dates,
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


def generated_id(title: str, taken: set[str]) -> str:
    """A stable ID for a measure that has none: ``M-`` and 6 hex digits of the SHA-1 of its
    normalised title (``-2``, ``-3``… for repeated titles), added to ``taken``."""
    base = "M-" + hashlib.sha1(normalize(title).encode()).hexdigest()[:6].upper()
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return ident
