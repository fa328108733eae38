"""The limits a browser session meets when it loads files (SECURITY.md, "Limits"): so many new
files per hour (``REMPART_UPLOADS_PER_HOUR``), and the server-wide queue of the parser
(:data:`roadmap.importing.isolation.PARSE_SLOTS`). Each refusal is said in the user's language and
written in the audit log.

The count is kept in the session's memory (:class:`roadmap.security.limits.SlidingWindow`): it
limits what one session costs the server, and a session does not outlive the server anyway.
"""

from __future__ import annotations

import math

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages.access import accounts_engine
from app_pages.translation import _, md, ngettext
from roadmap import RoadmapError
from roadmap.security.limits import SlidingWindow
from roadmap.security.roles import Actor
from roadmap.store.audit import record_audit
from roadmap.store.database import settings

HOUR = 3600.0
_DEFAULT_UPLOADS_PER_HOUR = 30


def _audit(actor: Actor, action: str, target: str, note: str) -> None:
    try:
        record_audit(accounts_engine(), who=actor.name, action=action, target=target[:200], old=None, new=note)
    except RoadmapError as exc:
        st.warning(_("Not written in the audit log: {error}").format(error=md(exc)))


def _window() -> SlidingWindow:
    window: SlidingWindow | None = st.session_state.get("upload_window")
    if window is None:
        try:
            limit = settings().uploads_per_hour
        except RoadmapError:
            limit = _DEFAULT_UPLOADS_PER_HOUR
        window = st.session_state["upload_window"] = SlidingWindow(limit, HOUR)
    return window


def upload_allowed(upload: UploadedFile, actor: Actor) -> bool:
    """True when this upload may be read: a file already accepted in this session always is; a new
    one counts against the session's uploads of the last hour. Says why, and audits, when not."""
    decided: dict[str, bool] = st.session_state.setdefault("uploads_decided", {})
    if upload.file_id not in decided:
        window = _window()
        decided[upload.file_id] = window.allow("uploads")
        if not decided[upload.file_id]:
            _audit(actor, "upload_refused_limit", upload.name, f"{window.limit} files in an hour")
    if not decided[upload.file_id]:
        window = _window()
        st.error(
            ngettext(
                "This session has loaded {count} file within the hour, the most it may: this one is not read and "
                "the sample stays on screen. Try again in {minutes} min.",
                "This session has loaded {count} files within the hour, the most it may: this one is not read and "
                "the sample stays on screen. Try again in {minutes} min.",
                window.limit,
            ).format(count=window.limit, minutes=max(1, math.ceil(window.retry_after("uploads") / 60)))
        )
    return decided[upload.file_id]


def server_busy(name: str, actor: Actor) -> None:
    """Say that the server's parsers are all taken by other files, audit it, and stop the page."""
    _audit(actor, "upload_refused_busy", name, "every parser slot taken")
    st.warning(_("The server is busy reading other files: try again in a moment (nothing is wrong with yours)."))
    st.stop()
