"""Issue 15, part B: controls that hold against an insider (service level, both engines).

Hole 12 (every approval checked before the transaction), hole 5 (every PC obeys the hall
policy in the database)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from counterdesk import billing, cash, clock, policy, queue, staff
from counterdesk import db as dbmod
from counterdesk.db import Database
from counterdesk.errors import AuthError, Conflict, DatabaseBusy, ValidationError
from counterdesk.models import Authorisation, Staff
from tests.helpers.hall_policy import set_rule
from tests.helpers.quality_hall import finished_ticket

DAY = dt.date(2026, 11, 20)
MGR = staff.Approval("9001", "888888")
WRONG = staff.Approval("9001", "not-it")


def at(h, m=0, day=DAY):
    clock.set_now(dt.datetime.combine(day, dt.time(h, m)))


def _approval_failures(db) -> int:
    with db.read() as s:
        return s.execute(select(Staff.approval_failed_attempts)
                         .where(Staff.staff_no == "9001")).scalar_one()


def _auths(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count(Authorisation.id))).scalar_one()


def sale(db, actor, items, method="cash", **kw):
    tender = billing.TenderInput(method, **kw)
    req = billing.SaleRequest(items=[billing.LineInput(c, q) for c, q in items], tenders=[tender])
    return billing.pay(db, actor, req)


# -- hole 12: every approval is checked before the caller's transaction ---------------------

def test_every_approval_path_refuses_a_wrong_password_without_blocking(sqlite_db, monkeypatch):
    """Before: authorise() inside db.write() counted a wrong password in a second write
    transaction, which on SQLite waited for the caller's own lock (10 s, then "database
    busy"). Bounded here by a 0.3 s busy timeout: each path refuses with the password
    message, counts the failure once and writes nothing."""
    from counterdesk import setup

    setup.demo(sqlite_db)
    monkeypatch.setattr(dbmod, "SQLITE_BUSY_TIMEOUT_MS", 300)
    db = Database(sqlite_db.url)
    try:
        at(8, 30)
        c1 = staff.sign_in(db, "1001", "123456", window=1)
        cash.open_till(db, c1, {"100": 1})
        at(9)
        p = sale(db, c1, [("CARD", "1")], tendered_fen=2000)
        attempts = [
            lambda a: billing.void(db, c1, p.receipt_no, a, reason="收错"),
            lambda a: cash.move_cash(db, c1, "in", 100, "补零钱", a),
            lambda a: queue.pause_window(db, c1, reason="meal", until="10:40", cover="1002",
                                         approval=a),
        ]
        for n, attempt in enumerate(attempts, start=1):
            with pytest.raises(AuthError) as e:
                attempt(WRONG)
            assert not isinstance(e.value, DatabaseBusy)
            assert _approval_failures(db) == n and _auths(db) == 0
        for attempt in attempts:  # the right password: recorded with the action
            attempt(MGR)
        assert _approval_failures(db) == 0 and _auths(db) == 3
    finally:
        db.dispose()


def test_countersign_and_reopen_check_the_approval_first(demo_db):
    at(8, 30)
    c1 = staff.sign_in(demo_db, "1001", "123456", window=1)
    cash.open_till(demo_db, c1, {"100": 1})
    cash.count_till(demo_db, c1, {"N10000": 1})
    cash.close_till(demo_db, c1, "")
    with pytest.raises(AuthError):
        cash.countersign(demo_db, c1, WRONG)
    assert _approval_failures(demo_db) == 1 and _auths(demo_db) == 0
    assert cash.countersign(demo_db, c1, MGR).status == "closed"
    with pytest.raises(AuthError):
        cash.reopen_till(demo_db, c1, WRONG, "补收")
    assert _approval_failures(demo_db) == 1 and _auths(demo_db) == 1
    assert cash.reopen_till(demo_db, c1, MGR, "补收").status == "open"
    assert _auths(demo_db) == 2


# -- hole 5: every PC obeys the hall policy in the database --------------------------------

def test_two_pcs_obey_the_same_hall_policy(demo_db):
    """Two Database objects (two PCs) on one database: a manager's change on one is what
    the other enforces, whatever either PC's settings file says."""
    other = Database(demo_db.url, schema=demo_db.schema)
    try:
        at(8, 30)
        mgr = staff.sign_in(demo_db, "9001", "888888")
        policy.set(demo_db, mgr, "billing.single_payment_limit_fen", 3000)
        c2 = staff.sign_in(other, "1002", "123456", window=2)
        cash.open_till(other, c2, {"100": 1})
        with pytest.raises(Conflict) as e:
            sale(other, c2, [("CARD", "2")], tendered_fen=5000)  # 40.00 > 30.00
        assert e.value.field == "total" and "限额" in e.value.message
        assert sale(other, c2, [("CARD", "1")], tendered_fen=2000).total_fen == 2000
        # the pause limit: 5 minutes in the hall's policy -> a 10-minute pause needs approval
        policy.set(demo_db, mgr, "queue.pause_limit_minutes", 5)
        at(10)
        with pytest.raises(ValidationError) as e:  # over the limit: a cover first
            queue.pause_window(other, c2, reason="restroom", until="10:10")
        assert e.value.field == "cover" and "5 分钟" in e.value.message
        policy.set(demo_db, mgr, "queue.pause_limit_minutes", 15)
        assert queue.pause_window(other, c2, reason="restroom", until="10:10").approved_by == ""
    finally:
        other.dispose()


def test_an_old_settings_file_with_hall_rules_is_read_with_one_warning(tmp_path, caplog):
    """An upgrade must not lock a PC out: the moved keys are ignored (named in one
    warning, never their values), everything else is read as before."""
    from counterdesk import settings

    f = tmp_path / "counterdesk.toml"
    f.write_text('[window]\nnumber = 4\n[queue]\npriority_cap = 9\nvoice = false\n'
                 '[billing]\nsingle_payment_limit_fen = 123\n'
                 '[quality]\nrating_seconds = 99\n', encoding="utf-8")
    settings._warned.clear()
    with caplog.at_level("WARNING", logger="counterdesk.settings"):
        s = settings.load(f)
        settings.load(f)
    assert s.window.number == 4 and s.queue.voice is False
    assert set(s.ignored) == {"queue.priority_cap", "billing.single_payment_limit_fen",
                              "quality.rating_seconds"}
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "billing.single_payment_limit_fen" in warnings[0]
    assert "123" not in warnings[0] and "99" not in warnings[0]
    assert not hasattr(s, "billing") and not hasattr(s, "quality")


# -- hole 11: a rating names a finished ticket of the screen's window, once ------------------

def test_a_rating_needs_a_finished_ticket_of_that_window_once(qdb):
    from sqlalchemy.exc import IntegrityError

    from counterdesk import quality
    from counterdesk.errors import NotFound
    from counterdesk.models.quality import Rating

    at(10)
    src = quality.open_customer_screen(qdb, "HQ01", 1, staff_no="1001")
    with pytest.raises(NotFound) as e:  # before: stored a rating of a ticket never issued
        quality.record_rating(qdb, src, {"id": 424242, "number": "A999"}, "very_satisfied")
    assert e.value.field == "ticket" and "不存在" in e.value.message
    waiting = queue.issue(qdb, queue.kiosk_actor(qdb, "HQ01"), "A")
    with pytest.raises(Conflict) as e:
        quality.record_rating(qdb, src, waiting.to_dict(), "very_satisfied")
    assert "尚未办结" in e.value.message
    other = finished_ticket(qdb, window=2, staff_no="1002")
    with pytest.raises(Conflict) as e:
        quality.record_rating(qdb, src, other, "very_satisfied")
    assert "不是在本窗口" in e.value.message
    with qdb.read() as s:
        assert s.execute(select(func.count(Rating.id)).where(
            Rating.business_day == DAY)).scalar_one() == 0
    mine = finished_ticket(qdb, window=1)
    r = quality.record_rating(qdb, src, mine, "satisfied")
    assert r.ticket_number == mine["number"]
    with pytest.raises(Conflict):
        quality.record_rating(qdb, src, {"number": mine["number"]}, "unsatisfied")
    # the database itself keeps one rating per ticket, and only of a real ticket
    with pytest.raises(IntegrityError):
        with qdb.write() as s:
            row = s.execute(select(Rating).where(Rating.ticket_id == mine["id"])).scalar_one()
            s.add(Rating(hall_id=row.hall_id, ticket_key="forged", ticket_id=mine["id"],
                         business_day=DAY, value="unsatisfied", asked_at=clock.now()))
    with pytest.raises(IntegrityError):
        with qdb.write() as s:
            s.add(Rating(hall_id=1, ticket_key="forged2", ticket_id=424242,
                         business_day=DAY, value="unsatisfied", asked_at=clock.now()))


# -- hole 8: a non-cash reference is used once, and looks like one ----------------------------

def test_a_reference_pays_once_and_must_look_plausible(demo_db, clerk):
    from counterdesk.models.billing import Payment

    at(9)
    first = sale(demo_db, clerk, [("CARD", "1")], "qr", reference="WX20261120001")

    def count():
        with demo_db.read() as s:
            return s.execute(select(func.count(Payment.id))).scalar_one()

    before = count()
    with pytest.raises(Conflict) as e:  # before: the same QR reference paid twice
        sale(demo_db, clerk, [("CARD", "1")], "qr", reference=" wx20261120001 ")
    assert e.value.field == "reference" and "已被使用" in e.value.message
    with pytest.raises(ValidationError) as e:
        sale(demo_db, clerk, [("CARD", "1")], "qr", reference="1")
    assert e.value.field == "reference" and "格式" in e.value.message
    assert count() == before
    # the same digits under another method are another slip
    assert sale(demo_db, clerk, [("CARD", "1")], "card", reference="WX20261120001").total_fen
    # a cheque number is unique per bank
    sale(demo_db, clerk, [("CARD", "1")], "cheque", cheque_no="12345678", bank="工商银行")
    with pytest.raises(Conflict) as e:
        sale(demo_db, clerk, [("CARD", "1")], "cheque", cheque_no="12345678", bank="工商银行")
    assert e.value.field == "cheque_no"
    sale(demo_db, clerk, [("CARD", "1")], "cheque", cheque_no="12345678", bank="建设银行")
    # the hall may set its own format
    set_rule(demo_db, "billing.qr_reference_pattern", r"Q\d{4}")
    assert sale(demo_db, clerk, [("CARD", "1")], "qr", reference="Q1234").total_fen
    with pytest.raises(ValidationError):
        set_rule(demo_db, "billing.qr_reference_pattern", "([")
    # a refund of the first sale does not count as a second use
    assert billing.void(demo_db, clerk, first.receipt_no, MGR, reason="重复").total_fen < 0


# -- holes 6 and 7: the safety stop and the right price class ---------------------------------

def test_a_suspended_account_buys_no_gas_and_resuming_needs_a_manager(demo_db, clerk):
    from counterdesk import accounts
    from counterdesk.errors import PermissionDenied
    from tests.helpers.billing_helpers import make_account

    at(9)
    make_account(demo_db, "0100099901")
    accounts.set_suspended(demo_db, clerk, "0100099901", True, reason="安检隐患暂停供气")
    with pytest.raises(Conflict) as e:  # before: GAS-R:20 was sold
        billing.pay(demo_db, clerk, billing.SaleRequest(
            items=[billing.LineInput("GAS-R", "20")], account_no="0100099901",
            tenders=[billing.TenderInput("cash")]))
    assert e.value.field == "account" and "暂停供气" in e.value.message
    # a service item is still sold to the account
    assert billing.pay(demo_db, clerk, billing.SaleRequest(
        items=[billing.LineInput("CARD", "1")], account_no="0100099901",
        tenders=[billing.TenderInput("cash")])).total_fen == 2000
    with pytest.raises(ValidationError) as e:  # before: any clerk resumed with --reason x
        accounts.set_suspended(demo_db, clerk, "0100099901", False, reason="x")
    assert e.value.field == "inspection_ref"
    with pytest.raises(PermissionDenied) as e:
        accounts.set_suspended(demo_db, clerk, "0100099901", False, reason="x",
                               inspection_ref="AJ20261120-7")
    assert e.value.field == "approver"
    mgr = staff.sign_in(demo_db, "9001", "888888")
    with pytest.raises(PermissionDenied):  # the approver is never the actor
        accounts.set_suspended(demo_db, mgr, "0100099901", False, reason="x",
                               inspection_ref="AJ20261120-7", approval=MGR)
    assert accounts.show(demo_db, clerk, "0100099901").status == "suspended"
    at(15)
    v = accounts.set_suspended(demo_db, clerk, "0100099901", False, reason="整改合格",
                               inspection_ref="AJ20261120-7", approval=MGR)
    assert v.status == "active"
    [period] = v.suspensions
    assert period["from"].startswith("2026-11-20T09") and period["until"].startswith(
        "2026-11-20T15") and period["inspection_ref"] == "AJ20261120-7"
    assert period["approved_by"] == "9001" and period["by"] == "1001"
    assert billing.pay(demo_db, clerk, billing.SaleRequest(
        items=[billing.LineInput("GAS-R", "20")], account_no="0100099901",
        tenders=[billing.TenderInput("cash")])).total_fen == 5600


def test_the_price_class_follows_the_customer_type_and_only_collectors_collect(demo_db, clerk):
    from counterdesk.errors import PermissionDenied
    from tests.helpers.billing_helpers import make_account

    at(9)
    make_account(demo_db, "0100099902")                               # 居民
    make_account(demo_db, "0200099903", "某某餐饮", customer_type="commercial")

    def gas(item, account=None, actor=clerk):
        return billing.pay(demo_db, actor, billing.SaleRequest(
            items=[billing.LineInput(item, "10")], account_no=account,
            tenders=[billing.TenderInput("cash")]))

    with pytest.raises(Conflict) as e:  # before: GAS-N sold to a resident
        gas("GAS-N", "0100099902")
    assert e.value.field == "item" and "居民用户" in e.value.message
    with pytest.raises(ValidationError) as e:  # before: GAS-N sold with no account
        gas("GAS-N")
    assert e.value.field == "account"
    assert gas("GAS-N", "0200099903").total_fen == 3650
    with pytest.raises(Conflict):
        gas("GAS-R", "0200099903")
    from tests.conftest import DEMO

    admin = staff.sign_in(demo_db, *DEMO["admin"], window=1)
    with pytest.raises(PermissionDenied) as e:  # before: the administrator collected
        gas("GAS-N", "0200099903", actor=admin)
    assert "只有柜员和主任" in e.value.message


def test_unknown_customer_type_is_refused_naming_the_field():
    from counterdesk.accounts.forms import customer_type

    assert customer_type("公福") == "public" and customer_type("采暖") == "heating"
    with pytest.raises(ValidationError) as e:
        customer_type("非居民")
    assert e.value.field == "customer_type" and "居民、商业" in e.value.message


# -- hole 4: nothing escapes the count ---------------------------------------------------------

def test_after_the_count_no_method_pays_and_the_close_lists_every_method(demo_db, clerk):
    at(8, 30)
    cash.open_till(demo_db, clerk, {"100": 1})
    at(9)
    sale(demo_db, clerk, [("CARD", "1")], tendered_fen=2000)
    p2 = sale(demo_db, clerk, [("CARD", "1")], "qr", reference="WX20261120101")
    cash.count_till(demo_db, clerk, {"N10000": 1, "N2000": 1}, noncash={"qr": 2000})
    for method, kw in (("cash", {}), ("qr", {"reference": "WX20261120102"}),
                       ("card", {"reference": "POS20261120"}),
                       ("cheque", {"cheque_no": "20261120", "bank": "工商银行"})):
        with pytest.raises(Conflict) as e:  # before: QR after the count escaped
            sale(demo_db, clerk, [("CARD", "1")], method, **kw)
        assert e.value.field == "till" and "已点钞" in e.value.message
    with pytest.raises(Conflict):
        billing.void(demo_db, clerk, p2.receipt_no, MGR, reason="点钞后作废")
    # a manager reopens the count; the late QR payment is then caught by the count
    cash.reopen_till(demo_db, clerk, MGR, "点钞后仍有客户扫码")
    sale(demo_db, clerk, [("CARD", "1")], "qr", reference="WX20261120102")
    cash.count_till(demo_db, clerk, {"N10000": 1, "N2000": 1}, noncash={"qr": 2000})
    cash.close_till(demo_db, clerk, "扫码少确认一笔")
    mgr = staff.sign_in(demo_db, "9001", "888888")
    rep = cash.day_report(demo_db, mgr, DAY)
    check = {c["method"]: c for c in rep["method_check"]}
    assert (check["qr"]["expected_fen"], check["qr"]["confirmed_fen"],
            check["qr"]["difference_fen"]) == (4000, 2000, -2000)
    assert check["cash"]["difference_fen"] == 0 and check["card"]["difference_fen"] == 0
    assert [(d["staff_no"], d["method"], d["difference_fen"])
            for d in rep["method_differences"]] == [("1001", "qr", -2000)]


# -- hole 9: an independent follow-up, after the promised work ---------------------------------

def test_follow_up_by_another_person_after_the_promised_work(qdb):
    from counterdesk import quality
    from counterdesk.errors import PermissionDenied

    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    c1 = staff.sign_in(qdb, "1001", "123456", window=1)
    c2 = staff.sign_in(qdb, "1002", "123456", window=2)
    v = quality.record_complaint(qdb, c1, kind="help", contact_phone="13900001234",
                                 description="燃气表漏气，请求维修", category="维修")
    r = quality.reply(qdb, c1, v.number, "维修员明日上门")
    assert r.work_promised and r.replied_by == "1001"
    clock.set_now(dt.datetime(2026, 11, 23, 10, 1))
    with pytest.raises(PermissionDenied) as e:  # before: closed by its own clerk a minute later
        quality.follow_up(qdb, c1, v.number, "satisfied")
    assert "另一位同事" in e.value.message
    with pytest.raises(Conflict) as e:  # another person, but the repair is not done yet
        quality.follow_up(qdb, c2, v.number, "satisfied")
    assert e.value.field == "work_done" and "尚未登记完成" in e.value.message
    assert quality.get_complaint(qdb, c1, v.number).status == "replied"
    clock.set_now(dt.datetime(2026, 11, 24, 11, 0))
    done = quality.work_done(qdb, c1, v.number, "已更换表前阀，检漏合格")
    assert done.work_done_at and done.steps[-1].kind == "work_done"
    closed = quality.follow_up(qdb, c2, v.number, "satisfied")
    assert closed.status == "closed"
    # a reply that promised nothing needs no completion, only another person
    w = quality.record_complaint(qdb, c1, kind="咨询", contact_phone="13900001235",
                                 description="咨询营业时间", category="其他")
    assert not quality.reply(qdb, c1, w.number, "营业时间为 8:30–17:00").work_promised
    assert quality.follow_up(qdb, c2, w.number, "satisfied").status == "closed"


def test_two_windows_racing_with_one_reference_take_it_once(demo_db):
    """The unique constraint settles a race the pre-check cannot see: one payment, one
    refusal naming the reference, never two payments on one slip."""
    import threading

    at(9)
    c1 = staff.sign_in(demo_db, "1001", "123456", window=1)
    c2 = staff.sign_in(demo_db, "1002", "123456", window=2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def go(actor):
        barrier.wait()
        try:
            sale(demo_db, actor, [("CARD", "1")], "card", reference="POS77777777")
            outcomes.append("paid")
        except Conflict as exc:
            outcomes.append(exc.field)

    threads = [threading.Thread(target=go, args=(a,)) for a in (c1, c2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["paid", "reference"]
