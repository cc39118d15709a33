"""Writing a payment (sale or reversal) in one transaction: payment, lines, tenders,
the gapless receipt number (``2026-000123`` per hall and year), the audit event
(amounts and methods in the hashed payload) and the print job (outbox).

**Commit first, print after**: the spooler prints later; a dead printer never loses
a payment.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from .. import audit, clock, money, requestkeys, sequence
from .. import hall as halls
from ..db import Database
from ..errors import NotFound
from ..models import Authorisation, Counter, Hall, Staff
from ..models.accounts import Account
from ..models.billing import (
    Payment,
    PaymentLine,
    PaymentTender,
    PrintJob,
    Receipt,
)
from ..print import printers
from ..staff import Actor
from ..validators import typed
from . import references
from .sale_types import QuoteLine, holder_masked


@dataclass(frozen=True)
class _HallInfo:
    """What a payment needs of its hall (a snapshot, cached briefly per process)."""

    id: int
    code: str
    name: str
    company_name: str
    hotline: str
    address: str


_HALL_CACHE: weakref.WeakKeyDictionary[Database, dict] = weakref.WeakKeyDictionary()
_HALL_TTL = 60.0


def _hall_info(db: Database, s: Session, hall_id: int) -> _HallInfo:
    hits = _HALL_CACHE.setdefault(db, {})
    hit = hits.get(hall_id)
    if hit is not None and time.monotonic() - hit[0] < _HALL_TTL:
        return hit[1]
    h = halls.get(s, hall_id)
    info = _HallInfo(h.id, h.code, h.name, h.company_name, h.hotline, h.address)
    hits[hall_id] = (time.monotonic(), info)
    return info


def _next_receipt_seq(s: Session, hall_id: int, year: int) -> int:
    """The next receipt number of the year: one locking UPDATE … RETURNING once the
    year's counter exists (``sequence.next_value`` creates it for the first receipt)."""
    name = f"receipt:{year}"
    v = s.execute(_NEXT_RECEIPT, {"b_hall": hall_id, "b_name": name}).scalar()
    return int(v) if v is not None else sequence.next_value(s, hall_id, name)


@dataclass
class PaymentResult:
    """A committed payment (sale or reversal) and its receipt."""

    payment_id: int
    kind: str
    receipt_no: str
    verification_code: str
    business_day: str
    account_no: str | None
    total_fen: int
    lines: list[dict]
    tenders: list[dict]
    change_fen: int
    print_job_id: int
    original_receipt_no: str | None = None
    receipt: dict = field(default_factory=dict)   # what is printed (render params)
    request_key: str = ""
    # "" taken now; "retry": the key was already taken (the first outcome);
    # "recovered": committed although the connection broke before the reply
    replayed: str = ""
    warning: str = ""   # e.g. cash after the till's count (billing.tillgate)

    @property
    def total(self) -> str:
        return money.fmt(self.total_fen)

    def to_dict(self) -> dict:
        """Its fields as plain data, without the print data. The lines and tenders are
        copied one level deep (a caller may add to a line; the tiers inside are shared:
        nothing edits them), not by ``asdict``'s recursive copy, which cost a card
        purchase (whose result carries this) a tenth of a millisecond."""
        d = {f.name: getattr(self, f.name) for f in _RESULT_FIELDS}
        d["lines"] = [dict(x) for x in self.lines]
        d["tenders"] = [dict(x) for x in self.tenders]
        d["total"] = money.fmt(self.total_fen, group=False)
        d["total_capitals"] = money.capitals(self.total_fen)
        return d


_RESULT_FIELDS = [f for f in fields(PaymentResult) if f.name != "receipt"]


# The payment's inserts as constant Core statements with bound parameters: compiled once
# and taken from SQLAlchemy's statement cache on every payment (a ``.values(...)`` built per
# call is coerced and cache-keyed value by value, which cost more than the round trips).
# The covered rows come back by RETURNING (id first): their audit content hashes are
# computed from what the database stored, without reading them again.
_INSERT_PAYMENT = insert(Payment.__table__).returning(*audit.returning(Payment.__table__))
_INSERT_LINES = insert(PaymentLine.__table__).returning(
    *audit.returning(PaymentLine.__table__))
_INSERT_TENDERS = insert(PaymentTender.__table__).returning(
    *audit.returning(PaymentTender.__table__))
_INSERT_RECEIPT = insert(Receipt.__table__).returning(*audit.returning(Receipt.__table__))
_INSERT_JOB = insert(PrintJob.__table__).returning(PrintJob.__table__.c.id)
_NEXT_RECEIPT = (update(Counter.__table__)
                 .where(Counter.__table__.c.hall_id == bindparam("b_hall"),
                        Counter.__table__.c.name == bindparam("b_name"))
                 .values(value=Counter.__table__.c.value + 1)
                 .returning(Counter.__table__.c.value))


_SET_CODE = (update(Receipt.__table__).where(Receipt.__table__.c.id == bindparam("c_id"))
             .values(verification_code=bindparam("c_code")))


def _verification_code(receipt_no: str, total_fen: int, audit_hash: str) -> str:
    return hashlib.sha256(f"{receipt_no}|{total_fen}|{audit_hash}".encode()).hexdigest()[:8] \
        .upper()


def _write_payment(s: Session, actor: Actor, hall: Hall | _HallInfo, day: dt.date, *, kind: str,
                   acc: Account | None, lines: list[QuoteLine], tenders: list[dict],
                   original: Payment | None = None, authorisation_id: int | None = None,
                   reason: str = "", printer_uri: str = "",
                   reverses: dict[int, int] | None = None, request_key: str = "",
                   receipt_extra: dict | None = None,
                   attach: Callable[[Session, int], tuple[dict, list]] | None = None
                   ) -> PaymentResult:
    """Write payment, lines, tenders, receipt (gapless number), audit event, print job.

    The hall-wide rows (the receipt counter, then the audit head) are taken last, so
    they are held only for the last few statements of the transaction.

    ``attach(s, payment_id)``: rows that belong to the payment (an IC-card purchase),
    written after the payment row; it returns what to add to the payment's event (payload
    keys, :class:`audit.Fetched` rows), so one event vouches for both. ``receipt_extra``
    goes onto the receipt (its print data)."""
    total = sum(ln.amount_fen for ln in lines)
    now = clock.now()
    # Core inserts (one statement per table, lines and tenders as executemany): the
    # payment's transaction stays short; rows are read back through the ORM later.
    pay_row = s.execute(_INSERT_PAYMENT, dict(
        hall_id=hall.id, business_day=day, window=actor.window, staff_id=actor.staff_id,
        staff_no=actor.staff_no, account_id=acc.id if acc else None, kind=kind,
        status="completed", total_fen=total,
        original_payment_id=original.id if original else None,
        authorisation_id=authorisation_id, reason=reason, created_at=now)).one()
    pay_id = pay_row[0]
    if request_key:
        requestkeys.record(s, hall.id, request_key, "payment", pay_id)
    line_rows = s.execute(_INSERT_LINES, [dict(
        payment_id=pay_id, line_no=ln.line_no, price_item_id=ln.price_item_id,
        item_code=ln.code, item_name=ln.name, unit=ln.unit, qty=Decimal(ln.qty),
        unit_price_fen=ln.unit_price_fen, amount_fen=ln.amount_fen, bill_id=ln.bill_id,
        detail=json.dumps(ln.tiers, ensure_ascii=False) if ln.tiers else "",
        reverses_line_id=(reverses or {}).get(ln.line_no)) for ln in lines]).all()
    tender_rows = s.execute(_INSERT_TENDERS,
                            [dict(payment_id=pay_id, **t) for t in tenders]).all()
    if kind == "sale":
        references.claim(s, hall.id, pay_id, tenders)
    extra_payload, extra_rows = attach(s, pay_id) if attach is not None else ({}, [])
    seq = _next_receipt_seq(s, hall.id, day.year)
    receipt_no = f"{day.year}-{seq:06d}"
    line_dicts = [{"line_no": ln.line_no, "code": ln.code, "name": ln.name, "unit": ln.unit,
                   "qty": ln.qty, "unit_price_fen": ln.unit_price_fen,
                   "amount_fen": ln.amount_fen, "period": ln.period, "tiers": ln.tiers}
                  for ln in lines]
    original_no = original.receipt.receipt_no if original is not None and original.receipt else None
    # the receipt row first (its verification code, derived from the event's hash, is
    # filled in after the event and is not part of the receipt's covered content)
    rc_row = s.execute(_INSERT_RECEIPT, dict(
        hall_id=hall.id, year=day.year, seq=seq, receipt_no=receipt_no, payment_id=pay_id,
        verification_code="", print_count=0, created_at=now)).one()
    rc_id = rc_row[0]
    ev = audit.record(s, f"payment.{kind}", {
        "receipt_no": receipt_no, "payment_id": pay_id, "business_day": day,
        "account_no": acc.account_no if acc else None, "total_fen": total,
        "lines": [{k: d[k] for k in ("line_no", "code", "qty", "unit_price_fen", "amount_fen",
                                     "period")} for d in line_dicts],
        "tenders": [{k: t[k] for k in ("method", "amount_fen", "tendered_fen", "change_fen",
                                       "reference", "cheque_no", "bank")} for t in tenders],
        "original_receipt_no": original_no, "authorisation_id": authorisation_id,
        "reason": reason, **extra_payload,
    }, staff_no=actor.staff_no, hall_code=hall.code, window=actor.window, at=now,
        rows=[audit.Fetched(Payment.__table__, [pay_row]),
              audit.Fetched(PaymentLine.__table__, line_rows),
              audit.Fetched(PaymentTender.__table__, tender_rows),
              audit.Fetched(Receipt.__table__, [rc_row]), *extra_rows])
    code = _verification_code(receipt_no, total, ev.hash)
    s.execute(_SET_CODE, {"c_id": rc_id, "c_code": code})
    data = {
        "company": hall.company_name, "hall": hall.name, "hall_code": hall.code,
        "hotline": hall.hotline, "address": hall.address, "window": actor.window,
        "staff_no": actor.staff_no, "staff_name": actor.name, "receipt_no": receipt_no,
        "verification_code": code, "at": now.isoformat(timespec="seconds"),
        "business_day": day.isoformat(), "kind": kind, "original_receipt_no": original_no,
        "account_no": acc.account_no if acc else "", "holder": holder_masked(acc),
        "lines": line_dicts, "total_fen": total, "tenders": tenders, "reason": reason,
        "approver_no": _approver_no(s, authorisation_id), **(receipt_extra or {}),
    }
    cash = any(t["method"] == "cash" and t["amount_fen"] != 0 for t in tenders)
    job_id = s.execute(_INSERT_JOB, dict(
        hall_id=hall.id, window=actor.window, kind="receipt", receipt_id=rc_id,
        open_drawer=cash, params=json.dumps(data, ensure_ascii=False),
        printer_uri=printer_uri, staff_no=actor.staff_no, created_at=now)).scalar_one()
    return PaymentResult(pay_id, kind, receipt_no, code, day.isoformat(),
                         acc.account_no if acc else None, total, line_dicts, tenders,
                         sum(t["change_fen"] for t in tenders), job_id, original_no, data,
                         request_key)


def recall_payment(db: Database, payment_id: int, how: str, request_key: str = ""
                   ) -> PaymentResult:
    """The outcome of a payment already taken, as :func:`_write_payment` returned it."""
    with db.read() as s:
        rc = s.execute(select(Receipt).where(Receipt.payment_id == payment_id)).scalar_one()
        job = s.execute(select(PrintJob).where(PrintJob.receipt_id == rc.id)
                        .order_by(PrintJob.id).limit(1)).scalar_one()
        data = json.loads(job.params)
        p = s.get_one(Payment, payment_id)
        return PaymentResult(payment_id, p.kind, rc.receipt_no, rc.verification_code,
                             data["business_day"], data["account_no"] or None, p.total_fen,
                             data["lines"], data["tenders"],
                             sum(t["change_fen"] for t in data["tenders"]), job.id,
                             data.get("original_receipt_no"), data, request_key, how)


def pay_once(db: Database, request_key: str | None, attempt, printer_uri: str = ""
             ) -> PaymentResult:
    """Run ``attempt(key)`` (a sale or reversal) once for ``request_key``; the printer
    address is checked first: a bad one is refused before any money is taken."""
    if printer_uri:
        printers.parse(printer_uri)
    key = requestkeys.check_key(request_key)
    return requestkeys.run_once(db, key, "payment", lambda: attempt(key),
                                lambda ref, how: recall_payment(db, ref, how, key),
                                lookup="on_refusal" if request_key else "on_fault")


def _approver_no(s: Session, authorisation_id: int | None) -> str:
    """工号 of the 主任 who authorised a reversal (printed on its receipt)."""
    if not authorisation_id:
        return ""
    return s.execute(select(Staff.staff_no).join(Authorisation, Authorisation.manager_id == Staff.id)
                     .where(Authorisation.id == authorisation_id)).scalar() or ""


def _load_receipt(s: Session, hall_id: int, receipt_no: str) -> Receipt:
    rc = s.execute(select(Receipt).where(Receipt.hall_id == hall_id,
                                         Receipt.receipt_no == typed(receipt_no))
                   ).scalar()
    if rc is None:
        raise NotFound(f"票据号 {receipt_no} 不存在", f"Receipt {receipt_no} not found",
                       field="receipt")
    return rc
