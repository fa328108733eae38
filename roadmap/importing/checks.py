"""What needs more than one row or one sheet: measures naming unknown teams, risks or
prerequisites, dependency cycles, formulas whose value was never saved, and the rows a table
skipped.
"""

from __future__ import annotations

import graphlib
import io
import zipfile
from collections.abc import Iterable, Mapping

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from roadmap.i18n import N_, NP_
from roadmap.importing.columns import MEASURE_COLUMNS, Table, column_letter, match_field
from roadmap.importing.guards import ZIP_ERRORS
from roadmap.importing.issues import IssueCollector
from roadmap.importing.rows import FIELD_LABELS as FIELD_LABELS  # re-exported: where pages look
from roadmap.importing.tables import Rows
from roadmap.importing.template import MEASURE_HEADERS, THREE_POINT_HEADERS
from roadmap.importing.values import normalize, shorten
from roadmap.models import Measure, Risk, Team


def _same_finding_elsewhere(first: Measure, other: Measure) -> bool:
    """True when ``other`` repeats the ID and title of ``first`` but differs in another cell (the host
    of a scanner's row): one finding on two assets. Two rows alike in every cell are a copy: an error."""
    if first.title != other.title:
        return False
    return first.model_dump(exclude={"row"}) != other.model_dump(exclude={"row"})


def check_roadmap(
    measures: list[Measure],
    risks: list[Risk],
    teams: list[Team],
    has_teams: bool,
    sheets: Mapping[str, str],
    issues: IssueCollector,
) -> tuple[list[Measure], list[Team]]:
    m_sheet, r_sheet, t_sheet = sheets.get("measures"), sheets.get("risks"), sheets.get("teams")
    seen: dict[str, Measure] = {}
    unique = []
    repeats: list[Measure] = []
    for measure in measures:
        if measure.id in seen and _same_finding_elsewhere(seen[measure.id], measure):
            n = 2
            while f"{measure.id}-{n}" in seen:
                n += 1
            measure = measure.model_copy(update={"id": f"{measure.id}-{n}"})
            repeats.append(measure)
        if measure.id in seen:
            issues.add(
                "error",
                N_("duplicate ID; first used on row {row}"),
                sheet=m_sheet,
                row=measure.row,
                column="ID",
                value=measure.id,
                hint=N_("give each measure its own ID"),
                params={"row": seen[measure.id].row},
            )
            continue
        seen[measure.id] = measure
        unique.append(measure)
    if repeats:
        issues.add(
            "warning",
            NP_(
                "{count} row repeats the ID and the title of an earlier row (the same finding on another "
                "asset, as scanners export them): read as its own measure, ID {ids}",
                "{count} rows repeat the ID and the title of an earlier row (the same finding on another "
                "asset, as scanners export them): read as their own measures, IDs {ids}",
            ),
            sheet=m_sheet,
            row=repeats[0].row,
            column="ID",
            hint=N_("merge the rows of one finding into one measure if it is fixed once for every asset"),
            params={
                "count": len(repeats),
                "ids": ", ".join(m.id for m in repeats[:5]) + (" …" if len(repeats) > 5 else ""),
            },
        )
    risk_ids: set[str] = set()
    for risk in risks:
        if risk.id in risk_ids:
            issues.add(
                "error",
                N_("duplicate risk ID"),
                sheet=r_sheet,
                row=risk.row,
                column="ID",
                value=risk.id,
                hint=N_("give each risk its own ID"),
            )
        risk_ids.add(risk.id)
    unique, teams = _default_team(unique, teams, m_sheet, issues)
    team_names = {t.name for t in teams}
    if len(team_names) < len(teams):
        issues.add("error", N_("a team is listed twice"), sheet=t_sheet, hint=N_("keep one row per team"))
    for measure in unique:
        if has_teams and measure.team not in team_names and measure.team not in issues.refused_teams:
            issues.add(
                "error",
                N_("unknown team"),
                sheet=m_sheet,
                row=measure.row,
                column="Équipe",
                value=measure.team,
                hint=N_("use a team of sheet '{sheet}': {teams}"),
                params={"sheet": t_sheet, "teams": ", ".join(sorted(team_names))},
            )
        for prerequisite in measure.depends_on:
            if prerequisite not in seen:
                issues.add(
                    "error",
                    N_("unknown prerequisite {id}"),
                    sheet=m_sheet,
                    row=measure.row,
                    column="Dépend de",
                    value=prerequisite,
                    hint=N_("use the ID of another measure"),
                    params={"id": prerequisite},
                )
        if risks:
            for link in measure.mitigates:
                if link.risk_id not in risk_ids:
                    issues.add(
                        "error",
                        N_("unknown risk {risk}"),
                        sheet=m_sheet,
                        row=measure.row,
                        column="Risques traités",
                        value=link.risk_id,
                        hint=N_("use a risk ID of sheet '{sheet}'"),
                        params={"risk": link.risk_id, "sheet": r_sheet},
                    )
    for cycle in _cycles({m.id: [d for d in m.depends_on if d in seen] for m in unique}):
        first = seen[cycle[0]]
        issues.add(
            "error",
            N_("dependency cycle: {cycle}"),
            sheet=m_sheet,
            row=first.row,
            column="Dépend de",
            hint=N_("remove one of these prerequisites so that the chain has a start"),
            params={"cycle": " → ".join([*cycle, cycle[0]])},
        )
    if not has_teams:
        names = sorted({m.team for m in unique if m.team})
        teams = [Team(name=name, fte=1.0) for name in names]
        if names and names != [DEFAULT_TEAM]:
            issues.add(
                "warning",
                N_("no Teams sheet: each of the {count} teams is assumed to be 1 FTE, fully available"),
                hint=N_("add a sheet 'Équipes' with columns Équipe, ETP, Disponibilité (%)"),
                params={"count": len(names)},
            )
    return unique, teams


DEFAULT_TEAM = "Équipe par défaut"
"""The team of the measures that name none (one team of 1 FTE, fully available), so that a first plan
comes out at once; the user is invited to assign teams."""


def _default_team(
    measures: list[Measure], teams: list[Team], sheet: str | None, issues: IssueCollector
) -> tuple[list[Measure], list[Team]]:
    """The measures without a team given to :data:`DEFAULT_TEAM` (added to the teams), with one warning."""
    orphans = [m for m in measures if not m.team]
    if not orphans:
        return measures, teams
    rows = [str(m.row) for m in orphans if m.row is not None]
    issues.add(
        "warning",
        NP_(
            "{count} measure names no team: it is given to one default team '{team}' of 1 FTE",
            "{count} measures name no team: they are given to one default team '{team}' of 1 FTE",
        ),
        sheet=sheet,
        row=orphans[0].row,
        column="Équipe",
        hint=N_(
            "assign each measure to its team in an 'Équipe' column (rows {rows}), or give them one team with "
            "'Default team (empty cells)' in the column mapping of the Data page; give the teams' capacity in a "
            "sheet 'Équipes', to plan with each team's capacity"
        ),
        params={
            "count": len(orphans),
            "team": DEFAULT_TEAM,
            "rows": ", ".join(rows[:5]) + (" …" if len(rows) > 5 else ""),
        },
    )
    measures = [m.model_copy(update={"team": DEFAULT_TEAM}) if not m.team else m for m in measures]
    if DEFAULT_TEAM not in {t.name for t in teams}:
        teams = [*teams, Team(name=DEFAULT_TEAM, fte=1.0)]
    return measures, teams


def _cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Every dependency cycle, each once, as the list of its IDs (from graphlib's detection)."""
    remaining = {node: list(edges) for node, edges in graph.items()}
    cycles: list[list[str]] = []
    while True:
        try:
            graphlib.TopologicalSorter(remaining).prepare()
            return cycles
        except graphlib.CycleError as exc:
            cycle = list(dict.fromkeys(exc.args[1]))
            cycles.append(cycle)
            for node in cycle:  # break this cycle and look for the next one
                remaining[node] = [d for d in remaining.get(node, []) if d not in cycle]


def formulas_without_values(data: bytes, sheet: str) -> list[str]:
    """Cell references (``B12``) of formulas whose result was never saved, in an .xlsx/.xlsm file.

    A workbook written by a script (openpyxl, pandas…) holds formulas but not their values until
    a spreadsheet program opens and saves it; a value reader sees empty cells there. Such a cell
    has an ``<f>`` element and no ``<v>``, or an empty ``<v/>`` without the string type (a saved
    empty text result is ``t="str"`` with ``<v/>``). The XML is parsed with defusedxml (no
    entity expansion). Other formats: ``[]``.
    """
    if data[:4] != b"PK\x03\x04":
        return []
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            book = SafeET.fromstring(archive.read("xl/workbook.xml"))
            rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            rel_id = next(s.get(relation) for s in book.iter(f"{main}sheet") if s.get("name") == sheet)
            target = next(r.get("Target", "") for r in rels if r.get("Id") == rel_id)
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            found: list[str] = []
            with archive.open(part) as stream:
                head = stream.read()
            if b"<f>" not in head and b"<f " not in head:  # no formula at all: nothing to parse
                return found
            with archive.open(part) as stream:
                for _, element in SafeET.iterparse(stream):
                    if element.tag == f"{main}c":
                        value = element.find(f"{main}v")
                        unsaved = value is None or (not value.text and element.get("t") not in ("str", "inlineStr"))
                        if element.find(f"{main}f") is not None and unsaved:
                            found.append(element.get("r", "?"))
                        element.clear()
            return found
    except (KeyError, StopIteration, SafeET.ParseError, DefusedXmlException, *ZIP_ERRORS):
        return []


def report_unsaved_formulas(data: bytes, sheet: str, rows: Rows, issues: IssueCollector) -> None:
    del rows
    cells = formulas_without_values(data, sheet)
    if cells:
        issues.add(
            "warning",
            N_("formulas without a saved value, read as empty: {cells} … ({count} cells)")
            if len(cells) > 10
            else N_("formulas without a saved value, read as empty: {cells}"),
            sheet=sheet,
            value=cells[0],
            hint=N_("open the file in Excel or LibreOffice and save it, so the results are stored, then load it again"),
            params={"cells": ", ".join(cells[:10]), "count": len(cells)},
        )


def has_macros(data: bytes) -> bool:
    """True for an Office Open XML file that carries a VBA project (macros)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower().endswith("vbaproject.bin") for name in archive.namelist())
    except ZIP_ERRORS:
        return False


_FORMAT_FIELDS = [name for name in MEASURE_COLUMNS if name not in ("effort_min", "effort_max")]
"""The fields of the format's Measures headers (:data:`MEASURE_HEADERS`, which leaves out the optional
three-point efforts), in their order."""


def _format_headers(name: str) -> str:
    """The format's French and English headers of field ``name``, e.g. ``Priorité / Priority``."""
    if name in _FORMAT_FIELDS:
        index, headers = _FORMAT_FIELDS.index(name), MEASURE_HEADERS
    else:  # the optional three-point efforts, after the others in the template
        index, headers = ("effort_min", "effort_max").index(name), THREE_POINT_HEADERS
    return " / ".join(dict.fromkeys(by_language[index] for by_language in headers.values()))


_SKIPPED = {
    "repeated header": N_("row skipped: repeated header"),
    "description or type row under the header": N_("row skipped: description or type row under the header"),
    "second header row": N_("row read as the second row of the header (under merged group headers)"),
    "totals row": N_("row skipped: a totals row, not a measure"),
    "section row": N_("row skipped: section title '{value}', used as the domain of the measures under it"),
    "summary task": N_("row skipped: summary task '{value}', used as the domain of the measures under it"),
    "stray cell": N_("row skipped: a value alone on its row, right of the table"),
    "note under the table": N_("row skipped: a note under the table ('{value}'), not a measure"),
    "no title": N_("row skipped: no title"),
    "informational finding": N_(
        "row skipped: an informational finding ('{value}'), rated None or Info: nothing to fix"
    ),
    "example row": N_("row skipped: an example row of a template ('{value}'), not a measure"),
}
"""The message of each reason :func:`body_rows` gives for a skipped row."""


def report_table_notes(table: Table, issues: IssueCollector) -> None:
    """Warnings for the rows skipped, the IDs generated and the mapping defaults used."""
    seen: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = match_field(header, MEASURE_COLUMNS) if header else None
        if name is None or name not in table.columns:
            continue
        if name in seen and index != table.columns[name]:
            first = table.headers[table.columns[name]]
            same = normalize(first) == normalize(header)
            issues.add(
                "warning",
                N_(
                    "the column '{header}' appears twice: column {read} is read, "
                    "column {kept} is kept as an extra column"
                )
                if same
                else N_(
                    "the columns '{first}' and '{header}' name the same field: column {read} is read, "
                    "column {kept} is kept as an extra column"
                ),
                sheet=table.sheet,
                row=table.header_row,
                column=header,
                hint=N_("rename or delete one of the two columns")
                if same
                else N_("if column {kept} is the one to read, choose it in the column mapping of the Données page"),
                params={
                    "header": header,
                    "first": first,
                    "read": column_letter(table.columns[name]),
                    "kept": column_letter(index),
                },
            )
        seen[name] = index
    for row, why in table.skipped:
        value = table.skipped_values.get(row, "")
        issues.add(
            "warning",
            _SKIPPED.get(why, N_("row skipped: {why}")),
            sheet=table.sheet,
            row=row,
            value=value or None,
            hint=N_("give the row a title if it is a measure")
            if why == "no title"
            else N_("nothing to do if this row holds no measure"),
            params={"why": why, "value": shorten(value, 40)},
        )
    for name, index in table.inferred.items():
        header = table.headers[index] if index < len(table.headers) else ""
        issues.add(
            "warning",
            N_("column '{header}' read as '{field_label}' from its content"),
            sheet=table.sheet,
            row=table.header_row,
            column=table.header(name),
            hint=N_("check it; rename the header (e.g. {synonym}) or confirm the column mapping to be sure"),
            params={
                "header": header or column_letter(index),
                "field_label": FIELD_LABELS[name],
                "synonym": _format_headers(name),
            },
        )
    if "title" in table.columns and table.columns["title"] == table.columns.get("id"):
        issues.add(
            "warning",
            N_("no title column: each measure's ID in '{header}' is used as its title"),
            sheet=table.sheet,
            row=table.header_row,
            column=table.header("id"),
            hint=N_(
                "choose the column of the titles in the column mapping step of the Données page, "
                "or add a column 'Mesure' with each measure's title"
            ),
            params={"header": table.header("id")},
        )
    if "id" not in table.columns:
        issues.add(
            "warning",
            N_("no ID column: each measure gets a stable ID made from its title (M-xxxxxx)"),
            sheet=table.sheet,
            row=table.header_row,
            hint=N_("add an ID column to choose the IDs yourself"),
        )
    for name, count in table.defaulted.items():
        issues.add(
            "warning",
            NP_(
                "{count} measure takes the mapping's default '{field_label}': {default}",
                "{count} measures take the mapping's default '{field_label}': {default}",
            ),
            sheet=table.sheet,
            column=table.header(name),
            hint=N_("fill the column in the workbook to use other values"),
            params={"count": count, "field_label": FIELD_LABELS.get(name, name), "default": repr(table.defaults[name])},
        )


_ROLE_LABELS = {"measures": N_("Measures"), "risks": N_("Risks"), "teams": N_("Teams"), "settings": N_("Settings")}


def report_hidden_sheets(hidden: Iterable[str], roles: Mapping[str, str | None], issues: IssueCollector) -> None:
    """A note for each hidden sheet: read as which sheet of the format, or not read."""
    for name in hidden:
        role = roles.get(name)
        if role:
            issues.add(
                "warning",
                N_("this sheet is hidden in the file; it is read as the sheet '{role_label}'"),
                sheet=name,
                hint=N_("unhide it to check it (right-click a sheet tab › Unhide), or delete it if it is not in use"),
                params={"role_label": _ROLE_LABELS[role]},
            )
        else:
            issues.add(
                "warning",
                N_("hidden sheet not read: not a sheet of measures, risks, teams or settings"),
                sheet=name,
                hint=N_(
                    "nothing to do if it holds lists or old data; unhide it to check (right-click a sheet tab › Unhide)"
                ),
            )


def report_text_notes(notes: Iterable[tuple[str, int, str]], sheet: str, issues: IssueCollector) -> None:
    """What the reader of a CSV file repaired or could not (:attr:`SheetTables.notes`)."""
    shifted = [(row, extra) for kind, row, extra in notes if kind == "shifted cells"]
    for kind, row, value in notes:
        if kind == "unclosed quote":
            issues.add(
                "warning",
                N_(
                    'a quote (") opens a cell on this row and never closes: it would swallow every row below '
                    "into one cell, so it is read as a plain character"
                ),
                sheet=sheet,
                row=row,
                value=value,
                hint=N_("close the quote or remove it in the file (or save the file again as CSV from Excel)"),
            )
        elif kind == "decimal comma":
            issues.add(
                "warning",
                N_(
                    "numbers written with a decimal comma ({value}) in a comma-separated file split the row into "
                    "one cell too many: joined back into one number"
                ),
                sheet=sheet,
                row=row,
                value=value,
                hint=N_("check the row; save the file with ';' as separator, or put such numbers in quotes"),
                params={"value": value},
            )
    if shifted:
        rows = ", ".join(str(row) for row, _ in shifted[:5]) + (" …" if len(shifted) > 5 else "")
        issues.add(
            "warning",
            NP_(
                "{count} row has more cells than the others (row {rows}): its cells may be shifted to the right",
                "{count} rows have more cells than the others (rows {rows}): their cells may be shifted to the right",
            ),
            sheet=sheet,
            row=shifted[0][0],
            hint=N_(
                "look for a separator inside a value (a decimal comma, a comma in a text without quotes) in those "
                "rows, and put the value in quotes or save the file with ';' as separator"
            ),
            params={"count": len(shifted), "rows": rows},
        )


def report_table_block(table: Table, issues: IssueCollector) -> None:
    """A note naming the cells read when the sheet holds several tables side by side."""
    if table.block is None:
        return
    issues.add(
        "warning",
        N_("this sheet holds several tables side by side: the measures are read from cells {cells} only"),
        sheet=table.sheet,
        row=table.header_row,
        hint=N_(
            "if the measures are in another table, move it to a sheet of its own or choose it in the column mapping"
        ),
        params={"cells": table.cells_read()},
    )


def report_table_stack(table: Table, issues: IssueCollector) -> None:
    """Notes naming the rows read when the sheet holds several tables one under another
    (:mod:`roadmap.importing.stacking`): the tables of measures read as one, the others not read."""
    stack = table.stack
    if stack is None:
        return
    if len(stack.headers) > 1:
        issues.add(
            "warning",
            N_(
                "this sheet holds {count} tables of measures one under another (headers on rows {rows}): read as "
                "one table, the title above each table as the domain of its measures"
            ),
            sheet=table.sheet,
            row=stack.headers[1],
            hint=N_("nothing to do if these are all measures; check the domains on the Données page"),
            params={"count": len(stack.headers), "rows": ", ".join(str(row) for row in stack.headers)},
        )
    if stack.others:
        last = stack.last_row
        if last is None:
            last = max((row for row, _ in [*table.rows, *table.skipped]), default=table.header_row)
        issues.add(
            "warning",
            N_(
                "this sheet holds other tables one under another (headers on rows {others}): the measures are read "
                "from rows {first} to {last} only"
            ),
            sheet=table.sheet,
            row=stack.others[0],
            hint=N_(
                "if the measures are in another table, move it to a sheet of its own or choose its header row in "
                "the column mapping"
            ),
            params={
                "others": ", ".join(str(row) for row in stack.others[:8]),
                "first": table.header_row,
                "last": last,
            },
        )
