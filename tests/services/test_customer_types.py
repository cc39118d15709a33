"""Customer types as the hall uses them (issue 15.7): the hall policy
``accounts.customer_types`` on SQLite and PostgreSQL; account forms, price items, the price
CSV and the sale read the hall's codes and names and show the hall's names."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from counterdesk import accounts, billing, clock, policy, staff
from counterdesk.accounts import types
from counterdesk.errors import Conflict, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent
from tests.helpers.billing_helpers import DAY, make_account
from tests.services.test_accounts import ID_B, person

KEY = "accounts.customer_types"
SCHOOL = "resident=居民, commercial=商业, industrial=工业, public=公福, heating=采暖, school=学校"


@pytest.fixture(autouse=True)
def _day():
    clock.set_now(DAY)


def test_the_rules_of_the_list():
    assert policy.BY_KEY[KEY].default == types.DEFAULT_TEXT == types.DEFAULT.text()
    pk = policy.BY_KEY[KEY]
    # a known name alone stands for its code; a known code alone keeps its usual name
    assert policy.parse(pk, "居民，商业；公福、heating") == \
        "resident=居民, commercial=商业, public=公福, heating=采暖"
    assert policy.parse(pk, " School = 学校 , resident") == "school=学校, resident=居民"
    refused = {"": "至少要有一种", "school": "须写名称", "Sch-ool=学校": "小写英文字母",
               "s=学校": "小写英文字母", "resident=居民, resident=住宅": "代码 resident 重复",
               "resident=居民, commercial=居民": "名称“居民”重复",
               "public=公福, commercial=公服": "是类型 public 的名称",
               "resident=居民, commercial=resident": "是类型 resident 的名称",
               "school=一二三四五六七八九十一": "1–10 个字"}
    for text, words in refused.items():
        with pytest.raises(ValidationError) as e:
            policy.parse(pk, text)
        assert words in e.value.message and KEY in e.value.message, text
        assert e.value.field == KEY


def test_a_hall_renames_and_adds_a_type_and_every_form_reads_it(demo_db, clerk, manager):
    # before: 公福 and 学校 were not the hall's words; opening a 学校 account was refused
    with pytest.raises(ValidationError):
        accounts.open_account(demo_db, clerk, person(customer_type="学校"))
    with pytest.raises(PermissionDenied):
        policy.set(demo_db, clerk, KEY, SCHOOL)
    policy.set(demo_db, manager, KEY, SCHOOL)
    with demo_db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "policy.changed")
                       .order_by(AuditEvent.id.desc())).scalars().first()
    assert ev is not None and json.loads(ev.payload)["new"] == SCHOOL
    v = accounts.open_account(demo_db, clerk, person(customer_type="学校"))
    assert v.customer_type == "school" and v.to_dict()["customer_type_name"] == "学校"
    # the usual name and the hall's name of the same code both read; the hall's is shown
    w = accounts.open_account(demo_db, clerk, person(
        customer_type="公服", id_number=ID_B, name="李四", room="302", meter_no="T0000002"))
    assert w.customer_type == "public" and w.to_dict()["customer_type_name"] == "公福"
    assert accounts.show(demo_db, clerk, w.account_no).to_dict()["customer_type_name"] == "公福"
    # a price item for the hall's new type, by its name; the sale checks it
    info = billing.set_price(demo_db, manager, billing.PriceInput(
        "GAS-S", "学校用气", 300, DAY.date(), "gas", "立方米", customer_types="学校"))
    assert info.customer_types == "school" and info.customer_type_names == "学校"
    resident = make_account(demo_db, "0100099902") and "0100099902"
    with pytest.raises(Conflict) as e:
        billing.pay(demo_db, clerk, billing.SaleRequest(
            items=[billing.LineInput("GAS-S", "10")], account_no=resident,
            tenders=[billing.TenderInput("cash")]))
    assert "只适用于学校用户" in e.value.message and "为居民用户" in e.value.message
    paid = billing.pay(demo_db, clerk, billing.SaleRequest(
        items=[billing.LineInput("GAS-S", "10")], account_no=v.account_no,
        tenders=[billing.TenderInput("cash")]))
    assert paid.total_fen == 3000
    # the price CSV reads the hall's names and codes
    csv = ("code,name,category,unit,unit_price,effective_from,effective_to,tiers,note,"
           "customer_types\nGAS-X,学校公福用气,gas,立方米,3.10,2026-12-01,,,,学校;公福\n")
    billing.import_csv(demo_db, manager, csv)
    got = {i.code: i for i in billing.list_prices(demo_db, "HQ01", day=DAY.date().replace(
        month=12, day=2))}
    assert got["GAS-X"].customer_types == "school,public"
    assert got["GAS-X"].customer_type_names == "学校、公福"


def test_a_type_in_use_cannot_be_removed_but_can_be_renamed(demo_db, clerk, manager):
    # the demo's GAS-N (in force and from 2027) names 采暖: dropping it is refused
    no_heating = "resident, commercial, industrial, public=公福"
    with pytest.raises(Conflict) as e:
        policy.set(demo_db, manager, KEY, no_heating)
    assert "“采暖”（heating）" in e.value.message and "GAS-N（非居民管道天然气）" in e.value.message
    assert policy.values(demo_db, manager.hall_id)[KEY] == types.DEFAULT_TEXT
    policy.set(demo_db, manager, KEY, SCHOOL)
    accounts.open_account(demo_db, clerk, person(customer_type="school"))
    with pytest.raises(Conflict) as e:
        policy.set(demo_db, manager, KEY, SCHOOL.replace(", school=学校", ""))
    assert "“学校”（school）仍有1 个未销户的户号在用" in e.value.message
    assert e.value.data["in_use"] == {"school": {"accounts": 1, "items": []}}
    policy.set(demo_db, manager, KEY, SCHOOL.replace("学校", "学校用户"))  # a rename is fine
    assert types.load(demo_db, manager.hall_id).name("school") == "学校用户"


def test_a_water_company_drops_heating(db):
    from counterdesk import resources_access, setup

    setup.create_hall(db, resources_access.read_toml("demo", "hall.toml"))
    staff.add_user(db, "1001", "柜员甲", "clerk", "123456", hall_code="HQ01")
    staff.add_user(db, "9001", "主任", "manager", "888888", hall_code="HQ01")
    clerk = staff.sign_in(db, "1001", "123456", window=1)
    policy.set(db, staff.sign_in(db, "9001", "888888"), KEY, "居民, 商业, 工业, 公服")
    with pytest.raises(ValidationError) as e:
        accounts.open_account(db, clerk, person(customer_type="采暖"))
    assert e.value.field == "customer_type"
    assert "“采暖”不是本厅使用的客户类型，应为 居民、商业、工业 或 公服" in e.value.message
    with pytest.raises(ValidationError) as e:
        billing.parse_csv("code,name,category,unit,unit_price,effective_from,customer_types\n"
                          "GAS-H,采暖用气,gas,立方米,3,2026-12-01,采暖\n",
                          types.load(db, clerk.hall_id))
    assert "第 2 行" in e.value.message and "采暖" in e.value.message
    assert accounts.open_account(db, clerk, person(customer_type="")).customer_type == "resident"
