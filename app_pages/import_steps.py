"""The IT team's import steps on the Données page (helpers, not a page): the validation report with
the ignored sheets grouped, the remembered mapping said and forgettable, the confirmation that
records the workbook in the history; and on the Historique page, the deletion of a snapshot.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from sqlalchemy import Engine

from app_pages.access import can_edit
from app_pages.context import Context, file_key, history_engine, source_name
from app_pages.grid import show_table
from app_pages.tables import issues_frame
from app_pages.translation import _, day, language, md, moment, ngettext
from roadmap import LoadResult, RoadmapError, Snapshot, record_snapshot
from roadmap.importing.load import ignored_sheets
from roadmap.importing.mapping import ColumnMapping
from roadmap.security.roles import Actor
from roadmap.store.database import database_url
from roadmap.store.mappings import forget, remember
from roadmap.store.snapshots import content_hash, delete_snapshot

SHOWN_SHEETS = 5
"""How many ignored sheets the one-line summary names before "…"."""


def snapshot_workbook(context: Context, by: Actor, *, today: dt.date) -> str:
    """Record the workbook in use as the snapshot of ``today`` of its source (:func:`source_name`), on
    the user's confirmation (a trial import must not enter the director's history); once per content
    (PRODUCT.md §5). Returns a sentence in the session's language saying what happened.

    Raises:
        PermissionDeniedError: ``by`` is a viewer.
        StoreError: the history database cannot be written.
    """
    source = source_name(context)
    added = record_snapshot(
        history_engine(database_url()),
        source,
        context.result.roadmap,
        taken_at=today,
        content_hash=content_hash(context.data),
        by=by,
    )
    if added is None:
        return _("History: same content as the last snapshot of “{source}”, nothing added.").format(source=md(source))
    return _("History: snapshot of {date} recorded for “{source}”.").format(date=day(today), source=md(source))


def validation_report(result: LoadResult) -> None:
    """The count of blocking problems and warnings, their table (errors first, then warnings), then the
    sheets the loader ignored as one line in a collapsed expander (they would bury the warnings)."""
    issues, ignored = ignored_sheets(result.issues)
    if issues:
        errors = sum(i.severity == "error" for i in issues)
        warnings = len(issues) - errors
        st.write(
            ngettext("{count} blocking problem", "{count} blocking problems", errors).format(count=errors)
            + ", "
            + ngettext("{count} warning.", "{count} warnings.", warnings).format(count=warnings)
        )
        show_table(issues_frame(result, issues), key="issues")
    elif not ignored:
        st.success(_("No problem found."))
    if ignored:
        names = ", ".join(ignored[:SHOWN_SHEETS]) + (", …" if len(ignored) > SHOWN_SHEETS else "")
        label = ngettext("{count} sheet ignored: {names}", "{count} sheets ignored: {names}", len(ignored))
        with st.expander(md(label.format(count=len(ignored), names=names)), icon=":material/visibility_off:"):
            st.caption(_("Not a sheet of measures, risks, teams or settings: not read."))
            st.markdown("\n".join(f"- {md(name)}" for name in ignored))


def apply_mapping(context: Context, mapping: ColumnMapping, headers: list[str]) -> None:
    """Use ``mapping`` for this file in this session and, for an editor, remember it for the next
    workbook with these headers (:func:`roadmap.store.mappings.remember`, audited); then rerun."""
    st.session_state.setdefault("mappings", {})[file_key(context.data)] = mapping
    if can_edit():  # a viewer's mapping serves this session only
        try:
            remember(history_engine(database_url()), mapping, headers, by=st.session_state["user"])
        except RoadmapError as exc:
            st.session_state["mapping_not_remembered"] = md(exc)
    st.rerun()


def remembered_mapping(context: Context) -> None:
    """Say that the file is read with a mapping remembered on a date, and let an editor forget it
    (audited by :func:`roadmap.store.mappings.forget`); nothing when no remembered mapping applies."""
    failure = st.session_state.pop("mapping_not_remembered", None)
    if failure is not None:
        st.warning(_("Mapping applied but not remembered: {error}").format(error=failure))
    remembered = context.remembered
    if remembered is None:
        return
    mapping = remembered.mapping
    st.info(
        _(
            "Mapping remembered on {date} applied (sheet “{sheet}”, header on row {row}): the columns below are "
            "read as it says. If it is wrong, forget it and map the columns again."
        ).format(date=day(remembered.saved_at.date()), sheet=md(mapping.sheet), row=mapping.header_row),
        icon=":material/history:",
    )
    if can_edit() and st.button(_("Forget this mapping"), key="forget_mapping", icon=":material/delete:"):
        try:
            forget(history_engine(database_url()), remembered.fingerprint, by=st.session_state["user"])
        except RoadmapError as exc:
            st.error(md(exc))
        else:
            st.rerun()


def history_step(context: Context, *, today: dt.date) -> None:
    """After the import report: the button that records the workbook in the history as the snapshot of
    ``today`` (an editor, a workbook without blocking problem); nothing is recorded without it."""
    st.subheader(_("History"))
    if not context.result.ok:
        st.caption(_("A workbook with blocking problems is not recorded in the history."))
        return
    if not can_edit():
        st.caption(_("An editor records the workbook in the history, once its import report is right."))
        return
    st.caption(
        _(
            "Loading a workbook records nothing: once the report above is right, record it as the snapshot "
            "of {date} that the director's history and earned value are measured on. A save of progress into "
            "the shared workbook is recorded as that day's snapshot by itself."
        ).format(date=day(today))
    )
    if st.button(_("Save to history"), key="save_snapshot", icon=":material/add_photo_alternate:"):
        try:
            st.success(snapshot_workbook(context, st.session_state["user"], today=today))
        except RoadmapError as exc:
            st.error(_("Snapshot not recorded: {error}").format(error=md(exc)))


def snapshot_deletion(engine: Engine, source: str, history: list[Snapshot]) -> None:
    """An editor's expander to delete one snapshot of ``source`` (a trial import), after a confirmation
    box; audited by :func:`roadmap.store.snapshots.delete_snapshot`."""
    deleted = st.session_state.pop("snapshot_deleted", None)
    if deleted is not None:
        st.success(_("Snapshot of {date} deleted.").format(date=day(deleted)))
    if not history or not can_edit():
        return
    with st.expander(_("Delete a snapshot"), icon=":material/delete:"):
        labels = {  # newest first; labels in the session's language, so one choice per language
            _("{date} (recorded {at} UTC)").format(date=day(snapshot.taken_at), at=moment(snapshot.recorded_at))
            + f" · {snapshot.content_hash[:8]}": snapshot.id
            for snapshot in reversed(history)
        }
        label = st.selectbox(_("Snapshot"), list(labels), key=f"delete_snapshot_choice_{language()}")
        chosen = labels[label]
        sure = st.checkbox(
            _("I confirm: this snapshot leaves the history (the audit log keeps a trace)."), key="delete_snapshot_sure"
        )
        if st.button(_("Delete this snapshot"), key="delete_snapshot", disabled=not sure, type="primary"):
            try:
                gone = delete_snapshot(engine, source, chosen, by=st.session_state["user"])
            except RoadmapError as exc:
                st.error(md(exc))
            else:
                st.session_state["snapshot_deleted"] = gone.taken_at
                st.rerun()
