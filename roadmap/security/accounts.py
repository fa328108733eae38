"""Accounts and logins (PRODUCT.md §8); the roles they carry are in :mod:`roadmap.security.roles`.

Accounts live in the history database (table ``users``, :mod:`roadmap.store`):

- a *local account* has a password, kept as an Argon2id hash (argon2-cffi, the parameters of
  RFC 9106's second recommended option); after :data:`MAX_FAILURES` wrong passwords in a row the
  account is locked for :data:`LOCK_MINUTES` minutes;
- an *OIDC identity* (the e-mail the hospital's identity provider vouches for, through Streamlit's
  ``st.login``) has no password; the table only gives its role. An identity not in the table is
  refused: access is granted by an administrator, never by default.

Names are compared without regard to case (e-mails and Windows logins are case-insensitive).
Every change to an account, every login and every failed login goes into the audit log.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from roadmap.errors import AuthenticationError, StoreError
from roadmap.security.roles import Actor, Role, require_role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, UserRow

MAX_FAILURES = 5
"""Wrong passwords in a row before a local account is locked."""
LOCK_MINUTES = 15
"""How long a locked local account stays locked."""
PASSWORD_MIN_LENGTH = 12
"""Shortest password accepted for a local account (ANSSI's guidance for passwords: 12 characters)."""

_HASHER = PasswordHasher()  # Argon2id, RFC 9106 "second recommended option" parameters
_DUMMY_HASH = _HASHER.hash("an unknown user spends as long as a known one")


@dataclass(frozen=True)
class Account:
    """An account as :func:`list_users` returns it (never the password hash).

    ``kind`` is ``password`` for a local account, ``oidc`` for an identity-provider identity;
    times are naive UTC.
    """

    name: str
    role: Role
    kind: Literal["password", "oidc"]
    created_at: dt.datetime
    created_by: str
    locked_until: dt.datetime | None


def normalise_name(name: str) -> str:
    """An account name as stored and compared: NFC, trimmed, case-folded.

    Raises:
        StoreError: empty, longer than 200 characters, or holding a control character.
    """
    text = unicodedata.normalize("NFC", name).strip().casefold()
    if not text or len(text) > 200 or any(unicodedata.category(c).startswith("C") for c in text):
        raise StoreError(f"not a valid account name: {name[:60]!r} (1 to 200 printable characters)")
    return text


def add_user(engine: Engine, name: str, *, role: Role, password: str | None, by: Actor) -> Account:
    """Create an account; with ``password=None`` it is an OIDC identity (the provider's e-mail).

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        StoreError: the name is invalid or taken, the password shorter than
            :data:`PASSWORD_MIN_LENGTH`, or the database cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    if password is not None and len(password) < PASSWORD_MIN_LENGTH:
        raise StoreError(f"password too short: at least {PASSWORD_MIN_LENGTH} characters, a passphrase is best")
    with _translate(engine.url), Session(engine) as session, session.begin():
        if session.scalar(select(UserRow).where(UserRow.name == key)) is not None:
            raise StoreError(f"account '{key}' already exists: remove it first to change its role or password")
        row = UserRow(
            name=key,
            role=str(role),
            password_hash=_HASHER.hash(password) if password is not None else None,
            failures=0,
            created_at=_now(),
            created_by=by.name,
        )
        session.add(row)
        kind = "password" if password is not None else "oidc"
        session.add(AuditRow(at=_now(), who=by.name, action="user_add", target=key, old=None, new=f"{role} ({kind})"))
        session.flush()
        return _account(row)


def remove_user(engine: Engine, name: str, *, by: Actor) -> None:
    """Delete an account; the last admin cannot be removed while other accounts remain.

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        StoreError: no such account, it is the last admin, or the database cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.name == key))
        if row is None:
            raise StoreError(f"no account '{key}' (python -m roadmap user list shows them)")
        admins = session.scalar(select(func.count()).select_from(UserRow).where(UserRow.role == str(Role.ADMIN)))
        others = session.scalar(select(func.count()).select_from(UserRow).where(UserRow.name != key))
        if row.role == Role.ADMIN and admins == 1 and others:
            raise StoreError(f"'{key}' is the last admin: add another admin first, or nobody can manage accounts")
        session.add(AuditRow(at=_now(), who=by.name, action="user_remove", target=key, old=row.role, new=None))
        session.delete(row)


def list_users(engine: Engine) -> list[Account]:
    """Every account, by name.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return [_account(row) for row in session.scalars(select(UserRow).order_by(UserRow.name))]


def has_local_accounts(engine: Engine) -> bool:
    """True when at least one account has a password (the app then asks for a login).

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        return session.scalar(select(UserRow.id).where(UserRow.password_hash.is_not(None)).limit(1)) is not None


def authenticate(engine: Engine, name: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a local account's password; the login, or the failure, goes into the audit log.

    An unknown name takes as long as a wrong password (a dummy hash is verified), and the message
    never says which was wrong. :data:`MAX_FAILURES` wrong passwords in a row lock the account for
    :data:`LOCK_MINUTES` minutes. A hash made with older parameters is re-hashed on success.

    Args:
        now: naive UTC time (default: now), for tests of the lock.

    Raises:
        AuthenticationError: unknown name, wrong password, an OIDC-only account, or a locked account.
        StoreError: the database cannot be read or written.
    """
    moment = now or _now()
    try:
        key = normalise_name(name)
    except StoreError:
        key = ""
    message, locked_until = "unknown user name or wrong password", None  # the same for every refusal
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.name == key)) if key else None
        if row is None or row.password_hash is None:
            _verify(_DUMMY_HASH, password)
            session.add(AuditRow(at=moment, who=key[:200] or "?", action="login_failed", target="rempart"))
        elif row.locked_until is not None and row.locked_until > moment:
            locked_until = row.locked_until  # said to the caller, not in the message: it would confirm the name
            session.add(AuditRow(at=moment, who=key, action="login_refused_locked", target="rempart"))
        elif not _verify(row.password_hash, password):
            row.failures += 1
            new = None
            if row.failures >= MAX_FAILURES:
                row.failures, row.locked_until = 0, moment + dt.timedelta(minutes=LOCK_MINUTES)
                new = f"locked until {row.locked_until:%Y-%m-%d %H:%M} UTC"
            session.add(AuditRow(at=moment, who=key, action="login_failed", target="rempart", new=new))
        else:
            row.failures, row.locked_until = 0, None
            if _HASHER.check_needs_rehash(row.password_hash):
                row.password_hash = _HASHER.hash(password)
            session.add(AuditRow(at=moment, who=key, action="login", target="rempart", new=row.role))
            return Actor(key, Role(row.role), "password")
    raise AuthenticationError(message, locked_until=locked_until)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def identity_actor(engine: Engine, identity: str) -> Actor:
    """The actor of an identity the OIDC provider vouched for (its e-mail), with its role.

    Raises:
        AuthenticationError: the identity has no account (access is never granted by default).
        StoreError: the database cannot be read.
    """
    key = normalise_name(identity) if identity.strip() else ""
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.name == key)) if key else None
    if row is None:
        raise AuthenticationError(
            f"{identity or 'this identity'} has no access to Rempart: an administrator grants it with "
            f"python -m roadmap user add {identity or 'E-MAIL'} --oidc --role viewer"
        )
    return Actor(key, Role(row.role), "oidc")


def refresh_actor(engine: Engine, actor: Actor) -> Actor:
    """The actor with its role as the database has it now (a role changed or an account removed
    takes effect on the user's next action, not at their next login).

    Raises:
        AuthenticationError: the account was removed.
        StoreError: the database cannot be read.
    """
    if actor.via not in ("password", "oidc"):
        return actor
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.name == actor.name))
    if row is None:
        raise AuthenticationError(f"the account '{actor.name}' no longer exists: sign in again")
    return Actor(actor.name, Role(row.role), actor.via)


def _account(row: UserRow) -> Account:
    return Account(
        name=row.name,
        role=Role(row.role),
        kind="password" if row.password_hash is not None else "oidc",
        created_at=row.created_at,
        created_by=row.created_by,
        locked_until=row.locked_until,
    )
