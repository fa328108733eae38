"""Rempart's format (PRODUCT.md §4): the sheets, their columns and the synonyms each is known by
(French and English), and the table under a header row.

A sheet plays a role (measures, risks, teams, settings) by its name, else by its columns
(:func:`assign_sheets`); its header row is the one among the first :data:`HEADER_SCAN_ROWS` rows
that maps the most fields (:func:`find_table`); the data rows under it skip repeats of the header
and description rows (:func:`body_rows`). :class:`Table` is what the row builders of
:mod:`roadmap.importing.rows` read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from roadmap.importing.tables import Rows
from roadmap.importing.values import (
    is_blank,
    normalize,
    to_text,
)

SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "measures": ("mesures", "measures", "mesure", "measure", "plan d actions", "actions"),
    "risks": ("risques", "risks", "risque", "risk", "scenarios de risque", "risk register"),
    "teams": ("equipes", "teams", "equipe", "team", "capacite", "capacity"),
    "settings": ("parametres", "settings", "parametre", "setting", "configuration"),
}
"""Normalised sheet names (see :func:`roadmap.importing.values.normalize`) for each sheet of §4."""


MEASURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "ref",
        "reference",
        "identifiant",
        "n",
        "no",
        "numero",
        "code",
        "poam id",
        "item id",
        "task no",
        "measure id",
        "action id",
        "control id",
        "qid",
    ),
    "title": (
        "mesure",
        "intitule",
        "measure",
        "title",
        "titre",
        "libelle",
        "action",
        "nom de la mesure",
        "intitule de la mesure",
        "weakness name",
        "task",
        "task name",
        "plugin name",
        "action title",
    ),
    "domain": ("domaine", "domain", "theme", "chantier", "categorie", "category", "famille", "family"),
    "team": ("equipe", "team", "equipe en charge", "assigned team"),
    "owner": ("responsable", "pilote", "owner", "porteur", "point of contact", "responsibility", "assignee"),
    "effort_days": (
        "charge j h",
        "charge",
        "effort person days",
        "effort",
        "charge jh",
        "effort days",
        "jours homme",
        "person days",
        "workload",
    ),
    "max_crew": ("personnes max", "max people", "max crew", "crew"),
    "status": ("statut", "status", "etat", "state"),
    "progress": ("avancement", "progress", "percent complete", "complete", "realisation", "pourcentage"),
    "priority": ("priorite", "priority"),
    "baseline_start": (
        "debut prevu",
        "planned start",
        "date de debut prevue",
        "baseline start",
        "start date",
        "date de debut",
    ),
    "baseline_end": (
        "fin prevue",
        "planned end",
        "date de fin prevue",
        "baseline end",
        "planned finish",
        "end date",
        "date de fin",
    ),
    "baseline_quarter": ("trimestre prevu", "planned quarter", "trimestre", "quarter"),
    "depends_on": ("depend de", "prerequis", "depends on", "dependencies", "predecessors", "predecesseurs"),
    "mitigates": ("risques traites", "mitigates", "risks mitigated", "risques couverts"),
    "references": ("referentiel", "references", "referentiels", "framework", "frameworks", "controls", "exigences"),
    "due_date": (
        "echeance",
        "due date",
        "due",
        "date limite",
        "deadline",
        "scheduled completion date",
        "target completion date",
        "date cible",
    ),
    "done_date": (
        "date de realisation",
        "completed on",
        "completion date",
        "done date",
        "date de fin reelle",
        "actual completion date",
    ),
    "fixed_sprint": ("sprint impose", "fixed sprint", "sprint"),
    "notes": (
        "commentaire",
        "commentaires",
        "notes",
        "note",
        "comments",
        "comment",
        "remarques",
        "observations",
        "notes questions",
        "description",
        "description de la mesure",
        "weakness description",
    ),
}
"""Normalised French and English header synonyms of the Measures sheet, per field."""


RISK_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "identifiant", "risk id", "code", "risk no"),
    "scenario": (
        "scenario",
        "scenario de risque",
        "risque",
        "risk",
        "intitule",
        "title",
        "description",
        "risk name",
        "threat",
        "menace",
    ),
    "likelihood": ("vraisemblance", "likelihood", "probabilite", "probability"),
    "severity": ("gravite", "severity", "impact"),
    "target_level": ("niveau cible", "target level", "cible", "target", "niveau de risque cible", "target risk level"),
}


TEAM_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("equipe", "team", "nom", "name"),
    "fte": ("etp", "fte", "effectif"),
    "availability": ("disponibilite", "availability", "disponibilite programme"),
    "reinforcement": ("renfort j h semaine", "renfort", "reinforcement person days per week", "reinforcement"),
}


SETTINGS_COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("parametre", "setting", "cle", "key", "nom", "name"),
    "value": ("valeur", "value"),
}


SETTING_KEYS: dict[str, tuple[str, ...]] = {
    "establishment": ("etablissement", "establishment", "hopital", "hospital", "organisation", "organization"),
    "start_date": (
        "date de debut du programme",
        "date de debut",
        "programme start date",
        "program start date",
        "start date",
        "debut du programme",
    ),
    "horizon_weeks": ("horizon semaines", "horizon", "horizon weeks"),
    "sprint_weeks": (
        "duree du sprint semaines",
        "duree du sprint",
        "sprint length weeks",
        "sprint length",
        "duree des sprints",
    ),
    "calendar": ("calendrier", "calendar"),
    "likelihood_scale": ("echelle de vraisemblance", "likelihood scale"),
    "severity_scale": ("echelle de gravite", "severity scale"),
    "partial_credit": ("credit partiel en cours", "partial credit", "partial credit for in progress measures"),
}


PLAN_EXPORT_HEADERS: dict[str, tuple[str, str]] = {
    "sprint": ("Sprint planifié", "Scheduled sprint"),
    "start": ("Début planifié", "Scheduled start"),
    "end": ("Fin planifiée", "Scheduled end"),
    "reason": ("Raison du report", "Deferral reason"),
}
"""Columns the XLSX plan export (:func:`roadmap.exports.workbook.build_plan_xlsx`) adds to the Measures
sheet, French and English header. The loader never reads them as fields (``Sprint planifié``
would otherwise match ``Sprint imposé``'s synonym ``sprint``): they come back in
:attr:`Measure.extra`, so that an exported plan re-imports to the same roadmap."""


_EXPORT_KEYS = {normalize(header) for headers in PLAN_EXPORT_HEADERS.values() for header in headers}


HEADER_SCAN_ROWS = 30


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field -> 0-based column index
    headers: list[str]  # header text by column index
    rows: list[tuple[int, list[Any]]]  # (1-based Excel row, cells)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (1-based Excel row, why)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # field -> value for blank cells
    defaulted: dict[str, int] = field(default_factory=dict)  # field -> how many cells took the default

    def header(self, field_name: str) -> str:
        if field_name not in self.columns:
            return f"({field_name})"
        return self.headers[self.columns[field_name]] or column_letter(self.columns[field_name])

    def cell(self, cells: list[Any], field_name: str) -> Any:
        index = self.columns.get(field_name)
        value = cells[index] if index is not None and index < len(cells) else None
        if is_blank(value) and field_name in self.defaults:
            self.defaulted[field_name] = self.defaulted.get(field_name, 0) + 1
            return self.defaults[field_name]
        return value


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def match_field(header: str, synonyms: Mapping[str, tuple[str, ...]]) -> str | None:
    """The field whose synonym is the normalised header, else whose synonym followed by unit words
    only is (``Charge (jours)``, ``Avancement en %``; the longest synonym wins), else ``None``."""
    key = normalize(header)
    if not key or key in _EXPORT_KEYS:
        return None
    index = _synonym_index(synonyms)
    if key in index:
        return index[key]
    words = key.split(" ")
    for end in range(len(words) - 1, 0, -1):  # longest prefix first, the rest must be unit words
        if not set(words[end:]) <= _UNIT_WORDS:
            break
        prefix = " ".join(words[:end])
        if len(prefix) > 2 and prefix in index:
            return index[prefix]
    return None


_SYNONYM_INDEXES: dict[int, tuple[Mapping[str, tuple[str, ...]], dict[str, str]]] = {}


def _synonym_index(synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Synonym → field, the first field listing it winning (built once per synonym table: a header
    row of 16,384 columns must not cost 16,384 × every synonym)."""
    cached = _SYNONYM_INDEXES.get(id(synonyms))
    if cached is not None and cached[0] is synonyms:
        return cached[1]
    index: dict[str, str] = {}
    for name, words in synonyms.items():
        for word in words:
            index.setdefault(word, name)
    _SYNONYM_INDEXES[id(synonyms)] = (synonyms, index)
    return index


_UNIT_WORDS = {
    "j",
    "h",
    "jh",
    "jour",
    "jours",
    "day",
    "days",
    "person",
    "personne",
    "personnes",
    "semaine",
    "semaines",
    "week",
    "weeks",
    "pct",
    "percent",
    "etp",
    "fte",
    "en",
    "in",
    "par",
    "per",
    "s",
}


def _map_columns(cells: Sequence[Any], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (name := match_field(cell, synonyms)) and name not in columns:
            columns[name] = index
    return columns


def find_table(
    sheet: str, rows: Rows, synonyms: Mapping[str, tuple[str, ...]], required: Iterable[str]
) -> Table | None:
    """The first row among the top rows that maps the most fields, if it maps all ``required``."""
    required = set(required)
    best: tuple[int, int, dict[str, int]] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _map_columns(cells, synonyms)
        if required <= columns.keys() and (best is None or len(columns) > len(best[2])):
            best = (index, len(columns), columns)
    if best is None:
        return None
    index, _, columns = best
    data, skipped = body_rows(rows, index)
    return Table(sheet, index + 1, columns, [to_text(c) for c in rows[index]], data, skipped)


TYPE_WORDS = {"text", "texte", "date", "number", "nombre", "identifier", "identifiant", "integer", "entier"}
"""Words of a 'type' row under a header (FedRAMP templates), normalised."""


def body_rows(rows: Rows, header_index: int) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, str]]]:
    """The data rows under a header, and the rows skipped with why.

    Skipped: empty rows; repeats of the header; description or type rows right under the header
    (every filled cell is a type word such as Text/Date, or most are sentences).

    Returns:
        ``([(excel_row, cells)], [(excel_row, reason)])``, Excel rows 1-based.
    """
    header = [normalize(c) for c in rows[header_index]]
    data: list[tuple[int, list[Any]]] = []
    skipped: list[tuple[int, str]] = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=1):
        excel_row = header_index + 1 + offset
        if all(is_blank(c) for c in cells):
            continue
        if cells and normalize(cells[0]) == header[0] and [normalize(c) for c in cells] == header[: len(cells)]:
            skipped.append((excel_row, "repeated header"))
            continue
        if offset <= 3 and not data and _is_description([to_text(c) for c in cells if not is_blank(c)]):
            skipped.append((excel_row, "description or type row under the header"))
            continue
        data.append((excel_row, list(cells)))
    return data, skipped


def _is_description(filled: list[str]) -> bool:
    """A row of 3+ cells that mostly names types (Text, Date, Control Number…) or holds sentences."""
    if len(filled) < 3:
        return False
    words = [normalize(c).split() for c in filled]
    typed = sum(len(w) <= 3 and bool(set(w) & TYPE_WORDS) for w in words)
    if typed / len(filled) >= 0.5:
        return True
    long_texts = sum(len(c) > 25 and " " in c for c in filled)
    return long_texts / len(filled) >= 0.8


@dataclass(frozen=True)
class SheetLayout:
    """Where the table of measures sits in a workbook, as the loader finds it.

    Attributes:
        sheet: the sheet's name in the file.
        header_row: 1-based Excel row of the header.
        columns: field of :data:`MEASURE_COLUMNS` → 0-based column index.
        headers: header text by 0-based column index (``""`` when blank).
        ids: (1-based Excel row, measure ID as the loader reads it) of each data row with an ID.
        width: number of columns in use in the header and data rows (last non-blank + 1).
    """

    sheet: str
    header_row: int
    columns: Mapping[str, int]
    headers: tuple[str, ...]
    ids: tuple[tuple[int, str], ...]
    width: int


def measures_layout(tables: Mapping[str, Rows]) -> SheetLayout | None:
    """Locate the Measures sheet, its header row and its columns, exactly as
    :func:`load_workbook` does.

    Args:
        tables: every sheet's rows, as from :func:`read_tables`.

    Returns:
        The layout, or ``None`` when no sheet has a header with an ID and a title column.
    """
    roles = assign_sheets(tables)
    name = next((sheet for sheet, role in roles.items() if role == "measures"), None)
    if name is None:
        return None
    table = find_table(name, tables[name], MEASURE_COLUMNS, ("id", "title"))
    if table is None:
        return None
    used = [table.headers, *(cells for _, cells in table.rows)]
    width = max((i + 1 for cells in used for i, c in enumerate(cells) if not is_blank(c)), default=0)
    ids = tuple((row, to_text(table.cell(cells, "id"))) for row, cells in table.rows)
    return SheetLayout(
        sheet=name,
        header_row=table.header_row,
        columns=dict(table.columns),
        headers=tuple(table.headers),
        ids=tuple((row, ident) for row, ident in ids if ident),
        width=width,
    )


def assign_sheets(tables: Mapping[str, Rows]) -> dict[str, str | None]:
    """Which §4 sheet each sheet of the file is, by name, else (measures only) by its columns."""
    roles: dict[str, str | None] = {}
    for name in tables:
        key = normalize(name)
        roles[name] = next(
            (role for role, names in SHEET_NAMES.items() if key in names and role not in roles.values()), None
        )
    if "measures" not in roles.values():
        for name, rows in tables.items():
            if roles[name] is None and find_table(name, rows, MEASURE_COLUMNS, ("id", "title")):  # both, to be sure
                roles[name] = "measures"
                break
    return roles
