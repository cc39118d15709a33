"""Card reports: the day close's card section, the account's card ledger, the cards still
"to write" (for the manager at the end of the day)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import money
from ..db import Database
from ..errors import NotFound
from ..models.accounts import Account
from ..models.billing import Payment, PaymentLine, PaymentTender
from ..models.cards import Card, CardPurchase, MeterReading
from ..privacy import mask_name
from ..validators import typed
from .common import STATE_EN, STATE_ZH


@contextlib.contextmanager
def _session(session_or_db: Session | Database):
    if isinstance(session_or_db, Database):
        with session_or_db.read() as s:
            yield s
    else:
        yield session_or_db


def _purchase_row(s: Session, p: CardPurchase) -> dict:
    card = s.get_one(Card, p.card_id)
    acc = s.get_one(Account, p.account_id)
    receipt = None
    if p.payment_id:
        pay = s.get_one(Payment, p.payment_id)
        receipt = pay.receipt.receipt_no if pay.receipt else None
    return {"id": p.id, "card_no": card.card_no, "account_no": acc.account_no,
            "holder": mask_name(acc.holder.name, acc.holder.kind), "meter_no": p.meter_no, "seq": p.seq,
            "kind": p.kind, "volume": money.fmt_qty(p.volume), "amount_fen": p.amount_fen,
            "state": p.state, "state_zh": STATE_ZH.get(p.state, p.state),
            "state_en": STATE_EN.get(p.state, p.state),
            "business_day": p.business_day.isoformat(), "staff_no": p.staff_no,
            "window": p.window, "receipt_no": receipt, "takeup_unknown": p.takeup_unknown,
            "write_attempts": p.write_attempts, "last_error": p.last_error,
            "order_no": p.order_number,
            "at": p.created_at.isoformat(timespec="seconds")}


def to_write(session_or_db, hall_id: int, day: dt.date | None = None) -> list[dict]:
    """Purchases paid but not on a card yet (all days up to ``day``), oldest first."""
    with _session(session_or_db) as s:
        q = select(CardPurchase).where(CardPurchase.hall_id == hall_id,
                                       CardPurchase.state == "to_write")
        if day is not None:
            q = q.where(CardPurchase.business_day <= day)
        return [_purchase_row(s, p) for p in s.execute(q.order_by(CardPurchase.id)).scalars()]


def day_section(session_or_db, hall_id: int, day: dt.date) -> dict:
    """The day close's card section: purchases, volumes by tier, amounts by method (net of
    cancels), card fees, cards written and still to write, meter changes."""
    with _session(session_or_db) as s:
        rows = s.execute(select(CardPurchase).where(CardPurchase.hall_id == hall_id,
                                                    CardPurchase.business_day == day)
                         .order_by(CardPurchase.id)).scalars().all()
        sales = [p for p in rows if p.kind == "sale"]
        live = [p for p in sales if p.state != "cancelled"]
        tiers: dict[int, dict] = {}
        pay_ids = [p.payment_id for p in live if p.payment_id]
        for ln in (s.execute(select(PaymentLine).where(PaymentLine.payment_id.in_(pay_ids)))
                   .scalars() if pay_ids else []):
            for part in json.loads(ln.detail) if ln.detail else [
                    {"tier": 0, "qty": money.fmt_qty(ln.qty), "amount_fen": ln.amount_fen}]:
                t = tiers.setdefault(int(part["tier"]), {"tier": int(part["tier"]),
                                                         "volume": Decimal(0), "amount_fen": 0})
                t["volume"] += Decimal(part["qty"])
                t["amount_fen"] += int(part["amount_fen"])
        # money by method: the day's card sales and fees, less reversals made today
        sale_pays = [p.payment_id for p in sales if p.payment_id]
        fee_pays = [c.payment_id for c in s.execute(
            select(Card).join(Payment, Payment.id == Card.payment_id)
            .where(Card.hall_id == hall_id, Payment.business_day == day)).scalars()]
        originals = sale_pays + fee_pays
        ids = list(originals)
        if originals:
            ids += list(s.execute(select(Payment.id).where(
                Payment.original_payment_id.in_(originals),
                Payment.business_day == day)).scalars())
        methods: dict[str, int] = {}
        for t in (s.execute(select(PaymentTender).where(PaymentTender.payment_id.in_(ids)))
                  .scalars() if ids else []):
            methods[t.method] = methods.get(t.method, 0) + t.amount_fen
        fees = s.execute(select(Card, Payment).join(Payment, Payment.id == Card.payment_id)
                         .where(Card.hall_id == hall_id, Payment.business_day == day)).all()
        changes = [p for p in rows if p.kind == "meter_change"]
        pending = to_write(s, hall_id, day)
        return {
            "business_day": day.isoformat(),
            "purchases": len(live),
            "volume": money.fmt_qty(sum((p.volume for p in live), Decimal(0))),
            "amount_fen": sum(p.amount_fen for p in live),
            "by_tier": [{"tier": t["tier"], "volume": money.fmt_qty(t["volume"]),
                         "amount_fen": t["amount_fen"]} for _, t in sorted(tiers.items())],
            "by_method": dict(sorted(methods.items())),
            "net_fen": sum(methods.values()),
            "cancelled": sum(1 for p in sales if p.state == "cancelled"),
            "written": sum(1 for p in live if p.state in ("written", "taken")),
            "to_write": sum(1 for p in live if p.state == "to_write"),
            "to_write_list": pending,
            "cards_issued": sum(1 for c, _ in fees if c.replaces_card_id is None),
            "cards_reissued": sum(1 for c, _ in fees if c.replaces_card_id is not None),
            "card_fees_fen": sum(p.total_fen for _, p in fees),
            "meter_changes": len(changes),
            "meter_change_volume": money.fmt_qty(sum((p.volume for p in changes), Decimal(0))),
        }


def ledger(db: Database, hall_id: int, account_no: str) -> dict:
    """The account's card ledger: cards, every purchase with its sequence and state, and
    the meter's readings."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == typed(account_no))
                        ).scalar()
        if acc is None or acc.hall_id != hall_id:
            raise NotFound(f"户号 {account_no} 不存在或不属于本营业厅",
                           f"Account {account_no} not found in this hall", field="account")
        cards = s.execute(select(Card).where(Card.account_id == acc.id).order_by(Card.id)
                          ).scalars().all()
        ps = s.execute(select(CardPurchase).where(CardPurchase.account_id == acc.id)
                       .order_by(CardPurchase.seq)).scalars().all()
        rs = s.execute(select(MeterReading).where(MeterReading.account_id == acc.id)
                       .order_by(MeterReading.id)).scalars().all()
        return {
            "account_no": acc.account_no, "holder": mask_name(acc.holder.name, acc.holder.kind),
            "meter_no": acc.meter_no, "meter_kind": acc.meter_kind,
            "cards": [{"card_no": c.card_no, "status": c.status, "meter_no": c.meter_no,
                       "start_seq": c.start_seq, "reason": c.reason,
                       "issued_at": c.issued_at.isoformat(timespec="seconds"),
                       "takeup_unknown_seq": c.takeup_unknown_seq} for c in cards],
            "purchases": [_purchase_row(s, p) for p in ps],
            "readings": [{"at": r.read_at.isoformat(timespec="seconds"), "source": r.source,
                          "meter_no": r.meter_no, "meter_seq": r.meter_seq,
                          "remaining": money.fmt_qty(r.remaining),
                          "cumulative": money.fmt_qty(r.cumulative), "alarms": r.alarms}
                         for r in rs],
        }
