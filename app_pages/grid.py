"""Tables on screen in the session's language (helpers, not a page): numbers and dates stay typed in
the grid, so that a click on a column header sorts them as numbers and dates (9 before 10), and each
cell is shown as :func:`app_pages.translation.cell` writes it (``1 234,5``, ``17 déc. 2026``, an
empty cell for a missing value), through a pandas ``Styler``'s display values.

Why a ``Styler`` and not ``column_config`` formats: Streamlit's ``NumberColumn(format=…)`` takes
printf patterns (``%.1f``: always a decimal point) or ``"localized"``, which follows the *browser's*
locale, not the language chosen in the sidebar; a ``Styler``'s display values follow the session's
language and leave the values, hence the sort, as they are. A screen reader still reads the raw
value (``1234.5``): the grid's accessibility text is its data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from app_pages.translation import cell, percent


def _is_date_column(column: pd.Series) -> bool:
    """Dates or date-times, missing values aside (a column of ``datetime.date`` is ``object``)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    values = column.dropna()
    return not values.empty and all(isinstance(v, dt.date) for v in values)


def typed_columns(frame: pd.DataFrame) -> dict[str, str]:
    """The columns the grid keeps typed: column → ``"number"`` (numeric, not boolean) or ``"date"``
    (dates and date-times); the others are text, shown as they are."""
    kinds = {}
    for name, column in frame.items():
        if pd.api.types.is_bool_dtype(column):
            continue
        if pd.api.types.is_numeric_dtype(column):
            kinds[str(name)] = "number"
        elif _is_date_column(column):
            kinds[str(name)] = "date"
    return kinds


def _shown(value: object, digits: int) -> str:
    return cell(value, digits)


def _shown_percent(value: object) -> str:
    return "" if value is None or pd.isna(value) else percent(float(value))  # type: ignore[arg-type]


def styled(frame: pd.DataFrame, digits: Mapping[str, int] | None = None, percents: Collection[str] = ()) -> Styler:
    """``frame`` with its values as they are and, for the typed columns (:func:`typed_columns`), the
    text the screen shows: numbers with ``digits`` decimals by column (1 otherwise, integers none),
    ``percents`` columns (0–1 shares) as ``42 %``, dates as ``17 déc. 2026``, ``""`` when missing.
    Other columns are left to the grid (text is shown as it is)."""
    digits = digits or {}
    kinds = typed_columns(frame)
    formats: dict[Any, Any] = {}
    for name in frame.columns:
        if str(name) in percents:
            formats[name] = _shown_percent
        elif str(name) in kinds:
            formats[name] = partial(_shown, digits=digits.get(str(name), 1))
    frame = frame.assign(**{str(n): pd.to_datetime(frame[n]) for n in frame.columns if kinds.get(str(n)) == "date"})
    return frame.style.format(formats)


def show_table(
    frame: pd.DataFrame,
    *,
    key: str,
    digits: Mapping[str, int] | None = None,
    percents: Collection[str] = (),
    column_config: Mapping[str, Any] | None = None,
    **options: Any,
) -> None:
    """``st.dataframe`` of :func:`styled` ``frame`` without its index, an empty cell for a missing
    value: numbers right-aligned and sorted as numbers, dates sorted as dates; ``column_config``
    gives labels and widths (a typed column's config should be a ``NumberColumn`` or a
    ``DateColumn`` without ``format``, which would override the session's formats); ``options`` go to
    ``st.dataframe``."""
    st.dataframe(
        styled(frame, digits, percents),
        hide_index=True,
        key=key,
        column_config=dict(column_config or {}),
        placeholder="",
        **options,
    )
