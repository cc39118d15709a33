"""Work-order gates, inspections, supply notices and the report (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sqlalchemy import select

from counterdesk import accounts, audit, clock, orders
from counterdesk.errors import Conflict, PermissionDenied, ValidationError
from counterdesk.models.accounts import Account
from counterdesk.orders import inspections
from counterdesk.staff import Approval
from tests.helpers import orders_hall
from tests.helpers.orders_hall import MON, sign

odb = orders_hall.odb  # the fixture


def at(moment: dt.datetime) -> None:
    clock.set_now(moment)


def check(db, account_no: str) -> None:
    """What the sale path does: the one gate function on the account row."""
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar()
        orders.check_gas_allowed(s, acc)


def run(db, clerk, tech, kind, account_no, result="done", **kw):
    add = {k: kw.pop(k) for k in ("inspection_ref",) if k in kw}
    n = orders.add_order(db, clerk, kind=kind, account_no=account_no, **add).number
    orders.dispatch(db, clerk, n, to_staff_no=tech.staff_no)
    orders.arrive(db, tech, n)
    return orders.record_result(db, tech, n, result, **kw)


def test_no_gas_before_first_gas_and_both_contracts(odb):
    clerk, tech = sign(odb, "1001"), sign(odb, "1003", None)
    c = odb.accounts["c"]                                  # opened without contracts
    at(MON)
    check(odb, c)                                          # not opened through 报装: no gate
    install = orders.add_order(odb, clerk, kind="install", address="江西区滨江路滨江花园 101",
                               contact_phone="13700002222", description="新房报装")
    orders.dispatch(odb, clerk, install.number, to_staff_no="1003")
    orders.arrive(odb, tech, install.number)
    v = orders.record_result(odb, tech, install.number, "done", account_no=c, note="查勘合格")
    assert v.account_no == c
    with pytest.raises(Conflict, match="通气工单完成前不能购气"):
        check(odb, c)
    assert orders.account_flags(odb, clerk, c)["gas_allowed"] is False
    first = orders.add_order(odb, clerk, kind="first_gas", account_no=c).number
    orders.dispatch(odb, clerk, first, to_staff_no="1003")
    orders.arrive(odb, tech, first)
    with pytest.raises(Conflict, match="合同"):
        orders.record_result(odb, tech, first, "done")
    with odb.write() as s:                                 # the contracts get signed
        acc = s.execute(select(Account).where(Account.account_no == c)).scalar()
        acc.supply_contract_no, acc.supply_contract_date = "GY-9", dt.date(2026, 11, 23)
    with pytest.raises(Conflict, match="合同"):
        orders.record_result(odb, tech, first, "done")     # one contract is not enough
    with odb.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == c)).scalar()
        acc.safety_contract_no, acc.safety_contract_date = "AQ-9", dt.date(2026, 11, 23)
    with pytest.raises(Conflict, match="通气"):
        check(odb, c)
    orders.record_result(odb, tech, first, "done", note="严密性试验合格，已通气")
    check(odb, c)


def test_hazard_stops_supply_until_a_restore_with_a_passed_reinspection(odb):
    clerk, tech = sign(odb, "1001"), sign(odb, "1003", None)
    a = odb.accounts["a"]
    at(MON)
    hz = run(odb, clerk, tech, "inspection", a, outcome="hazard", hazard="软管老化漏气")
    assert hz.result == "done" and hz.hazard == "软管老化漏气"
    assert accounts.show(odb, clerk, a).status == "suspended"
    with pytest.raises(Conflict, match="隐患已停气"):
        check(odb, a)
    # a restore referencing the hazard inspection itself cannot be done
    at(MON + dt.timedelta(hours=1))
    bad = orders.add_order(odb, clerk, kind="restore", account_no=a, inspection_ref=hz.number)
    orders.dispatch(odb, clerk, bad.number, to_staff_no="1003")
    orders.arrive(odb, tech, bad.number)
    with pytest.raises(Conflict, match="没有复检合格"):
        orders.record_result(odb, tech, bad.number, "done")
    # the re-inspection after the rectification passes; a passed inspection alone lifts nothing
    at(MON + dt.timedelta(days=1))
    ok = run(odb, clerk, tech, "inspection", a, outcome="passed", note="已更换软管")
    with pytest.raises(Conflict):
        check(odb, a)
    v = run(odb, clerk, tech, "restore", a, inspection_ref=ok.number)
    assert v.result == "done"
    check(odb, a)
    assert accounts.show(odb, clerk, a).status == "active"
    assert audit.verify(odb).ok                            # every step is on the chain


def test_stop_order_stops_supply_and_restore_lifts_it(odb):
    clerk, tech = sign(odb, "1001"), sign(odb, "1003", None)
    b = odb.accounts["b"]
    at(MON)
    run(odb, clerk, tech, "stop", b, note="客户申请停气")
    with pytest.raises(Conflict, match="已停气"):
        check(odb, b)
    ok = run(odb, clerk, tech, "inspection", b, outcome="passed")
    run(odb, clerk, tech, "restore", b, inspection_ref=ok.number)
    check(odb, b)


def test_meter_change_carries_the_readings(odb):
    clerk, tech = sign(odb, "1001"), sign(odb, "1003", None)
    a = odb.accounts["a"]
    at(MON)
    n = orders.add_order(odb, clerk, kind="meter_change", account_no=a).number
    orders.dispatch(odb, clerk, n, to_staff_no="1003")
    orders.arrive(odb, tech, n)
    with pytest.raises(ValidationError, match="旧表止码"):
        orders.record_result(odb, tech, n, "done", new_meter_no="T0000009", old_reading="x",
                             new_reading="0")
    with pytest.raises(Conflict, match="T0000002"):
        orders.record_result(odb, tech, n, "done", new_meter_no="T0000002",
                             old_reading="1234.5", new_reading="0")
    v = orders.record_result(odb, tech, n, "done", new_meter_no="T0000009",
                             old_reading="1234.5", new_reading="0.0")
    assert (v.old_meter_no, v.old_reading, v.new_meter_no, v.new_reading) == \
        ("T0000001", "1234.5", "T0000009", "0.0")
    assert accounts.show(odb, clerk, a).meter_no == "T0000009"


def test_inspection_schedule_overdue_and_nobody_home(odb):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    a, b, c = (odb.accounts[k] for k in "abc")
    # opened 2026-11-02: residents due 2027-05-02, the non-resident 2027-02-02
    at(dt.datetime(2027, 2, 10, 9, 0))
    rows = orders.inspections_due(odb, manager, within_days=30)
    assert [(r.account_no, r.overdue) for r in rows] == [(c, True)]
    assert orders.account_flags(odb, clerk, c)["inspection_overdue"]
    assert any("安检逾期" in f for f in orders.account_flags(odb, clerk, c)["flags"])
    out = orders.record_inspection(odb, clerk, c, "not_home", next_attempt=dt.date(2027, 2, 14))
    assert out["next_attempt"] == "2027-02-14"
    row = orders.inspections_due(odb, manager, district="江西区")[0]
    assert row.not_home_count == 1 and row.next_attempt == "2027-02-14" and row.overdue
    assert orders.inspections_due(odb, manager, district="江东区", within_days=0) == []
    at(dt.datetime(2027, 2, 14, 10, 0))
    out = orders.record_inspection(odb, clerk, c, "passed")
    assert out["next_due"] == "2027-05-14"                 # quarterly for a non-resident
    assert orders.inspections_due(odb, manager, within_days=30) == []
    at(dt.datetime(2027, 5, 3, 9, 0))
    assert {r.account_no for r in orders.inspections_due(odb, manager, only_overdue=True)} \
        == {a, b}
    with pytest.raises(ValidationError, match="隐患内容"):
        orders.record_inspection(odb, clerk, a, "hazard")
    assert inspections.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_supply_notice_reaches_the_accounts_of_its_area(odb, tmp_path):
    clerk, manager = sign(odb, "1001"), sign(odb, "9001", None)
    a, b, c = (odb.accounts[k] for k in "abc")
    at(MON)
    with pytest.raises(PermissionDenied):
        orders.add_notice(odb, clerk, street="测试路", starts_at="2026-11-25 09:00",
                          ends_at="2026-11-25 17:00", reason="管网改造")
    with pytest.raises(PermissionDenied):                  # a clerk approving themselves
        orders.add_notice(odb, clerk, street="测试路", starts_at="2026-11-25 09:00",
                          ends_at="2026-11-25 17:00", reason="管网改造",
                          approval=Approval("1002", "123456"))
    assert orders.list_notices(odb, clerk) == []
    by_clerk = orders.add_notice(odb, clerk, street="滨江路", starts_at="2026-11-26 09:00",
                                 ends_at="2026-11-26 12:00", reason="阀门检修",
                                 approval=Approval("9001", "888888"))
    assert by_clerk.created_by == "1001"
    n = orders.add_notice(odb, manager, district="江东区", street="测试路",
                          starts_at="2026-11-25 09:00", ends_at="2026-11-25 17:00",
                          reason="管网改造")
    assert n.number.startswith("TQ2026") and not n.active
    assert [x.number for x in orders.list_notices(odb, clerk)] == [n.number, by_clerk.number]
    assert any(n.number in f for f in orders.account_flags(odb, clerk, a)["flags"])
    assert [x["number"] for x in orders.account_flags(odb, clerk, c)["notices"]] == \
        [by_clerk.number]
    rows = orders.affected_accounts(odb, clerk, n.number)
    assert [r["account_no"] for r in rows] == [a, b]
    assert rows[0]["phone"] == "138****5678"
    with pytest.raises(ValidationError):
        orders.affected_accounts(odb, clerk, n.number, full_phones=True)
    full = orders.affected_accounts(odb, manager, n.number, full_phones=True)
    path = orders.write_accounts_csv(full, tmp_path / "affected.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:4] == ["户号", "户名", "地址", "电话"] and table[1][3] == "13812345678"
    assert orders.display_notices(odb, manager.hall_id, ahead_hours=24) == []
    assert [x.number for x in orders.display_notices(odb, manager.hall_id)] == \
        [n.number, by_clerk.number]
    at(dt.datetime(2026, 11, 25, 18, 0))                   # over: no longer shown
    assert [x.number for x in orders.display_notices(odb, manager.hall_id)] == \
        [by_clerk.number]
    assert [x.number for x in orders.list_notices(odb, clerk)] == [by_clerk.number]
    assert orders.account_flags(odb, clerk, a)["notices"] == []


def test_report_on_time_rates(odb):
    clerk, tech, other = sign(odb, "1001"), sign(odb, "1003", None), sign(odb, "1002", 2)
    manager = sign(odb, "9001", None)
    at(MON)
    fast = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["a"],
                            description="灶具打不着火").number
    slow = orders.add_order(odb, clerk, kind="repair", account_no=odb.accounts["b"],
                            description="热水器漏气").number
    for n in (fast, slow):
        orders.dispatch(odb, clerk, n, to_staff_no="1003")
    at(MON + dt.timedelta(hours=1))
    orders.arrive(odb, tech, fast)
    orders.record_result(odb, tech, fast, "done")
    orders.close(odb, clerk, fast)
    orders.follow_up(odb, other, fast, "satisfied")
    at(MON + dt.timedelta(hours=8))
    # the slow one is still not on site 8 hours on: overdue
    with pytest.raises(PermissionDenied):
        orders.report(odb, clerk)
    rep = orders.report(odb, manager)
    (row,) = rep["by_kind"]
    assert row["kind"] == "repair" and row["total"] == 2
    assert (row["onsite_on_time"], row["onsite_decided"], row["onsite_rate"]) == (1, 2, 0.5)
    assert row["result_decided"] == 1 and row["result_rate"] == 1.0
    assert rep["followups"] == {"satisfied": 1, "unsatisfied": 0}
    assert [d["number"] for d in rep["overdue"]] == [slow]
    assert "13812345678" not in str(rep)
