"""Pydantic models of a roadmap workbook: one model per sheet row, plus the workbook itself.

The workbook format is PRODUCT.md §4: sheets Measures (required), Risks, Teams and Settings.
Models are frozen; cross-row checks (unknown team, unknown prerequisite, cycles) are made by
:func:`roadmap.importing.load.load_workbook`, which reports them as :class:`Issue` values with the row
they come from, rather than raising at the first one.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from roadmap.i18n import N_, translation


class Status(StrEnum):
    """Status of a measure (PRODUCT.md §4)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


class Priority(StrEnum):
    """Priority of a measure, P1 highest."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"

    @property
    def rank(self) -> int:
        """1 for P1 … 4 for P4."""
        return int(self.value[1])


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mitigation(_Frozen):
    """A measure's effect on one risk.

    Attributes:
        risk_id: ID of the risk in the Risks sheet.
        effectiveness: share of the risk's likelihood the measure removes once done, in (0, 1].
    """

    risk_id: str
    effectiveness: float = Field(gt=0, le=1)


class Measure(_Frozen):
    """One hardening measure (one row of the Measures sheet).

    Units: ``effort_days`` in person-days (``effort_min`` / ``effort_max``: the optional
    optimistic and pessimistic efforts of a three-point estimate, for the forecast); ``progress``
    in percent, 0–100; dates are calendar dates. ``row`` is the Excel row number the measure was
    read from (``None`` when built in code). ``extra`` keeps the columns Rempart does not know,
    header → text, so that a write-back can leave them untouched.
    """

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    domain: str = ""
    team: str = ""
    owner: str = ""
    effort_days: float = Field(gt=0)
    effort_min: float | None = Field(default=None, gt=0)
    effort_max: float | None = Field(default=None, gt=0)
    max_crew: int = Field(default=1, ge=1)
    status: Status = Status.NOT_STARTED
    progress: float = Field(default=0.0, ge=0, le=100)
    priority: Priority = Priority.P3
    baseline_start: dt.date | None = None
    baseline_end: dt.date | None = None
    baseline_quarter: str | None = None
    depends_on: tuple[str, ...] = ()
    mitigates: tuple[Mitigation, ...] = ()
    references: str = ""
    due_date: dt.date | None = None
    done_date: dt.date | None = None
    fixed_sprint: int | None = Field(default=None, ge=1)
    notes: str = ""
    extra: dict[str, str] = Field(default_factory=dict)
    row: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _done_is_complete(cls, data: object) -> object:
        """A done measure is 100 % complete, whatever its progress cell says."""
        if isinstance(data, dict) and data.get("status") in (Status.DONE, "done"):
            return {**data, "progress": 100.0}
        return data

    @property
    def is_open(self) -> bool:
        """True when the measure still needs work (not done, not cancelled)."""
        return self.status not in (Status.DONE, Status.CANCELLED)

    @property
    def remaining_effort(self) -> float:
        """Remaining effort in person-days: effort × (1 − progress/100), 0 when done or cancelled."""
        if not self.is_open:
            return 0.0
        return self.effort_days * (1 - self.progress / 100)

    @property
    def baseline_finish(self) -> dt.date | None:
        """End of the measure in the original multi-year plan.

        ``baseline_end`` when given, else the last day of ``baseline_quarter``, else ``None``.
        """
        if self.baseline_end is not None:
            return self.baseline_end
        if self.baseline_quarter:
            year, quarter = (int(p) for p in self.baseline_quarter.split("-Q"))
            first_of_next = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1)
            return first_of_next - dt.timedelta(days=1)
        return None


class Risk(_Frozen):
    """One risk scenario (one row of the Risks sheet), on EBIOS RM scales.

    Attributes:
        likelihood: 1 … ``Settings.likelihood_scale`` (EBIOS RM V1–V4 by default).
        severity: 1 … ``Settings.severity_scale`` (EBIOS RM G1–G4 by default).
        target_level: index of the accepted residual level in :data:`roadmap.risk.LEVELS`
            (0 = low … 3 = critical), or ``None`` when no target is set.
    """

    id: str = Field(min_length=1)
    scenario: str = ""
    likelihood: int = Field(ge=1)
    severity: int = Field(ge=1)
    target_level: int | None = Field(default=None, ge=0, le=3)
    row: int | None = None

    @property
    def inherent(self) -> int:
        """Inherent score: likelihood × severity (1–16 on the default 4×4 scales)."""
        return self.likelihood * self.severity


class Team(_Frozen):
    """One team (one row of the Teams sheet).

    Attributes:
        fte: full-time equivalents (people).
        availability: share of their time available for the programme, 0–1.
        reinforcement: extra person-days per week from a supplier or the regional support team.
    """

    name: str = Field(min_length=1)
    fte: float = Field(gt=0)
    availability: float = Field(default=1.0, ge=0, le=1)
    reinforcement: float = Field(default=0.0, ge=0)
    row: int | None = None

    @property
    def daily_capacity(self) -> float:
        """Person-days per working day: FTE × availability + reinforcement / 5 (PRODUCT.md §5)."""
        return self.fte * self.availability + self.reinforcement / 5

    @property
    def crew_limit(self) -> int:
        """Most people of the team one measure can use at once: the whole people, at least 1."""
        return max(1, min(math.floor(self.fte), math.floor(self.daily_capacity + 1e-9)))


class Settings(_Frozen):
    """Programme settings (the Settings sheet, all optional).

    Attributes:
        start_date: first day of the compressed programme; ``None`` lets the caller choose.
        horizon_weeks: length of the programme in weeks (default 13).
        sprint_weeks: sprint length in weeks (default 2).
        calendar: ISO country code whose public holidays are not worked (default ``FR``), or
            ``""`` for Monday–Friday only.
        likelihood_scale, severity_scale: top of each scale (default 4, EBIOS RM).
        partial_credit: count in-progress measures at progress/100 in residual risk.
        day_hours: length of a working day in hours (default 7, a French hospital's): efforts given
            in hours are divided by it to give person-days.
    """

    establishment: str = ""
    start_date: dt.date | None = None
    horizon_weeks: int = Field(default=13, ge=1, le=156)
    sprint_weeks: int = Field(default=2, ge=1, le=12)
    calendar: str = "FR"
    likelihood_scale: int = Field(default=4, ge=2, le=10)
    severity_scale: int = Field(default=4, ge=2, le=10)
    partial_credit: bool = False
    day_hours: float = Field(default=7.0, gt=0, le=24)


class Roadmap(_Frozen):
    """A whole workbook: measures, risks, teams and settings."""

    measures: tuple[Measure, ...]
    risks: tuple[Risk, ...] = ()
    teams: tuple[Team, ...] = ()
    settings: Settings = Settings()

    def replace(self, **changes: object) -> Roadmap:
        """A new roadmap with some fields replaced (``model_copy`` would keep the cached lookups)."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return Roadmap(**{**fields, **changes})

    @cached_property
    def measure_by_id(self) -> dict[str, Measure]:
        """Measures keyed by ID."""
        return {m.id: m for m in self.measures}

    @cached_property
    def team_by_name(self) -> dict[str, Team]:
        """Teams keyed by name."""
        return {t.name: t for t in self.teams}


class Issue(_Frozen):
    """One problem found in a workbook, located as Excel shows it.

    Attributes:
        severity: ``error`` blocks planning; ``warning`` is an assumption or oddity to review.
        sheet: sheet name as in the file (``None`` for the file as a whole).
        row: 1-based row number as Excel shows it.
        column: the column's header text (or its letter when it has none).
        value: the offending value, shortened to 60 characters.
        message: what is wrong, in English.
        hint: how to fix it, in English.
        template, hint_template: ``message`` and ``hint`` before their ``{placeholders}`` were
            filled: the msgids of the gettext catalogue (``""`` when the text is not translated).
        params: placeholder → text, as ``(name, text)`` pairs; a placeholder whose name ends with
            ``_label`` holds an English msgid (a field's label) translated with the message.
        plural_template: the plural msgid of ``template`` (``""`` without one): the message is then
            chosen by the ``count`` placeholder (gettext's ``ngettext``), never "measure(s)".
    """

    severity: Literal["error", "warning"]
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str = ""
    template: str = ""
    hint_template: str = ""
    params: tuple[tuple[str, str], ...] = ()
    plural_template: str = ""

    def text(self, lang: str) -> tuple[str, str]:
        """The message and the hint in ``lang`` (``"fr"`` or ``"en"``; anything else gives French).

        Each template is translated by the ``rempart`` catalogue and its placeholders filled;
        without a template, the English ``message`` or ``hint`` is returned as is.
        """
        return self._translated(self.template, self.message, lang, self.plural_template), self._translated(
            self.hint_template, self.hint, lang
        )

    def _translated(self, template: str, english: str, lang: str, plural: str = "") -> str:
        if not template:  # gettext("") would be the catalogue's header
            return english
        gettext = translation(lang).gettext
        count = dict(self.params).get("count", "")
        if plural and count.isdigit():
            text = translation(lang).ngettext(template, plural, int(count))
        else:
            text = gettext(template)
        if not self.params:
            return text
        return text.format(**{k: gettext(v) if k.endswith("_label") else v for k, v in self.params})

    def describe(self, lang: str = "en") -> str:
        """One line: ``[error] sheet 'Mesures', row 12, column 'Statut': message (value: 'Fini?') — hint``.

        Args:
            lang: ``"en"`` (the default: the CLI's English) or ``"fr"``.
        """
        gettext = translation(lang).gettext
        message, hint = self.text(lang)
        where = []
        if self.sheet is not None:
            where.append(gettext(N_("sheet '{sheet}'")).format(sheet=self.sheet))
        if self.row is not None:
            where.append(gettext(N_("row {row}")).format(row=self.row))
        if self.column is not None:
            where.append(gettext(N_("column '{column}'")).format(column=self.column))
        severity = gettext(N_("error") if self.severity == "error" else N_("warning"))
        if where:
            message = gettext(N_("{place}: {message}")).format(place=", ".join(where), message=message)
        text = f"[{severity}] {message}"
        if self.value is not None:
            text += " " + gettext(N_("(value: {value})")).format(value=repr(self.value))
        if hint:
            text += f" — {hint}"
        return text
