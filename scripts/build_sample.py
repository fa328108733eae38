"""Build the bundled sample workbook ``data/sample/rivebelle.xlsx`` from its CSV sources.

The sample describes the Centre hospitalier de Rivebelle, a fictional French public hospital of
about 2,200 staff. After an intrusion through its e-mail system in November 2026, it must compress
a three-year hardening plan into 13 weeks starting on Monday 30 November 2026.

The readable sources in ``data/sample/src/`` are the source of truth (UTF-8, comma-separated,
French headers, ISO dates)::

    measures.csv  -> sheet "Mesures"     (one hardening measure per row)
    risks.csv     -> sheet "Risques"     (EBIOS RM risk scenarios)
    teams.csv     -> sheet "Équipes"     (capacity per team)
    settings.csv  -> sheet "Paramètres"  (key/value programme settings)

The workbook follows Rempart's workbook format v1: dates are real Excel dates shown as
DD/MM/YYYY, numbers are numbers, IDs are text cells (format ``@``) and empty CSV cells stay empty.
Each sheet has a bold, filled header row and frozen panes; the "Mesures" sheet also has an
autofilter and drop-down lists for Statut, Priorité and Équipe.

The output is byte-for-byte reproducible: the document properties carry a fixed date and every
entry of the zip container gets the same timestamp, so re-running the script on unchanged
sources gives an identical file.

Usage::

    python scripts/build_sample.py               # writes data/sample/rivebelle.xlsx
    python scripts/build_sample.py --out PATH    # writes PATH instead
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# openpyxl serialises with lxml when it is installed (python-pptx brings it) and with the
# standard library otherwise, and the two differ in bytes ("/>" vs " />"); the standard one keeps
# the build byte-identical on every machine.
os.environ["OPENPYXL_LXML"] = "False"

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from roadmap.importing.template import MEASURE_HEADERS  # noqa: E402  (the format's headers, one definition)

SOURCE_DIR = REPO_ROOT / "data" / "sample" / "src"
DEFAULT_OUT = REPO_ROOT / "data" / "sample" / "rivebelle.xlsx"

FIXED_TIMESTAMP = dt.datetime(2026, 11, 27, 9, 0)
"""Creation and modification date written in the document properties and the zip entries."""

TITLE = "Rempart — échantillon CH de Rivebelle"
CREATOR = "Rempart"

DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill(fill_type="solid", start_color="1F4E78", end_color="1F4E78")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)

STATUSES = ("À faire", "En cours", "Fait", "Bloqué", "Abandonné")
PRIORITIES = ("P1", "P2", "P3", "P4")
VALIDATION_LAST_ROW = 1000
"""Drop-down lists cover the rows below the data too, so that added measures get them."""

MIN_WIDTH = 8
MAX_WIDTH = 70

CellValue = str | int | float | dt.date | None
"""A value written to a worksheet cell; ``None`` leaves the cell empty."""

Converter = Callable[[str], CellValue]


class SampleSourceError(ValueError):
    """A CSV source of the sample is missing, has unexpected headers or holds an unreadable value."""


def parse_text(raw: str) -> str:
    """Return the cell text unchanged (surrounding spaces removed).

    Args:
        raw: Non-empty CSV cell.

    Returns:
        The text.
    """
    return raw


def parse_int(raw: str) -> int:
    """Parse a whole number such as ``3`` or ``100``.

    Args:
        raw: Non-empty CSV cell.

    Returns:
        The integer.

    Raises:
        ValueError: If the cell is not a whole number.
    """
    return int(raw)


def parse_float(raw: str) -> float:
    """Parse a decimal number, accepting ``1.5`` and the French ``1,5``.

    Args:
        raw: Non-empty CSV cell.

    Returns:
        The number as a float (``4`` gives ``4.0``).

    Raises:
        ValueError: If the cell is not a number.
    """
    return float(raw.replace(",", "."))


def parse_number(raw: str) -> int | float:
    """Parse a number, keeping whole numbers as ``int`` (``3`` -> 3, ``1,5`` -> 1.5).

    Args:
        raw: Non-empty CSV cell.

    Returns:
        An int when the value is whole, a float otherwise.

    Raises:
        ValueError: If the cell is not a number.
    """
    value = parse_float(raw)
    return int(value) if value.is_integer() else value


def parse_date(raw: str) -> dt.date:
    """Parse an ISO date (``2026-11-30``) or a French one (``30/11/2026``).

    Args:
        raw: Non-empty CSV cell.

    Returns:
        The date.

    Raises:
        ValueError: If the cell is in neither format.
    """
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(raw, "%d/%m/%Y").date()
    except ValueError:
        raise ValueError("expected a date such as 2026-11-30 or 30/11/2026") from None


def parse_setting(raw: str) -> CellValue:
    """Type a value of the key/value settings sheet: a date, a whole number, or text.

    ``2026-11-30`` becomes a date, ``13`` an int; anything else (``France``, ``1-4``, ``Non``)
    stays text.

    Args:
        raw: Non-empty CSV cell.

    Returns:
        The typed value.
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return parse_date(raw)
    if re.fullmatch(r"\d+", raw):
        return int(raw)
    return raw


@dataclass(frozen=True)
class SheetSpec:
    """How one CSV source becomes one worksheet.

    Attributes:
        sheet: Worksheet name.
        source: CSV file name inside the source directory.
        headers: Expected CSV headers, exactly and in order; written as the header row.
        converters: Parser per header; headers not listed are written as text.
        text_ids: Headers whose cells are identifiers, written as text cells with format ``@``.
        number_formats: Display format per numeric header (dates always get DD/MM/YYYY).
        freeze: Top-left cell of the scrolling area (``"A2"`` freezes the header row).
    """

    sheet: str
    source: str
    headers: tuple[str, ...]
    converters: dict[str, Converter] = field(default_factory=dict)
    text_ids: frozenset[str] = frozenset()
    number_formats: dict[str, str] = field(default_factory=dict)
    freeze: str = "A2"


MEASURES = SheetSpec(
    sheet="Mesures",
    source="measures.csv",
    headers=MEASURE_HEADERS["fr"],
    converters={
        "Charge (j.h)": parse_number,
        "Personnes max": parse_int,
        "Avancement (%)": parse_int,
        "Début prévu": parse_date,
        "Fin prévue": parse_date,
        "Échéance": parse_date,
        "Date de réalisation": parse_date,
        "Sprint imposé": parse_int,
    },
    text_ids=frozenset({"ID"}),
    freeze="B2",
)

RISKS = SheetSpec(
    sheet="Risques",
    source="risks.csv",
    headers=("ID", "Scénario", "Vraisemblance", "Gravité", "Niveau cible"),
    text_ids=frozenset({"ID"}),
)

TEAMS = SheetSpec(
    sheet="Équipes",
    source="teams.csv",
    headers=("Équipe", "ETP", "Disponibilité (%)", "Renfort (j.h/semaine)"),
    converters={
        "ETP": parse_float,
        "Disponibilité (%)": parse_int,
        "Renfort (j.h/semaine)": parse_number,
    },
    number_formats={"ETP": "0.0"},
)

SETTINGS = SheetSpec(
    sheet="Paramètres",
    source="settings.csv",
    headers=("Paramètre", "Valeur"),
    converters={"Valeur": parse_setting},
)

SHEETS: tuple[SheetSpec, ...] = (MEASURES, RISKS, TEAMS, SETTINGS)
"""Sheets in workbook order."""


def read_source(path: Path, expected_headers: Sequence[str]) -> list[dict[str, str]]:
    """Read a CSV source and check its headers.

    Args:
        path: UTF-8, comma-separated CSV file with a header row.
        expected_headers: Headers the file must have, exactly and in this order.

    Returns:
        One dict per data row, header -> stripped cell text (``""`` for an empty cell). Blank
        lines are skipped.

    Raises:
        SampleSourceError: If the file is missing, its headers differ, or a row has more cells
            than headers.
    """
    if not path.is_file():
        raise SampleSourceError(f"{path}: source file not found.")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        headers = next(reader, [])
        if tuple(headers) != tuple(expected_headers):
            raise SampleSourceError(f"{path}: headers are {headers!r}; expected exactly {list(expected_headers)!r}.")
        rows: list[dict[str, str]] = []
        for line_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(headers):
                raise SampleSourceError(
                    f"{path}, line {line_number}: {len(cells)} cells for {len(headers)} headers "
                    "(quote cells that contain a comma)."
                )
            padded = [*cells, *[""] * (len(headers) - len(cells))]
            rows.append({header: cell.strip() for header, cell in zip(headers, padded, strict=True)})
    return rows


def convert_cell(spec: SheetSpec, header: str, raw: str, *, where: str) -> CellValue:
    """Turn one CSV cell into the value written to the worksheet.

    Args:
        spec: Sheet the cell belongs to.
        header: Column header.
        raw: Stripped CSV cell text.
        where: ``file, line`` prefix for error messages.

    Returns:
        ``None`` for an empty cell (no value is written), otherwise the typed value.

    Raises:
        SampleSourceError: If the converter of that column rejects the value.
    """
    if raw == "":
        return None
    converter = spec.converters.get(header, parse_text)
    try:
        return converter(raw)
    except ValueError as exc:
        raise SampleSourceError(f"{where}, column {header!r}: cannot read {raw!r} ({exc}).") from exc


def style_header(ws: Worksheet, column_count: int) -> None:
    """Make row 1 bold, white on dark blue, vertically centred and wrapped.

    Args:
        ws: Worksheet whose header row is written.
        column_count: Number of header cells.
    """
    for column in range(1, column_count + 1):
        cell = ws.cell(row=1, column=column)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT


def display_length(value: CellValue) -> int:
    """Width in characters a value needs on screen.

    Args:
        value: Cell value (``None``, text, number or date).

    Returns:
        Number of characters; 10 for a date shown as DD/MM/YYYY.
    """
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return len("DD/MM/YYYY")
    return len(str(value))


def set_column_widths(ws: Worksheet, columns: Sequence[Sequence[CellValue]]) -> None:
    """Size each column to its longest value, between MIN_WIDTH and MAX_WIDTH characters.

    Args:
        ws: Worksheet to size.
        columns: Values per column, header first.
    """
    for index, values in enumerate(columns, start=1):
        longest = max((display_length(value) for value in values), default=0)
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width


def write_sheet(ws: Worksheet, spec: SheetSpec, rows: Sequence[dict[str, str]], source: Path) -> None:
    """Write the header and the typed rows of one sheet, then style it.

    Args:
        ws: Empty worksheet.
        spec: How to convert and lay out the sheet.
        rows: Rows read from the CSV source (header -> cell text).
        source: Path of the CSV source, for error messages.

    Raises:
        SampleSourceError: If a cell cannot be converted.
    """
    columns: list[list[CellValue]] = [[header] for header in spec.headers]
    for column, header in enumerate(spec.headers, start=1):
        ws.cell(row=1, column=column, value=header)
    for row_index, row in enumerate(rows, start=2):
        where = f"{source}, line {row_index}"
        for column, header in enumerate(spec.headers, start=1):
            raw = row[header]
            if header in spec.text_ids:
                value: CellValue = raw or None
            else:
                value = convert_cell(spec, header, raw, where=where)
            columns[column - 1].append(value)
            if value is None:
                continue
            cell = ws.cell(row=row_index, column=column, value=value)
            if header in spec.text_ids:
                cell.number_format = TEXT_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            elif header in spec.number_formats:
                cell.number_format = spec.number_formats[header]
    style_header(ws, len(spec.headers))
    set_column_widths(ws, columns)
    ws.freeze_panes = spec.freeze


def add_list_validation(ws: Worksheet, header: str, formula: str, *, prompt: str) -> None:
    """Attach a drop-down list to a column of the measures sheet.

    Args:
        ws: The "Mesures" worksheet.
        header: Header of the column that gets the list.
        formula: List formula: ``'"A,B,C"'`` for literal values, or a sheet range.
        prompt: Error message shown when a typed value is not in the list.
    """
    column = get_column_letter(MEASURES.headers.index(header) + 1)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{header} inconnu",
        error=prompt,
    )
    validation.add(f"{column}2:{column}{VALIDATION_LAST_ROW}")
    ws.add_data_validation(validation)


def finish_measures_sheet(ws: Worksheet, measure_count: int, team_count: int) -> None:
    """Add the autofilter and the Statut, Priorité and Équipe drop-down lists.

    Args:
        ws: The "Mesures" worksheet, already filled.
        measure_count: Number of data rows.
        team_count: Number of teams on the "Équipes" sheet (rows 2 onwards).
    """
    last_column = get_column_letter(len(MEASURES.headers))
    ws.auto_filter.ref = f"A1:{last_column}{measure_count + 1}"
    add_list_validation(
        ws,
        "Statut",
        '"' + ",".join(STATUSES) + '"',
        prompt="Choisir un statut : " + ", ".join(STATUSES) + ".",
    )
    add_list_validation(
        ws,
        "Priorité",
        '"' + ",".join(PRIORITIES) + '"',
        prompt="Choisir une priorité de P1 (la plus haute) à P4.",
    )
    add_list_validation(
        ws,
        "Équipe",
        f"'{TEAMS.sheet}'!$A$2:$A${team_count + 1}",
        prompt="Choisir une équipe de la feuille « Équipes ».",
    )


def build_workbook(source_dir: Path) -> Workbook:
    """Build the sample workbook from the CSV sources.

    Args:
        source_dir: Directory holding measures.csv, risks.csv, teams.csv and settings.csv.

    Returns:
        Workbook with the sheets Mesures, Risques, Équipes and Paramètres, in that order, and
        fixed document properties.

    Raises:
        SampleSourceError: If a source is missing or holds an unreadable value.
    """
    wb = Workbook()
    default_sheet = wb.active
    if default_sheet is not None:
        wb.remove(default_sheet)
    counts: dict[str, int] = {}
    for spec in SHEETS:
        source = source_dir / spec.source
        rows = read_source(source, spec.headers)
        counts[spec.sheet] = len(rows)
        write_sheet(wb.create_sheet(spec.sheet), spec, rows, source)
    finish_measures_sheet(wb[MEASURES.sheet], counts[MEASURES.sheet], counts[TEAMS.sheet])
    wb.properties.title = TITLE
    wb.properties.creator = CREATOR
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook to reproducible .xlsx bytes.

    ``Workbook.save`` stamps the current time into the document properties, and zip entries
    carry the time of writing; both are replaced here by FIXED_TIMESTAMP.

    Args:
        wb: Workbook to serialise.

    Returns:
        The .xlsx file content.
    """
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    fixed_time = FIXED_TIMESTAMP.timetuple()[:6]
    normalised = io.BytesIO()
    with (
        zipfile.ZipFile(raw) as source,
        zipfile.ZipFile(normalised, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=fixed_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, source.read(entry.filename))
    return normalised.getvalue()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Read the command line.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        Namespace with ``out`` (Path) and ``src`` (Path).
    """
    parser = argparse.ArgumentParser(description="Build the Rempart sample workbook from its CSV sources.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .xlsx file (default: {DEFAULT_OUT})")
    parser.add_argument("--src", type=Path, default=SOURCE_DIR, help=f"CSV source directory (default: {SOURCE_DIR})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the workbook and write it.

    Args:
        argv: Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns:
        Process exit code: 0 on success, 1 when a source is unreadable.
    """
    args = parse_args(argv)
    try:
        content = workbook_bytes(build_workbook(args.src))
    except SampleSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(content)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
