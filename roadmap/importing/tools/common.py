"""What the readers of the tools' exports share: :class:`Converter` (a copy of the export's table
whose cells are rewritten in Rempart's terms, with the column mapping, the conversions done and the
warnings), :class:`SourceTool` (what the Données page says of the file) and the dates the tools
write (``07-03-2027 17:00``, ``01/Mar/27 9:00 AM``, ``01/mars/27``, ``lun. 03/03/25``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from babel import dates as babel_dates

from roadmap.errors import CellValueError
from roadmap.i18n import N_, translation
from roadmap.importing.mapping import ColumnMapping
from roadmap.importing.tables import Rows
from roadmap.importing.values import EXCEL_EPOCH, is_blank, normalize, parse_status, to_text
from roadmap.models import Issue, Status


@dataclass(frozen=True)
class Conversion:
    """One thing converted from the tool's terms to Rempart's, shown on the Données page.

    Attributes:
        template: the English text with ``{placeholders}``: the msgid of the gettext catalogue.
        params: placeholder → text.
        plural: the plural msgid of ``template`` (``""`` without one): the sentence is then chosen
            by the ``count`` placeholder (gettext's ``ngettext``), never "task(s)".
    """

    template: str
    params: tuple[tuple[str, str], ...] = ()
    plural: str = ""

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` (``"fr"`` or ``"en"``)."""
        catalogue, params = translation(lang), dict(self.params)
        count = params.get("count", "")
        if self.plural and count.isdigit():
            return catalogue.ngettext(self.template, self.plural, int(count)).format(**params)
        return catalogue.gettext(self.template).format(**params)


@dataclass(frozen=True)
class SourceTool:
    """The tool a file was exported from, recognised from its headers (no column mapping).

    Attributes:
        tool: ``"glpi"``, ``"jira"`` or ``"msproject"``.
        name: the tool's name as people say it (``GLPI``, ``Jira``, ``MS Project / ProjectLibre``).
        kind: what the export lists (``tickets``, ``project tasks``, ``issues``, ``tasks``).
        language: ``"fr"`` or ``"en"``: the language of the export's headers.
        sheet: the sheet (or CSV file) read.
        conversions: what was converted, in reading order.
    """

    tool: str
    name: str
    kind: str
    language: str
    sheet: str
    conversions: tuple[Conversion, ...] = ()


@dataclass(frozen=True)
class ToolExport:
    """A tool's export made readable by the loader: its rows (the cells of the columns read rewritten
    in Rempart's terms, the derived columns appended right of the table), the mapping that reads
    them, the source and the warnings to report."""

    source: SourceTool
    rows: Rows
    mapping: ColumnMapping
    issues: tuple[Issue, ...]


class Converter:
    """A copy of an export's table being rewritten; what a tool's reader works on.

    Rows keep their positions (so issues name the row of the file); a row that is not a measure
    (a summary task, an epic) is blanked and reported with :meth:`skip`.
    """

    def __init__(self, sheet: str, rows: Rows, header_index: int, language: str) -> None:
        self.sheet = sheet
        self.header_index = header_index
        self.language = language
        self.rows: Rows = [list(cells) for cells in rows]
        self.headers = [to_text(c) for c in rows[header_index]]
        self.keys = [normalize(h) for h in self.headers]
        self.columns: dict[str, str] = {}
        self.conversions: list[Conversion] = []
        self.issues: list[Issue] = []

    def find(self, *names: str) -> int | None:
        """The first column whose normalised header is one of ``names``, else ``None``."""
        wanted = set(names)
        return next((i for i, key in enumerate(self.keys) if key in wanted), None)

    def find_all(self, *names: str) -> list[int]:
        """Every column whose normalised header is one of ``names`` (repeated columns)."""
        wanted = set(names)
        return [i for i, key in enumerate(self.keys) if key in wanted]

    def data(self) -> Iterator[tuple[int, list[Any]]]:
        """``(excel_row, cells)`` of each non-blank row under the header (cells are the copy's)."""
        for index in range(self.header_index + 1, len(self.rows)):
            cells = self.rows[index]
            if any(not is_blank(c) for c in cells):
                yield index + 1, cells

    def get(self, cells: Sequence[Any], column: int | None) -> Any:
        return cells[column] if column is not None and column < len(cells) else None

    def text(self, cells: Sequence[Any], column: int | None) -> str:
        return to_text(self.get(cells, column))

    def put(self, cells: list[Any], column: int, value: Any) -> None:
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = value

    def read_as(self, column: int | None, field_name: str) -> None:
        """Read column ``column`` (its cells as rewritten) as the measure field ``field_name``."""
        if column is not None and self.headers[column] and self.headers[column] not in self.columns:
            self.columns[self.headers[column]] = field_name

    def add_column(self, header: str, field_name: str) -> int:
        """A derived column appended right of the table, read as ``field_name``; its index."""
        while header in self.headers:
            header += " *"
        self.headers.append(header)
        self.keys.append(normalize(header))
        self.rows[self.header_index].extend([None] * (len(self.headers) - 1 - len(self.rows[self.header_index])))
        self.rows[self.header_index].append(header)
        self.columns[header] = field_name
        return len(self.headers) - 1

    def merge_repeated(self, columns: Sequence[int], separator: str = ", ") -> None:
        """Repeated columns (Jira's ``Labels``, ``Component/s``) kept together: every value in the
        first one (in order, without duplicates), the others blanked."""
        if len(columns) < 2:
            return
        for _, cells in self.data():
            values = [self.text(cells, c) for c in columns]
            self.put(cells, columns[0], separator.join(dict.fromkeys(v for v in values if v)) or None)
            for column in columns[1:]:
                self.put(cells, column, None)

    def convert(self, template: str | tuple[str, str], **params: object) -> None:
        """Record a conversion for the Données page: an :func:`N_` template, or an :func:`NP_` pair
        (singular, plural) chosen by the ``count`` parameter."""
        singular, plural = (template, "") if isinstance(template, str) else template
        self.conversions.append(Conversion(singular, tuple((k, str(v)) for k, v in params.items()), plural))

    def statuses(self, seen: dict[str, str]) -> None:
        """Record how the tool's statuses were read: ``{tool's label: Rempart's status value}``."""
        templates = {
            "not_started": N_("statuses read as to do: {values}"),
            "in_progress": N_("statuses read as in progress: {values}"),
            "done": N_("statuses read as done: {values}"),
            "blocked": N_("statuses read as blocked: {values}"),
            "cancelled": N_("statuses read as cancelled: {values}"),
        }
        for status, template in templates.items():
            labels = [label for label, value in seen.items() if value == status]
            if labels:
                self.convert(template, values=", ".join(labels))

    def warn(
        self,
        template: str | tuple[str, str],
        hint: str,
        *,
        row: int | None = None,
        column: int | None = None,
        shown: object = None,
        **params: object,
    ) -> None:
        """Record a warning of the import (``template``: an :func:`N_` template or an :func:`NP_`
        pair chosen by the ``count`` parameter; ``hint``: an :func:`N_` template)."""
        pairs = tuple((k, str(v)) for k, v in params.items())
        fields = dict(pairs)
        singular, plural = (template, "") if isinstance(template, str) else template
        one = fields.get("count") == "1"
        self.issues.append(
            Issue(
                severity="warning",
                message=(singular if one or not plural else plural).format(**fields),
                sheet=self.sheet,
                row=row,
                column=self.headers[column] if column is not None else None,
                value=None if shown is None else to_text(shown)[:60],
                hint=hint.format(**fields),
                template=singular,
                hint_template=hint,
                params=pairs,
                plural_template=plural,
            )
        )

    def skip(self, row: int, template: str, value: str) -> None:
        """Blank row ``row`` (not a measure) and report why (``template`` names ``{value}``)."""
        self.rows[row - 1] = [None] * len(self.rows[row - 1])
        self.warn(template, N_("nothing to do if this row holds no measure"), row=row, shown=value, value=value[:40])

    def export(self, *, tool: str, name: str, kind: str) -> ToolExport:
        source = SourceTool(tool, name, kind, self.language, self.sheet, tuple(self.conversions))
        mapping = ColumnMapping(sheet=self.sheet, header_row=self.header_index + 1, columns=self.columns)
        return ToolExport(source=source, rows=self.rows, mapping=mapping, issues=tuple(self.issues))


def header_row(rows: Rows, signature: Iterable[frozenset[str]], *, scan: int = 5) -> int | None:
    """0-based index of the first of the top ``scan`` rows whose normalised cells include one name of
    each set of ``signature``, else ``None``."""
    groups = list(signature)
    for index, keys in enumerate(_top_keys(rows, scan)):
        if all(keys & group for group in groups):
            return index
    return None


_KEYS: list[tuple[Rows, int, list[frozenset[str]]]] = []


def forget_tables() -> None:
    """Drop the table :func:`header_row` remembers (called once every tool has looked at a file)."""
    _KEYS.clear()


def _top_keys(rows: Rows, scan: int) -> list[frozenset[str]]:
    """The normalised text cells of the top ``scan`` rows, computed once per table (every tool's
    signature is tried on every sheet; a header row may have 16,384 cells)."""
    if _KEYS and _KEYS[0][0] is rows and _KEYS[0][1] == scan:
        return _KEYS[0][2]
    keys = [frozenset(normalize(c) for c in cells if isinstance(c, str) and len(c) < 200) for cells in rows[:scan]]
    _KEYS[:] = [(rows, scan, keys)]
    return keys


@cache
def _month_names() -> dict[str, int]:
    """Month names and abbreviations of French and English (Babel's CLDR data), normalised."""
    names: dict[str, int] = {}
    for locale in ("en", "fr"):
        for width in ("abbreviated", "wide"):
            for context in ("format", "stand-alone"):
                for month, label in babel_dates.get_month_names(width, context, locale=locale).items():
                    names.setdefault(normalize(label), month)
    names.update({"sept": 9, "fev": 2, "juil": 7, "juill": 7, "dec": 12, "aou": 8})
    return names


_NAMED = re.compile(r"^(\d{1,2})[/\-. ]([^\W\d_]+)\.?[/\-. ](\d{2}|\d{4})\b")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})\b")
_WEEKDAY = re.compile(r"^[^\W\d_]{2,9}\.?\s+(?=\d)")


def parse_tool_date(value: object, *, day_first: bool = True) -> dt.date:
    """A date as the tools export it; the time, when there is one, is dropped.

    Accepts date cells, Excel serial numbers, ISO ``2027-03-07 17:00``, ``07-03-2027 17:00`` and
    ``07/03/27`` (``day_first``; month first when false), month names in French or English
    (``01/Mar/27 9:00 AM``, ``01/mars/27``, ``3 mars 2027``) and a weekday in front (``lun. 03/03/25``,
    ``Mon 3/3/25``). Two-digit years are 20yy.

    Raises:
        CellValueError: not such a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20_000 <= value <= 80_000:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = _WEEKDAY.sub("", to_text(value))
    try:
        if match := _ISO.match(text):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if (match := _NAMED.match(text)) and (month := _month_names().get(normalize(match.group(2)))):
            return dt.date(_year(match.group(3)), month, int(match.group(1)))
        if match := _NUMERIC.match(text):
            first, second = int(match.group(1)), int(match.group(2))
            day, month = (first, second) if day_first else (second, first)
            return dt.date(_year(match.group(3)), month, day)
    except ValueError:
        raise CellValueError(N_("this date does not exist"), N_("check the day and the month")) from None
    raise CellValueError(N_("expected a date"), N_("type a date such as 31/03/2027 or 2027-03-31"))


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def day_first_of(values: Iterable[object], default: bool) -> tuple[bool, bool]:
    """Whether the ``nn-nn-yy(yy)`` texts of a column are day-first, and whether the column decided it
    (a first number above 12 says day first, a second one month first); else ``default``."""
    day = month = False
    for value in values:
        match = _NUMERIC.match(_WEEKDAY.sub("", value)) if isinstance(value, str) else None
        if match:
            day |= int(match.group(1)) > 12
            month |= int(match.group(2)) > 12
    if day != month:
        return day, True
    return default, False


@dataclass
class DateColumn:
    """The dates of one column rewritten as date cells; unreadable ones are left for the loader to report."""

    converter: Converter
    column: int | None
    default_day_first: bool
    known: bool = False  # the order was decided elsewhere (another date column of the file): no warning
    example: tuple[str, dt.date] | None = field(default=None, init=False)

    def rewrite(self) -> None:
        conv, column = self.converter, self.column
        if column is None:
            return
        values = [conv.get(cells, column) for _, cells in conv.data()]
        day_first, decided = day_first_of(values, self.default_day_first)
        decided |= self.known
        ambiguous = False
        for _, cells in conv.data():
            raw = conv.get(cells, column)
            if is_blank(raw) or isinstance(raw, dt.date):
                continue
            try:
                parsed = parse_tool_date(raw, day_first=day_first)
            except CellValueError:
                continue
            ambiguous |= isinstance(raw, str) and bool(_NUMERIC.match(_WEEKDAY.sub("", raw)))
            self.example = self.example or (to_text(raw), parsed)
            conv.put(cells, column, parsed)
        if ambiguous and not decided:
            conv.warn(
                N_("dates of column '{header}' whose order (day/month) the column does not tell: read day first")
                if day_first
                else N_(
                    "dates of column '{header}' whose order (day/month) the column does not tell: read month first"
                ),
                N_("check one of them against the tool; export ISO dates (2027-03-31) to remove the doubt"),
                row=conv.header_index + 1,
                column=column,
                header=conv.headers[column],
            )


def tool_status(raw: str, vocabulary: Mapping[str, Status]) -> Status | None:
    """The status a tool's cell names: the tool's own ``vocabulary`` (normalised text → status)
    first, then Rempart's (:func:`roadmap.importing.values.parse_status`); ``None`` when neither
    knows it (the loader then reports the value once)."""
    status = vocabulary.get(normalize(raw))
    if status is not None:
        return status
    try:
        return parse_status(raw)
    except CellValueError:
        return None
