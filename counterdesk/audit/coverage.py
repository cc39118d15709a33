"""Which business rows the audit chain vouches for, and their canonical content hashes.

Every table in :data:`COVERED` has a list of columns whose content the chain vouches for
(operational columns such as a receipt's print count or a clerk's failed sign-ins are
left out). A row's hash is the first 16 bytes of SHA-256 over the canonical JSON of
``[table, id, value, …]`` (numbers as integers, quantities as plain decimals without
trailing zeros, times as ISO text), read back from the database by one SELECT that
:func:`counterdesk.audit.record` and :func:`counterdesk.audit.verify` share, so both
engines give the same bytes.

An event carries ``"row_hashes": {table: {id: hash-or-null}}`` in its payload: the rows it
created or changed (``null`` = deleted). Rows come from two places:

- rows written through the ORM are noticed as the flush writes them (updates only
  when a covered column changed) and put into the next event of the transaction; if the transaction
  commits with rows no event took, an ``audit.rows`` event is appended for them;
- rows written by Core statements (payments, bulk imports) are named by the caller:
  ``audit.record(..., rows=[audit.Rows(table, where)])``.
"""

from __future__ import annotations

import decimal
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Numeric, Table, event, inspect, or_, select
from sqlalchemy.orm import Session, object_session
from sqlalchemy.sql.elements import ColumnElement

from ..models import Base, Staff
from ..models.accounts import Account, Bill, Holder, HolderHistory
from ..models.billing import (
    Payment,
    PaymentLine,
    PaymentTender,
    PriceChange,
    PriceItem,
    PriceTier,
    Receipt,
)
from ..models.cards import Card, CardPurchase
from ..models.cash import CashMovement, DayClose, DayCloseLog, Till, TillCount
from ..models.orders import Inspection, WorkOrder, WorkOrderStep

# columns left out of a table's content hash (the rest are covered)
_OPERATIONAL: dict[type[Base], tuple[str, ...]] = {
    Payment: (), PaymentLine: (), PaymentTender: (),
    # the verification code is derived from the event's hash (written after it);
    # print count and time change on every reprint
    Receipt: ("verification_code", "print_count", "last_printed_at"),
    Bill: (), PriceItem: (), PriceTier: (), PriceChange: (),
    Till: (), TillCount: (), CashMovement: (),
    # the anchor is the close event's own chain, seq and hash, stored after it
    DayClose: ("anchor_chain", "anchor_seq", "anchor_hash"),
    DayCloseLog: ("audit_hash",),
    # sign-in bookkeeping is not a role or a status
    Staff: ("failed_attempts", "locked_until", "approval_failed_attempts",
            "approval_locked_until", "last_sign_in"),
    Holder: (), Account: (), HolderHistory: (),
    # prepaid gas: the card and every purchase with its state (money first, card after);
    # a purchase's work order (added in 0017) is left out so rows hashed before it keep
    # their hash: the card.meter_change event carries it
    Card: (), CardPurchase: ("order_number",),
    # work orders: every step, result and inspection
    WorkOrder: (), WorkOrderStep: (), Inspection: (),
}

_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Chinese names of the tables (for verify's messages)
NAMES = {
    "payments": "收费记录", "payment_lines": "收费明细", "payment_tenders": "付款方式",
    "receipts": "票据", "bills": "账单", "price_items": "价目", "price_tiers": "阶梯价",
    "price_changes": "调价记录", "tills": "钱箱", "till_counts": "点钞", "cash_movements":
    "现金存取", "day_closes": "日结", "day_close_log": "日结记录", "staff": "员工",
    "holders": "户主", "accounts": "用户档案", "holder_history": "户主变更",
    "cards": "IC卡", "card_purchases": "IC卡购气", "work_orders": "工单",
    "work_order_steps": "工单步骤", "inspections": "安检记录",
}


def _conv(col) -> Callable[[Any], Any] | None:
    t = col.type
    if isinstance(t, DateTime):
        return lambda v: None if v is None else v.isoformat(timespec="microseconds")
    if isinstance(t, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(t, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(t, Numeric):
        return lambda v: None if v is None else format(decimal.Decimal(v).normalize(), "f")
    return None


@dataclass(frozen=True)
class Covered:
    table: Table
    columns: tuple            # id first
    converters: tuple         # (index, function) for the values that need one

    @property
    def name(self) -> str:
        return self.table.name

    def select(self):
        return select(*self.columns)

    def digest(self, row: Sequence[Any]) -> bytes:
        vals = list(row)
        for i, f in self.converters:
            vals[i] = f(vals[i])
        vals.insert(0, self.table.name)
        return hashlib.sha256(_ENCODE(vals).encode("utf-8")).digest()[:16]


def _covered(model: type[Base], left_out: tuple[str, ...]) -> Covered:
    t = model.__table__
    cols = [t.c.id] + [c for c in t.c if c.name != "id" and c.name not in left_out]
    conv = tuple((i, f) for i, c in enumerate(cols) if (f := _conv(c)) is not None)
    return Covered(t, tuple(cols), conv)


COVERED: dict[str, Covered] = {m.__table__.name: _covered(m, out)
                               for m, out in _OPERATIONAL.items()}
_LEFT_OUT = {m.__table__.name: frozenset(out) for m, out in _OPERATIONAL.items()}


@dataclass(frozen=True)
class Rows:
    """Rows of a covered table written by Core statements: ``Rows(table, where)``."""

    table: Table
    where: ColumnElement[bool]


@dataclass(frozen=True)
class Fetched:
    """Rows a Core statement already returned (``INSERT … RETURNING`` the table's
    :meth:`Covered.select` columns, in that order): hashed without reading them again."""

    table: Table
    rows: Sequence[Sequence[Any]]


def returning(table: Table) -> tuple:
    """The columns to put in ``RETURNING`` for :class:`Fetched` (id first)."""
    return COVERED[table.name].columns


def row_hashes(session: Session, refs: Iterable[Rows | Fetched],
               ids: dict[str, set[int]]) -> dict[str, dict[str, str | None]]:
    """The current hashes of the named rows (``None`` for a row that no longer exists)."""
    out: dict[str, dict[str, str | None]] = {}
    wanted: dict[str, list] = {}
    for r in refs:
        if isinstance(r, Fetched):
            cov = COVERED[r.table.name]
            got = out.setdefault(r.table.name, {})
            for row in r.rows:
                got[str(row[0])] = cov.digest(row).hex()
            continue
        wanted.setdefault(r.table.name, []).append(r.where)
    for name, id_set in ids.items():
        if id_set:
            wanted.setdefault(name, []).append(COVERED[name].table.c.id.in_(sorted(id_set)))
    for name, clauses in wanted.items():
        cov = COVERED[name]
        got = out.setdefault(name, {})
        for row in session.execute(cov.select().where(or_(*clauses))):
            got[str(row[0])] = cov.digest(row).hex()
        for i in ids.get(name, ()):
            got.setdefault(str(i), None)
    return {name: dict(sorted(got.items(), key=lambda kv: int(kv[0])))
            for name, got in out.items()}


# -- noticing ORM writes -------------------------------------------------------------
_KEY = "audit_rows"


def _changed_covered(obj) -> bool:
    state = inspect(obj)
    left_out = _LEFT_OUT[obj.__table__.name]
    for attr in state.mapper.column_attrs:
        if attr.key in left_out:
            continue
        if state.attrs[attr.key].history.has_changes():
            return True
    return False


def _note(target, check_changes: bool) -> None:
    if check_changes and not _changed_covered(target):
        return
    session = object_session(target)
    if session is not None:
        session.info.setdefault(_KEY, {}).setdefault(target.__table__.name, set()).add(
            target.id)


def _on_write(_mapper, _conn, target) -> None:
    _note(target, False)


def _on_update(_mapper, _conn, target) -> None:
    _note(target, True)


# mapper events see every row the flush writes, cascaded and orphan deletes included
for _model in _OPERATIONAL:
    event.listen(_model, "after_insert", _on_write)
    event.listen(_model, "after_delete", _on_write)
    event.listen(_model, "after_update", _on_update)


def take_pending(session: Session) -> dict[str, set[int]]:
    return session.info.pop(_KEY, None) or {}


def has_pending(session: Session) -> bool:
    return bool(session.info.get(_KEY))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args) -> None:
    session.info.pop(_KEY, None)

