"""The XLSX plan: the source workbook with the plan's columns added to the Measures sheet, text that
looks like a formula stored as text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from roadmap.analysis import Analysis, explain_analysis
from roadmap.errors import ExportError, NotASpreadsheetError
from roadmap.forecast_text import why_text, would_take_text
from roadmap.importing.columns import PLAN_EXPORT_HEADERS, SheetLayout, measures_layout
from roadmap.importing.tables import read_tables
from roadmap.importing.values import is_formula_like, normalize
from roadmap.wording import deferral_text


def plan_extension(filename: str) -> str:
    """Extension of the plan export for a source workbook: ``xlsm`` for ``.xlsm`` (macros kept,
    never run), else ``xlsx``."""
    return "xlsm" if filename.lower().endswith(".xlsm") else "xlsx"


def build_plan_xlsx(analysis: Analysis, source: bytes, *, filename: str) -> bytes:
    """The source workbook with the plan added to its Measures sheet.

    Five columns go at the right of the header row — planned sprint, planned start, planned end
    (the last working day), deferral reason and why (what holds the measure and its risk-days per
    person-day, or what it would take to bring it in: :mod:`roadmap.planning.explain`)
    (:data:`roadmap.importing.columns.PLAN_EXPORT_HEADERS`,
    in English when the sheet's title header is English) — and are filled for each measure row;
    an earlier export's columns are found by their header and overwritten. Everything else is
    kept: other columns, sheets, styles, widths, data validations, filters and frozen panes
    (openpyxl round trip; pictures and charts inside the workbook are not kept by openpyxl).
    A ``.csv`` or ``.ods`` source is rewritten as a new ``.xlsx`` holding its values. The result
    re-imports with :func:`roadmap.importing.load.load_workbook` to the same measures, the new columns
    landing in :attr:`roadmap.models.Measure.extra`. Formula-like texts are stored as quoted text
    (see the module docstring).

    Args:
        source: the bytes of the workbook the analysis was computed from.
        filename: its name (for the format).

    Returns:
        The new workbook's bytes (``.xlsm`` when the source is, see :func:`plan_extension`).

    Raises:
        ExportError: the source has no Measures sheet or cannot be rewritten.
        NotASpreadsheetError: the source is not a spreadsheet.
    """
    tables_ = read_tables(source, filename=filename)
    layout = measures_layout(tables_)
    if layout is None:
        raise ExportError(f"'{filename}' has no sheet of measures with an ID and a title column")
    book = _open_for_writing(source, filename, tables_)
    sheet = book[layout.sheet]
    english = normalize(layout.headers[layout.columns["title"]]) in ("measure", "title")
    columns = _export_columns(sheet, layout, english=english)
    plan, roadmap = analysis.plan, analysis.roadmap
    schedule = {s.id: s for s in plan.scheduled}
    explained = explain_analysis(analysis)
    words = "en" if english else "fr"
    deferred = {d.id: d for d in plan.deferred}
    date_format = _date_format(sheet, layout) or ("YYYY-MM-DD" if english else "DD/MM/YYYY")
    for row, ident in layout.ids:
        placed, left_out = schedule.get(ident), deferred.get(ident)
        values: dict[str, object] = {
            "sprint": placed.sprint if placed else None,
            "start": placed.start if placed else None,
            "end": placed.end if placed else None,
            "reason": deferral_text(left_out, roadmap, plan, lang="en" if english else "fr")
            if left_out and ident in roadmap.measure_by_id
            else None,
            "why": why_text(explained.measures[ident], lang=words)
            if ident in explained.measures
            else would_take_text(explained.deferred[ident], lang=words)
            if ident in explained.deferred
            else None,
        }
        for key, column in columns.items():
            cell = sheet.cell(row=row, column=column)
            _write(cell, values[key])
            if key in ("start", "end"):
                cell.number_format = date_format
    _widen_filter(sheet, layout, max(columns.values()))
    for worksheet in book.worksheets:
        for line in worksheet.iter_rows():
            for cell in line:
                if is_formula_like(cell.value) and cell.data_type == "s":
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise ExportError(f"the plan cannot be written into '{filename}' ({exc})") from exc
    return buffer.getvalue()


def _open_for_writing(source: bytes, filename: str, tables_: Mapping[str, Any]) -> openpyxl.Workbook:
    suffix = Path(filename).suffix.lower()
    if source[:4] == b"PK\x03\x04" and suffix not in (".ods", ".xlsb"):
        try:
            return openpyxl.load_workbook(io.BytesIO(source), keep_vba=suffix == ".xlsm", rich_text=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            if suffix in (".xlsx", ".xlsm"):
                raise ExportError(
                    f"'{filename}' cannot be opened for writing ({exc}); open it in Excel or LibreOffice and save it "
                    "again as .xlsx"
                ) from exc
    if not tables_:
        raise NotASpreadsheetError(f"'{filename}' has no sheet")
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in tables_.items():
        sheet = book.create_sheet(name[:31])
        for r, cells in enumerate(rows, start=1):
            for c, value in enumerate(cells, start=1):
                if value not in (None, ""):
                    _write(sheet.cell(row=r, column=c), value)
    return book


def _write(cell: Cell | MergedCell, value: object) -> None:
    """Write a value; text stays text even when it looks like a formula (quote prefix)."""
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    if isinstance(value, dt.datetime | dt.date):
        cell.number_format = "DD/MM/YYYY"


def _export_columns(sheet: Any, layout: SheetLayout, *, english: bool) -> dict[str, int]:
    """1-based column of each export field: an earlier export's, else new ones at the right."""
    known = {normalize(h): key for key, pair in PLAN_EXPORT_HEADERS.items() for h in pair}
    columns: dict[str, int] = {}
    for index, header in enumerate(layout.headers):
        key = known.get(normalize(header))
        if key and key not in columns:
            columns[key] = index + 1
    model = sheet.cell(row=layout.header_row, column=layout.columns["title"] + 1)
    next_free = layout.width + 1
    widths = {"sprint": 12, "start": 14, "end": 14, "reason": 60, "why": 70}
    for key, pair in PLAN_EXPORT_HEADERS.items():
        if key in columns:
            continue
        columns[key] = next_free
        next_free += 1
        header = sheet.cell(row=layout.header_row, column=columns[key])
        _write(header, pair[1] if english else pair[0])
        if model.has_style:
            header._style = model._style  # copy font, fill, border, alignment of a header cell
        sheet.column_dimensions[get_column_letter(columns[key])].width = widths[key]
    reason = columns["reason"]
    for row, _ in layout.ids:
        sheet.cell(row=row, column=reason).alignment = Alignment(wrap_text=False, vertical="top")
    return columns


def _date_format(sheet: Any, layout: SheetLayout) -> str | None:
    """The number format of the sheet's first date cell in a date column, to match it."""
    for field in ("baseline_start", "baseline_end", "due_date", "done_date"):
        if field in layout.columns:
            for row, _ in layout.ids:
                cell = sheet.cell(row=row, column=layout.columns[field] + 1)
                if cell.is_date:
                    return str(cell.number_format)
    return None


def _widen_filter(sheet: Any, layout: SheetLayout, last_column: int) -> None:
    """Stretch an autofilter that starts on the header row over the new columns."""
    ref = sheet.auto_filter.ref
    if not ref:
        return
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)", ref)
    if match and int(match.group(2)) == layout.header_row:
        sheet.auto_filter.ref = f"{match.group(1)}{match.group(2)}:{get_column_letter(last_column)}{match.group(4)}"
