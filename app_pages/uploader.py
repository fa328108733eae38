"""The sidebar's file uploader in the session's language (helpers, not a page): Streamlit writes its
button, its size limit and the loaded file's size in English whatever the page's language."""

from __future__ import annotations

import streamlit as st

from app_pages.translation import _, size


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes and backslashes escaped, no line breaks)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_words(limit_mb: int) -> None:
    """The file uploader's own words (its button and its size line), which Streamlit writes in
    English whatever the page's language, replaced in the session's language by a style sheet
    (``content`` of a ``::after``, the English words not displayed: the widget has no parameter for
    them), and the size of the file loaded (``18,7 Ko``; Streamlit writes ``18.7KB``), read from the
    widget's state; ``limit_mb``: the largest upload, MB. The drop zone's ``aria-label`` is our
    translated label already; the file chip's ``aria-label`` stays Streamlit's (English)."""
    zone = "[data-testid='stFileUploaderDropzone']"
    hint = "[data-testid='stFileUploaderDropzoneInstructions']"
    button = _css_string(_("Browse"))
    limit = _css_string(_("At most {size} MB per file").format(size=limit_mb))
    loaded = st.session_state.get("upload")
    file_size = (
        f"[data-testid='stFileChipName'] + div {{font-size: 0}}"
        f"[data-testid='stFileChipName'] + div::after {{content: {_css_string(size(loaded.size))}; font-size: 0.75rem}}"
        if loaded is not None
        else ""
    )
    st.html(
        "<style>"
        f"{zone} button [data-testid='stMarkdownContainer'] p {{display: none}}"
        f"{zone} button [data-testid='stMarkdownContainer']::after {{content: {button}}}"
        f"{hint} span {{display: none}}"
        f"{hint} > div::after {{content: {limit}; font-size: 0.875rem; opacity: 0.6}}"
        f"{file_size}"
        "</style>"
    )
