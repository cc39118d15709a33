"""Work orders: deadlines, the life of an order, follow-up, bad input (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from counterdesk import clock, orders, workdays
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent
from counterdesk.models.orders import Inspection, SupplyNotice, WorkOrder, WorkOrderStep
from counterdesk.orders import kinds
from tests.helpers import orders_hall
from tests.helpers.orders_hall import MON, sign

odb = orders_hall.odb  # the fixture

FRI = dt.datetime(2026, 11, 20, 15, 0)


def counts(db) -> tuple:
    with db.read() as s:
        return tuple(s.execute(select(func.count()).select_from(t)).scalar()
                     for t in (WorkOrder, WorkOrderStep, Inspection, SupplyNotice, AuditEvent))


def at(moment: dt.datetime) -> None:
    clock.set_now(moment)


# -- deadlines (pure) ----------------------------------------------------------------------
@pytest.mark.parametrize("kind,start,expected", [
    # 报警: on site within 30 minutes, wall clock: across midnight, a Sunday, a holiday
    ("alarm", dt.datetime(2026, 11, 23, 23, 50), (dt.datetime(2026, 11, 23, 23, 50),
                                                  dt.datetime(2026, 11, 24, 0, 20), None)),
    ("alarm", dt.datetime(2026, 11, 22, 12, 0), (dt.datetime(2026, 11, 22, 12, 0),
                                                 dt.datetime(2026, 11, 22, 12, 30), None)),
    ("alarm", dt.datetime(2026, 10, 1, 23, 45), (dt.datetime(2026, 10, 1, 23, 45),
                                                 dt.datetime(2026, 10, 2, 0, 15), None)),
    # 报修: handled within 6 h, repaired within 24 h (round the clock)
    ("repair", dt.datetime(2026, 11, 23, 22, 0), (None, dt.datetime(2026, 11, 24, 4, 0),
                                                  dt.datetime(2026, 11, 24, 22, 0))),
    ("repair", dt.datetime(2026, 11, 21, 9, 0), (None, dt.datetime(2026, 11, 21, 15, 0),
                                                 dt.datetime(2026, 11, 22, 9, 0))),
    # 报装: survey within 2 working days: weekends and holidays stop the clock
    ("install", FRI, (None, dt.datetime(2026, 11, 24, 15, 0), None)),
    ("install", dt.datetime(2026, 11, 21, 10, 0), (None, dt.datetime(2026, 11, 25, 0, 0), None)),
    ("install", dt.datetime(2026, 9, 30, 10, 0), (None, dt.datetime(2026, 10, 9, 10, 0), None)),
    ("install", dt.datetime(2026, 11, 23, 23, 30), (None, dt.datetime(2026, 11, 25, 23, 30),
                                                    None)),
    ("inspection", MON, (None, None, None)),
])
def test_deadlines(kind, start, expected):
    d = kinds.deadlines(None, 1, kind, start)
    assert (d.dispatch, d.onsite, d.result) == expected


def test_followup_deadline_counts_working_days_and_hall_holidays():
    assert kinds.followup_deadline(None, 1, FRI) == dt.datetime(2026, 11, 24, 15, 0)
    cal = workdays.calendar("2026-11-24")                   # the hall lists an extra holiday
    assert kinds.followup_deadline(None, 1, FRI, cal) == dt.datetime(2026, 11, 25, 15, 0)
    assert kinds.add_workdays(dt.datetime(2026, 10, 9, 10, 0), 2) == \
        dt.datetime(2026, 10, 12, 10, 0)                    # Sat Oct 10 is a made-up workday


# -- the life of an order -------------------------------------------------------------------
def test_repair_life_follow_up_by_another_person(odb):
    clerk, tech, other = sign(odb, "1001"), sign(odb, "1003", None), sign(odb, "1002", 2)
    acc = odb.accounts["a"]
    at(MON)
    v = orders.add_order(odb, clerk, kind="repair", account_no=acc, contact_phone="13912345678",
                         description="灶具打不着火")
    assert v.number.startswith("GD2026") and v.status == "recorded"
    assert v.onsite_due_at == "2026-11-23T16:00:00" and v.result_due_at == "2026-11-24T10:00:00"
    assert v.contact_phone == "139****5678" and v.address
    at(MON + dt.timedelta(minutes=10))
    v = orders.dispatch(odb, clerk, v.number, to_staff_no="1003", team="维修一班")
    assert v.status == "dispatched" and v.assignee == "1003"
    at(MON + dt.timedelta(hours=2))
    with pytest.raises(PermissionDenied):
        orders.arrive(odb, other, v.number)
    v = orders.arrive(odb, tech, v.number)
    at(MON + dt.timedelta(hours=3))
    v = orders.record_result(odb, tech, v.number, "done", note="更换点火针")
    assert v.result == "done" and v.result_by == "1003"
    v = orders.close(odb, tech, v.number)
    assert v.state == "awaiting_followup" and v.followup_due_at == "2026-11-25T13:00:00"
    before = counts(odb)
    with pytest.raises(PermissionDenied, match="未参与施工"):
        orders.follow_up(odb, tech, v.number, "satisfied")
    assert counts(odb) == before
    at(MON + dt.timedelta(hours=5))
    v = orders.follow_up(odb, other, v.number, "satisfied", note="客户满意")
    assert v.status == "followed_up" and v.state == "done" and v.followed_up_by == "1002"
    assert [s.kind for s in v.steps] == ["recorded", "dispatched", "arrived", "resulted",
                                        "closed", "followed_up"]
    assert all(s.staff_no and s.at for s in v.steps)
    with odb.read() as s:
        kinds_ = [k for (k,) in s.execute(select(AuditEvent.kind).where(
            AuditEvent.kind.like("order.%")).order_by(AuditEvent.seq))]
    assert kinds_ == ["order.recorded", "order.dispatched", "order.arrived", "order.resulted",
                      "order.closed", "order.followed_up"]


def test_unsatisfied_follow_up_reopens_with_fresh_deadlines(odb):
    clerk, tech, other = sign(odb, "1001"), sign(odb, "1003", None), sign(odb, "1002", 2)
    at(MON)
    n = orders.add_order(odb, clerk, kind="repair", address="江东区测试路 5 号",
                         contact_phone="13912345678", description="热水器点不着").number
    orders.dispatch(odb, clerk, n, to_staff_no="1003")
    orders.arrive(odb, tech, n)
    orders.record_result(odb, tech, n, "done")
    orders.close(odb, clerk, n)
    later = MON + dt.timedelta(days=1)
    at(later)
    with pytest.raises(ValidationError, match="客户意见"):
        orders.follow_up(odb, other, n, "unsatisfied")
    assert orders.get_order(odb, other, n).status == "closed"
    v = orders.follow_up(odb, other, n, "unsatisfied", note="仍打不着火")
    assert v.status == "recorded" and v.reopen_count == 1 and v.result == ""
    assert v.onsite_due_at == "2026-11-24T16:00:00" and v.result_due_at == "2026-11-25T10:00:00"
    assert v.steps[-1].kind == "reopened"
    # the reopened order goes round again
    orders.dispatch(odb, clerk, n, to_staff_no="1004")
    assert orders.get_order(odb, clerk, n).assignee == "1004"


def test_alarm_overdue_on_the_board_and_emergency_number(odb):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    at(dt.datetime(2026, 11, 23, 23, 50))
    alarm = orders.add_order(odb, clerk, kind="报警", address="江东区测试路 8 号楼道",
                             contact_phone="13912345678", description="楼道有燃气味",
                             channel="hotline")
    assert alarm.priority == "urgent" and alarm.emergency_phone
    rep = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["b"],
                           description="表后阀漏气")
    at(dt.datetime(2026, 11, 24, 0, 25))      # 35 minutes on: nobody on site
    board = orders.list_orders(odb, manager, scope="all")
    assert [v.number for v in board] == [alarm.number, rep.number]
    assert board[0].overdue and board[0].state == "overdue" and not board[1].overdue
    assert [v.number for v in orders.list_orders(odb, manager, scope="all",
                                                 overdue_only=True)] == [alarm.number]
    with pytest.raises(PermissionDenied):
        orders.list_orders(odb, clerk, scope="all")
    assert {v.number for v in orders.list_orders(odb, clerk)} == {alarm.number, rep.number}


def test_referred_and_failed_need_a_reason(odb):
    clerk, tech = sign(odb, "1001"), sign(odb, "1003", None)
    at(MON)
    n = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                         description="燃气表不走字").number
    orders.dispatch(odb, clerk, n, to_staff_no="1003")
    orders.arrive(odb, tech, n)
    with pytest.raises(ValidationError):
        orders.record_result(odb, tech, n, "referred")
    v = orders.record_result(odb, tech, n, "referred", note="需换表，另开换表工单")
    assert v.result_label == "需另开工单"
    child = orders.add_order(odb, clerk, kind="meter_change", account_no=odb.accounts["a"],
                             parent_number=n)
    assert child.parent_number == n


# -- bad input: a clear message, nothing changed ---------------------------------------------
def test_bad_input_changes_nothing(odb):
    clerk, tech, manager = sign(odb, "1001"), sign(odb, "1003", None), sign(odb, "9001", None)
    at(MON)
    n = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                         description="灶具打不着火").number
    insp = orders.add_order(odb, clerk, kind="inspection", account_no=odb.accounts["a"]).number
    before = counts(odb)
    cases = [
        (ValidationError, "户号或地址", lambda: orders.add_order(
            odb, clerk, kind="repair", contact_phone="13912345678", description="漏气")),
        (ValidationError, "联系电话", lambda: orders.add_order(
            odb, clerk, kind="repair", address="江东区测试路 5 号", description="漏气")),
        (ValidationError, "工单类型", lambda: orders.add_order(
            odb, clerk, kind="paint", address="x", contact_phone="13912345678")),
        (Conflict, "还没有派工", lambda: orders.record_result(odb, tech, n, "done")),
        (Conflict, "还没有派工", lambda: orders.arrive(odb, tech, n)),
        (Conflict, "还没有反馈结果", lambda: orders.close(odb, clerk, n)),
        (Conflict, "关闭后才能回访", lambda: orders.follow_up(odb, clerk, n, "satisfied")),
        (ValidationError, "安检工单号", lambda: orders.add_order(
            odb, clerk, kind="restore", account_no=odb.accounts["a"])),
        (NotFound, "安检工单", lambda: orders.add_order(
            odb, clerk, kind="restore", account_no=odb.accounts["b"], inspection_ref=insp)),
        (ValidationError, "结束时间应晚于开始时间", lambda: orders.add_notice(
            odb, manager, street="测试路", starts_at="2026-11-25 09:00",
            ends_at="2026-11-25 08:00", reason="管网改造")),
        (NotFound, "户号", lambda: orders.add_order(
            odb, clerk, kind="repair", account_no="999", description="漏气")),
        (NotFound, "工号", lambda: orders.dispatch(odb, clerk, n, to_staff_no="7777")),
    ]
    for exc, text, call in cases:
        with pytest.raises(exc, match=text):
            call()
        assert counts(odb) == before, text


def test_follow_up_overdue_after_the_weekend_and_nobody_home(odb):
    clerk, tech, manager = sign(odb, "1001"), sign(odb, "1003", None), sign(odb, "9001", None)
    at(FRI)
    n = orders.add_order(odb, clerk, kind="inspection", account_no=odb.accounts["b"]).number
    orders.dispatch(odb, clerk, n, to_staff_no="1003")
    orders.arrive(odb, tech, n)
    v = orders.record_result(odb, tech, n, "done", outcome="not_home",
                             next_attempt=dt.date(2026, 11, 27))
    assert v.result == "failed"                            # nobody home: not an inspection
    v = orders.close(odb, clerk, n)
    assert v.followup_due_at == "2026-11-24T15:00:00"      # Fri 9 h + Mon 24 h + Tue 15 h
    at(dt.datetime(2026, 11, 24, 14, 59))
    assert orders.get_order(odb, clerk, n).state == "awaiting_followup"
    at(dt.datetime(2026, 11, 24, 15, 1))
    v = orders.get_order(odb, clerk, n)
    assert v.state == "followup_overdue" and v.overdue
    assert [x.number for x in orders.list_orders(odb, manager, scope="all",
                                                 overdue_only=True)] == [n]
    row = [r for r in orders.inspections_due(odb, manager, within_days=400)
           if r.account_no == odb.accounts["b"]][0]
    assert row.not_home_count == 1 and row.next_attempt == "2026-11-27"


def test_demo_orders_fill_the_board(odb):
    from counterdesk.orders import demo

    manager = sign(odb, "9001", None)
    at(MON)
    assert demo.seed_demo(odb, "HQ01") == {"orders": 5, "notices": 1}
    assert demo.seed_demo(odb, "HQ01") == {"orders": 0, "notices": 0}      # idempotent
    board = orders.list_orders(odb, manager, scope="all")
    assert board[0].kind == "alarm" and board[0].overdue
    assert {v.status for v in board} == {"dispatched", "on_site", "closed", "recorded"}
    assert len(orders.list_notices(odb, manager)) == 1
