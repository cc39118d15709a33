"""Figures for the workstation's status bar: today's customers served, takings, receipts
waiting for the printer — for the signed-in clerk, read-only.

Each figure comes from its capability (queue, billing); a figure left ``None`` is one the
status bar leaves out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from . import billing, clock
from .db import Database
from .models.billing import Payment
from .models.queue import Ticket
from .staff import Actor


@dataclass
class TodayFigures:
    day: str
    served: int | None = None          # tickets this clerk finished today
    # net money this clerk took today (reversals deducted): None for a clerk until their
    # count is submitted (blind count), always for a manager
    takings_fen: int | None = None
    payments: int | None = None        # sales this clerk made today
    pending_receipts: int | None = None  # receipts of this window waiting for the printer

    def to_dict(self) -> dict:
        return asdict(self)


def today_figures(db: Database, actor: Actor, day: dt.date | None = None) -> TodayFigures:
    day = day or clock.today()
    out = TodayFigures(day=day.isoformat())
    with db.read() as s:
        out.served = s.execute(select(func.count()).select_from(Ticket).where(
            Ticket.hall_id == actor.hall_id, Ticket.day == day,
            Ticket.status == "finished", Ticket.staff_no == actor.staff_no)).scalar() or 0
        total, sales = s.execute(select(
            func.coalesce(func.sum(Payment.total_fen), 0),
            func.count().filter(Payment.kind == "sale")).where(
            Payment.hall_id == actor.hall_id, Payment.business_day == day,
            Payment.staff_no == actor.staff_no)).one()
        out.payments = int(sales or 0)  # business done: a count, never money, for a clerk
        if billing.shows_day_money(s, actor, day):  # before the count: blind
            out.takings_fen = int(total or 0)
    out.pending_receipts = billing.pending_count(db, actor.hall_id, window=actor.window)
    return out


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
