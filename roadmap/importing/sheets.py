"""The optional sheets of the format (PRODUCT.md §4) → risks, teams and settings, one row at a time,
with the issues of each row (recorded by :class:`~roadmap.importing.rows.IssueCollector`, as for the
measures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import holidays
from pydantic import ValidationError

from roadmap.errors import CellValueError
from roadmap.i18n import N_
from roadmap.importing.columns import Table, match_field
from roadmap.importing.issues import IssueCollector
from roadmap.importing.synonyms import SETTING_KEYS
from roadmap.importing.values import (
    is_blank,
    normalize,
    parse_bool,
    parse_date,
    parse_int,
    parse_level_name,
    parse_number,
    parse_percent,
    parse_scale_level,
    to_text,
)
from roadmap.models import Risk, Settings, Team
from roadmap.risk import level_of_score

_FRENCH_CALENDARS = {"france", "fr", "francaise"}


def risk_scales(table: Table, settings: Settings, issues: IssueCollector) -> Settings:
    """``settings`` with the top of the likelihood and severity scales the risks are read on: the
    Settings sheet's when it sets them, else 4 (EBIOS RM) — or 5 when a column's highest level is 5
    (the 1–5 matrix of ISO 27005's examples and of many hospitals' methods), said once in a warning.
    A scale is only widened, and to 5 only: a register whose levels stop at 3 may be on 1–4, and a
    lone 7 among levels 1–4 is more likely a typo than a 1–7 scale (it stays an error).

    A level is read as :func:`~roadmap.importing.values.parse_scale_level` reads it (``5``, ``V5``);
    a value it cannot read is left to :func:`build_risks` to report."""
    tops = {}
    for name in ("likelihood", "severity"):
        top = getattr(settings, f"{name}_scale")
        if f"{name}_scale" in settings.model_fields_set or name not in table.columns:
            continue
        levels = []
        for _row, cells in table.rows:
            try:
                levels.append(parse_scale_level(table.cell(cells, name), kind=name, scale=10))
            except CellValueError:
                continue
        highest = max(levels, default=0)
        if top < highest == 5:
            tops[f"{name}_scale"] = highest
            issues.add(
                "warning",
                N_("likelihoods read on a scale of 1 to {top}, the highest level of column '{column}'")
                if name == "likelihood"
                else N_("severities read on a scale of 1 to {top}, the highest level of column '{column}'"),
                sheet=table.sheet,
                row=table.header_row,
                column=table.header(name),
                hint=N_("if the scale goes higher, give its top in the Settings sheet (Échelle de vraisemblance)")
                if name == "likelihood"
                else N_("if the scale goes higher, give its top in the Settings sheet (Échelle de gravité)"),
                params={"top": highest, "column": table.header(name)},
            )
    return settings.model_copy(update=tops) if tops else settings


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
        "day_hours": _parse_day_hours,
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


def _parse_day_hours(value: Any) -> float:
    """The length of a working day, 1 to 24 hours (``7``, ``7,5``, ``7 h``)."""
    text = to_text(value).lower().removesuffix("heures").removesuffix("hours").removesuffix("h").strip()
    hours = parse_number(text if isinstance(value, str) else value)
    if not 1 <= hours <= 24:
        raise CellValueError(N_("a working day must be 1 to 24 hours"), N_("type the hours of a working day, e.g. 7"))
    return hours


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
