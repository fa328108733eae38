"""Load a roadmap workbook (PRODUCT.md §4) from ``.xlsx``, ``.xlsm``, ``.ods`` or ``.csv``.

:func:`load_workbook` never stops at the first problem: it returns the roadmap it could build
together with every issue found, each naming the sheet, the row and column as Excel shows them,
the value and a fix. :func:`load_roadmap` does the same but raises
:class:`~roadmap.errors.InvalidWorkbookError` when any issue is blocking.

The steps: the tables (:mod:`~roadmap.importing.tables`), each sheet's role and header
(:mod:`~roadmap.importing.columns`, or a :class:`~roadmap.importing.mapping.ColumnMapping`), the
rows (:mod:`~roadmap.importing.rows`), the checks across sheets (:mod:`~roadmap.importing.checks`).
A CSV file holds the Measures sheet alone.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roadmap.errors import InvalidWorkbookError, WorkbookError
from roadmap.i18n import N_, NP_
from roadmap.importing.checks import (
    check_roadmap,
    has_macros,
    report_hidden_sheets,
    report_table_block,
    report_table_notes,
    report_table_stack,
    report_text_notes,
    report_unsaved_formulas,
)
from roadmap.importing.colours import status_from_colours
from roadmap.importing.columns import (
    HEADER_SCAN_ROWS,
    MEASURE_COLUMNS,
    Table,
    assign_sheets,
    find_table,
)
from roadmap.importing.isolation import SheetTables
from roadmap.importing.issues import IssueCollector
from roadmap.importing.mapping import ColumnMapping
from roadmap.importing.rows import (
    build_measures,
    mapped_table,
    sorted_table,
)
from roadmap.importing.sheets import build_risks, build_settings, build_teams, risk_scales
from roadmap.importing.synonyms import RISK_COLUMNS, SETTINGS_COLUMNS, TEAM_COLUMNS
from roadmap.importing.tables import read_tables
from roadmap.importing.tools import JIRA_DAY_HOURS, SourceTool, recognise_export
from roadmap.importing.values import (
    is_blank,
)
from roadmap.models import Issue, Roadmap, Settings


@dataclass(frozen=True)
class LoadResult:
    """What :func:`load_workbook` found.

    Attributes:
        roadmap: the roadmap built from every readable row (measures with a bad cell get the
            field's default, so that later checks can go on).
        issues: every issue, in sheet and row order.
        sheets: sheet name in the file → the §4 sheet it was read as (``measures``, ``risks``,
            ``teams``, ``settings``) or ``None`` when ignored.
        source: the tool the file was exported from (GLPI, Jira, MS Project / ProjectLibre) and
            what was converted, when its headers say so (:mod:`roadmap.importing.tools`); else ``None``.
        header_row: the 1-based header row of the measures table read (``None`` when none).
        columns: header text → field of the measures table, as read (named, inferred or mapped).
        unknown_values: ``status`` / ``priority`` → (value, number of rows) of each distinct value
            outside the vocabulary, in order of appearance: what the mapping step asks about once.
    """

    roadmap: Roadmap
    issues: tuple[Issue, ...]
    sheets: Mapping[str, str | None] = field(default_factory=dict)
    source: SourceTool | None = None
    header_row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    unknown_values: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Issue]:
        """The blocking issues."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when no issue blocks planning."""
        return not self.errors


_collector_lock = threading.Lock()
_collector_pauses = [0, True]  # loads under way, whether the collector was on before the first


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a workbook is read: the rows and models built
    hold no reference cycle, and its passes over tens of thousands of new objects took a quarter of
    the load time (benchmarks/bench_import.py). Counted, so that concurrent loads (Streamlit
    sessions) turn it back on once, after the last one."""
    with _collector_lock:
        if _collector_pauses[0] == 0:
            _collector_pauses[1] = gc.isenabled()
            gc.disable()
        _collector_pauses[0] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_pauses[0] -= 1
            if _collector_pauses[0] == 0 and _collector_pauses[1]:
                gc.enable()


def load_workbook(
    source: bytes | str | Path,
    *,
    filename: str | None = None,
    mapping: ColumnMapping | None = None,
    jira_day_hours: float = JIRA_DAY_HOURS,
) -> LoadResult:
    """Read a roadmap workbook and report every issue.

    Args:
        source: the file's bytes, or its path.
        filename: the file's name when ``source`` is bytes (for its extension and messages).
        mapping: a confirmed reading of the measures sheet of a workbook in another layout
            (:class:`roadmap.importing.mapping.ColumnMapping`); without it, sheets and columns are found by
            their French or English names. Measures without an ID column get generated IDs.
            Without it, an export of GLPI, Jira or MS Project / ProjectLibre is recognised from its
            headers and read as the tool meant it (:mod:`roadmap.importing.tools`).
        jira_day_hours: hours in a working day for Jira's estimates in seconds (8, Jira's default).

    Returns:
        A :class:`LoadResult`: the roadmap (possibly partial) and the issues.

    Raises:
        NotASpreadsheetError: the file is not a spreadsheet at all.
        WorkbookError: ``source`` is a path that cannot be read.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        try:
            source = path.read_bytes()
        except OSError as exc:
            raise WorkbookError(f"cannot read '{path}': {exc.strerror or exc}") from exc
    with _collector_paused():
        return _load(source, filename=filename or "workbook.xlsx", mapping=mapping, jira_day_hours=jira_day_hours)


def _load(source: bytes, *, filename: str, mapping: ColumnMapping | None, jira_day_hours: float) -> LoadResult:
    tables = read_tables(source, filename=filename)
    issues = IssueCollector()
    hidden, notes, without_formulas = tables.hidden, tables.notes, tables.without_formulas
    tool = recognise_export(tables, jira_day_hours=jira_day_hours) if mapping is None else None
    if tool is not None:
        tables = SheetTables({**tables, tool.source.sheet: tool.rows})
        mapping = tool.mapping
        issues.issues.extend(tool.issues)
    roles = assign_sheets(tables, hidden=hidden)
    if mapping is not None:
        roles = {name: (None if role == "measures" else role) for name, role in roles.items()}
        if mapping.sheet in tables:
            roles[mapping.sheet] = "measures"
        else:
            issues.add(
                "error",
                N_("the mapping's sheet '{sheet}' is not in this workbook"),
                hint=N_("sheets: {sheets}"),
                params={"sheet": mapping.sheet, "sheets": ", ".join(tables)},
            )
    found = {role: name for name, role in roles.items() if role}
    if Path(filename).suffix.lower() == ".xlsm" or has_macros(source):
        issues.add(
            "warning",
            N_("this workbook contains macros; Rempart reads the values only and never runs them"),
            hint=N_("nothing to do; save as .xlsx to drop the macros"),
        )

    unread: set[str] = set()

    def table_for(role: str, synonyms: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> Table | None:
        if role not in found:
            return None
        table = find_table(found[role], tables[found[role]], synonyms, required, infer=role == "measures")
        if table is None:
            params = {
                "columns": ", ".join(required),
                "count": HEADER_SCAN_ROWS,
                "headers": "; ".join(f"{r}: {synonyms[r][0]}" for r in required),
            }
            if role == "measures":
                issues.add(
                    "error",
                    N_("no header row with the columns {columns} in the first {count} rows"),
                    sheet=found[role],
                    hint=N_("put a header row with {headers}"),
                    params=params,
                )
            else:  # a sheet that is not the measures' never blocks them: a note, and the sheet is not read
                issues.add(
                    "warning",
                    N_("sheet not read: no header row with the columns {columns} in the first {count} rows"),
                    sheet=found[role],
                    hint=N_("put a header row with {headers}, or ignore this note if the sheet is not needed"),
                    params=params,
                )
                unread.add(found[role])
                roles[found.pop(role)] = None
        return table

    settings_table = table_for("settings", SETTINGS_COLUMNS, ("key", "value"))
    settings = build_settings(settings_table, issues) if settings_table else Settings()
    if mapping is not None and "measures" in found:
        measures_table = mapped_table(found["measures"], tables[found["measures"]], mapping, issues)
    else:
        measures_table = table_for("measures", MEASURE_COLUMNS, ("title",))
    if measures_table is not None:
        measures_table = sorted_table(measures_table)
        status_from_colours(source, filename, measures_table, issues)
    measures = build_measures(measures_table, issues, day_hours=settings.day_hours) if measures_table else []
    if measures_table is not None:
        report_table_block(measures_table, issues)
        report_table_stack(measures_table, issues)
        report_table_notes(measures_table, issues)
        if measures_table.sheet not in without_formulas:  # the guards read every sheet: most have none
            report_unsaved_formulas(source, measures_table.sheet, tables[measures_table.sheet], issues)
    risks_table = table_for("risks", RISK_COLUMNS, ("id", "likelihood", "severity"))
    if risks_table:
        settings = risk_scales(risks_table, settings, issues)
    risks = (
        build_risks(risks_table, issues, (settings.likelihood_scale, settings.severity_scale)) if risks_table else []
    )
    teams_table = table_for("teams", TEAM_COLUMNS, ("name", "fte"))
    teams = build_teams(teams_table, issues) if teams_table else []

    if not any(any(not is_blank(c) for c in row) for rows in tables.values() for row in rows):
        issues.add(
            "error",
            N_("'{filename}' is empty: no cell holds a value"),
            hint=N_("check that it is the right file"),
            params={"filename": filename},
        )
    elif "measures" not in found:
        sheet_list = ", ".join(f"'{n}'" for n in list(tables)[:8]) + (" …" if len(tables) > 8 else "")
        issues.add(
            "error",
            N_(
                "no sheet of measures: none of the sheets ({sheets}) is named Mesures/Measures or has, in its "
                "first rows, a column of measure titles and another known column (ID, status, team, dates…)"
            ),
            hint=N_(
                "choose the sheet and what each column holds in the column mapping step of the Données page "
                "(remembered for the next file with the same headers; on the command line: --mapping FILE.json), "
                "or use the layout of the sample workbook: a sheet 'Mesures' with columns ID and Mesure"
            ),
            params={"sheets": sheet_list},
        )
    elif measures_table is not None and not measures and not issues.errors():
        examples = [row for row, why in measures_table.skipped if why == "example row"]
        if examples:
            issues.add(
                "error",
                NP_(
                    "this file looks like an empty template: {count} example row (row {rows}) and no "
                    "measure; the example row is not planned",
                    "this file looks like an empty template: {count} example rows (rows {rows}) and no "
                    "measure; the example rows are not planned",
                ),
                sheet=found["measures"],
                row=examples[0],
                hint=N_(
                    "write your measures under the header (one per row), delete the example rows, and load it again"
                ),
                params={"count": len(examples), "rows": ", ".join(str(r) for r in examples[:5])},
            )
    if measures_table is not None and not measures and not issues.errors():
        issues.add(
            "error",
            N_("the sheet of measures has no data rows"),
            sheet=found["measures"],
            hint=N_("add one row per measure under the header"),
        )
    if "risks" not in found and measures:
        issues.add(
            "warning",
            N_("no Risks sheet: residual risk cannot be computed"),
            hint=N_("add a sheet 'Risques' with columns ID, Scénario, Vraisemblance, Gravité"),
        )
    measures, teams = check_roadmap(measures, risks, teams, teams_table is not None, found, issues)
    report_hidden_sheets(hidden, roles, issues)
    if notes:  # a text file: one sheet
        report_text_notes(notes, next(iter(tables)), issues)
    for name, role in roles.items():
        if role is None and "measures" in found and name not in unread and name not in hidden:
            issues.add("warning", SHEET_IGNORED, sheet=name)
    roadmap = Roadmap(measures=tuple(measures), risks=tuple(risks), teams=tuple(teams), settings=settings)
    if tool is not None:  # the tool's reader chose the columns: its other ID or status columns are no duplicates
        issues.issues = [i for i in issues.issues if not i.template.startswith(_DUPLICATE_COLUMNS)]
    order = {name: n for n, name in enumerate(tables)}
    ordered = sorted(issues.issues, key=lambda i: (i.severity != "error", order.get(i.sheet or "", -1), i.row or 0))
    columns = (
        {measures_table.header(name): name for name in measures_table.columns} if measures_table is not None else {}
    )
    return LoadResult(
        roadmap=roadmap,
        issues=tuple(ordered),
        sheets=roles,
        header_row=measures_table.header_row if measures_table is not None else None,
        columns=columns,
        source=tool.source if tool is not None else None,
        unknown_values={name: tuple(values) for name, values in issues.unknown_values.items() if values},
    )


def load_roadmap(
    source: bytes | str | Path, *, filename: str | None = None, mapping: ColumnMapping | None = None
) -> tuple[Roadmap, list[Issue]]:
    """Like :func:`load_workbook`, but raise when any issue blocks planning.

    Returns:
        The roadmap and its warnings.

    Raises:
        InvalidWorkbookError: with every issue, when at least one is an error.
        NotASpreadsheetError: the file is not a spreadsheet at all.
    """
    result = load_workbook(source, filename=filename, mapping=mapping)
    if not result.ok:
        raise InvalidWorkbookError(result.issues)
    return result.roadmap, list(result.issues)


_DUPLICATE_COLUMNS = ("the column '{header}' appears twice", "the columns '{first}' and '{header}' name the same field")
"""The starts of the notes of two columns read as one field (:func:`~roadmap.importing.checks.report_table_notes`)."""


SHEET_IGNORED = N_("sheet ignored: not a sheet of measures, risks, teams or settings")
"""The note of a sheet the loader did not read (one per sheet; :func:`ignored_sheets` groups them)."""


def ignored_sheets(issues: Sequence[Issue]) -> tuple[list[Issue], list[str]]:
    """The issues without the "sheet ignored" notes (:data:`SHEET_IGNORED`), and the names of those
    sheets in workbook order: twenty such notes would bury the warnings that matter, so a page shows
    them as one line."""
    kept = [i for i in issues if i.template != SHEET_IGNORED]
    return kept, [i.sheet or "" for i in issues if i.template == SHEET_IGNORED]


def condense_issues(issues: Sequence[Issue], *, per_column: int = 20) -> list[Issue]:
    """The issues to show a person: at most ``per_column`` of one severity in one sheet column,
    the rest replaced by one issue saying how many more there are.

    A workbook in another format can give thousands of identical issues; the full list stays in
    :attr:`LoadResult.issues`.
    """
    shown: list[Issue] = []
    counts: dict[tuple[str, str | None, str | None], int] = {}
    for issue in issues:
        key = (issue.severity, issue.sheet, issue.column)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= per_column:
            shown.append(issue)
    for (severity, sheet, column), count in counts.items():
        if count > per_column:
            template, plural = (
                NP_(
                    "… and {count} more error in this column, not listed",
                    "… and {count} more errors in this column, not listed",
                )
                if severity == "error"
                else NP_(
                    "… and {count} more warning in this column, not listed",
                    "… and {count} more warnings in this column, not listed",
                )
            )
            hint = N_("fix the ones above first; they are often the same problem")
            more = str(count - per_column)
            shown.append(
                Issue(
                    severity=severity,
                    sheet=sheet,
                    column=column,
                    message=(template if more == "1" else plural).format(count=more),
                    hint=hint,
                    template=template,
                    hint_template=hint,
                    params=(("count", more),),
                    plural_template=plural,
                )
            )
    return shown
