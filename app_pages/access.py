"""Who is using the app (PRODUCT.md §8): the login gate, the role in the sidebar, and the refusal
to serve beyond this computer without a login.

Three modes, chosen by the configuration:

- **OIDC** — an ``[auth]`` section in ``.streamlit/secrets.toml``: Streamlit's ``st.login`` sends the
  user to the hospital's identity provider; the e-mail it vouches for must have an account
  (``python -m roadmap user add EMAIL --oidc --role viewer``), which gives the role.
- **Local accounts** — at least one account with a password in the database
  (``python -m roadmap user add NAME --role editor``): a sign-in form, Argon2id hashes, a lock
  after repeated failures (:mod:`roadmap.security.accounts`).
- **No login** — neither: the person at this computer, as an admin; allowed only while the app
  listens on 127.0.0.1.

The role is re-read from the database on every run, so a removed account or a changed role takes
effect at once. Pages ask :func:`current_actor` and pass it to every write; :mod:`roadmap` checks
the role again before writing.
"""

from __future__ import annotations

import logging
from typing import Literal

import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages.translation import _, md
from roadmap import RoadmapError
from roadmap.errors import AuthenticationError
from roadmap.security.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    authenticate,
    has_local_accounts,
    identity_actor,
    refresh_actor,
)
from roadmap.security.roles import Actor, Role, local_actor
from roadmap.store.database import database_url, open_store

LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_store(url)


def _accounts() -> Engine:
    """The database that holds the accounts (the history database, not seeded with the sample)."""
    return _engine(database_url())


def role_name(role: Role) -> str:
    """The role's name in the interface language."""
    return {Role.VIEWER: _("viewer"), Role.EDITOR: _("editor"), Role.ADMIN: _("administrator")}[role]


def _oidc_provider() -> str | Literal[False] | None:
    """``False`` without an ``[auth]`` section; else the provider to pass to ``st.login`` (``None``
    for a single unnamed provider, the first named one, e.g. ``[auth.microsoft]``, otherwise)."""
    try:
        if "auth" not in st.secrets:
            return False
        section = st.secrets["auth"]
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False
    named = [key for key, value in section.items() if hasattr(value, "items")]
    return named[0] if named else None


def login_mode() -> Literal["oidc", "accounts", "none"]:
    """How people sign in: the hospital's OIDC provider, local accounts, or not at all.

    Raises:
        StoreError: the accounts database cannot be read (the app then stops: it never falls back
            to serving without a login because the accounts could not be checked).
    """
    if _oidc_provider() is not False:
        return "oidc"
    return "accounts" if has_local_accounts(_accounts()) else "none"


def refuse_unsafe_binding(mode: str) -> None:
    """Stop with an explanation when the app listens beyond this computer without a login.

    The workbooks are a map of the hospital's weaknesses (PRODUCT.md §8): served on a network
    address, the app requires OIDC or local accounts.
    """
    address = st.get_option("server.address") or "0.0.0.0"
    if address in LOCAL_ADDRESSES or mode != "none":
        return
    logging.getLogger("rempart").error(
        "Rempart refuses to serve %s without a login: every page shows only the refusal. Configure local "
        "accounts (python -m roadmap user add NAME --role admin) or OIDC (see SECURITY.md).",
        address,
    )
    st.error(
        _(
            "Rempart refuses to serve on address {address} without a login: its data describe the hospital's "
            "weaknesses. Run it on 127.0.0.1 (make run), or configure a login: local accounts "
            "(python -m roadmap user add NAME --role admin), or the hospital's OIDC provider in "
            ".streamlit/secrets.toml (an [auth] section, see SECURITY.md)."
        ).format(address=address)
    )
    st.stop()


def current_actor() -> Actor:
    """The signed-in user; draws the sign-in screen and stops the run when nobody is signed in."""
    try:
        mode = login_mode()
    except RoadmapError as exc:
        st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
        st.stop()
    refuse_unsafe_binding(mode)
    if mode == "none":
        return local_actor()
    if mode == "oidc":
        return _oidc_actor()
    actor: Actor | None = st.session_state.get("actor")
    if actor is not None:
        try:
            return refresh_actor(_accounts(), actor)
        except AuthenticationError as exc:
            del st.session_state["actor"]
            st.warning(md(exc))
        except RoadmapError as exc:
            st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
            st.stop()
    _sign_in_form()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _sign_in_form() -> None:
    st.title("Rempart")
    st.write(_("Sign in with your Rempart account. Ask the application's administrator if you have none."))
    with st.form("sign_in"):
        name = st.text_input(_("User name"), key="sign_in_name", autocomplete="username")
        password = st.text_input(
            _("Password"), type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(_("Sign in"), type="primary")
    if submitted:
        try:
            st.session_state["actor"] = authenticate(_accounts(), name, password)
        except AuthenticationError:  # one message whatever the cause: it must not confirm that a name exists
            st.error(
                _(
                    "Sign-in refused: unknown user name or wrong password. After {count} failures in a row an "
                    "account is locked for {minutes} minutes."
                ).format(count=MAX_FAILURES, minutes=LOCK_MINUTES)
            )
            return
        except RoadmapError as exc:
            st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
            return
        st.rerun()


def _oidc_actor() -> Actor:
    provider = _oidc_provider()
    if not st.user.is_logged_in:
        st.title("Rempart")
        st.write(_("Sign in with the hospital's account to see the security roadmap."))
        st.button(_("Sign in"), key="oidc_login", type="primary", on_click=st.login, args=(provider or None,))
        st.stop()
    identity = str(st.user.get("email") or st.user.get("preferred_username") or st.user.get("sub") or "")
    try:
        return identity_actor(_accounts(), identity)
    except RoadmapError as exc:
        st.error(md(exc))
        st.button(_("Sign out"), key="oidc_logout", on_click=st.logout)
        st.stop()
        raise AssertionError("unreachable") from exc


def identity_sidebar(actor: Actor) -> None:
    """Who is signed in, with which role, and the sign-out button."""
    with st.sidebar:
        st.caption(_("Signed in: **{name}** ({role})").format(name=md(actor.name), role=role_name(actor.role)))
        if actor.via == "password" and st.button(_("Sign out"), key="sign_out"):
            del st.session_state["actor"]
            st.rerun()
        if actor.via == "oidc":
            st.button(_("Sign out"), key="sign_out", on_click=st.logout)


def can_edit() -> bool:
    """True when the signed-in user may write (editor or admin)."""
    actor: Actor = st.session_state["user"]
    return actor.can(Role.EDITOR)
