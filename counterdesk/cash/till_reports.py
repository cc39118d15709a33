"""Reports of a till: the mid-day X report, the till report (PDF data), every till
of a day.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, select

from .. import clock
from .. import hall as halls
from ..clock import iso as _iso
from ..db import Database
from ..errors import NotFound, PermissionDenied
from ..models import Staff
from ..models.billing import Payment, Receipt
from ..models.cash import Till
from ..staff import Actor, require_manager
from .figures import METHOD_NAMES, NONCASH_METHODS, STATUS_NAMES, _cash_figures, _expected
from .till import TillInfo, _get_till, _info, _movement_info, _threshold, till_status


def x_report(db: Database, actor: Actor, *, staff_no: str | None = None,
             day: dt.date | None = None) -> dict:
    """The mid-day X report of a till. Cash and non-cash amounts (and the expected cash)
    are shown to a manager, or once the till is counted; a clerk's own X report of an
    open till shows counts only, so the closing count stays blind."""
    day = day or clock.today()
    other = bool(staff_no and staff_no != actor.staff_no)
    if other and not actor.is_manager:
        raise PermissionDenied("只能打印自己的X报表", "You can only print your own X report")
    with db.read() as s:
        till = _get_till(s, actor, day, staff_no=staff_no)
        header = halls.header(s, actor.hall_id)
        full = till.status != "open" or (actor.is_manager and other)
        f = _cash_figures(s, actor.hall_id, day, till.staff_id).get(till.staff_id) or {}
        mine = and_(Payment.hall_id == actor.hall_id, Payment.business_day == day,
                    Payment.staff_id == till.staff_id)
        rc = s.execute(select(func.min(Receipt.receipt_no), func.max(Receipt.receipt_no),
                              func.count(Receipt.id))
                       .join(Payment, Payment.id == Receipt.payment_id).where(mine)).one()
        unprinted = s.execute(select(func.count(Receipt.id))
                              .join(Payment, Payment.id == Receipt.payment_id)
                              .where(mine, Receipt.print_count == 0)).scalar() or 0
        kinds = dict(s.execute(select(Payment.kind, func.count(Payment.id))
                               .where(Payment.hall_id == actor.hall_id,
                                      Payment.business_day == day,
                                      Payment.staff_id == till.staff_id)
                               .group_by(Payment.kind)).all())
        name = s.execute(select(Staff.name).where(Staff.id == till.staff_id)).scalar() or ""
        methods = []
        for m in ("cash",) + NONCASH_METHODS:
            if m == "cash":
                n = f.get("cash_count", 0)
                amount = f.get("cash_sales_fen", 0) + f.get("cash_reversals_fen", 0)
            else:
                n = f.get("noncash_count", {}).get(m, 0)
                amount = f.get("noncash", {}).get(m, 0)
            methods.append({"method": m, "name": METHOD_NAMES[m], "count": n,
                            "amount_fen": amount if full else None})
        return {
            "kind": "x", "hall": header,
            "business_day": day.isoformat(), "printed_at": _iso(clock.now()),
            "staff_no": till.staff_no, "name": name, "window": till.window,
            "status": till.status, "status_name": STATUS_NAMES[till.status], "full": bool(full),
            "float_fen": till.float_fen,
            "sales": int(kinds.get("sale", 0)), "voids": int(kinds.get("void", 0)),
            "refunds": int(kinds.get("refund", 0)),
            "first_receipt_no": rc[0], "last_receipt_no": rc[1], "receipts": int(rc[2] or 0),
            "unprinted": int(unprinted),
            "methods": methods,
            "cash_tendered_fen": f.get("cash_tendered_fen", 0) if full else None,
            "cash_change_fen": f.get("cash_change_fen", 0) if full else None,
            "cash_in_fen": f.get("cash_in_fen", 0), "cash_out_fen": f.get("cash_out_fen", 0),
            "movements": [_movement_info(m).to_dict() for m in till.movements],
            "expected_fen": _expected(till, f) if full else None,
        }


def till_report_data(db: Database, actor: Actor, *, staff_no: str | None = None,
                     day: dt.date | None = None
                     ) -> dict:
    """What the till report (PDF) prints: the till as the asker may see it, and the cash
    figures only once they may be revealed (after the count, or to a manager)."""
    day = day or clock.today()
    info = till_status(db, actor, staff_no=staff_no, day=day)
    if info is None:
        raise NotFound(f"{day} 没有该钱箱", f"No till on {day}", field="till")
    with db.read() as s:
        header = halls.header(s, actor.hall_id)
        st = s.execute(select(Staff.id).where(Staff.staff_no == info.staff_no)).scalar()
        f = None
        if info.revealed:  # a clerk's own figures (none if the staff row is gone)
            f = _cash_figures(s, actor.hall_id, day, st).get(st) or {} if st is not None else {}
    return {"hall": header,
            "business_day": day.isoformat(), "printed_at": _iso(clock.now()),
            "printed_by": actor.staff_no, "till": info.to_dict(), "figures": f}


def tills_for_day(db: Database, actor: Actor, day: dt.date | None = None) -> list[TillInfo]:
    """Every till of the hall on ``day`` (manager)."""
    require_manager(actor)
    day = day or clock.today()
    with db.read() as s:
        tills = s.execute(select(Till).where(Till.hall_id == actor.hall_id,
                                             Till.business_day == day)
                          .order_by(Till.staff_no)).scalars().all()
        return [_info(s, t, reveal=True, threshold=_threshold(s, actor.hall_id)) for t in tills]
