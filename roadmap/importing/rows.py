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

import holidays
from pydantic import ValidationError

from roadmap.errors import CellValueError
from roadmap.i18n import N_
from roadmap.importing.columns import MEASURE_COLUMNS, SETTING_KEYS, Table, body_rows, column_letter, match_field
from roadmap.importing.mapping import ColumnMapping
from roadmap.importing.tables import Rows
from roadmap.importing.values import (
    detect_day_first,
    is_blank,
    normalize,
    parse_bool,
    parse_date,
    parse_effort,
    parse_id_list,
    parse_int,
    parse_level_name,
    parse_mitigations,
    parse_number,
    parse_percent,
    parse_priority,
    parse_quarter,
    parse_scale_level,
    parse_status,
    shorten,
    to_text,
)
from roadmap.models import Issue, Measure, Mitigation, Priority, Risk, Settings, Status, Team
from roadmap.risk import level_of_score

DEFAULT_EFFORT_BY_PRIORITY: dict[Priority, float] = {
    Priority.P1: 8.0,
    Priority.P2: 5.0,
    Priority.P3: 3.0,
    Priority.P4: 2.0,
}
"""Effort in person-days assumed for a measure whose effort is missing (reported as a warning)."""


DEFAULT_EFFECTIVENESS = 0.5
"""Effectiveness assumed for a measure↔risk link written without one (reported as a warning)."""


_FRENCH_CALENDARS = {"france", "fr", "francaise"}


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
    return Table(sheet, mapping.header_row, columns, headers, data, skipped, dict(mapping.defaults))


class IssueCollector:
    """Collects issues while building models from one table."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.refused_teams: set[str] = set()

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(
        self,
        severity: str,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        """Record an issue; ``message`` and ``hint`` are :func:`N_` templates filled from ``params``."""
        pairs = tuple((name, str(text)) for name, text in (params or {}).items())
        self.append(severity, message, hint, pairs, sheet=sheet, row=row, column=column, value=value)

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
    ) -> None:
        fields = dict(params)
        self.issues.append(
            Issue(
                severity=severity,
                message=template.format(**fields) if fields else template,
                sheet=sheet,
                row=row,
                column=column,
                value=None if value is None else shorten(value),
                hint=hint_template.format(**fields) if fields else hint_template,
                template=template,
                hint_template=hint_template,
                params=params,
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


def build_measures(table: Table, issues: IssueCollector) -> list[Measure]:
    date_fields = ("baseline_start", "baseline_end", "due_date", "done_date")
    date_parsers = {f: _date_parser(table, f, issues) for f in date_fields if f in table.columns}
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
        priority = value("priority", parse_priority) or Priority.P3
        effort = value("effort_days", parse_effort)
        status = value("status", parse_status) or Status.NOT_STARTED
        if effort is None:
            effort = DEFAULT_EFFORT_BY_PRIORITY[priority]
            if is_blank(table.cell(cells, "effort_days")):
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
                    domain=value("domain", to_text) or "",
                    team=value("team", to_text) or "",
                    owner=value("owner", to_text) or "",
                    effort_days=effort,
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


def build_risks(table: Table, issues: IssueCollector, scales: tuple[int, int]) -> list[Risk]:
    likelihood_scale, severity_scale = scales
    risks = []
    for row, cells in table.rows:
        ident = issues.parse(table, row, cells, "id", to_text)
        if not ident:
            issues.add(
                "error",
                N_("this risk has no ID"),
                sheet=table.sheet,
                row=row,
                column=table.header("id"),
                hint=N_("give every risk an ID such as R01, or delete the row"),
            )
            continue
        likelihood = issues.parse(
            table, row, cells, "likelihood", lambda v: parse_scale_level(v, kind="likelihood", scale=likelihood_scale)
        )
        severity = issues.parse(
            table, row, cells, "severity", lambda v: parse_scale_level(v, kind="severity", scale=severity_scale)
        )
        for name, level in (("likelihood", likelihood), ("severity", severity)):
            if level is None and is_blank(table.cell(cells, name)):
                issues.add(
                    "error",
                    N_("this risk has no likelihood") if name == "likelihood" else N_("this risk has no severity"),
                    sheet=table.sheet,
                    row=row,
                    column=table.header(name),
                    hint=N_("type the likelihood (1 to 4, or V1–V4 / G1–G4)")
                    if name == "likelihood"
                    else N_("type the severity (1 to 4, or V1–V4 / G1–G4)"),
                )
        if likelihood is None or severity is None:
            continue

        def target(value: Any) -> int:
            text = to_text(value)
            if text.replace(".", "", 1).replace(",", "", 1).isdigit():
                return level_of_score(parse_number(value), max_score=likelihood_scale * severity_scale)
            return parse_level_name(value)

        risks.append(
            Risk(
                id=ident,
                scenario=issues.parse(table, row, cells, "scenario", to_text) or "",
                likelihood=likelihood,
                severity=severity,
                target_level=issues.parse(table, row, cells, "target_level", target),
                row=row,
            )
        )
    return risks


def build_teams(table: Table, issues: IssueCollector) -> list[Team]:
    """The valid teams; the names of rows refused for their FTE go to ``issues.refused_teams`` so
    that the measures of those teams are not reported again as having an unknown team."""
    teams = []
    for row, cells in table.rows:
        name = issues.parse(table, row, cells, "name", to_text)
        fte = issues.parse(table, row, cells, "fte", parse_number)
        if not name:
            issues.add(
                "error",
                N_("this team has no name"),
                sheet=table.sheet,
                row=row,
                column=table.header("name"),
                hint=N_("name the team as in the Measures sheet, or delete the row"),
            )
            continue
        if fte is None and not is_blank(table.cell(cells, "fte")):  # unreadable: already reported
            issues.refused_teams.add(name)
            continue
        if fte is None or not 0 < fte <= 10_000:
            issues.add(
                "error",
                N_("FTE must be a number above 0 and at most 10,000"),
                sheet=table.sheet,
                row=row,
                column=table.header("fte"),
                value=table.cell(cells, "fte"),
                hint=N_("type the team's full-time equivalents, e.g. 3 or 2,5"),
            )
            issues.refused_teams.add(name)
            continue
        availability = issues.parse(table, row, cells, "availability", parse_percent)
        reinforcement = issues.parse(table, row, cells, "reinforcement", parse_number)
        if reinforcement is not None and not 0 <= reinforcement <= 10_000:
            issues.add(
                "error",
                N_("reinforcement must be 0 to 10,000 person-days per week"),
                sheet=table.sheet,
                row=row,
                column=table.header("reinforcement"),
                value=reinforcement,
                hint=N_("type 0 or more"),
            )
            reinforcement = None
        teams.append(
            Team(
                name=name,
                fte=fte,
                availability=1.0 if availability is None else availability / 100,
                reinforcement=reinforcement or 0.0,
                row=row,
            )
        )
    return teams


def build_settings(table: Table, issues: IssueCollector) -> Settings:
    parsers: dict[str, Callable[[Any], Any]] = {
        "establishment": to_text,
        "start_date": parse_date,
        "horizon_weeks": lambda v: _in_range(
            parse_int(v, minimum=0), 1, 156, N_("the horizon must be {low} to {high} weeks")
        ),
        "sprint_weeks": lambda v: _in_range(
            parse_int(v, minimum=0), 1, 12, N_("the sprint length must be {low} to {high} weeks")
        ),
        "calendar": _parse_calendar,
        "likelihood_scale": _parse_scale_top,
        "severity_scale": _parse_scale_top,
        "partial_credit": parse_bool,
    }
    values: dict[str, Any] = {}
    for row, cells in table.rows:
        key = table.cell(cells, "key")
        name = match_field(to_text(key), SETTING_KEYS)
        if name is None:
            issues.add(
                "warning",
                N_("unknown setting, ignored"),
                sheet=table.sheet,
                row=row,
                column=table.header("key"),
                value=key,
                hint=N_("known settings: {settings}"),
                params={"settings": ", ".join(words[0] for words in SETTING_KEYS.values())},
            )
            continue
        parsed = issues.parse(table, row, cells, "value", parsers[name])
        if parsed is not None:
            values[name] = parsed
    try:
        return Settings(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        issues.add(
            "error",
            N_("setting {setting}: {detail}"),
            sheet=table.sheet,
            hint=N_("horizon 1–156 weeks, sprint 1–12 weeks, scales 2–10"),
            params={"setting": error["loc"][0], "detail": error["msg"]},
        )
        return Settings()


def _in_range(value: int, low: int, high: int, message: str) -> int:
    """``value``, or a :class:`CellValueError` with ``message`` (an :func:`N_` template with ``{low}``
    and ``{high}``) when it is outside ``low`` … ``high`` weeks."""
    if not low <= value <= high:
        raise CellValueError(
            message, N_("type a number of weeks from {low} to {high}"), params={"low": low, "high": high}
        )
    return value


def _parse_calendar(value: Any) -> str:
    """``France``/``FR`` → ``FR``; ``aucun``/``none`` → ``""`` (no holidays); another ISO country code
    known to the ``holidays`` package."""
    key = normalize(value)
    if key in _FRENCH_CALENDARS:
        return "FR"
    if key in {"aucun", "none", "non", "no"}:
        return ""
    code = to_text(value).upper()
    try:
        holidays.country_holidays(code)
    except NotImplementedError:
        raise CellValueError(
            N_("unknown calendar {code}"),
            N_("write France, a country code such as BE or CH, or Aucun"),
            params={"code": repr(code)},
        ) from None
    return code


def _parse_scale_top(value: Any) -> int:
    """``4``, ``"1-4"``, ``"1 à 4"`` → 4."""
    text = to_text(value)
    return parse_int(text.replace("à", "-").split("-")[-1].strip() if "-" in text or "à" in text else value)
