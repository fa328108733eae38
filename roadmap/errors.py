"""Rempart's exception family.

Every error Rempart raises on purpose derives from :class:`RoadmapError`; the UI and the CLI
catch that root only. Third-party errors (openpyxl, calamine, zipfile, pydantic) are translated
into these at the boundary where they happen.

::

    RoadmapError
    ├── WorkbookError (ValueError)          a file cannot be read as a roadmap workbook
    │   ├── NotASpreadsheetError            the bytes are not a spreadsheet at all
    │   ├── CellValueError                  one cell's value cannot be read
    │   ├── UnsafeFileError                 refused before parsing: too large, zip bomb, absurd shape
    │   ├── ConcurrentEditError             the file changed on disk since it was read: not written
    │   └── InvalidWorkbookError            the workbook was read but has blocking issues
    ├── PlanningError (ValueError)          the plan cannot be computed with these options
    ├── ExportError                         an export cannot be built (no browser, no font, bad source)
    ├── ServerBusyError                     every parser slot stayed taken: try again in a moment
    ├── StoreError                          the history database cannot be opened, migrated, read or written
    │   └── WeakPasswordError (ValueError)  a new password does not meet the policy: nothing was changed
    └── AccessError (PermissionError)       a login or a role check failed
        ├── AuthenticationError             unknown user, wrong password, locked account
        └── PermissionDeniedError           the user's role does not allow this write
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roadmap.models import Issue


class RoadmapError(Exception):
    """Root of every error Rempart raises on purpose."""


class WorkbookError(RoadmapError, ValueError):
    """A file cannot be read as a roadmap workbook."""


class NotASpreadsheetError(WorkbookError):
    """The bytes are not a spreadsheet Rempart can read (renamed binary, unknown format)."""


class InvalidWorkbookError(WorkbookError):
    """The workbook was read but has blocking issues (errors), listed in ``issues``.

    Attributes:
        issues: every issue found, errors and warnings, in sheet/row order.
    """

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        errors = [i for i in self.issues if i.severity == "error"]
        first = errors[0].describe() if errors else "no detail"
        count = "1 blocking issue" if len(errors) == 1 else f"{len(errors)} blocking issues"
        super().__init__(f"{count} in the workbook; first: {first}")


class PlanningError(RoadmapError, ValueError):
    """The plan cannot be computed with these options (e.g. a horizon of zero weeks)."""


class ExportError(RoadmapError):
    """An export cannot be built: Chromium or the DejaVu font is missing, chart rendering failed,
    or the source workbook cannot be rewritten. The message says what to install or change."""


class CellValueError(WorkbookError):
    """One cell's value cannot be read; ``hint`` says how to fix it.

    Raised by the parsers of :mod:`roadmap.importing.values`; the loader turns each into an issue that
    names the sheet, row and column. ``message`` and ``hint`` are templates marked with
    :func:`roadmap.i18n.N_` whose ``{placeholders}`` are filled from ``params``.

    Attributes:
        message, hint: the English text, placeholders filled.
        template, hint_template: the same before filling: msgids of the gettext catalogue.
        params: placeholder → text, as ``(name, text)`` pairs.
    """

    def __init__(self, message: str, hint: str = "", *, params: Mapping[str, object] | None = None) -> None:
        self.template = message
        self.hint_template = hint
        self.params = tuple((name, str(text)) for name, text in (params or {}).items())
        self.message = message.format(**dict(self.params)) if params else message
        self.hint = hint.format(**dict(self.params)) if params else hint
        super().__init__(f"{self.message} — {self.hint}" if hint else self.message)


class UnsafeFileError(WorkbookError):
    """A file refused before parsing: too large, a possible zip bomb, or an absurd shape."""


class ServerBusyError(RoadmapError):
    """The server's parser slots all stayed taken longer than the wait allowed (other users'
    files): nothing is wrong with the file; the user tries again in a moment."""


class StoreError(RoadmapError):
    """The history database (snapshots, frozen plans, audit log) cannot be opened, migrated, read
    or written; the message names the database and says what to check."""


class WeakPasswordError(StoreError, ValueError):
    """A new password does not meet the policy (:mod:`roadmap.security.passwords`); nothing was written.

    Attributes:
        reason: ``short`` (under the minimum length), ``common`` (in the list of common passwords)
            or ``guessable`` (too easy to guess from words, names, dates, keyboard patterns).
        minimum: the minimum length in force.
    """

    def __init__(self, message: str, *, reason: str, minimum: int) -> None:
        self.reason = reason
        self.minimum = minimum
        super().__init__(message)


class ConcurrentEditError(WorkbookError):
    """The workbook changed on disk since it was read (another editor saved it); nothing was written."""


class AccessError(RoadmapError, PermissionError):
    """A login or a role check failed (PRODUCT.md §8)."""


class AuthenticationError(AccessError):
    """The user name and password do not match an account, or the account is locked for a while.

    The message never says which of the two was wrong.

    Attributes:
        locked_until: when the account unlocks (naive UTC), for a locked account; else ``None``.
    """

    def __init__(self, message: str, *, locked_until: dt.datetime | None = None) -> None:
        self.locked_until = locked_until
        super().__init__(message)


class PermissionDeniedError(AccessError):
    """The user's role does not allow this write; nothing was written. The message names the action
    and the role it needs."""
