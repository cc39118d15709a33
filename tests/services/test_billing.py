"""Fee collection: price list, sale, tiers, bills, split, bad input, void and refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from counterdesk import audit, billing, clock
from counterdesk.billing import LineInput, PriceInput, RefundLine, SaleRequest, TenderInput
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models.billing import Payment, PaymentLine, PrintJob, Receipt
from counterdesk.models.cash import DayClose
from counterdesk.staff import Approval
from tests.helpers.billing_helpers import DAY, bill, counts, make_account

SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])


@pytest.fixture(autouse=True)
def _day():
    clock.set_now(DAY)


def cash(tendered=None):
    return [TenderInput("cash", tendered_fen=tendered)]


def sale(*items, account=None, bills=(), tenders=None):
    return SaleRequest(items=[LineInput(*i) if isinstance(i, tuple) else LineInput(i)
                              for i in items],
                       bills=list(bills), account_no=account, tenders=tenders or cash())


@SQLITE_ONLY
# -- price list -------------------------------------------------------------------------
def test_demo_price_list_in_force_today(demo_db):
    items = {i.code: i for i in billing.list_prices(demo_db, "HQ01")}
    assert "HOSE-OLD" not in items                     # ended 2026-06-01
    assert items["GAS-N"].unit_price_fen == 365         # 3.58 only from 2027
    gas = items["GAS-R"]
    assert gas.tiered and [t.unit_price_fen for t in gas.tiers] == [280, 336, 420]
    future = billing.list_prices(demo_db, "HQ01", day=dt.date(2027, 1, 1))
    assert {i.code: i.unit_price_fen for i in future}["GAS-N"] == 358


def test_only_managers_keep_the_price_list_and_every_change_is_history(demo_db, clerk,
                                                                        manager):
    inp = PriceInput("VALVE", "管道自闭阀", 7200, dt.date(2026, 12, 1), "material", "个")
    with pytest.raises(PermissionDenied):
        billing.set_price(demo_db, clerk, inp)
    info = billing.set_price(demo_db, manager, inp, reason="厂家调价")
    assert info.effective_from == "2026-12-01" and info.effective_to == ""
    hist = billing.price_history(demo_db, "HQ01", "VALVE")
    assert hist[-1]["action"] == "change" and hist[-1]["reason"] == "厂家调价"
    assert hist[-1]["old"]["unit_price_fen"] == 6800 and hist[-1]["new"]["unit_price_fen"] == 7200
    # the old price still applies until the new one starts
    assert {i.code: i.unit_price_fen for i in billing.list_prices(demo_db, "HQ01")}["VALVE"] == 6800
    assert {i.code: i.unit_price_fen for i in billing.list_prices(
        demo_db, "HQ01", day=dt.date(2026, 12, 1))}["VALVE"] == 7200
    # no retroactive change
    with pytest.raises(Conflict):
        billing.set_price(demo_db, manager, PriceInput("VALVE", "管道自闭阀", 1, dt.date(2026, 11, 1),
                                                       "material", "个"))
    ended = billing.end_price(demo_db, manager, "ALARM", dt.date(2026, 11, 30), reason="停售")
    assert ended.effective_to == "2026-11-30"
    assert billing.price_history(demo_db, "HQ01", "ALARM")[-1]["action"] == "end"
    assert audit.verify(demo_db).ok


@SQLITE_ONLY
def test_price_csv_round_trip_and_bad_rows(demo_db, manager):
    text = billing.export_csv(demo_db, "HQ01")
    assert "GAS-R" in text and "0:2.80;400:3.36;1200:4.20" in text
    before = counts(demo_db)
    assert billing.import_csv(demo_db, manager, text) == {"add": 0, "change": 0,
                                                           "unchanged": 10}
    bad = text + "BAD ITEM,x,other,个,1.00,2026-12-01,,,\n"
    with pytest.raises(ValidationError) as e:
        billing.import_csv(demo_db, manager, bad)
    assert "第 12 行" in e.value.zh
    bad = "code,name,category,unit,unit_price,effective_from\nX1,测试,other,个,1.234,2026-12-01\n"
    with pytest.raises(ValidationError):
        billing.import_csv(demo_db, manager, bad)
    after = counts(demo_db)
    assert after["price_items"] == before["price_items"]
    assert after["price_changes"] == before["price_changes"]


# -- sale -------------------------------------------------------------------------------
def test_cash_sale_amounts_come_from_the_price_list(demo_db, clerk):
    res = billing.pay(demo_db, clerk, sale(("HOSE", "2.5"), ("VALVE", "1"), "REPAIR",
                                           tenders=cash(20000)))
    assert res.receipt_no == "2026-000001"
    assert [ln["amount_fen"] for ln in res.lines] == [3750, 6800, 3000]
    assert res.total_fen == 13550 and res.change_fen == 6450
    assert res.tenders[0]["tendered_fen"] == 20000
    assert res.to_dict()["total_capitals"] == "壹佰叁拾伍元伍角整"
    with demo_db.read() as s:
        p = s.get(Payment, res.payment_id)
        assert p.status == "completed" and p.window == 1 and p.staff_no == "1001"
        assert s.execute(select(PaymentLine.qty).where(PaymentLine.line_no == 1)).scalar() \
            == Decimal("2.5")
        job = s.get(PrintJob, res.print_job_id)
        assert job.status == "pending" and job.open_drawer
        ev = s.execute(select(audit.AuditEvent).where(
            audit.AuditEvent.kind == "payment.sale")).scalar_one()
        assert '"total_fen":13550' in ev.payload and '"method":"cash"' in ev.payload
    again = billing.pay(demo_db, clerk, sale("CARD"))
    assert again.receipt_no == "2026-000002"
    assert audit.verify(demo_db).ok


def test_no_price_parameter_exists():
    """不准乱收费: neither the line nor the request has a price to type."""
    import dataclasses

    assert {f.name for f in dataclasses.fields(LineInput)} == {"code", "qty"}
    assert not any("price" in f.name for f in dataclasses.fields(SaleRequest))


@SQLITE_ONLY
def test_tiered_gas_by_annual_volume(demo_db, clerk):
    make_account(demo_db)
    first = billing.pay(demo_db, clerk, sale(("GAS-R", "380"), account="0100012345"))
    assert first.total_fen == 380 * 280
    second = billing.pay(demo_db, clerk, sale(("GAS-R", "50"), account="0100012345"))
    # 20 m³ left in tier 1, 30 m³ in tier 2
    assert second.total_fen == 20 * 280 + 30 * 336
    assert [t["tier"] for t in second.lines[0]["tiers"]] == [1, 2]
    # two lines in one sale accumulate too
    q = billing.quote(demo_db, clerk, sale(("GAS-R", "700"), ("GAS-R", "100"),
                                           account="0100012345"))
    assert q.lines[0].amount_fen == 700 * 336
    assert q.lines[1].amount_fen == 70 * 336 + 30 * 420
    with pytest.raises(ValidationError):   # tiers need the account's volume
        billing.pay(demo_db, clerk, sale(("GAS-R", "10")))
    make_account(demo_db, "0200000001", "滨江某某餐饮有限公司", customer_type="non_resident")
    with pytest.raises(Conflict):
        billing.pay(demo_db, clerk, sale(("GAS-R", "10"), account="0200000001"))


def test_open_bills_paid_with_items_and_split(demo_db, clerk):
    make_account(demo_db, bills=[("2026-09", 8640), ("2026-10", 10080)])
    assert [b.period for b in billing.open_bills(demo_db, "0100012345")] == ["2026-09", "2026-10"]
    res = billing.pay(demo_db, clerk, sale(
        "CARD", account="0100012345", bills=["2026-09", "2026-10"],
        tenders=[TenderInput("cash", 10000, tendered_fen=10000),
                 TenderInput("qr", reference="WX4200001234")]))
    assert res.total_fen == 2000 + 8640 + 10080
    assert [t["amount_fen"] for t in res.tenders] == [10000, 10720]
    assert bill(demo_db, "0100012345", "2026-10").paid_fen == 10080
    assert billing.open_bills(demo_db, "0100012345") == []
    with pytest.raises(Conflict):
        billing.pay(demo_db, clerk, sale(account="0100012345", bills=["2026-09"]))


@SQLITE_ONLY
def test_cheque_and_card_record_their_references(demo_db, clerk):
    res = billing.pay(demo_db, clerk, sale("METER-MOVE", tenders=[
        TenderInput("cheque", cheque_no="10203040", bank="工商银行滨江支行")]))
    assert res.tenders[0]["cheque_no"] == "10203040"
    with demo_db.read() as s:
        assert not s.get(PrintJob, res.print_job_id).open_drawer   # no cash, no drawer
    res = billing.pay(demo_db, clerk, sale("CARD", tenders=[TenderInput("card", reference="POS889")]))
    assert res.tenders[0]["reference"] == "POS889"


BAD = [
    ("zero qty", lambda: sale(("VALVE", "0")), ValidationError, "必须大于 0"),
    ("negative qty", lambda: sale(("VALVE", "-1")), ValidationError, "必须大于 0"),
    ("tendered < due", lambda: sale("VALVE", tenders=cash(5000)), ValidationError, "少于应收"),
    ("cheque w/o number", lambda: sale("VALVE", tenders=[TenderInput("cheque", bank="工行")]),
     ValidationError, "支票号码"),
    ("qr w/o reference", lambda: sale("VALVE", tenders=[TenderInput("qr")]), ValidationError,
     "参考号"),
    ("expired item", lambda: sale("HOSE-OLD"), Conflict, "停止执行"),
    ("future item", lambda: sale("FUTURE"), Conflict, "起才执行"),
    ("unknown item", lambda: sale("NOPE"), NotFound, "只能收取公示"),
    ("closed account", lambda: sale("CARD", account="0300000009"), Conflict, "已销户"),
    ("over the limit", lambda: sale(("ALARM", "200")), Conflict, "超过限额"),
    ("split mismatch", lambda: sale("VALVE", tenders=[TenderInput("cash", 100),
                                                      TenderInput("card", 100, reference="x")]),
     ValidationError, "不符"),
    ("bad method", lambda: sale("VALVE", tenders=[TenderInput("iou")]), ValidationError,
     "付款方式"),
]


def test_bad_input_is_refused_and_nothing_written(demo_db, clerk, manager):
    clock.set_now(DAY - dt.timedelta(days=30))
    billing.set_price(demo_db, manager, PriceInput("FUTURE", "新项目", 1000, dt.date(2027, 1, 1)))
    clock.set_now(DAY)
    make_account(demo_db, "0300000009", "王五", status="closed")
    before = counts(demo_db)
    for name, req, exc, text in BAD:
        with pytest.raises(exc) as e:
            billing.pay(demo_db, clerk, req())
        assert text in e.value.zh and e.value.en, name
        assert counts(demo_db) == before, name


def test_closed_day_refuses_payment(demo_db, clerk):
    with demo_db.write() as s:
        s.add(DayClose(hall_id=clerk.hall_id, business_day=DAY.date(), closed_by="9001"))
    before = counts(demo_db)
    with pytest.raises(Conflict) as e:
        billing.pay(demo_db, clerk, sale("CARD"))
    assert "已日结" in e.value.zh
    assert counts(demo_db) == before


# -- void and refund ----------------------------------------------------------------------
def test_void_needs_a_manager_and_is_a_reversal(demo_db, clerk, approval):
    make_account(demo_db, bills=[("2026-10", 10080)])
    res = billing.pay(demo_db, clerk, sale("VALVE", account="0100012345", bills=["2026-10"],
                                           tenders=cash(20000)))
    before = counts(demo_db)
    with pytest.raises(PermissionDenied):
        billing.void(demo_db, clerk, res.receipt_no, None, reason="收错")
    with pytest.raises(PermissionDenied):   # a clerk cannot authorise
        billing.void(demo_db, clerk, res.receipt_no, Approval("1002", "123456"), reason="收错")
    assert {k: v for k, v in counts(demo_db).items() if k != "audit_events"} == \
        {k: v for k, v in before.items() if k != "audit_events"}
    rev = billing.void(demo_db, clerk, res.receipt_no, approval, reason="客户要求")
    assert rev.kind == "void" and rev.receipt_no == "2026-000002"
    assert rev.original_receipt_no == res.receipt_no
    assert rev.total_fen == -res.total_fen
    assert rev.tenders == [{"method": "cash", "amount_fen": -res.total_fen,
                            "tendered_fen": -res.total_fen, "change_fen": 0, "reference": "",
                            "cheque_no": "", "bank": ""}]
    assert bill(demo_db, "0100012345", "2026-10").paid_fen == 0
    with demo_db.read() as s:
        orig = s.get(Payment, res.payment_id)
        assert orig.status == "voided" and orig.total_fen == res.total_fen   # never edited
        r = s.get(Payment, rev.payment_id)
        assert r.original_payment_id == orig.id and r.authorisation_id
    with pytest.raises(Conflict):
        billing.void(demo_db, clerk, res.receipt_no, approval, reason="again")
    assert audit.verify(demo_db).ok


@SQLITE_ONLY
def test_void_only_today_refund_later(demo_db, clerk, approval):
    res = billing.pay(demo_db, clerk, sale("VALVE"))
    clock.set_now(DAY + dt.timedelta(days=1))
    with pytest.raises(Conflict) as e:
        billing.void(demo_db, clerk, res.receipt_no, approval, reason="x")
    assert "退款" in e.value.zh
    r = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1)], approval, reason="退货")
    assert r.total_fen == -6800 and r.business_day == "2026-11-24"


def test_partial_refund_by_line_never_loses_a_fen(demo_db, clerk, approval):
    res = billing.pay(demo_db, clerk, sale(("HOSE", "3.3"), "REPAIR", tenders=[
        TenderInput("card", 2000, reference="P1"), TenderInput("cash", tendered_fen=10000)]))
    assert res.total_fen == 4950 + 3000
    r1 = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1, "1.1")], approval,
                        reason="退回多余软管")
    assert r1.total_fen == -1650
    assert r1.tenders[0]["method"] == "card" and r1.tenders[0]["amount_fen"] == -1650
    r2 = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1, "2.2")], approval,
                        reason="全部退回")
    assert r2.total_fen == -3300
    with pytest.raises(Conflict):
        billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1)], approval, reason="x")
    with pytest.raises(ValidationError):
        billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(2, "2")], approval, reason="x")
    r3 = billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(2)], approval, reason="取消")
    assert r1.total_fen + r2.total_fen + r3.total_fen == -res.total_fen
    with demo_db.read() as s:
        assert s.get(Payment, res.payment_id).status == "refunded"
    info = billing.get_receipt(demo_db, clerk.hall_id, res.receipt_no)
    assert info["reversals"] == [r1.receipt_no, r2.receipt_no, r3.receipt_no]


@SQLITE_ONLY
def test_refund_of_tiered_gas_lowers_the_annual_volume(demo_db, clerk, approval):
    make_account(demo_db)
    res = billing.pay(demo_db, clerk, sale(("GAS-R", "400"), account="0100012345"))
    billing.refund(demo_db, clerk, res.receipt_no, [RefundLine(1, "100")], approval,
                   reason="IC 卡写卡失败")
    q = billing.quote(demo_db, clerk, sale(("GAS-R", "100"), account="0100012345"))
    assert q.total_fen == 100 * 280   # back in tier 1


def test_receipt_numbers_are_gapless_across_failures(demo_db, clerk):
    nos = []
    for _ in range(5):
        with pytest.raises(ValidationError):
            billing.pay(demo_db, clerk, sale("VALVE", tenders=cash(1)))
        nos.append(billing.pay(demo_db, clerk, sale("CARD")).receipt_no)
    assert nos == [f"2026-{i:06d}" for i in range(1, 6)]
    clock.set_now(dt.datetime(2027, 1, 4, 9, 0))
    assert billing.pay(demo_db, clerk, sale("CARD")).receipt_no == "2027-000001"


@SQLITE_ONLY
def test_reprint_is_marked_and_counted(demo_db, clerk):
    res = billing.pay(demo_db, clerk, sale("CARD"))
    with pytest.raises(Conflict):       # still waiting in the outbox: not a reprint
        billing.reprint(demo_db, clerk, res.receipt_no)
    billing.job_printed(demo_db, res.print_job_id)
    j1 = billing.reprint(demo_db, clerk, res.receipt_no)
    billing.job_printed(demo_db, j1.id)
    j2 = billing.reprint(demo_db, clerk, res.receipt_no)
    assert (j1.reprint_no, j2.reprint_no) == (1, 2) and j2.reprint and not j2.open_drawer
    with demo_db.read() as s:
        assert s.execute(select(Receipt.print_count)).scalar() == 2
