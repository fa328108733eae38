"""Accounts and logins (PRODUCT.md §8); the roles they carry are in :mod:`roadmap.security.roles`.

Accounts live in the history database (table ``users``, :mod:`roadmap.store`):

- a *local account* has a password, kept as an Argon2id hash and checked against the policy of
  :mod:`roadmap.security.passwords` whenever it is set; after :data:`MAX_FAILURES` wrong passwords
  in a row the account is locked for :data:`LOCK_MINUTES` minutes, and each further wrong password
  once the lock is over doubles it (:data:`ACCOUNT_BACKOFF`, at most :data:`LONGEST_LOCK_HOURS`
  hours); the count is kept in the store, so a restart does not reset it. Its user changes it
  (:func:`change_password`, the current one required); an admin resets it (:func:`reset_password`),
  and the user must then change it at the next login (:attr:`Account.must_change_password`);
- an *OIDC identity* (the e-mail the hospital's identity provider vouches for, through Streamlit's
  ``st.login``) has no password; the table only gives its role. An identity not in the table is
  refused: access is granted by an administrator, never by default.

An admin disables an account (:func:`disable_user`) instead of removing it: it can no longer sign
in, its name stays in the table and in every audit entry, and :func:`enable_user` gives it back.
Names are compared without regard to case (e-mails and Windows logins are case-insensitive).
Failed logins are also limited per client address (:data:`ADDRESS_BACKOFF`): someone trying one
password on many names is stopped without locking each of them. Every change to an account, every
login, every failed login and every block goes into the audit log.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from roadmap.errors import AuthenticationError, StoreError, WeakPasswordError
from roadmap.security.limits import Backoff, Strikes
from roadmap.security.passwords import check_password, hash_password, needs_rehash, verify_password
from roadmap.security.roles import Actor, Role, require_role
from roadmap.store.database import _now, _translate
from roadmap.store.schema import AuditRow, LoginAddressRow, LoginSessionRow, UserRow

MAX_FAILURES = 5
"""Wrong passwords in a row before a local account is locked."""
LOCK_MINUTES = 15
"""How long a local account stays locked the first time."""
LONGEST_LOCK_HOURS = 4
"""The longest lock, of an account or an address, however many failures (an attacker cannot lock a
known account for days; an admin's reset unlocks it at once)."""
ACCOUNT_BACKOFF = Backoff(
    threshold=MAX_FAILURES,
    first_block=dt.timedelta(minutes=LOCK_MINUTES),
    longest_block=dt.timedelta(hours=LONGEST_LOCK_HOURS),
)
"""Per account: 5 wrong passwords in a row lock it for 15 min; each further one after the lock, 30,
60, 120, then 240 min. Only a success (or an admin's reset) forgets them."""
MAX_ADDRESS_FAILURES = 20
"""Failed logins from one client address, whatever the names tried, before the address is blocked."""
ADDRESS_BACKOFF = Backoff(
    threshold=MAX_ADDRESS_FAILURES,
    first_block=dt.timedelta(minutes=LOCK_MINUTES),
    longest_block=dt.timedelta(hours=LONGEST_LOCK_HOURS),
    forget_after=dt.timedelta(hours=1),
)
"""Per client address: 20 failures block it for 15 min, each further one after the block doubles
it; an hour without a failure forgets them (a shared address, a hospital's proxy, recovers)."""
_DUMMY_HASH = hash_password("an unknown user spends as long as a known one")


@dataclass(frozen=True)
class Account:
    """An account as :func:`list_users` returns it (never the password hash).

    ``kind`` is ``password`` for a local account, ``oidc`` for an identity-provider identity;
    times are naive UTC; ``disabled_at`` is set while the account is disabled.
    """

    name: str
    role: Role
    kind: Literal["password", "oidc"]
    created_at: dt.datetime
    created_by: str
    locked_until: dt.datetime | None
    must_change_password: bool = False
    disabled_at: dt.datetime | None = None
    disabled_by: str | None = None

    @property
    def enabled(self) -> bool:
        """False while the account is disabled."""
        return self.disabled_at is None


def normalise_name(name: str) -> str:
    """An account name as stored and compared: NFC, trimmed, case-folded.

    Raises:
        StoreError: empty, longer than 200 characters, or holding a control character.
    """
    text = unicodedata.normalize("NFC", name).strip().casefold()
    if not text or len(text) > 200 or any(unicodedata.category(c).startswith("C") for c in text):
        raise StoreError(f"not a valid account name: {name[:60]!r} (1 to 200 printable characters)")
    return text


def add_user(
    engine: Engine, name: str, *, role: Role, password: str | None, by: Actor, must_change: bool = False
) -> Account:
    """Create an account; with ``password=None`` it is an OIDC identity (the provider's e-mail).

    Args:
        must_change: the user must change the password at the first login (the admin chose it).

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        WeakPasswordError: the password does not meet the policy (:func:`~roadmap.security.passwords.check_password`).
        StoreError: the name is invalid or taken, or the database cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    if password is not None:
        check_password(password, name=key)
    with _translate(engine.url), Session(engine) as session, session.begin():
        if session.scalar(select(UserRow).where(UserRow.name == key)) is not None:
            raise StoreError(f"account '{key}' already exists: remove it first to change its role or password")
        row = UserRow(
            name=key,
            role=str(role),
            password_hash=hash_password(password) if password is not None else None,
            failures=0,
            created_at=_now(),
            created_by=by.name,
            must_change_password=must_change and password is not None,
        )
        session.add(row)
        kind = "password" if password is not None else "oidc"
        note = ", must change the password at first login" if row.must_change_password else ""
        session.add(
            AuditRow(at=_now(), who=by.name, action="user_add", target=key, old=None, new=f"{role} ({kind}){note}")
        )
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
        _revoke_sessions(session, key, by)


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


def authenticate(
    engine: Engine, name: str, password: str, *, address: str | None = None, now: dt.datetime | None = None
) -> Actor:
    """Check a local account's password; the login, or the failure, goes into the audit log.

    An unknown name takes as long as a wrong password (a dummy hash is verified), and the message
    never says which was wrong. Wrong passwords lock the account (:data:`ACCOUNT_BACKOFF`). A
    disabled account is refused with the same message. A hash made with older parameters is
    re-hashed on success. A user whose password was reset signs in, and the app then asks for a new
    one before anything else (:func:`must_change_password`).

    Attempts are also limited per client address (:data:`ADDRESS_BACKOFF`): while an address is
    blocked even a right password is refused (same message) and not checked, and the refusal does
    not lengthen the block. The address is written in the audit entry's target.

    Args:
        address: the client's address (``None``: unknown — the command line, or the app on
            localhost, where Streamlit gives none; then only the per-account limit applies).
        now: naive UTC time (default: now), for tests of the limits.

    Raises:
        AuthenticationError: unknown name, wrong password, an OIDC-only account, a disabled or a
            locked account, a blocked address.
        StoreError: the database cannot be read or written.
    """
    moment = now or _now()
    try:
        key = normalise_name(name)
    except StoreError:
        key = ""
    message, locked_until = "unknown user name or wrong password", None  # the same for every refusal
    address = address.strip()[:100] if address and address.strip() else None
    target = f"rempart from {address}" if address else "rempart"
    who = key[:200] or "?"
    with _translate(engine.url), Session(engine) as session, session.begin():
        source = session.get(LoginAddressRow, address) if address else None
        row = session.scalar(select(UserRow).where(UserRow.name == key)) if key else None
        counted = True
        if source is not None and source.blocked_until is not None and source.blocked_until > moment:
            verify_password(_DUMMY_HASH, password)
            locked_until, counted = source.blocked_until, False
            session.add(AuditRow(at=moment, who=who, action="login_refused_address", target=target))
        elif row is None or row.password_hash is None:
            verify_password(_DUMMY_HASH, password)
            session.add(AuditRow(at=moment, who=who, action="login_failed", target=target))
        elif row.disabled_at is not None:
            verify_password(_DUMMY_HASH, password)
            session.add(AuditRow(at=moment, who=key, action="login_refused_disabled", target=target))
        elif row.locked_until is not None and row.locked_until > moment:
            locked_until = row.locked_until  # said to the caller, not in the message: it would confirm the name
            session.add(AuditRow(at=moment, who=key, action="login_refused_locked", target=target))
        elif not verify_password(row.password_hash, password):
            session.add(AuditRow(at=moment, who=key, action="login_failed", target=target, new=_fail(row, moment)))
        else:
            row.failures, row.locked_until = 0, None
            if needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            session.add(AuditRow(at=moment, who=key, action="login", target=target, new=row.role))
            return Actor(key, Role(row.role), "password")
        if counted and address:
            note = _count_address_failure(session, source, address, moment)
            if note:
                session.add(AuditRow(at=moment, who=who, action="login_address_blocked", target=target, new=note))
    raise AuthenticationError(message, locked_until=locked_until)


def _count_address_failure(
    session: Session, source: LoginAddressRow | None, address: str, moment: dt.datetime
) -> str | None:
    """Count a failed login from ``address`` (:data:`ADDRESS_BACKOFF`). The note for the audit log
    when this failure blocks it."""
    if source is None:
        source = LoginAddressRow(address=address, failures=0, last_failure=moment, blocked_until=None)
        session.add(source)
        strikes = Strikes()
    else:
        strikes = Strikes(source.failures, source.last_failure, source.blocked_until)
    after = ADDRESS_BACKOFF.strike(strikes, moment)
    source.failures, source.last_failure, source.blocked_until = after.failures, moment, after.blocked_until
    if not after.blocked(moment):
        return None
    return f"{after.failures} failed logins from this address: blocked until {after.blocked_until:%Y-%m-%d %H:%M} UTC"


def _fail(row: UserRow, moment: dt.datetime) -> str | None:
    """Count a wrong password (:data:`ACCOUNT_BACKOFF`); the note for the audit log when it locks
    the account."""
    after = ACCOUNT_BACKOFF.strike(Strikes(row.failures, None, row.locked_until), moment)
    row.failures, row.locked_until = after.failures, after.blocked_until
    if not after.blocked(moment):
        return None
    return f"{after.failures} wrong passwords: locked until {row.locked_until:%Y-%m-%d %H:%M} UTC"


def must_change_password(engine: Engine, name: str) -> bool:
    """True when the account's password was reset (or chosen by an admin) and its user must change
    it before doing anything else.

    Raises:
        StoreError: the database cannot be read.
    """
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.name == normalise_name(name)))
        return bool(row is not None and row.must_change_password)


def change_password(engine: Engine, name: str, *, current: str, new: str, now: dt.datetime | None = None) -> None:
    """The user changes their own password: the current one is required, the new one must meet the
    policy and differ from it. A wrong current password counts as a failed login (and locks the
    account at :data:`MAX_FAILURES`), so the form cannot be used to guess it.

    Raises:
        AuthenticationError: no such local account, disabled, locked, or the current password is wrong
            (the same message for each).
        WeakPasswordError: the new password does not meet the policy, or equals the current one.
        StoreError: the database cannot be read or written.
    """
    moment = now or _now()
    key = normalise_name(name)
    refused = False
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = session.scalar(select(UserRow).where(UserRow.name == key))
        if row is None or row.password_hash is None or row.disabled_at is not None:
            verify_password(_DUMMY_HASH, current)
            refused = True
        elif row.locked_until is not None and row.locked_until > moment:
            session.add(AuditRow(at=moment, who=key, action="password_change_refused_locked", target=key))
            refused = True
        elif not verify_password(row.password_hash, current):
            note = _fail(row, moment)
            session.add(AuditRow(at=moment, who=key, action="password_change_failed", target=key, new=note))
            refused = True
        else:
            check_password(new, name=key)
            if verify_password(row.password_hash, new):
                raise WeakPasswordError(
                    "the new password is the current one: choose another", reason="reused", minimum=0
                )
            row.password_hash, row.failures, row.locked_until = hash_password(new), 0, None
            was_reset, row.must_change_password, row.password_changed_at = row.must_change_password, False, moment
            note = "after a reset" if was_reset else None
            session.add(AuditRow(at=moment, who=key, action="password_change", target=key, new=note))
    if refused:
        raise AuthenticationError("wrong current password: the password was not changed")


def reset_password(engine: Engine, name: str, *, new: str, by: Actor) -> None:
    """An admin sets a new password for a local account; its user must change it at the next login.
    The account is unlocked (failures forgotten); a disabled account stays disabled.

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        WeakPasswordError: the new password does not meet the policy.
        StoreError: no such account, an OIDC identity (its password is the identity provider's), or
            the database cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    check_password(new, name=key)
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = _existing(session, key)
        if row.password_hash is None:
            raise StoreError(f"'{key}' signs in through the identity provider: its password is not Rempart's")
        row.password_hash, row.must_change_password = hash_password(new), True
        row.failures, row.locked_until, row.password_changed_at = 0, None, _now()
        session.add(
            AuditRow(at=_now(), who=by.name, action="password_reset", target=key, new="must change at next login")
        )
        _revoke_sessions(session, key, by)


def disable_user(engine: Engine, name: str, *, by: Actor) -> None:
    """Disable an account: it can no longer sign in (nor act: :func:`refresh_actor` refuses it on the
    next click); it stays in the table and in every audit entry. The last enabled admin cannot be
    disabled.

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        StoreError: no such account, already disabled, the last enabled admin, or the database
            cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = _existing(session, key)
        if row.disabled_at is not None:
            raise StoreError(f"'{key}' is already disabled")
        admins = session.scalar(
            select(func.count())
            .select_from(UserRow)
            .where(UserRow.role == str(Role.ADMIN), UserRow.disabled_at.is_(None))
        )
        if row.role == Role.ADMIN and admins == 1:
            raise StoreError(f"'{key}' is the last enabled admin: add or enable another admin first")
        row.disabled_at, row.disabled_by = _now(), by.name
        session.add(AuditRow(at=_now(), who=by.name, action="user_disable", target=key, old="enabled", new="disabled"))
        _revoke_sessions(session, key, by)


def enable_user(engine: Engine, name: str, *, by: Actor) -> None:
    """Enable a disabled account again (with its role and password as they were).

    Raises:
        PermissionDeniedError: ``by`` is not an admin.
        StoreError: no such account, not disabled, or the database cannot be written.
    """
    require_role(by, "manage_users")
    key = normalise_name(name)
    with _translate(engine.url), Session(engine) as session, session.begin():
        row = _existing(session, key)
        if row.disabled_at is None:
            raise StoreError(f"'{key}' is not disabled")
        row.disabled_at, row.disabled_by, row.failures, row.locked_until = None, None, 0, None
        session.add(AuditRow(at=_now(), who=by.name, action="user_enable", target=key, old="disabled", new="enabled"))


def _revoke_sessions(session: Session, key: str, by: Actor) -> None:
    """End every signed-in browser of the account (:mod:`roadmap.security.sessions`), audited."""
    moment = _now()
    rows = session.scalars(
        select(LoginSessionRow).where(LoginSessionRow.name == key, LoginSessionRow.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at, row.code_hash = moment, None
    if rows:
        session.add(AuditRow(at=moment, who=by.name, action="sessions_revoke", target=key, new=str(len(rows))))


def _existing(session: Session, key: str) -> UserRow:
    row = session.scalar(select(UserRow).where(UserRow.name == key))
    if row is None:
        raise StoreError(f"no account '{key}' (python -m roadmap user list shows them)")
    return row


def identity_actor(engine: Engine, identity: str) -> Actor:
    """The actor of an identity the OIDC provider vouched for (its e-mail), with its role.

    Raises:
        AuthenticationError: the identity has no account (access is never granted by default).
        StoreError: the database cannot be read.
    """
    key = normalise_name(identity) if identity.strip() else ""
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.name == key)) if key else None
    if row is not None and row.disabled_at is not None:
        raise AuthenticationError(f"the account '{key}' is disabled: ask an administrator")
    if row is None:
        raise AuthenticationError(
            f"{identity or 'this identity'} has no access to Rempart: an administrator grants it with "
            f"python -m roadmap user add {identity or 'E-MAIL'} --oidc --role viewer"
        )
    return Actor(key, Role(row.role), "oidc")


def refresh_actor(engine: Engine, actor: Actor) -> Actor:
    """The actor with its role as the database has it now (a role changed, an account removed or
    disabled takes effect on the user's next action, not at their next login).

    Raises:
        AuthenticationError: the account was removed or disabled.
        StoreError: the database cannot be read.
    """
    if actor.via not in ("password", "oidc"):
        return actor
    with _translate(engine.url), Session(engine) as session:
        row = session.scalar(select(UserRow).where(UserRow.name == actor.name))
    if row is None:
        raise AuthenticationError(f"the account '{actor.name}' no longer exists: sign in again")
    if row.disabled_at is not None:
        raise AuthenticationError(f"the account '{actor.name}' was disabled: ask an administrator")
    return Actor(actor.name, Role(row.role), actor.via)


def _account(row: UserRow) -> Account:
    return Account(
        name=row.name,
        role=Role(row.role),
        kind="password" if row.password_hash is not None else "oidc",
        created_at=row.created_at,
        created_by=row.created_by,
        locked_until=row.locked_until,
        must_change_password=row.must_change_password,
        disabled_at=row.disabled_at,
        disabled_by=row.disabled_by,
    )
