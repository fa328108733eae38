"""Comptes — the administrator's screen: the accounts, adding one, resetting a password,
disabling or enabling an account (each a call into roadmap.security.accounts, which checks the
role again and writes the audit log)."""

from collections.abc import Callable

import streamlit as st

from app_pages.access import accounts_engine, password_problem, role_name
from app_pages.grid import show_table
from app_pages.tables import accounts_frame
from app_pages.translation import _, md
from roadmap import RoadmapError
from roadmap.errors import WeakPasswordError
from roadmap.security.accounts import add_user, disable_user, enable_user, list_users, reset_password
from roadmap.security.roles import Role

actor = st.session_state["user"]
st.title(_("Accounts"))
if not actor.can(Role.ADMIN):
    st.info(_("Only an administrator manages the accounts."))
    st.stop()
try:
    engine = accounts_engine()
    accounts = list_users(engine)
except RoadmapError as exc:
    st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
    st.stop()


def _done(message: str) -> None:
    st.session_state["accounts_notice"] = message
    st.rerun()


def _run(action: Callable[[], object], message: str) -> None:
    try:
        action()
    except WeakPasswordError as exc:
        st.error(password_problem(exc))
        return
    except RoadmapError as exc:
        st.error(md(exc))
        return
    _done(message)


if notice := st.session_state.pop("accounts_notice", None):
    st.success(notice)
show_table(accounts_frame(accounts), key="accounts")

with st.expander(_("Add an account"), icon=":material/person_add:"):
    with st.form("add_account", clear_on_submit=True):
        name = st.text_input(_("User name (or e-mail for the identity provider)"), key="add_name")
        role = st.selectbox(_("Role"), list(Role), format_func=role_name, key="add_role")
        oidc = st.checkbox(_("Signs in through the hospital's identity provider (no password)"), key="add_oidc")
        password = st.text_input(_("Password"), type="password", key="add_password", autocomplete="new-password")
        submitted = st.form_submit_button(_("Add the account"), type="primary")
    if submitted:
        _run(
            lambda: add_user(
                engine, name, role=role, password=None if oidc else password, by=actor, must_change=not oidc
            ),
            _("Account {name} added; it will choose its own password at the first sign-in.").format(name=md(name)),
        )

local = [a.name for a in accounts if a.kind == "password"]
with st.expander(_("Reset a password"), icon=":material/lock_reset:"):
    with st.form("reset_password", clear_on_submit=True):
        target = st.selectbox(_("Account"), local, key="reset_name")
        new = st.text_input(_("New password"), type="password", key="reset_password", autocomplete="new-password")
        st.caption(_("Give it to the user by another channel: they must change it at the next sign-in."))
        submitted = st.form_submit_button(_("Reset the password"))
    if submitted and target:
        _run(
            lambda: reset_password(engine, target, new=new, by=actor),
            _("Password of {name} reset: it must be changed at the next sign-in.").format(name=md(target)),
        )

with st.expander(_("Disable or enable an account"), icon=":material/person_off:"):
    st.caption(_("A disabled account can no longer sign in; its name stays in the audit log and the history."))
    names = [a.name for a in accounts]
    chosen = st.selectbox(_("Account"), names, key="toggle_name")
    current = next((a for a in accounts if a.name == chosen), None)
    if current is not None and current.enabled and st.button(_("Disable"), key="disable"):
        _run(lambda: disable_user(engine, current.name, by=actor), _("{name} disabled.").format(name=md(chosen)))
    if current is not None and not current.enabled and st.button(_("Enable"), key="enable"):
        _run(lambda: enable_user(engine, current.name, by=actor), _("{name} enabled.").format(name=md(chosen)))
