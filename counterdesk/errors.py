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


class NotSaved(DatabaseError):
    """The connection broke during a request; checked by its request key: not saved."""


class OutcomeUnknown(DatabaseError):
    """The connection broke during or after COMMIT and the database still does not
    answer: retry with the same request key to learn the outcome (never taken twice)."""


class SchemaError(DatabaseError):
    """The database schema is newer than this program, or not a CounterDesk database."""

    retryable = False


class PrinterError(CounterDeskError):
    """The printer could not take the job (offline, refused, out of paper)."""

    exit_code = 5


def from_os_error(exc: OSError, path=None) -> CounterDeskError:
    """A file-system failure as one line naming the file, the cause and what to do."""
    import errno

    where = path if path is not None else (exc.filename or "")
    if isinstance(exc, FileNotFoundError):
        return CounterDeskError(f"找不到 {where}（文件或文件夹不存在）：请检查路径，或先建好文件夹",
                                f"{where} does not exist: check the path or create the folder")
    if isinstance(exc, IsADirectoryError):
        return CounterDeskError(f"{where} 是文件夹：请写出文件名", f"{where} is a folder: name a file")
    if isinstance(exc, NotADirectoryError):
        return CounterDeskError(f"{where} 的上级不是文件夹：请检查路径",
                                f"A parent of {where} is not a folder: check the path")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS, errno.EACCES):
        return CounterDeskError(f"没有权限写入 {where}（只读或无权限）：请换一个可写的位置或取消只读属性",
                                f"No permission to write {where} (read-only): use a writable "
                                "place or clear the read-only flag")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return DiskFull(f"磁盘空间不足，无法写入 {where}：请清理磁盘空间后重试",
                        f"The disk is full; {where} could not be written: free space and retry")
    return CounterDeskError(f"无法访问 {where}：{exc.strerror or exc}",
                            f"Cannot access {where}: {exc.strerror or exc}")
