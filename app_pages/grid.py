"""Tables on screen in the session's language (helpers, not a page): every cell of a table goes
through :func:`app_pages.translation.cell` — dates, date-times, numbers with the locale's separators,
empty cells — before :func:`st.dataframe` draws it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.translation import cell


def localised(frame: pd.DataFrame, digits: Mapping[str, int] | None = None) -> pd.DataFrame:
    """``frame`` with every cell as the screen shows it in the session's language
    (:func:`app_pages.translation.cell`): dates, date-times, numbers (``digits`` decimals by column,
    1 otherwise), ``""`` for a missing value; boolean columns are kept (the grid draws a tick)."""
    digits = digits or {}
    return pd.DataFrame(
        {
            name: column
            if pd.api.types.is_bool_dtype(column)
            else [cell(value, digits.get(str(name), 1)) for value in column.tolist()]
            for name, column in frame.items()
        },
        index=frame.index,
    )


def show_table(
    frame: pd.DataFrame,
    *,
    key: str,
    digits: Mapping[str, int] | None = None,
    column_config: Mapping[str, Any] | None = None,
    **options: Any,
) -> None:
    """``st.dataframe`` of :func:`localised` ``frame`` without its index, numeric columns
    right-aligned (unless ``column_config`` configures them); ``options`` go to ``st.dataframe``."""
    config: dict[str, Any] = {
        str(name): st.column_config.TextColumn(alignment="right")
        for name, column in frame.items()
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
    }
    config.update(column_config or {})
    st.dataframe(localised(frame, digits), hide_index=True, key=key, column_config=config, **options)
