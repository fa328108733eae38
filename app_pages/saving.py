"""The save of the Données page: the reviewed edits written into the shared workbook or into the
session's copy of an upload, the workbook in use replaced by the written one at once, and the cells
written kept for the confirmation shown after the rerun.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app_pages.context import (
    Context,
    file_key,
    history_engine,
    record_changes,
    saved_copies,
    today,
)
from app_pages.import_steps import snapshot_workbook
from app_pages.solving import cached_load
from roadmap import RoadmapError
from roadmap.editing import EditReview
from roadmap.security.roles import Actor
from roadmap.store.database import database_url
from roadmap.writeback import CellChange, apply_edits, fingerprint, write_back


@dataclass(frozen=True)
class Saved:
    """A save done: the workbook's name, the cells written, the reviewed changes they came from,
    and why the history did not receive the written workbook (``None`` when it did, or need not)."""

    name: str
    cells: tuple[CellChange, ...]
    review: EditReview
    history_error: str | None = None


def save_review(context: Context, review: EditReview, *, shared: Path | None, upload_id: str | None) -> Saved:
    """Write the kept changes of ``review``, then make the written workbook the one in use.

    Args:
        shared: the workbook on the shared drive, written in place (backup, atomic replace, audit
            entries in the same transaction); ``None`` writes a copy of the workbook in use instead
            (an upload, or the sample), kept in the session in place of the upload ``upload_id``
            (``None``: the sample) and offered for download. The shared workbook, once written, is
            recorded as today's snapshot of its source (the save is the editor's confirmation); a
            copy is recorded only from the Data page's "Save to history" button, as any upload.

    Raises:
        RoadmapError: the write is refused (someone saved the file meanwhile, no column to write
            into, a viewer…); nothing is written.
    """
    actor: Actor = st.session_state["user"]
    edits = review.edits()
    history_error = None
    if shared is not None:
        cells = write_back(
            shared,
            edits,
            expected=fingerprint(context.data),
            by=actor,
            audit=history_engine(database_url()),
            backup_dir=shared.parent / "sauvegardes",
        )
        try:
            written = shared.read_bytes()
        except OSError as exc:
            return Saved(context.name, tuple(cells), review, str(exc.strerror or exc))
    else:
        written, cells = apply_edits(context.data, edits, filename=context.name)
        record_changes(cells, workbook=context.name, by=actor)
        saved_copies()[upload_id or "sample"] = (written, context.name)
    if cells and shared is not None:  # the shared workbook's new state: the editor's save confirms it
        try:
            updated = dataclasses.replace(
                context, data=written, result=cached_load(written, filename=context.name, mapping=context.mapping)
            )
            snapshot_workbook(updated, actor, today=today())
        except RoadmapError as exc:
            history_error = str(exc)
    if context.mapping is not None:  # the written copy is read as the original was
        st.session_state.setdefault("mappings", {})[file_key(written)] = context.mapping
    return Saved(context.name, tuple(cells), review, history_error)
