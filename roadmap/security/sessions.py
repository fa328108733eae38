"""Sign-ins that survive a page reload, kept on the server (SECURITY.md, "Sessions").

A Streamlit session lives in the server's memory and ends with the browser tab's connection: a
reload starts a new one. So that a local account stays signed in for the configured length
(``REMPART_SESSION_HOURS``), the browser keeps a *session token* in an ``HttpOnly`` cookie that the
page's scripts cannot read, and the store keeps only its SHA-256 with the account, the expiry and
the revocation. The token reaches the browser without ever going through the page:

1. After the password is checked, :func:`start_session` makes a row with a one-time *hand-off
   code* (valid :data:`HANDOFF_SECONDS`), returned to the app.
2. The page posts that code (in a request body, never in a URL) to the server's
   ``/api/rempart/session`` route (:mod:`serve`), which calls :func:`redeem_handoff`: the code is
   spent and replaced by a new random token, sent back in ``Set-Cookie`` (``HttpOnly``,
   ``SameSite=Strict``, ``Secure`` behind HTTPS, ``Max-Age`` to the expiry).
3. On a new Streamlit session (a reload), the app reads the cookie (``st.context.cookies``) and
   :func:`resume_session` gives the account back, if the row is neither expired nor revoked and the
   account is still enabled.
4. Logout (:func:`end_session`) revokes the row: the cookie is then worth nothing, wherever it is.
   Disabling an account, removing it or resetting its password revokes all its sessions
   (:mod:`roadmap.security.accounts`).

Codes and tokens are 256-bit random (:func:`secrets.token_urlsafe`); only their SHA-256 is stored,
so a copy of the database does not sign anyone in. Every start, resume, refusal and end is in the
audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from roadmap.security.roles import Actor, Role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, LoginSessionRow, UserRow

HANDOFF_SECONDS = 60
"""How long the one-time hand-off code may be exchanged for the session cookie."""
COOKIE = "rempart_session"
"""The cookie's name."""
FORGET_AFTER = dt.timedelta(days=30)
"""Rows of sessions expired longer ago than this are deleted when a new one starts (the audit log
keeps their story)."""
ROUTE = "/api/rempart/session"
"""The server's route that sets (``POST``) and clears (``DELETE``) the cookie (:mod:`serve`)."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(engine: Engine, actor: Actor, *, hours: float, now: dt.datetime | None = None) -> tuple[int, str]:
    """A new server-side session for a signed-in local account, valid ``hours`` from ``now``.

    Sessions expired for more than :data:`FORGET_AFTER` are deleted on the way.

    Returns:
        ``(session id, hand-off code)``: the id stays in the app's memory (to end the session);
        the code goes to the browser once, to be exchanged by :func:`redeem_handoff`.

    Raises:
        StoreError: the database cannot be written.
    """
    moment = now or _now()
    code = secrets.token_urlsafe(32)
    with _translate(engine.url), Session(engine) as session, session.begin():
        session.execute(delete(LoginSessionRow).where(LoginSessionRow.expires_at < moment - FORGET_AFTER))
        row = LoginSessionRow(
            name=actor.name,
            code_hash=_digest(code),
            code_expires_at=moment + dt.timedelta(seconds=HANDOFF_SECONDS),
            created_at=moment,
            expires_at=moment + dt.timedelta(hours=hours),
        )
        session.add(row)
        session.flush()
        note = f"session #{row.id} until {row.expires_at:%Y-%m-%d %H:%M} UTC"
        session.add(AuditRow(at=moment, who=actor.name, action="session_start", target="rempart", new=note))
        return row.id, code


def redeem_handoff(engine: Engine, code: str, *, now: dt.datetime | None = None) -> tuple[str, int] | None:
    """Spend a hand-off code: the session token for the cookie, and its lifetime in seconds; ``None``
    when the code is unknown, already spent, expired, or its session revoked (nothing is said of which).

    Raises:
        StoreError: the database cannot be read or written.
    """
    moment = now or _now()
    if not isinstance(code, str) or not code or len(code) > 100:
        return None
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(LoginSessionRow).where(LoginSessionRow.code_hash == _digest(code)))
        if row is None:
            return None
        row.code_hash = None  # spent, whatever happens next
        if row.revoked_at is not None or row.code_expires_at is None or row.code_expires_at < moment:
            return None
        token = secrets.token_urlsafe(32)
        row.token_hash, row.code_expires_at = _digest(token), None
        return token, max(0, int((row.expires_at - moment).total_seconds()))


def resume_session(engine: Engine, token: str | None, *, now: dt.datetime | None = None) -> tuple[Actor, int] | None:
    """The account a session cookie stands for, with its session id; ``None`` for no cookie, an
    unknown, expired or revoked token, or an account removed or disabled since (audited).

    Raises:
        StoreError: the database cannot be read or written.
    """
    moment = now or _now()
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(LoginSessionRow).where(LoginSessionRow.token_hash == _digest(token)))
        if row is None:
            return None
        user = session.scalar(select(UserRow).where(UserRow.name == row.name))
        refused = (
            "revoked"
            if row.revoked_at is not None
            else "expired"
            if row.expires_at <= moment
            else "account disabled or removed"
            if user is None or user.disabled_at is not None or user.password_hash is None
            else None
        )
        if refused is not None:
            action = "session_refused"
            session.add(AuditRow(at=moment, who=row.name, action=action, target="rempart", new=f"#{row.id} {refused}"))
            return None
        assert user is not None
        session.add(AuditRow(at=moment, who=row.name, action="session_resume", target="rempart", new=f"#{row.id}"))
        return Actor(user.name, Role(user.role), "password"), row.id


def end_session(engine: Engine, session_id: int, *, now: dt.datetime | None = None) -> None:
    """Logout: revoke the session on the server (its cookie, wherever copied, no longer signs in).
    Ending a session already ended changes nothing.

    Raises:
        StoreError: the database cannot be written.
    """
    moment = now or _now()
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.get(LoginSessionRow, session_id)
        if row is None or row.revoked_at is not None:
            return
        row.revoked_at, row.code_hash = moment, None
        session.add(AuditRow(at=moment, who=row.name, action="logout", target="rempart", new=f"session #{row.id}"))
