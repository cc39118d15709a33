"""Errors the user sees.

Every refusal of a service is a :class:`CounterDeskError` carrying a Chinese and an
English message (what is wrong and what to do next) and, where it applies, the
field at fault. Anything else that escapes a service is a bug: logged, and shown as
an error dialog / one line on stderr.
"""

from __future__ import annotations

from . import i18n


class CounterDeskError(Exception):
    """A refusal or known fault, explained to the user; nothing was changed."""

    exit_code = 1

    def __init__(self, zh: str, en: str | None = None, *, field: str | None = None,
                 data: dict | None = None):
        self.zh = zh
        self.en = en or zh
        self.field = field
        self.data = data or {}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return i18n.pick(self.zh, self.en)

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class ValidationError(CounterDeskError):
    """Bad input: names the field and the problem."""


class NotFound(CounterDeskError):
    pass


class Conflict(CounterDeskError):
    """The request contradicts the current state (already called, arrears, closed day…)."""


class PermissionDenied(CounterDeskError):
    pass


class AuthError(PermissionDenied):
    """Sign-in or authorisation refused (wrong password, locked, disabled)."""


class SettingsError(CounterDeskError):
    exit_code = 3


class DatabaseError(CounterDeskError):
    """A known operational database fault: unreachable, locked, disk full.

    The user gets a plain message and may retry; nothing was written.
    """

    exit_code = 4
    retryable = True


class DatabaseUnavailable(DatabaseError):
    pass


class DatabaseReadOnly(DatabaseError):
    """The server accepts no writes: a standby, or a primary still recovering (issue 24)."""


class DatabaseBusy(DatabaseError):
    pass


class DiskFull(DatabaseError):
    pass


class SchemaError(DatabaseError):
    """The database schema is newer than this program, or not a CounterDesk database."""

    retryable = False


class PrinterError(CounterDeskError):
    """The printer could not take the job (offline, refused, out of paper)."""

    exit_code = 5
