"""What the columns of compliance and risk files say of a measure without naming a field of the format
(issue 15): a statement of applicability's ``Applicable (Yes/No)``, a POA&M's ``False Positive``, a
risk register's likelihood, impact and risk score, a POA&M's adjusted risk rating.

:class:`Assessment` finds these columns among those no field took, from their headers
(:func:`roadmap.importing.columns.header_key`), and reads them per distinct value (cached), so that
the row builder of :mod:`roadmap.importing.rows` asks it two questions per row: is the measure out
of scope (cancelled), and which priority its risk gives when no priority column does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from roadmap.errors import CellValueError
from roadmap.i18n import N_, NP_
from roadmap.importing.columns import Table, header_key
from roadmap.importing.issues import IssueCollector
from roadmap.importing.synonyms import IMPACT_HEADERS, LIKELIHOOD_HEADERS
from roadmap.importing.values import is_blank, normalize, parse_number, parse_priority, shorten, to_text
from roadmap.models import Priority

APPLICABLE_HEADS = (
    "applicable",
    "applicability",
    "applicabilite",
    "aplicable",
    "aplicabilidad",
    "aplicavel",
    "aplicabilidade",
    "anwendbar",
    "anwendbarkeit",
    "in scope",
    "selected",
    "control applicable",
)
"""Normalised headers (or their first words) of a column that says whether a control applies: a
negative answer (No, Non, Nein, Não, Not applicable) makes the measure cancelled."""

OUT_OF_SCOPE_HEADS = ("false positive", "faux positif", "falso positivo", "fehlalarm", "excluded", "exclu")
"""Normalised headers of a column whose positive answer (Yes, Oui) takes the measure out of the plan."""

_YES = frozenset({"yes", "y", "oui", "o", "ja", "si", "sim", "true", "vrai", "x", "1"})
_NO = frozenset(
    {
        "no",
        "n",
        "non",
        "nein",
        "nao",
        "false",
        "faux",
        "0",
        "not applicable",
        "non applicable",
        "n a",
        "na",
        "excluded",
        "exclu",
        "exclue",
        "no aplica",
        "nao aplicavel",
        "nicht anwendbar",
        "sans objet",
    }
)

_LIKELIHOOD = LIKELIHOOD_HEADERS
_IMPACT = IMPACT_HEADERS

_SCORE = frozenset(
    {
        "inherent risk score",
        "inherent risk",
        "risk score",
        "score du risque",
        "risque brut",
        "risk value",
        "puntuacion del riesgo",
        "pontuacao do risco",
        "risikowert",
        "initial risk score",
        "gross risk score",
    }
)
"""Normalised headers of a risk's score before treatment (likelihood × impact, or a level word)."""

_SEVERITY = frozenset({"severity", "severity level", "niveau de severite", "severite", "severidad", "schweregrad"})
"""Normalised headers of a finding's severity: as a number (Qualys 1–5), its share of the scale."""

_ADJUSTED = re.compile(r"^(adjusted|revised|ajuste|revise|ajustado|angepasst)\b")

_SCALES = (3, 4, 5, 10, 25, 100)
_BOUND = re.compile(r"(\d+)\s*(?:-|–|à|a|to|bis)\s*(\d+)")


def risk_priority(share: float) -> Priority:
    """The priority of a risk from its score as a share of the scale's top (0–1]: ≥ 0.8 P1, ≥ 0.5 P2,
    ≥ 0.24 P3, else P4 — on a 5 × 5 matrix the usual bands 20–25 critical, 13–19 high, 6–12 medium,
    1–5 low (ISO/IEC 27005 leaves the bands to the organisation; these are the common ones)."""
    if share >= 0.8:
        return Priority.P1
    if share >= 0.5:
        return Priority.P2
    if share >= 0.24:
        return Priority.P3
    return Priority.P4


_LEVEL = {Priority.P4: 1, Priority.P3: 2, Priority.P2: 3, Priority.P1: 4}


class _Scale:
    """One numeric or worded risk column (likelihood, impact or score): a value → a level on a scale,
    each distinct value read once."""

    def __init__(self, index: int, header: str, sample: Sequence[Any]) -> None:
        self.index = index
        self.cache: dict[tuple[type, Any], float | None] = {}
        distinct = {v for v in sample if not is_blank(v)}
        levels = [level for level in map(self.level, distinct) if level is not None]
        top = max(levels, default=0.0)
        bound = _BOUND.search(to_text(header))
        worded = all(self._worded(v) for v in distinct)
        if bound is not None and float(bound.group(2)) >= top:
            self.top = float(bound.group(2))
        elif worded:
            self.top = 4.0 if top > 3 else 3.0
        else:
            self.top = float(next((s for s in _SCALES if s >= top), top or 1))
        self.useful = bool(levels)

    def _worded(self, value: Any) -> bool:
        try:
            parse_number(value)
        except CellValueError:
            return True
        return False

    def level(self, value: Any) -> float | None:
        key = (value.__class__, value)
        if key in self.cache:
            return self.cache[key]
        level: float | None
        try:
            level = parse_number(value)
        except CellValueError:
            try:
                level = float(_LEVEL[parse_priority(value)])
            except CellValueError:
                level = None
        if level is not None and level <= 0:
            level = None
        self.cache[key] = level
        return level

    def share(self, cells: Sequence[Any]) -> float | None:
        value = cells[self.index] if self.index < len(cells) else None
        if is_blank(value):
            return None
        level = self.level(value)
        return None if level is None else min(level / self.top, 1.0)


class Assessment:
    """The columns of a compliance or risk table that decide a measure's status or priority.

    Args:
        headers: the header of each column.
        free: the 0-based indexes of the columns no field took.
        sample: data rows (cells by column index) that the scales are judged on.
        has_priority: the table has a priority column: the risk columns then give no priority
            (an ``Adjusted Risk Rating`` still wins over it where filled).

    Attributes:
        scope: ``[(index, negative)]``: columns whose answer takes a measure out of scope, ``negative``
            when a No does (``Applicable``), else a Yes (``False Positive``).
        adjusted: the column of an adjusted risk rating (``None`` when none).
        score, likelihood, impact, severity: the risk columns, or ``None``.
    """

    def __init__(
        self, headers: Sequence[str], free: Sequence[int], sample: Sequence[Sequence[Any]], *, has_priority: bool
    ) -> None:
        self.scope: list[tuple[int, bool]] = []
        self.adjusted: int | None = None
        self.score: _Scale | None = None
        self.likelihood: _Scale | None = None
        self.impact: _Scale | None = None
        self.severity: _Scale | None = None
        self.headers = headers
        self.cancelled_rows: list[int] = []  # Excel rows out of scope, filled by out_of_scope()
        self.risk_priorities = 0  # measures whose priority came from the risk, counted by priority()
        self._answers: dict[tuple[type, Any], bool | None] = {}
        for index in free:
            header = headers[index] if index < len(headers) else ""
            key = header_key(header)
            if not key:
                continue
            first = " ".join(key.split(" ")[:2])
            if key in APPLICABLE_HEADS or first in APPLICABLE_HEADS or key.split(" ")[0] in APPLICABLE_HEADS:
                self.scope.append((index, True))
            elif key in OUT_OF_SCOPE_HEADS:
                self.scope.append((index, False))
            elif _ADJUSTED.match(key) and "risk" in key and self.adjusted is None:
                self.adjusted = index
            elif not has_priority:
                column = [r[index] for r in sample if index < len(r)]
                if key in _SCORE and self.score is None:
                    self.score = _Scale(index, header, column)
                elif key in _LIKELIHOOD and self.likelihood is None:
                    self.likelihood = _Scale(index, header, column)
                elif key in _IMPACT and self.impact is None:
                    self.impact = _Scale(index, header, column)
                elif key in _SEVERITY and self.severity is None:
                    self.severity = _Scale(index, header, column)
        if self.score is not None and not self.score.useful:
            self.score = None
        if self.severity is not None and not self.severity.useful:
            self.severity = None
        if self.likelihood is None or self.impact is None or not (self.likelihood.useful and self.impact.useful):
            self.likelihood = self.impact = None

    @classmethod
    def of(cls, table: Table, free: Sequence[int], sample: int) -> Assessment:
        """The assessment of ``table``'s ``free`` columns, judged on its first ``sample`` rows."""
        rows = [cells for _, cells in table.rows[:sample]]
        index = table.columns.get("priority")
        named = index is not None and any(index < len(r) and not is_blank(r[index]) for r in rows)
        return cls(table.headers, free, rows, has_priority=named or "priority" in table.defaults)

    def priority(self, row: int, cells: Sequence[Any], parse: Any, read: Any) -> Priority | None:
        """A row's priority: the adjusted risk rating where filled, else ``read(row, cells)`` (the
        priority column), else the risk's (:meth:`risk_priority`); ``None`` when none says."""
        priority = self.adjusted_priority(cells, parse) or read(row, cells)
        if priority is None and self.priority_source:
            priority = self.risk_priority(cells)
            self.risk_priorities += priority is not None
        return priority

    @property
    def priority_source(self) -> list[str]:
        """The headers the risk priority is read from (empty when none)."""
        if self.score is not None:
            return [self.headers[self.score.index]]
        if self.likelihood is not None and self.impact is not None:
            return [self.headers[self.likelihood.index], self.headers[self.impact.index]]
        if self.severity is not None:
            return [self.headers[self.severity.index]]
        return []

    def _answer(self, value: Any) -> bool | None:
        key = (value.__class__, value)
        if key not in self._answers:
            word = normalize(value)
            self._answers[key] = True if word in _YES else False if word in _NO else None
        return self._answers[key]

    def out_of_scope(self, row: int, cells: Sequence[Any]) -> bool:
        """True (and ``row`` noted) when a column says the control does not apply (or the finding is
        a false positive)."""
        for index, negative in self.scope:
            value = cells[index] if index < len(cells) else None
            if value is None or value == "":
                continue
            answer = self._answer(value)
            if answer is not None and answer is not negative:
                self.cancelled_rows.append(row)
                return True
        return False

    def adjusted_priority(self, cells: Sequence[Any], parse: Any) -> Priority | None:
        """The adjusted risk rating where filled and readable (``parse``: the priority parser)."""
        if self.adjusted is None:
            return None
        value = cells[self.adjusted] if self.adjusted < len(cells) else None
        if is_blank(value):
            return None
        try:
            result = parse(value)
        except CellValueError:
            return None
        return result if isinstance(result, Priority) else None

    def risk_priority(self, cells: Sequence[Any]) -> Priority | None:
        """The priority the risk score gives (else likelihood × impact, else the severity), ``None``
        when blank."""
        if self.score is not None:
            share = self.score.share(cells)
            return None if share is None else risk_priority(share)
        if self.likelihood is not None and self.impact is not None:
            likelihood, impact = self.likelihood.share(cells), self.impact.share(cells)
            if likelihood is None or impact is None:
                return None
            return risk_priority(likelihood * impact)
        if self.severity is not None:
            share = self.severity.share(cells)
            return None if share is None else risk_priority(share)
        return None


def report_assessment(table: Table, assessment: Assessment, issues: IssueCollector) -> None:
    """Say which measures a column of applicability took out of the plan, and where the priorities of a
    risk register came from (:class:`Assessment`, after the rows were read)."""
    out_of_scope, risk_priorities = assessment.cancelled_rows, assessment.risk_priorities
    if out_of_scope:
        columns = ", ".join(f"'{assessment.headers[i]}'" for i, _ in assessment.scope)
        issues.add(
            "warning",
            NP_(
                "{count} measure is out of scope by column {columns} (not applicable, or a false positive): "
                "read as cancelled (row {rows})",
                "{count} measures are out of scope by column {columns} (not applicable, or a false positive): "
                "read as cancelled (rows {rows})",
            ),
            sheet=table.sheet,
            row=out_of_scope[0],
            column=assessment.headers[assessment.scope[0][0]],
            hint=N_("they stay in the plan's list as cancelled; change their status to plan them"),
            params={"count": len(out_of_scope), "columns": columns, "rows": _rows_list(out_of_scope)},
        )
    if risk_priorities:
        source = assessment.priority_source
        issues.add(
            "warning",
            NP_(
                "no priority column: {count} measure takes its priority from the risk ({columns}): "
                "score ÷ top of the scale: P1 from 0.8, P2 from 0.5, P3 from 0.24, else P4",
                "no priority column: {count} measures take their priority from the risk ({columns}): "
                "score ÷ top of the scale: P1 from 0.8, P2 from 0.5, P3 from 0.24, else P4",
            ),
            sheet=table.sheet,
            row=table.header_row,
            column=source[0],
            hint=N_("add a column 'Priorité' (P1 to P4) to set the priorities yourself"),
            params={"count": risk_priorities, "columns": " × ".join(f"'{h}'" for h in source)},
        )


def _rows_list(rows: list[int], shown: int = 5) -> str:
    text = ", ".join(str(r) for r in rows[:shown])
    return text + " …" if len(rows) > shown else text


def constant_id(table: Table, issues: IssueCollector, sample: int) -> bool:
    """True (and said) when the ID column holds one value on every row of 3 or more (a scan's ``Task
    ID``, a project code): it names the file, not the measures, which then get IDs made from their
    titles."""
    index = table.columns["id"]
    if len(table.rows) < 3 or "id" in table.defaults:
        return False
    values = {to_text(cells[index]) if index < len(cells) else "" for _, cells in table.rows[:sample]}
    if len(values) != 1 or values == {""} or len({to_text(c[index]) for _, c in table.rows if index < len(c)}) != 1:
        return False
    issues.add(
        "warning",
        N_(
            "column '{column}' holds the same value '{value}' on every row: not read as the ID; each measure "
            "gets a stable ID made from its title (M-xxxxxx)"
        ),
        sheet=table.sheet,
        row=table.header_row,
        column=table.header("id"),
        hint=N_("choose the column of each measure's own ID in the column mapping of the Data page"),
        params={"column": table.header("id"), "value": shorten(next(iter(values)))},
    )
    return True
