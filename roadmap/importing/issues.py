"""The issues of one import, collected while its tables are read (:class:`IssueCollector`): each
with its sheet, row as Excel numbers it, column header, the bad value (shortened) and a fix, as
:func:`~roadmap.i18n.N_` templates that :meth:`roadmap.models.Issue.text` translates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from roadmap.errors import CellValueError
from roadmap.importing.columns import Table
from roadmap.importing.values import is_blank, shorten
from roadmap.models import Issue


class IssueCollector:
    """Collects issues while building models from one table."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.refused_teams: set[str] = set()
        self.unknown_values: dict[str, list[tuple[str, int]]] = {}  # field -> (value, rows holding it)

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    def add(
        self,
        severity: str,
        message: str | tuple[str, str],
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str = "",
        params: Mapping[str, object] | None = None,
    ) -> None:
        """Record an issue; ``message`` and ``hint`` are :func:`N_` templates filled from ``params``
        (``message`` an :func:`NP_` pair when it has a plural: chosen by ``params["count"]``)."""
        pairs = tuple((name, str(text)) for name, text in (params or {}).items())
        singular, plural = message if isinstance(message, tuple) else (message, "")
        self.append(severity, singular, hint, pairs, sheet=sheet, row=row, column=column, value=value, plural=plural)

    def append(
        self,
        severity: str,
        template: str,
        hint_template: str,
        params: tuple[tuple[str, str], ...],
        *,
        sheet: str | None,
        row: int | None,
        column: str | None,
        value: object,
        plural: str = "",
    ) -> None:
        fields = dict(params)
        english = plural if plural and fields.get("count") != "1" else template
        self.issues.append(
            Issue.model_validate(  # as Issue(**fields), without __init__'s cost
                dict(
                    severity=severity,
                    message=english.format(**fields) if fields else english,
                    sheet=sheet,
                    row=row,
                    column=column,
                    value=None if value is None else shorten(value),
                    hint=hint_template.format(**fields) if fields else hint_template,
                    template=template,
                    hint_template=hint_template,
                    params=params,
                    plural_template=plural,
                )
            )
        )

    def parse(
        self,
        table: Table,
        row: int,
        cells: list[Any],
        field_name: str,
        parser: Callable[[Any], Any],
        *,
        severity: str = "error",
    ) -> Any:
        """Parse one cell; ``None`` when blank or unreadable (the problem is recorded)."""
        raw = table.cell(cells, field_name)
        if is_blank(raw):
            return None
        try:
            return parser(raw)
        except CellValueError as exc:
            self.append(
                severity,
                exc.template,
                exc.hint_template,
                exc.params,
                sheet=table.sheet,
                row=row,
                column=table.header(field_name),
                value=raw,
            )
            return None
