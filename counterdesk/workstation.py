"""Figures for the workstation's status bar: today's customers served, takings, receipts
waiting for the printer — for the signed-in clerk, read-only.

Each figure comes from its capability when that capability is installed (queue,
billing); a missing one is ``None`` and the status bar leaves it out.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from . import clock
from .db import Database
from .staff import Actor


@dataclass
class TodayFigures:
    day: str
    served: int | None = None          # tickets this clerk finished today
    takings_fen: int | None = None     # net money this clerk took today (reversals deducted)
    payments: int | None = None        # sales this clerk made today
    pending_receipts: int | None = None  # receipts of this window waiting for the printer

    def to_dict(self) -> dict:
        return asdict(self)


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def today_figures(db: Database, actor: Actor, day: dt.date | None = None) -> TodayFigures:
    day = day or clock.today()
    out = TodayFigures(day=day.isoformat())
    qmodels = _module("counterdesk.models.queue")
    Ticket = getattr(qmodels, "Ticket", None) if qmodels else None
    bmodels = _module("counterdesk.models.billing")
    Payment = getattr(bmodels, "Payment", None) if bmodels else None
    with db.read() as s:
        if Ticket is not None:
            out.served = s.execute(select(func.count()).select_from(Ticket).where(
                Ticket.hall_id == actor.hall_id, Ticket.day == day,
                Ticket.status == "finished", Ticket.staff_no == actor.staff_no)).scalar() or 0
        if Payment is not None:
            total, sales = s.execute(select(
                func.coalesce(func.sum(Payment.total_fen), 0),
                func.count().filter(Payment.kind == "sale")).where(
                Payment.hall_id == actor.hall_id, Payment.business_day == day,
                Payment.staff_no == actor.staff_no)).one()
            out.takings_fen, out.payments = int(total or 0), int(sales or 0)
    billing = _module("counterdesk.billing")
    pending = getattr(billing, "pending_count", None) if billing else None
    if pending is not None:
        out.pending_receipts = pending(db, actor.hall_id, window=actor.window)
    return out


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"
