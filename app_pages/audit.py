"""The audit log's section of the Historique page: the check of its hash chain, the latest
entries, the exports (helpers, not a page)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from app_pages.grid import show_table
from app_pages.tables import audit_frame
from app_pages.translation import _, moment, ngettext, number
from roadmap.store.audit import ChainCheck, audit_count, audit_log, export_audit, verify_audit


def integrity_message(check: ChainCheck) -> str:
    """The verdict on the chain in the session's language (Markdown, for ``st.success``/``st.error``)."""
    if check.intact:
        return ngettext(
            "Audit log intact ✓ ({count} entry verified)",
            "Audit log intact ✓ ({count} entries verified)",
            check.checked,
        ).format(count=number(check.checked, 0))
    if check.problem == "no_head":
        return _(
            "Audit log NOT intact: the head of its chain (table audit_chain) is missing or was changed. "
            "Tell the CISO; check with `python -m roadmap audit verify`."
        )
    when = "–" if check.entry_at is None else moment(check.entry_at)
    if check.problem == "missing":
        message = _(
            "Audit log NOT intact: entry #{id} ({at} UTC), the last one written, is missing — entries were "
            "deleted from the end or the table emptied."
        )
    else:
        message = _(
            "Audit log NOT intact: entry #{id} ({at} UTC) does not verify — it was changed, or an entry "
            "before it was deleted, moved or inserted."
        )
    return (
        message.format(id=check.entry_id, at=when)
        + " "
        + _("Tell the CISO; check with `python -m roadmap audit verify`.")
    )


def show_audit_log(engine: Engine) -> None:
    """The check of the chain, the latest entries, the exports (CSV and JSON, built on click)."""
    st.subheader(_("Audit log"))
    check = verify_audit(engine)
    if check.intact:
        st.success(integrity_message(check), icon=":material/verified:")
    else:
        st.error(integrity_message(check), icon=":material/gpp_bad:")
    latest = audit_log(engine)
    show_table(audit_frame(latest), key="audit")
    total = audit_count(engine)
    st.caption(
        ngettext(
            "{shown} latest of {total} entry. The log cannot be changed from the app.",
            "{shown} latest of {total} entries. The log cannot be changed from the app.",
            total,
        ).format(shown=number(len(latest), 0), total=number(total, 0))
    )
    if check.sealed and check.started_at is not None:
        st.caption(
            _("Chained since {at} UTC: the {count} entries written before were sealed as they were then.").format(
                at=moment(check.started_at), count=number(check.sealed, 0)
            )
        )
    left, right = st.columns(2)
    left.download_button(
        _("Export the audit log (CSV)"),
        lambda: export_audit(audit_log(engine, limit=None)),
        file_name="rempart-audit.csv",
        key="audit_csv",
    )
    right.download_button(
        _("Export the audit log (JSON)"),
        lambda: export_audit(audit_log(engine, limit=None), fmt="json"),
        file_name="rempart-audit.json",
        key="audit_json",
    )
