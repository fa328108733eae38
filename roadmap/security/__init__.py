"""Security: who may do what.

Input: a login (local account or OIDC identity) or the CLI's user; output: an
:class:`~roadmap.security.roles.Actor` and its :class:`~roadmap.security.roles.Role`, which every write
of :mod:`roadmap` checks. Errors: :class:`~roadmap.errors.AuthenticationError`,
:class:`~roadmap.errors.PermissionDeniedError`.

Modules: :mod:`~roadmap.security.roles` (roles and the check), :mod:`~roadmap.security.accounts`
(accounts in the history store, passwords, lockout).
"""
