"""Login and roles (PRODUCT.md §8): who may read, who may write, and the check every write makes.

Three roles, each allowing what the one before it does:

============  ========================  ====================================================
role          who                       may
============  ========================  ====================================================
``viewer``    director, board           read every page, export decks and reports, save
                                        capacity scenarios (a what-if changes no workbook)
``editor``    IT team, CISO             also write progress back into the workbook, record
                                        and delete snapshots, freeze the plan, remember and
                                        forget column mappings
``admin``     the application's owner   also manage accounts: add, remove, disable, reset passwords
============  ========================  ====================================================

:data:`WRITE_ROLES` lists every write and the role it needs; each write function of
:mod:`roadmap` (:func:`roadmap.writeback.write_back`, :func:`roadmap.store.snapshots.freeze_plan`,
:func:`roadmap.store.snapshots.record_snapshot`, :func:`roadmap.store.snapshots.delete_snapshot`,
:func:`roadmap.importing.mapping.remember_mapping`, :func:`roadmap.store.mappings.remember`,
:func:`roadmap.store.mappings.forget`, and the account
functions of :mod:`roadmap.security.accounts`) takes the acting :class:`Actor` and calls
:func:`require_role` before writing anything — hiding a button in the app is a courtesy, not the defence.

Accounts and logins are in :mod:`roadmap.security.accounts`.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from roadmap.errors import PermissionDeniedError


class Role(StrEnum):
    """A user's role; each allows everything the ones before it allow."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for editor, 2 for admin."""
        return list(Role).index(self)


WRITE_ROLES: dict[str, Role] = {
    "write_back": Role.EDITOR,
    "record_snapshot": Role.EDITOR,
    "delete_snapshot": Role.EDITOR,
    "freeze_plan": Role.EDITOR,
    "remember_mapping": Role.EDITOR,
    "forget_mapping": Role.EDITOR,
    "manage_users": Role.ADMIN,
    "save_scenario": Role.VIEWER,
}
"""Every write Rempart makes, and the least role allowed to make it."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: the name written in the audit log, the role checked, and how they signed in.

    ``via`` is ``password`` (local account), ``oidc`` (the hospital's identity provider), ``local``
    (no login configured: the person at this computer, app bound to localhost), ``cli`` (the
    command line: whoever can run it can read the database file anyway) or ``system`` (Rempart
    itself, e.g. seeding the bundled sample's history).
    """

    name: str
    role: Role
    via: Literal["password", "oidc", "local", "cli", "system"]

    def can(self, role: Role) -> bool:
        """True when this actor's role is ``role`` or above it."""
        return self.role.rank >= role.rank


def require_role(actor: Actor, action: str) -> None:
    """Check that ``actor`` may perform the write ``action`` (a key of :data:`WRITE_ROLES`).

    Raises:
        PermissionDeniedError: the actor's role is below the one the action needs.
        KeyError: ``action`` is not a known write (a programming error).
    """
    needed = WRITE_ROLES[action]
    if not actor.can(needed):
        raise PermissionDeniedError(
            f"{actor.name} ({actor.role}) may not {action.replace('_', ' ')}: it needs the {needed} role. "
            f"Ask an administrator: python -m roadmap user add NAME --role {needed}"
        )


def cli_actor() -> Actor:
    """The command line's actor: the operating-system user, as an admin (who can run the CLI on the
    server can read and write the database file directly, so a role check there would be theatre)."""
    return Actor(f"{_os_user()} (cli)", Role.ADMIN, "cli")


def local_actor() -> Actor:
    """The actor of an app without a configured login: served on localhost only, so the person at
    this computer, who owns the workbook and the database; named after the operating-system user."""
    return Actor(f"{_os_user()} (local)", Role.ADMIN, "local")


SYSTEM = Actor("rempart", Role.EDITOR, "system")
"""Rempart itself, for the writes it makes on its own (seeding the sample's history)."""


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
