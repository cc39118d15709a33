"""Shared helpers of the billing tests: accounts and bills made directly, printed-line
widths with the GS ! magnification, and a count of everything a payment writes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from counterdesk.models import AuditEvent, Counter, Hall
from counterdesk.models.accounts import Account, Bill, Holder
from counterdesk.models.billing import (
    Payment,
    PaymentLine,
    PaymentTender,
    PriceChange,
    PriceItem,
    PrintJob,
    Receipt,
)
from counterdesk.print.escpos_doc import CN_OFF, CN_ON, width

DAY = dt.datetime(2026, 11, 23, 10, 15, 0)   # a Monday


def make_account(db, account_no="0100012345", name="张小明", *, customer_type="resident",
                 status="active", bills=()):
    """An account with a holder and bills ``[(period, amount_fen), ...]``."""
    with db.write() as s:
        hall = s.execute(select(Hall).where(Hall.code == "HQ01")).scalar_one()
        h = Holder(name=name, id_number="", phone="")
        s.add(h)
        s.flush()
        acc = Account(hall_id=hall.id, account_no=account_no, holder_id=h.id,
                      customer_type=customer_type, status=status,
                      address_key=f"addr-{account_no}", address_text="人民路 1 号")
        s.add(acc)
        s.flush()
        for period, amount in bills:
            s.add(Bill(account_id=acc.id, period=period, volume=Decimal("30"),
                       amount_fen=amount, due_date=dt.date(2026, 12, 15)))
        return acc.id


def bill(db, account_no, period):
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar_one()
        return s.execute(select(Bill).where(Bill.account_id == acc.id,
                                            Bill.period == period)).scalar_one()


def counts(db) -> dict:
    """Rows of everything a payment / price change writes."""
    out = {}
    with db.read() as s:
        for m in (Payment, PaymentLine, PaymentTender, Receipt, PrintJob, AuditEvent,
                  PriceItem, PriceChange):
            out[m.__tablename__] = s.execute(select(func.count()).select_from(m)).scalar()
        out["counters"] = sum(c.value for c in s.execute(select(Counter)).scalars())
        out["bills_paid"] = s.execute(select(func.coalesce(func.sum(Bill.paid_fen), 0))).scalar()
    return out


def printed_lines(data: bytes) -> list[tuple[str, int]]:
    """(text, printed columns) per line, counting GS ! width magnification."""
    lines: list[tuple[str, int]] = []
    cur, cols = [], 0
    mag = 1
    i, n = 0, len(data)
    while i < n:
        if data[i:i + 2] == CN_ON:
            j = data.index(CN_OFF, i)
            text = data[i + 2:j].decode("gb18030")
            cur.append(text)
            cols += width(text) * mag
            i = j + 2
            continue
        b = data[i]
        if b == 0x1D:  # GS
            cmd = data[i + 1:i + 2]
            if cmd == b"!":
                mag = (data[i + 2] >> 4) + 1
                i += 3
            elif cmd == b"(":
                i += 5 + data[i + 3] + 256 * data[i + 4]
            elif cmd == b"V":
                i += 4 if data[i + 2] in (0x41, 0x42, 0x61, 0x62) else 3
            else:
                i += 3
            continue
        if b == 0x1B:
            cmd = data[i + 1:i + 2]
            i += {b"@": 2, b"p": 5}.get(cmd, 3)
            continue
        if b == 0x0A:
            lines.append(("".join(cur), cols))
            cur, cols = [], 0
        elif 0x20 <= b < 0x7F:
            cur.append(chr(b))
            cols += mag
        i += 1
    if cur:
        lines.append(("".join(cur), cols))
    return lines
