"""One field of a table read row after row, or every row at once (:class:`CellReader`), and the date
parser of a column (:func:`date_parser`), for the row builders of :mod:`roadmap.importing.rows`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from roadmap.errors import CellValueError
from roadmap.i18n import N_
from roadmap.importing.columns import Table
from roadmap.importing.issues import IssueCollector
from roadmap.importing.periods import parse_period
from roadmap.importing.values import detect_day_first, is_blank, parse_date, to_text

MISSING = object()
NOTED = object()
"""A cell whose reading records something (a problem, or a count of the mapping's default used)."""


class CellReader:
    """One field of a table read row after row exactly as :meth:`IssueCollector.parse` reads it (the
    mapping's default for a blank cell, ``None`` for a blank or unreadable one, the problem recorded),
    each distinct cell value parsed once: the parsers are pure, and a column holds the same few
    statuses, teams, dates and efforts on thousands of rows (a third of the load time went to parsing
    them again, benchmarks/bench_import.py --profile 5000)."""

    __slots__ = (
        "cache",
        "column",
        "default",
        "index",
        "issues",
        "name",
        "parser",
        "present",
        "severity",
        "table",
        "text",
    )

    def __init__(
        self, table: Table, name: str, parser: Callable[[Any], Any], issues: IssueCollector, *, severity: str = "error"
    ) -> None:
        self.table, self.issues, self.parser, self.severity = table, issues, parser, severity
        self.index = table.columns.get(name)
        self.present = name in table.columns or name in table.defaults
        self.default = table.defaults.get(name, MISSING)
        self.column = table.header(name)
        self.text = parser is to_text  # text as written: no cache, str.strip at C speed
        self.cache: dict[tuple[type, Any], Any] = {}
        self.name = name

    def every_row(self, rows: list[tuple[int, list[Any]]]) -> list[Any]:
        """The field of every row at once, as :meth:`__call__` reads it but recording nothing:
        :data:`NOTED` for a row whose cell :meth:`__call__` must read, for what it records. Each
        distinct cell value is resolved once, the rest are list look-ups at C speed."""
        if not self.present:
            return [None] * len(rows)
        index = self.index
        if index is None:
            raws: list[Any] = [None] * len(rows)
        else:
            raws = [cells[index] if index < len(cells) else None for _, cells in rows]
        if self.text and self.default is MISSING and all(raw.__class__ is str or raw is None for raw in raws):
            return [(raw.strip() or None) if raw is not None else None for raw in raws]
        resolved: dict[tuple[type, Any], Any] = {}
        resolve = self._resolve
        return [
            resolved[key] if (key := (raw.__class__, raw)) in resolved else resolved.setdefault(key, resolve(raw))
            for raw in raws
        ]

    def _resolve(self, raw: Any) -> Any:
        """What :meth:`__call__` gives for ``raw``, or :data:`NOTED` when it would record something."""
        stripped = raw.strip() if raw.__class__ is str else raw
        if stripped is None or stripped == "" or (isinstance(raw, str) and raw.__class__ is not str and is_blank(raw)):
            return None if self.default is MISSING else NOTED
        if self.text:
            return stripped if raw.__class__ is str else to_text(raw)
        result = self._parsed(raw)
        return NOTED if isinstance(result, CellValueError) else result

    def _parsed(self, raw: Any) -> Any:
        """``parser(raw)``, or the :class:`CellValueError` it raised, parsed once per distinct value."""
        key = (raw.__class__, raw)
        result = self.cache.get(key, MISSING)
        if result is MISSING:
            try:
                result = self.parser(raw)
            except CellValueError as exc:
                result = exc
            self.cache[key] = result
        return result

    def __call__(self, row: int, cells: list[Any]) -> Any:
        if not self.present:
            return None
        index = self.index
        raw = cells[index] if index is not None and index < len(cells) else None
        stripped = raw.strip() if raw.__class__ is str else raw  # a str subclass goes through is_blank
        if stripped is None or stripped == "" or (isinstance(raw, str) and raw.__class__ is not str and is_blank(raw)):
            if self.default is MISSING:
                return None
            defaulted = self.table.defaulted
            defaulted[self.name] = defaulted.get(self.name, 0) + 1
            raw = self.default
            if is_blank(raw):
                return None
            stripped = raw.strip() if raw.__class__ is str else raw
        if self.text:
            return stripped if raw.__class__ is str else to_text(raw)
        result = self._parsed(raw)
        if isinstance(result, CellValueError):
            self.issues.append(
                self.severity,
                result.template,
                result.hint_template,
                result.params,
                sheet=self.table.sheet,
                row=row,
                column=self.column,
                value=raw,
            )
            return None
        return result


def field_values(table: Table, field_name: str) -> list[Any]:
    """``table.cell(cells, field_name)`` of every row (a list comprehension when no default applies)."""
    index = table.columns.get(field_name)
    if table.defaults or index is None:
        return [table.cell(cells, field_name) for _, cells in table.rows]
    return [cells[index] if index < len(cells) else None for _, cells in table.rows]


def date_parser(table: Table, field_name: str, issues: IssueCollector) -> Callable[[Any], dt.date]:
    """A date parser for one column, day-first or month-first as the column's texts decide; the dates
    written as a period (``T2 2025``, ``fin 2025``) are read as its first day for a start, its last
    day otherwise, reported once for the column. A due date or a completion date that is not a date
    is not a reason to refuse the measure: the parser says it is read without that date (a warning,
    :data:`LENIENT_DATES`)."""
    values = field_values(table, field_name)
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
    period_end = field_name != "baseline_start"
    distinct = {v for v in values if v.__class__ is str}  # each text once (a set display: no call per cell)
    periods = {text: span for text in distinct if (span := parse_period(text)) is not None}
    if periods:
        first = next(v for v in values if v.__class__ is str and v in periods)
        raw, span = first.strip(), periods[first]
        count = sum(1 for v in values if v.__class__ is str and v in periods)
        issues.add(
            "warning",
            N_("{count} dates of column '{column}' are periods, read as the period's last day (e.g. '{raw}' → {date})")
            if period_end
            else N_(
                "{count} dates of column '{column}' are periods, read as the period's first day (e.g. '{raw}' → {date})"
            ),
            sheet=table.sheet,
            row=table.header_row,
            column=table.header(field_name),
            value=raw,
            hint=N_("type the exact date where the plan needs it"),
            params={
                "count": count,
                "column": table.header(field_name),
                "raw": raw,
                "date": (span[1] if period_end else span[0]).isoformat(),
            },
        )
    lenient = field_name in LENIENT_DATES

    def parse(value: Any) -> dt.date:
        try:
            return parse_date(value, day_first=day_first, period_end=period_end)
        except CellValueError as exc:
            if not lenient:
                raise
            raise CellValueError(
                N_("not a date: the measure is read without this date"),
                N_("type a date such as 31/03/2027, or leave the cell empty"),
            ) from exc

    return parse


LENIENT_DATES = frozenset({"due_date", "done_date"})
"""The date fields whose unreadable cells are warnings (the measure is planned without that date):
real plans write ``TBD``, ``à définir`` or ``en continu`` there."""
