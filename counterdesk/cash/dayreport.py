"""The day report (日结报表): totals by method, fee item, clerk and window; receipt
range and gap check; reversals with who approved them; tills expected vs counted;
unprinted receipts; queue summary; running totals of day, month and year.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from .. import clock, money, validators
from .. import hall as halls
from .. import queue as queue_mod
from ..billing.tenders import method_zh
from ..cards import report as card_report
from ..clock import iso as _iso
from ..db import Database
from ..errors import CounterDeskError, ValidationError
from ..models import Authorisation, Counter, Staff
from ..models.billing import Payment, PaymentLine, Receipt
from ..models.cash import DayClose, Till
from .figures import NONCASH_METHODS, STATUS_NAMES, _Agg, _aggregate, _expected, _staff_names
from .till import _movement_info, _needs_explanation

log = logging.getLogger(__name__)


def _check_day(day: dt.date | str | None) -> dt.date:
    """``day`` (None: refused as missing) unless in the future."""
    day = validators.date(day, "date", required=True)
    if day > clock.today():
        raise ValidationError(f"{day} 是将来的日期，不能日结（今天是 {clock.today()}）",
                              f"{day} is in the future: it cannot be closed (today is "
                              f"{clock.today()})", field="date")
    return day


def _blockers(s: Session, hall_id: int, day: dt.date, figures: dict[int, dict]
              ) -> list[dict]:
    """Why the day cannot be closed yet (each with zh / en)."""
    out = []
    tills = {t.staff_id: t for t in s.execute(select(Till).where(
        Till.hall_id == hall_id, Till.business_day == day)).scalars()}
    nos = dict(s.execute(select(Staff.id, Staff.staff_no)).all())
    for t in sorted(tills.values(), key=lambda t: t.staff_no):
        if t.status != "closed":
            out.append({"kind": "till_open", "staff_no": t.staff_no, "status": t.status,
                        "zh": f"柜员 {t.staff_no} 的钱箱{STATUS_NAMES[t.status]}，须点钞、交款并经主任复核",
                        "en": f"The till of {t.staff_no} is {t.status}: it must be counted, "
                              "closed and countersigned"})
        elif t.expected_fen != _expected(t, figures.get(t.staff_id)):
            out.append({"kind": "till_changed", "staff_no": t.staff_no,
                        "zh": f"柜员 {t.staff_no} 点钞后又有现金收付，须由主任重新开启点钞后重点",
                        "en": f"{t.staff_no} took or paid out cash after the count: a manager "
                              "must reopen the count for a recount"})
    for sid, f in sorted(figures.items(), key=lambda kv: nos.get(kv[0], "")):
        if sid not in tills and f.get("payments"):
            no = nos.get(sid, str(sid))
            out.append({"kind": "no_till", "staff_no": no,
                        "zh": f"柜员 {no} 当天有收费但没有钱箱，须开箱、点钞、交款并复核后才能日结",
                        "en": f"{no} took payments but has no till: open, count and close a till "
                              "before the day close"})
    return out


def _lost_in_restore(s: Session, hall_id: int, year: int, upto: int) -> int:
    """How many numbers up to ``upto`` a restore skipped (customers hold them; issue 16.4)."""
    from ..models.backup import ReceiptSkip

    n = 0
    for lo, hi in s.execute(select(ReceiptSkip.first_seq, ReceiptSkip.last_seq).where(
            ReceiptSkip.hall_id == hall_id, ReceiptSkip.year == year,
            ReceiptSkip.first_seq <= upto)):
        n += min(int(hi), upto) - int(lo) + 1
    return n


def _restore_skips(s: Session, hall_id: int, day: dt.date) -> list[dict]:
    """Receipt numbers skipped by restores since the hall's previous day close: reported
    by this close as "恢复中丢失" (lost in restore)."""
    from ..models.backup import ReceiptSkip

    prev = s.execute(select(func.max(DayClose.business_day)).where(
        DayClose.hall_id == hall_id, DayClose.business_day < day)).scalar()
    q = select(ReceiptSkip).where(ReceiptSkip.hall_id == hall_id,
                                  ReceiptSkip.at < dt.datetime.combine(day + dt.timedelta(days=1),
                                                                       dt.time()))
    if prev is not None:
        q = q.where(ReceiptSkip.at >= dt.datetime.combine(prev + dt.timedelta(days=1), dt.time()))
    return [{"first": f"{r.year}-{r.first_seq:06d}", "last": f"{r.year}-{r.last_seq:06d}",
             "count": r.last_seq - r.first_seq + 1, "at": r.at.isoformat(timespec="minutes"),
             "staff_no": r.staff_no, "source": r.source}
            for r in s.execute(q.order_by(ReceiptSkip.id)).scalars()]


def _receipt_check(s: Session, hall_id: int, day: dt.date) -> dict:
    years = s.execute(select(Receipt.year, func.min(Receipt.seq), func.max(Receipt.seq),
                             func.count(Receipt.id))
                      .join(Payment, Payment.id == Receipt.payment_id)
                      .where(Payment.hall_id == hall_id, Payment.business_day == day)
                      .group_by(Receipt.year).order_by(Receipt.year)).all()
    out: dict[str, Any] = {
        "count": 0, "first": None, "last": None, "gaps": [], "gapless": True,
        "foreign_in_range": 0, "years": [], "lost_in_restore": _restore_skips(s, hall_id, day)}
    for year, lo, hi, n in years:
        lo, hi, n = int(lo), int(hi), int(n)
        in_range = s.execute(select(func.count(Receipt.id)).where(
            Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq >= lo,
            Receipt.seq <= hi)).scalar_one()
        upto = s.execute(select(func.count(Receipt.id)).where(
            Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq <= hi)).scalar_one()
        missing: list[int] = []
        if in_range != hi - lo + 1:
            have = set(s.execute(select(Receipt.seq).where(
                Receipt.hall_id == hall_id, Receipt.year == year, Receipt.seq >= lo,
                Receipt.seq <= hi)).scalars())
            missing = [q for q in range(lo, hi + 1) if q not in have][:200]
        # numbers issued after this day's last one but held by no receipt: the last
        # payments of the year were deleted (the counter remembers what was issued)
        year_max = s.execute(select(func.max(Receipt.seq)).where(
            Receipt.hall_id == hall_id, Receipt.year == year)).scalar()
        issued = s.execute(select(Counter.value).where(
            Counter.hall_id == hall_id, Counter.name == f"receipt:{year}")).scalar()
        if year_max is not None and int(year_max) == hi and issued and int(issued) > hi:
            missing += list(range(hi + 1, int(issued) + 1))[:200]
        first, last = f"{year}-{lo:06d}", f"{year}-{hi:06d}"
        lost = _lost_in_restore(s, hall_id, year, hi)
        gapless_year = upto + lost == hi
        out["years"].append({"year": year, "first": first, "last": last, "count": n,
                             "missing": [f"{year}-{q:06d}" for q in missing],
                             "gapless_since_new_year": gapless_year})
        out["count"] += n
        out["first"] = out["first"] or first
        out["last"] = last
        out["gaps"] += [f"{year}-{q:06d}" for q in missing]
        out["foreign_in_range"] += int(in_range) - n
        out["gapless"] = out["gapless"] and not missing and gapless_year
    return out


def _report(s: Session, hid: int, day: dt.date, figures: dict[int, dict],
            threshold: int, agg: _Agg | None = None) -> dict:
    names = _staff_names(s)
    where = and_(Payment.hall_id == hid, Payment.business_day == day)
    agg = agg or _aggregate(s, hid, day)
    # totals by kind
    kinds: dict[str, list[int]] = {}
    for _sid, _no, _w, kind, n, total in agg.payments:
        k = kinds.setdefault(kind, [0, 0])
        k[0] += int(n)
        k[1] += int(total)
    sales_n, sales = kinds.get("sale", (0, 0))
    voids_n, voids = kinds.get("void", (0, 0))
    refunds_n, refunds = kinds.get("refund", (0, 0))
    # by method
    by_method: dict[str, dict] = {}
    for _sid, _no, _w, kind, method, n, amount, tendered, change in agg.tenders:
        r = by_method.setdefault(method, {"method": method, "name": method_zh(method),
                                          "count": 0, "sales_fen": 0, "reversals_fen": 0,
                                          "net_fen": 0, "tendered_fen": 0, "change_fen": 0})
        amount = int(amount or 0)
        if kind == "sale":
            r["count"] += n
            r["sales_fen"] += amount
            r["tendered_fen"] += int(tendered or 0)
            r["change_fen"] += int(change or 0)
        else:
            r["reversals_fen"] += amount
        r["net_fen"] += amount
    order = {m: i for i, m in enumerate(("cash",) + NONCASH_METHODS)}
    methods = sorted(by_method.values(), key=lambda r: order.get(r["method"], 9))
    # by fee item
    items: dict[tuple[str, str], dict] = {}
    # one row per price item, and one per bill period (燃气费 2026-10, 燃气费 2026-11)
    period = case((PaymentLine.bill_id.is_(None), ""), else_=PaymentLine.item_name)
    for code, per, name, kind, n, qty, amount in s.execute(
            select(PaymentLine.item_code, period, func.max(PaymentLine.item_name), Payment.kind,
                   func.count(PaymentLine.id), func.sum(PaymentLine.qty),
                   func.sum(PaymentLine.amount_fen))
            .join(Payment, Payment.id == PaymentLine.payment_id).where(where)
            .group_by(PaymentLine.item_code, period, Payment.kind)):
        r = items.setdefault((code, per), {"code": code, "name": name, "lines": 0, "qty": "0",
                                           "sales_fen": 0, "reversals_fen": 0, "net_fen": 0})
        amount = int(amount or 0)
        r["qty"] = money.fmt_qty(Decimal(r["qty"]) + Decimal(qty or 0))
        if kind == "sale":
            r["lines"] += n
            r["sales_fen"] += amount
        else:
            r["reversals_fen"] += amount
        r["net_fen"] += amount
    by_item = [items[k] for k in sorted(items)]

    def grouped(pos, keyname):
        rows: dict[Any, dict] = {}
        for row in agg.payments:
            key, kind, n, total = row[pos], row[3], int(row[4]), int(row[5])
            r = rows.setdefault(key, {keyname: key, "sales": 0, "reversals": 0, "sales_fen": 0,
                                      "reversals_fen": 0, "net_fen": 0})
            if kind == "sale":
                r["sales"] += n
                r["sales_fen"] += total
            else:
                r["reversals"] += n
                r["reversals_fen"] += total
            r["net_fen"] += total
        return rows
    clerks = grouped(1, "staff_no")
    for r in clerks.values():
        r["name"] = names.get(r["staff_no"], "")
    by_clerk = sorted(clerks.values(), key=lambda r: r["staff_no"])
    by_window = sorted(grouped(2, "window").values(),
                       key=lambda r: (r["window"] is None, r["window"] or 0))
    # reversals with who approved them
    orig_rc = aliased(Receipt)
    orig_pay = aliased(Payment)
    mgr = aliased(Staff)
    reversals = []
    for p, rc_no, orig_no, orig_day, mgr_no, mgr_name in s.execute(
            select(Payment, Receipt.receipt_no, orig_rc.receipt_no, orig_pay.business_day,
                   mgr.staff_no, mgr.name)
            .join(Receipt, Receipt.payment_id == Payment.id, isouter=True)
            .join(orig_pay, orig_pay.id == Payment.original_payment_id, isouter=True)
            .join(orig_rc, orig_rc.payment_id == Payment.original_payment_id, isouter=True)
            .join(Authorisation, Authorisation.id == Payment.authorisation_id, isouter=True)
            .join(mgr, mgr.id == Authorisation.manager_id, isouter=True)
            .where(where, Payment.kind != "sale").order_by(Payment.id)):
        reversals.append({"kind": p.kind, "kind_name": "作废" if p.kind == "void" else "退款",
                          "receipt_no": rc_no, "original_receipt_no": orig_no,
                          "original_day": orig_day.isoformat() if orig_day else None,
                          "amount_fen": p.total_fen, "staff_no": p.staff_no,
                          "window": p.window, "approved_by": mgr_no or "",
                          "approver_name": mgr_name or "", "reason": p.reason,
                          "at": _iso(p.created_at)})
    # unprinted receipts
    unprinted_n = s.execute(select(func.count(Receipt.id))
                            .join(Payment, Payment.id == Receipt.payment_id)
                            .where(where, Receipt.print_count == 0)).scalar() or 0
    unprinted = [{"receipt_no": no, "staff_no": sn, "window": w, "amount_fen": t,
                  "at": _iso(at)} for no, sn, w, t, at in s.execute(
        select(Receipt.receipt_no, Payment.staff_no, Payment.window, Payment.total_fen,
               Payment.created_at).join(Payment, Payment.id == Receipt.payment_id)
        .where(where, Receipt.print_count == 0).order_by(Receipt.year, Receipt.seq)
        .limit(500))]
    # tills
    tills = []
    diff_total = counted_total = expected_total = 0
    method_check: dict[str, dict[str, Any]] = {
        m: {"method": m, "name": method_zh(m), "expected_fen": 0, "confirmed_fen": 0,
            "difference_fen": 0} for m in ("cash",) + NONCASH_METHODS}
    method_differences = []
    for t in s.execute(select(Till).where(Till.hall_id == hid, Till.business_day == day)
                       .order_by(Till.staff_no)).scalars():
        f = figures.get(t.staff_id) or {}
        nc = json.loads(t.noncash or "{}")
        row = {"staff_no": t.staff_no, "name": names.get(t.staff_no, ""), "window": t.window,
               "status": t.status, "status_name": STATUS_NAMES[t.status],
               "float_fen": t.float_fen, "cash_sales_fen": f.get("cash_sales_fen", 0),
               "cash_tendered_fen": f.get("cash_tendered_fen", 0),
               "cash_change_fen": f.get("cash_change_fen", 0),
               "cash_reversals_fen": f.get("cash_reversals_fen", 0),
               "cash_in_fen": f.get("cash_in_fen", 0), "cash_out_fen": f.get("cash_out_fen", 0),
               "expected_fen": _expected(t, f), "counted_fen": t.counted_fen,
               "difference_fen": (t.counted_fen - _expected(t, f))
               if t.counted_fen is not None else None,
               "noncash": nc, "explanation": t.explanation,
               "explanation_required": _needs_explanation(t, threshold),
               "countersigned_by": t.countersigned_by, "recounts": t.recounts,
               "movements": [_movement_info(m).to_dict() for m in t.movements]}
        row["method_checks"] = _method_checks(t, f, nc)
        for c in row["method_checks"]:
            for fig in ("expected_fen", "confirmed_fen", "difference_fen"):
                method_check[c["method"]][fig] += c[fig] or 0
            if c["difference_fen"] and t.counted_fen is not None:
                method_differences.append({"staff_no": t.staff_no, "window": t.window, **c})
        tills.append(row)
        expected_total += row["expected_fen"]
        if t.counted_fen is not None:
            counted_total += t.counted_fen
            diff_total += row["difference_fen"]
    cash_row = by_method.get("cash", {})
    return {
        "hall": halls.header(s, hid, address=True),
        "business_day": day.isoformat(),
        "generated_at": _iso(clock.now()),
        "totals": {"sales": sales_n, "sales_fen": sales, "voids": voids_n, "voids_fen": voids,
                   "refunds": refunds_n, "refunds_fen": refunds,
                   "reversals_fen": voids + refunds, "net_fen": sales + voids + refunds,
                   "cash_net_fen": cash_row.get("net_fen", 0),
                   "noncash_net_fen": sum(r["net_fen"] for r in methods
                                          if r["method"] != "cash")},
        "by_method": methods, "by_item": by_item, "by_clerk": by_clerk,
        "by_window": by_window, "receipts": _receipt_check(s, hid, day),
        "reversals": reversals,
        "unprinted": {"count": int(unprinted_n), "items": unprinted},
        "tills": tills,
        "cash": {"expected_fen": expected_total, "counted_fen": counted_total,
                 "difference_fen": diff_total, "threshold_fen": threshold},
        # every method: what the clerks confirmed against what the receipts say
        "method_check": list(method_check.values()),
        "method_differences": method_differences,
        "cards": card_report.day_section(s, hid, day),
    }


def _method_checks(t: Till, f: dict, confirmed: dict) -> list[dict]:
    """Each method of a till: expected (from the receipts, including any taken after the
    count) against confirmed at the count (cash: counted). Uncounted: confirmed 0."""
    rows = [("cash", _expected(t, f), t.counted_fen or 0)]
    rows += [(m, (f.get("noncash") or {}).get(m, 0),
              int((confirmed.get(m) or {}).get("confirmed_fen", 0)))
             for m in NONCASH_METHODS]
    return [{"method": m, "name": method_zh(m), "expected_fen": e, "confirmed_fen": c,
             "difference_fen": c - e} for m, e, c in rows]


def _running(s: Session, hall_id: int, day: dt.date, day_net: int, day_diff: int) -> dict:
    month0, year0 = day.replace(day=1), day.replace(month=1, day=1)

    def net(start):
        return int(s.execute(select(func.coalesce(func.sum(Payment.total_fen), 0)).where(
            Payment.hall_id == hall_id, Payment.business_day >= start,
            Payment.business_day <= day)).scalar() or 0)

    def diff(start):
        return int(s.execute(select(func.coalesce(func.sum(Till.difference_fen), 0)).where(
            Till.hall_id == hall_id, Till.business_day >= start, Till.business_day <= day,
            Till.status == "closed")).scalar() or 0)
    return {"day_net_fen": day_net, "month_net_fen": net(month0), "year_net_fen": net(year0),
            "day_difference_fen": day_diff, "month_difference_fen": diff(month0),
            "year_difference_fen": diff(year0),
            "month_from": month0.isoformat(), "year_from": year0.isoformat()}


def _queue_summary(db: Database, hall_id: int, day: dt.date) -> dict | None:
    """The queue's statistics of the day (a queue failure never stops the day close)."""
    try:
        stats = queue_mod.statistics(db, hall_id, day, day)
        rows = [r for r in stats.get("rows", []) if r.get("group") in ("total", "service")]
        return {"rows": rows, "busiest_hours": stats.get("busiest_hours", [])}
    except CounterDeskError as exc:
        return {"error": exc.message}
    except Exception as exc:  # noqa: BLE001 - never let the queue stop the day close
        log.warning("queue summary unavailable: %s", type(exc).__name__)
        return None
