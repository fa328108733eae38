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

A local account's sign-in survives a page reload for ``REMPART_SESSION_HOURS`` (an ``HttpOnly``
cookie for a session kept in the store, :mod:`roadmap.security.sessions`); signing out revokes it
on the server. Failed sign-ins are limited per account and per client address
(:mod:`roadmap.security.limits`; on localhost Streamlit gives no address: per account only).

The role is re-read from the database on every run, so a removed or disabled account or a changed
role takes effect at once. A local account whose password an admin reset sees only the form to
choose a new one until it is changed; every local account can change its password from the sidebar.
Pages ask :func:`current_actor` and pass it to every write; :mod:`roadmap` checks
the role again before writing.
"""

from __future__ import annotations

import json
import logging
from typing import Literal

import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitSecretNotFoundError

from app_pages.translation import _, md
from roadmap import RoadmapError
from roadmap.errors import AuthenticationError, WeakPasswordError
from roadmap.security.accounts import (
    LOCK_MINUTES,
    MAX_FAILURES,
    authenticate,
    change_password,
    has_local_accounts,
    identity_actor,
    must_change_password,
    refresh_actor,
)
from roadmap.security.limits import client_address
from roadmap.security.roles import Actor, Role, local_actor
from roadmap.security.sessions import COOKIE, ROUTE, end_session, resume_session, start_session
from roadmap.store.database import database_url, open_store, settings

LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return open_store(url)


def accounts_engine() -> Engine:
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
    return "accounts" if has_local_accounts(accounts_engine()) else "none"


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
    actor: Actor | None = st.session_state.get("actor") or _resumed_actor()
    if actor is not None:
        try:
            actor = refresh_actor(accounts_engine(), actor)
            if not must_change_password(accounts_engine(), actor.name):
                return actor
            st.title("Rempart")
            st.warning(_("Your password was reset by an administrator: choose a new one to continue."))
            password_form(actor, key="forced_password")
            st.stop()
        except AuthenticationError as exc:
            st.session_state.pop("actor", None)
            st.warning(md(exc))
        except RoadmapError as exc:
            st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
            st.stop()
    _sign_in_form()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _resumed_actor() -> Actor | None:
    """The account of this browser's session cookie, after a reload; each cookie is tried once per
    Streamlit session (a revoked or expired one then leaves the sign-in form alone)."""
    token = _text(st.context.cookies.get(COOKIE))
    if not token or st.session_state.get("cookie_tried") == token:
        return None
    st.session_state["cookie_tried"] = token
    try:
        resumed = resume_session(accounts_engine(), token)
    except RoadmapError as exc:
        st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
        return None
    if resumed is None:
        return None
    st.session_state["actor"], st.session_state["session_id"] = resumed
    return resumed[0]


def _client_address() -> str | None:
    """The client's address for the limit on failed sign-ins: ``None`` on localhost; behind a
    trusted reverse proxy (``REMPART_TRUSTED_PROXIES``), the address it forwards."""
    try:
        proxies = settings().proxies
    except RoadmapError:
        proxies = frozenset()
    return client_address(_text(st.context.ip_address), _text(st.context.headers.get("X-Forwarded-For")), proxies)


def _text(value: object) -> str | None:
    """A value of ``st.context`` as text, or ``None`` (no browser, as under AppTest, gives none)."""
    return value if isinstance(value, str) else None


def _remember_sign_in(actor: Actor) -> None:
    """Start the server-side session of a sign-in; its hand-off code is posted by the next page
    (:func:`_cookie_script`). A store that cannot be written costs only the survival to a reload."""
    st.session_state["actor"] = actor
    try:
        session_id, code = start_session(accounts_engine(), actor, hours=settings().session_hours)
    except RoadmapError as exc:
        logging.getLogger("rempart").warning("sign-in of %s not kept across reloads: %s", actor.name, exc)
        return
    st.session_state["session_id"], st.session_state["handoff"] = session_id, code


def _cookie_script(method: str, body: str | None = None) -> None:
    """A script that asks the server to set (``POST`` the hand-off code) or clear (``DELETE``) the
    HttpOnly session cookie: the page never sees the session token."""
    options = {"method": method, "credentials": "same-origin", **({"body": body} if body is not None else {})}
    st.html(f"<script>fetch({json.dumps(ROUTE)}, {json.dumps(options)})</script>", unsafe_allow_javascript=True)


def _sign_in_form() -> None:
    if st.session_state.pop("clear_cookie", False):
        _cookie_script("DELETE")
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
            actor = authenticate(accounts_engine(), name, password, address=_client_address())
        except AuthenticationError:  # one message whatever the cause: it must not confirm that a name exists
            st.error(
                _(
                    "Sign-in refused: unknown user name or wrong password. After {count} failures in a row an "
                    "account is locked for {minutes} minutes, and longer after each further failure; too many "
                    "failures from one computer block it for a while."
                ).format(count=MAX_FAILURES, minutes=LOCK_MINUTES)
            )
            return
        except RoadmapError as exc:
            st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
            return
        _remember_sign_in(actor)
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
        return identity_actor(accounts_engine(), identity)
    except RoadmapError as exc:
        st.error(md(exc))
        st.button(_("Sign out"), key="oidc_logout", on_click=st.logout)
        st.stop()
        raise AssertionError("unreachable") from exc


def password_problem(exc: WeakPasswordError) -> str:
    """Why a new password was refused, in the interface language."""
    return {
        "short": _("Password too short: at least {minimum} characters; a passphrase is best."),
        "common": _("This password is one of the most common ones: choose another (a passphrase is best)."),
        "guessable": _("This password is too easy to guess: add words (a passphrase is best)."),
        "reused": _("The new password is the current one: choose another."),
    }.get(exc.reason, _("This password is not accepted: choose another.")).format(minimum=exc.minimum)


def password_form(actor: Actor, *, key: str) -> None:
    """The form with which a local account changes its own password (the current one required)."""
    with st.form(key, clear_on_submit=True):
        current = st.text_input(
            _("Current password"), type="password", key=f"{key}_current", autocomplete="current-password"
        )
        new = st.text_input(_("New password"), type="password", key=f"{key}_new", autocomplete="new-password")
        again = st.text_input(_("New password again"), type="password", key=f"{key}_again", autocomplete="new-password")
        submitted = st.form_submit_button(_("Change the password"), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(_("The two new passwords differ: nothing was changed."))
        return
    try:
        change_password(accounts_engine(), actor.name, current=current, new=new)
    except WeakPasswordError as exc:
        st.error(password_problem(exc))
        return
    except AuthenticationError:
        st.error(_("Wrong current password: nothing was changed."))
        return
    except RoadmapError as exc:
        st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
        return
    st.success(_("Password changed."))
    st.rerun()


def identity_sidebar(actor: Actor) -> None:
    """Who is signed in, with which role, the sign-out button and, for a local account, the change
    of its password."""
    with st.sidebar:
        code = st.session_state.pop("handoff", None)
        if code is not None:
            _cookie_script("POST", code)
        if actor.via == "local":  # no login configured: the Unix user is not an identity worth showing
            st.caption(_("Local access (no sign-in), all rights"))
        else:
            st.caption(_("Signed in: **{name}** ({role})").format(name=md(actor.name), role=role_name(actor.role)))
        if actor.via == "password":
            with st.expander(_("Change my password"), icon=":material/password:"):
                password_form(actor, key="own_password")
        if actor.via == "password" and st.button(_("Sign out"), key="sign_out"):
            _sign_out()
        if actor.via == "oidc":
            st.button(_("Sign out"), key="sign_out", on_click=st.logout)


def _sign_out() -> None:
    """End the session on the server (its cookie no longer signs in), forget it here, and have the
    sign-in page clear the cookie."""
    session_id = st.session_state.pop("session_id", None)
    if session_id is not None:
        try:
            end_session(accounts_engine(), session_id)
        except RoadmapError as exc:
            st.error(_("Accounts unavailable: {error}").format(error=md(exc)))
            return
    st.session_state.pop("actor", None)
    st.session_state["cookie_tried"] = _text(st.context.cookies.get(COOKIE))
    st.session_state["clear_cookie"] = True
    st.rerun()


def can_edit() -> bool:
    """True when the signed-in user may write (editor or admin)."""
    actor: Actor = st.session_state["user"]
    return actor.can(Role.EDITOR)
