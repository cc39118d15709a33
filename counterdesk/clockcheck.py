"""Is this PC's clock in step with the database server's? (issue 17.11)

Business times come from each PC's clock (:mod:`counterdesk.clock`); a PC with a wrong
date would put payments on another business day. On PostgreSQL the server's clock is
the hall's reference: every money-moving transaction reads it (in the statement that
takes the hall's share lock, :mod:`counterdesk.dayguard`, so no extra round trip) and is
refused when the PC's clock is off by more than ``clock.max_skew_seconds`` (default 120
s), with a message that names both times. :func:`measure` is what the workstation calls
at sign-in and on each health poll to warn before a payment is refused.

SQLite (one PC) has no second clock: nothing is compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from . import i18n
from .errors import Conflict

MAX_SKEW_SECONDS = 120  # the default of the hall policy key ``clock.max_skew_seconds``


def _real_pc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# The PC's real clock (aware). Not clock.now(): tests freeze the business clock, while this
# compares the machine's clock; tests of the check replace this function.
pc_now: Callable[[], dt.datetime] = _real_pc_now


@dataclass(frozen=True)
class Skew:
    pc: dt.datetime      # aware
    server: dt.datetime  # aware
    limit: int           # seconds

    @property
    def seconds(self) -> float:
        return (self.pc - self.server).total_seconds()

    @property
    def ok(self) -> bool:
        return abs(self.seconds) <= self.limit

    def message(self) -> str:
        return i18n.pick(*self.texts())

    def texts(self) -> tuple[str, str]:
        """(Chinese, English): both times in this PC's zone, the difference, the limit."""
        pc = self.pc.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        server = self.server.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        off = round(abs(self.seconds))
        return (
            f"本机时钟 {pc} 与数据库服务器时钟 {server} 相差 {off} 秒（上限 {self.limit} 秒）："
            "收费、作废、退款和钱箱操作已暂停，以免记到错误的营业日。请管理员校准本机时间"
            "（Windows 设置 → 时间和语言 → 立即同步）后重试",
            f"This PC's clock {pc} and the database server's clock {server} differ by {off} s "
            f"(limit {self.limit} s): payments, voids, refunds and till movements are paused "
            "so that nothing lands on the wrong business day. Ask IT to set this PC's time "
            "(Windows Settings → Time & language → Sync now), then retry")


def server_now_column():
    """The server's current time as a column, to add to a statement the caller runs anyway."""
    return func.clock_timestamp()


def compare(server: dt.datetime, pc: dt.datetime | None = None,
            limit: int = MAX_SKEW_SECONDS) -> Skew:
    if server.tzinfo is None:  # never from PostgreSQL's clock_timestamp(); be safe
        server = server.astimezone()
    return Skew(pc or pc_now(), server, limit)


def ensure_in_step(server: dt.datetime, limit: int = MAX_SKEW_SECONDS) -> None:
    """Refuse a money operation when the PC's clock is off (a :class:`Conflict`)."""
    skew = compare(server, limit=limit)
    if not skew.ok:
        zh, en = skew.texts()
        raise Conflict(zh, en, field="clock", data={"skew_seconds": round(skew.seconds)})


def measure(db, limit: int = MAX_SKEW_SECONDS) -> Skew | None:
    """Read the server's clock (this also proves the database answers); ``None`` on SQLite.
    Raises :class:`~counterdesk.errors.DatabaseError` when the server does not answer."""
    if not db.is_postgres:
        db.ping()
        return None
    with db.read() as s:
        before = pc_now()
        server = s.execute(select(server_now_column())).scalar_one()
        after = pc_now()
    return Skew(before + (after - before) / 2, server, limit)


__all__ = ["MAX_SKEW_SECONDS", "Skew", "compare", "ensure_in_step", "measure", "pc_now",
           "server_now_column"]
