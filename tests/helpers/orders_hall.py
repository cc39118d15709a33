"""A light hall for the work-order tests: the demo hall's windows and staff, and three
accounts (two residents on 测试路, a non-resident on 滨江路 without contracts)."""

from __future__ import annotations

import datetime as dt

import pytest

from counterdesk import accounts, clock, resources_access, setup, staff

MON = dt.datetime(2026, 11, 23, 10, 0)   # a Monday
OPENED = dt.datetime(2026, 11, 2, 9, 0)  # when the accounts were opened
STAFF = ("9001", "1001", "1002", "1003", "1004")
ID_A = "11010519491231002X"
ID_B = "330106198503151238"
ID_C = "310104199003078917"


def person(**kw) -> dict:
    d = dict(kind="person", name="张小明", id_type="resident_id", id_number=ID_A,
             phone="13812345678", customer_type="resident", district="江东区",
             street="测试路", community="测试小区", building="1", unit="2", room="301",
             meter_no="T0000001", meter_type="膜式表", supply_contract_no="GY-1",
             supply_contract_date="2026-11-01", safety_contract_no="AQ-1",
             safety_contract_date="2026-11-01", documents=["id_card", "property"])
    d.update(kw)
    return d


@pytest.fixture
def odb(db):
    data = resources_access.read_toml("demo", "hall.toml")
    setup.create_hall(db, data)
    for u in data["staff"]:
        if u["staff_no"] in STAFF:
            staff.add_user(db, u["staff_no"], u["name"], u["role"], u["password"],
                           hall_code=data["hall"]["code"])
    clock.set_now(OPENED)
    try:
        clerk = staff.sign_in(db, "1001", "123456", window=1)
        a = accounts.open_account(db, clerk, person())
        b = accounts.open_account(db, clerk, person(name="李四", id_number=ID_B,
                                                    phone="13900001111", room="302",
                                                    meter_no="T0000002"))
        c = accounts.open_account(db, clerk, person(
            name="王五", id_number=ID_C, phone="13700002222", customer_type="commercial",
            district="江西区", street="滨江路", community="滨江花园", room="101",
            meter_no="T0000003", supply_contract_no="", supply_contract_date="",
            safety_contract_no="", safety_contract_date=""))
    finally:
        clock.set_now(None)
    db.accounts = {"a": a.account_no, "b": b.account_no, "c": c.account_no}
    return db


def sign(db, staff_no: str, window: int | None = 1):
    pw = "888888" if staff_no == "9001" else "123456"
    return staff.sign_in(db, staff_no, pw, window=window)
