"""Customer accounts (issue 5): every rule on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text

from counterdesk import accounts, clock, privacy, staff
from counterdesk import validators as V
from counterdesk.accounts import bills_import
from counterdesk.demo import accounts as accounts_demo
from counterdesk.errors import Conflict, NotFound, PermissionDenied, ValidationError
from counterdesk.models import AuditEvent
from counterdesk.models.accounts import Account, Bill, Holder, HolderHistory

ID_A = "11010519491231002X"      # the example of GB 11643
ID_B = "330106198503151238"
ID_C = "310104199003078917"
USCC = "91350100M000100Y43"      # a published example of GB 32100


def person(**kw) -> dict:
    d = dict(kind="person", name="张小明", id_type="resident_id", id_number=ID_A,
             phone="13812345678", customer_type="resident", district="江东区",
             street="测试路", community="测试小区", building="1", unit="2", room="301",
             meter_no="T0000001", meter_type="膜式表", supply_contract_no="GY-1",
             supply_contract_date="2026-11-01", safety_contract_no="AQ-1",
             safety_contract_date="2026-11-01", documents=["id_card", "property"])
    d.update(kw)
    return d


def count(db, model) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def add_bill(db, account_no, period="2026-10", amount=12345, paid=0):
    with db.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar_one()
        s.add(Bill(account_id=acc.id, period=period, volume=10, amount_fen=amount,
                   paid_fen=paid, due_date=dt.date(2026, 11, 20)))


@pytest.fixture
def desk(db):
    """A hall with one clerk and one manager: cheaper than the whole demo hall."""
    from counterdesk import resources_access, setup

    setup.create_hall(db, resources_access.read_toml("demo", "hall.toml"))
    staff.add_user(db, "1001", "柜员甲", "clerk", "123456", hall_code="HQ01")
    staff.add_user(db, "9001", "主任", "manager", "888888", hall_code="HQ01")
    return db, staff.sign_in(db, "1001", "123456", window=1)


@pytest.fixture
def frozen():
    clock.set_now(dt.datetime(2026, 11, 22, 10, 0, 0))
    yield
    clock.set_now(None)


# -- validators (pure) ------------------------------------------------------------------------
@pytest.mark.parametrize("good", [ID_A, ID_B, ID_C, "11010519491231002x"])
def test_resident_id_valid(good):
    assert V.resident_id(good) == good.upper()


@pytest.mark.parametrize("bad,why", [
    ("110105194912310021", "校验位"),          # wrong check character
    ("11010519491231002", "18 位"),            # too short
    ("110105194913310029", "出生日期"),         # month 13
    ("110105190002290025", "出生日期"),         # 1900 was not a leap year
    ("110105203001010012", "不可能"),           # born in the future
    ("990105194912310029", "省级"),             # no province 99
    ("11010519491231002Y", "最后一位"),
    ("'; DROP TABLE x;--", "18 位"),
])
def test_resident_id_invalid(bad, why):
    with pytest.raises(ValidationError) as e:
        V.resident_id(bad)
    assert why in e.value.zh and e.value.field == "id_number"
    assert e.value.zh.startswith("证件号码")


def test_every_wrong_check_character_is_refused():
    body = ID_B[:17]
    for ch in "0123456789X":
        if ch == ID_B[17]:
            assert V.resident_id(body + ch)
        else:
            with pytest.raises(ValidationError, match="校验位"):
                V.resident_id(body + ch)


def test_uscc():
    assert V.uscc(USCC) == USCC
    assert V.uscc("91330106MA2CD12345") == "91330106MA2CD12345"
    with pytest.raises(ValidationError, match="校验位"):
        V.uscc("91350100M000100Y44")
    with pytest.raises(ValidationError, match="I O S V Z"):
        V.uscc("91350100M0001O0Y43")
    with pytest.raises(ValidationError, match="18 位"):
        V.uscc("9135010")


def test_permits_and_passports():
    assert V.hk_macau_permit("h12345678") == "H12345678"
    assert V.hk_macau_permit("M1234567801") == "M1234567801"
    assert V.taiwan_permit("12345678") == "12345678"
    assert V.passport("E12345678") == "E12345678"
    for fn, bad in ((V.hk_macau_permit, "X12345678"), (V.taiwan_permit, "1234"),
                    (V.passport, "E1<script>")):
        with pytest.raises(ValidationError):
            fn(bad)


@pytest.mark.parametrize("raw,want", [
    ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("0571-87654321", "0571-87654321"), ("057187654321", "0571-87654321"),
    ("010-12345678", "010-12345678"), ("01012345678", "010-12345678"),
])
def test_phone_valid(raw, want):
    assert V.phone(raw) == want


@pytest.mark.parametrize("bad,why", [("12812345678", "号段"), ("1381234567", "11 位"),
                                     ("hello", "手机号"), ("138\x0012345678", "控制字符")])
def test_phone_invalid(bad, why):
    with pytest.raises(ValidationError, match=why):
        V.phone(bad)


@pytest.mark.parametrize("good", ["张小明", "𠮷祥", "李堃", "陈喆", "张䶮", "买买提·艾力",
                                  "O'Neil Smith"])
def test_names_accepted(good):
    assert V.name(good) == good


@pytest.mark.parametrize("bad,why", [
    ("张" * 400, "过长（400 个字）"), ("张\u200b明", "控制字符"), ("张\x07明", "控制字符"),
    ("Robert'); DROP TABLE holders;--", "不允许的字符"), ("<b>王</b>", "不允许的字符"),
    ("", "不能为空"), ("123", "不允许"),
])
def test_names_refused(bad, why):
    with pytest.raises(ValidationError) as e:
        V.name(bad)
    assert why in e.value.zh and e.value.zh.startswith("姓名")


def test_account_number_check_digit():
    no = accounts.make_account_no(1, 1)
    assert len(no) == 10 and accounts.check_account_no(no) == no
    wrong = no[:-1] + str((int(no[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="校验位"):
        accounts.check_account_no(wrong)
    # a single changed digit or an adjacent swap is detected
    body = no[:-1]
    swapped = body[:3] + body[4] + body[3] + body[5:]
    if swapped != body:
        assert accounts.luhn_digit(swapped) != no[-1] or swapped == body


def test_pinyin_initials():
    assert accounts.name_initials("张小明") == "zxm"
    assert accounts.name_initials("曾小贤") == "zxx"
    assert accounts.name_initials("𠮷祥").endswith("x")


def test_masks():
    assert privacy.mask_id(ID_A) == "1101**********002X"
    assert privacy.mask_phone("13812345678") == "138****5678"


# -- opening ----------------------------------------------------------------------------------
def test_open_account(desk, frozen):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    assert len(v.account_no) == 10 and accounts.check_account_no(v.account_no)
    assert v.holder.name == "张小明"
    assert v.holder.id_masked == "1101**********002X"
    assert v.holder.phone_masked == "138****5678"
    assert v.address == "江东区测试路测试小区1幢2单元301室"
    assert [h.change for h in v.history] == ["open"]
    d = v.to_dict()
    assert ID_A not in json.dumps(d, ensure_ascii=False)
    assert "13812345678" not in json.dumps(d, ensure_ascii=False)
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "account.opened")).scalar_one()
        assert ID_A not in ev.payload and "13812345678" not in ev.payload
        assert v.account_no in ev.payload


def test_open_organisation_needs_licence(desk):
    demo_db, clerk = desk
    db = demo_db
    data = person(kind="organisation", name="滨江示例餐饮有限公司", id_type="uscc",
                  id_number=USCC, customer_type="商业", phone="0571-87654321")
    with pytest.raises(ValidationError, match="营业执照"):
        accounts.open_account(db, clerk, data)
    data["documents"] += ["business_licence"]
    v = accounts.open_account(db, clerk, data)
    assert v.holder.kind == "organisation" and v.customer_type == "commercial"


@pytest.mark.parametrize("field,value,why", [
    ("id_number", "110105194912310021", "校验位"),
    ("id_number", "110105194902300026", "出生日期"),
    ("name", "张" * 400, "过长"),
    ("name", "张\x1b明", "控制字符"),
    ("name", "x'); DELETE FROM accounts;--", "不允许的字符"),
    ("meter_no", "T1'; DROP TABLE accounts;--", "不允许的字符"),
    ("phone", "1381234", "11 位"),
    ("supply_contract_date", "2026-02-30", "不存在"),
    ("street", "", "不能为空"),
    ("district", "江东\x00区", "控制字符"),
])
def test_bad_input_names_the_field_and_saves_nothing(desk, field, value, why):
    demo_db, clerk = desk
    db = demo_db
    before = (count(db, Account), count(db, Holder), count(db, AuditEvent))
    with pytest.raises(ValidationError) as e:
        accounts.open_account(db, clerk, person(**{field: value}))
    assert e.value.field == field
    assert why in e.value.zh
    assert V.label(field)[0] in e.value.zh
    assert (count(db, Account), count(db, Holder), count(db, AuditEvent)) == before
    with db.read() as s:  # the tables are still there
        assert s.execute(text("SELECT COUNT(*) FROM accounts")).scalar() == before[0]


def test_missing_documents_refused(desk):
    demo_db, clerk = desk
    with pytest.raises(ValidationError, match="房产证") as e:
        accounts.open_account(demo_db, clerk, person(documents=["id_card"]))
    assert e.value.data["missing"] == ["property"]


def test_duplicate_meter_refused_with_existing_account(desk):
    demo_db, clerk = desk
    db = demo_db
    first = accounts.open_account(db, clerk, person())
    before = count(db, Account)
    with pytest.raises(Conflict) as e:
        accounts.open_account(db, clerk, person(room="302", id_number=ID_B, name="李四"))
    assert e.value.field == "meter_no" and "表号" in e.value.zh
    assert e.value.data["existing"]["account_no"] == first.account_no
    assert "*" in e.value.data["existing"]["id_masked"]
    assert count(db, Account) == before


def test_duplicate_address_refused(desk):
    demo_db, clerk = desk
    db = demo_db
    first = accounts.open_account(db, clerk, person())
    with pytest.raises(Conflict) as e:
        accounts.open_account(db, clerk, person(meter_no="T0000002", building=" 1 "))
    assert "地址" in e.value.zh and first.account_no in e.value.zh


def test_same_id_warns_and_shows_existing(desk):
    demo_db, clerk = desk
    db = demo_db
    first = accounts.open_account(db, clerk, person())
    pre = accounts.precheck_open(db, clerk, person(meter_no="T0000002", room="302"))
    assert pre["errors"] == {} and pre["refusals"] == []
    assert pre["warnings"][0]["existing"]["account_no"] == first.account_no
    second = accounts.open_account(db, clerk, person(meter_no="T0000002", room="302"))
    assert second.warnings and second.warnings[0]["kind"] == "same_id"


def test_closed_account_frees_meter(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    accounts.close(db, clerk, v.account_no, final_reading="123.4",
                   documents=["id_card", "final_reading"])
    again = accounts.open_account(db, clerk, person(name="李四", id_number=ID_B))
    assert again.account_no != v.account_no


def test_form_errors_per_field():
    errs = accounts.form_errors({"name": "张\x01", "id_number": "110105194912310021",
                                 "phone": "138", "meter_no": "", "street": "x"})
    assert set(errs) >= {"name", "id_number", "phone", "meter_no", "district"}
    assert "校验位" in errs["id_number"]
    assert accounts.form_errors(person()) == {}


# -- rare characters -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["𠮷祥", "李堃", "陈喆", "张䶮"])
def test_rare_characters_stored_searched_displayed(desk, name):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person(name=name, meter_no="R" + str(len(name)),
                                                room="9" + str(ord(name[-1]) % 100)))
    assert accounts.show(db, clerk, v.account_no).holder.name == name
    with db.read() as s:
        assert s.execute(select(Holder.name).where(Holder.name == name)).scalars().all()
    hits = accounts.search(db, clerk, name).hits
    assert v.account_no in [h.account_no for h in hits]
    assert [h.name for h in hits if h.account_no == v.account_no] == [name]
    first = accounts.search(db, clerk, name[0], key="name", limit=100).hits
    assert v.account_no in [h.account_no for h in first] or len(first) == 100


# -- search ---------------------------------------------------------------------------------------
def test_search_every_key(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person(meter_no="ZX99887766"))
    no = v.account_no

    def found(q, key=None):
        return no in [h.account_no for h in accounts.search(db, clerk, q, key=key,
                                                             limit=50).hits]
    assert found(no) and found(no[:6], "account_no")
    assert found("张小明") and found("张小")
    assert found("zhxm") and found("zxm") and found("ZXM")
    assert found("1381234") and found("13812345678")
    land = accounts.open_account(db, clerk, person(phone="0571-87654321", meter_no="L1",
                                                   room="999")).account_no
    for q in ("0571-8765", "05718765", "057187654321"):
        assert land in [h.account_no for h in accounts.search(db, clerk, q).hits], q
    assert found("002X") and found("1002x") and found("31002X")
    assert found("测试路测试小区") and found("测试小区1幢2单元") and found("江东区测试路")
    assert found("zx9988") and found("ZX99887766")
    assert not found("999999999")
    hit = [h for h in accounts.search(db, clerk, "zhxm").hits if h.account_no == no][0]
    assert hit.matched == "initials" and hit.id_masked == "1101**********002X"
    assert hit.phone_masked == "138****5678"


def test_search_treats_sql_and_wildcards_as_text(desk):
    demo_db, clerk = desk
    db = demo_db
    accounts.open_account(db, clerk, person())
    for q in ("%", "_", "' OR 1=1 --", "张%", "\x00", ""):
        res = accounts.search(db, clerk, q)
        assert all(h.name.startswith(q.strip("\x00")) or h.matched != "name" for h in res.hits)
    assert accounts.search(db, clerk, "%").hits == []


def test_search_demo_data(demo_db, clerk):
    db = demo_db
    res = accounts.search(db, clerk, "0100", limit=10)
    assert len(res.hits) == 10 and res.more
    assert accounts.search(db, clerk, "𠮷").hits


def test_search_uses_indexes(demo_db, clerk):
    """No full scan: every key's query is an index range search (selective prefixes)."""
    db = demo_db
    from sqlalchemy.dialects import postgresql, sqlite

    with db.engine.begin() as c:
        c.execute(text("ANALYZE"))
    with db.read() as s:
        some = s.execute(select(Account).order_by(Account.id.desc()).limit(1)).scalar_one()
        for key, q in (("account_no", "010000123"), ("name", "张小"), ("initials", "zxm"),
                       ("phone", "1381234"), ("id_tail", "1234"), ("meter_no", "BJ010000123"),
                       ("address", some.address_key[:-2])):
            stmts = []
            orig = s.execute

            def capture(stmt, *a, stmts=stmts, orig=orig, **k):
                stmts.append(stmt)
                return orig(stmt, *a, **k)
            s.execute = capture
            accounts.search_key(s, clerk.hall_id, key, q, 21)
            s.execute = orig
            assert stmts, key
            for stmt in stmts:
                dialect = postgresql.dialect() if db.is_postgres else sqlite.dialect()
                sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                if db.is_postgres:  # 2,000 rows: tell the planner a scan is not an option
                    s.execute(text("SET LOCAL enable_seqscan = off"))
                    plan = "\n".join(r[0] for r in s.execute(text("EXPLAIN " + sql)))
                    assert "Seq Scan" not in plan, (key, plan)
                    assert "Index Cond" in plan and "~>=~" in plan, (key, plan)
                else:
                    steps = [str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql))]
                    assert all(st.startswith("SEARCH") for st in steps), (key, steps)
                    assert any("<?" in st for st in steps), (key, steps)


# -- rename / transfer / close -------------------------------------------------------------------
def test_rename_keeps_history(desk, frozen):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    with db.read() as s:
        old_holder = s.execute(select(Holder).where(Holder.name == "张小明")).scalar_one()
        old_id = old_holder.id
    clock.set_now(dt.datetime(2026, 11, 22, 11, 0))
    r = accounts.rename(db, clerk, v.account_no, "张晓明",
                        documents=["id_card", "name_change_proof"])
    assert r.holder.name == "张晓明" and r.holder.id_masked == v.holder.id_masked
    assert [h.change for h in r.history] == ["open", "rename"]
    assert r.history[0].holder.name == "张小明"
    assert r.history[0].valid_to == dt.datetime(2026, 11, 22, 11, 0)
    assert r.history[1].staff_no == "1001"
    with db.read() as s:
        assert s.get(Holder, old_id).name == "张小明"  # never overwritten
    with pytest.raises(ValidationError, match="更名证明"):
        accounts.rename(db, clerk, v.account_no, "张小明", documents=["id_card"])


def test_transfer_documents_of_both_parties(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    new = {"name": "李四", "id_number": ID_B, "phone": "13912345678"}
    with pytest.raises(ValidationError) as e:
        accounts.transfer(db, clerk, v.account_no, new, reason="sale",
                          documents=["new_holder_id"])
    assert set(e.value.data["missing"]) == {"old_holder_id", "sale_contract"}
    with pytest.raises(ValidationError, match="原因"):
        accounts.transfer(db, clerk, v.account_no, new, reason="whim", documents=[])
    r = accounts.transfer(db, clerk, v.account_no, new, reason="sale",
                          documents=["old_holder_id", "new_holder_id", "sale_contract"])
    assert r.holder.name == "李四" and r.account_no == v.account_no
    assert [(h.change, h.holder.name) for h in r.history] == [("open", "张小明"),
                                                                ("transfer", "李四")]
    assert r.history[1].reason == "sale"
    # inheritance: the deceased's ID is not required
    r2 = accounts.transfer(db, clerk, v.account_no,
                           {"name": "王五", "id_number": ID_C, "phone": "13712345678"},
                           reason="inheritance",
                           documents=["new_holder_id", "inheritance_proof"])
    assert [h.holder.name for h in r2.history] == ["张小明", "李四", "王五"]
    assert all(h.valid_to for h in r2.history[:-1]) and r2.history[-1].valid_to is None


def test_transfer_to_same_id_refused(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    with pytest.raises(ValidationError, match="更名"):
        accounts.transfer(db, clerk, v.account_no, {"name": "张晓明", "id_number": ID_A,
                                                    "phone": "13812345678"},
                          reason="gift", documents=["old_holder_id", "new_holder_id",
                                                    "gift_contract"])


@pytest.mark.parametrize("action", ["rename", "transfer", "close"])
def test_arrears_block_with_amount(desk, action):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    add_bill(db, v.account_no, "2026-09", 5000, 5000)   # paid
    add_bill(db, v.account_no, "2026-10", 12345, 345)   # 120.00 open
    before = (count(db, Holder), count(db, HolderHistory), count(db, AuditEvent))
    with pytest.raises(Conflict) as e:
        if action == "rename":
            accounts.rename(db, clerk, v.account_no, "张晓明",
                            documents=["id_card", "name_change_proof"])
        elif action == "transfer":
            accounts.transfer(db, clerk, v.account_no,
                              {"name": "李四", "id_number": ID_B, "phone": "13912345678"},
                              reason="gift",
                              documents=["old_holder_id", "new_holder_id", "gift_contract"])
        else:
            accounts.close(db, clerk, v.account_no, final_reading="10",
                           documents=["id_card", "final_reading"])
    assert e.value.data == {"arrears_fen": 12000, "account_no": v.account_no}
    assert "￥120.00" in e.value.zh
    assert (count(db, Holder), count(db, HolderHistory), count(db, AuditEvent)) == before
    assert accounts.show(db, clerk, v.account_no).status == "active"


def test_close_with_final_settlement(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    add_bill(db, v.account_no, "2026-10", 5000, 5000)
    with pytest.raises(ValidationError, match="终止读数"):
        accounts.close(db, clerk, v.account_no, documents=["id_card", "final_reading"])
    c = accounts.close(db, clerk, v.account_no, final_reading="1234.5",
                       documents=["id_card", "final_reading"], note="搬家")
    assert c.status == "closed" and c.closed_by == "1001"
    assert c.history[-1].change == "close"
    assert json.loads(c.history[-1].note)["final_reading"] == "1234.5"
    with pytest.raises(Conflict, match="已销户"):
        accounts.rename(db, clerk, v.account_no, "张晓明",
                        documents=["id_card", "name_change_proof"])


def test_other_hall_account_not_found(desk):
    demo_db, clerk = desk
    with pytest.raises(NotFound):
        accounts.show(demo_db, clerk, "9999999999")


# -- confidentiality -------------------------------------------------------------------------------
def test_reveal_needs_permission_and_is_audited(desk):
    demo_db, clerk = desk
    db = demo_db
    manager = staff.sign_in(db, "9001", "888888")
    v = accounts.open_account(db, clerk, person())
    with pytest.raises(PermissionDenied):
        accounts.reveal(db, clerk, v.account_no, "id_number")
    assert accounts.reveal(db, manager, v.account_no, "id_number") == ID_A
    assert accounts.reveal(db, manager, v.account_no, "phone") == "13812345678"
    with db.read() as s:
        evs = s.execute(select(AuditEvent).where(AuditEvent.kind == "account.revealed")
                        .order_by(AuditEvent.seq)).scalars().all()
    assert [json.loads(e.payload)["field"] for e in evs] == ["id_number", "phone"]
    assert all(e.staff_no == "9001" for e in evs)
    assert ID_A not in evs[0].payload
    with pytest.raises(ValidationError):
        accounts.reveal(db, manager, v.account_no, "password_hash")


# -- ledger ---------------------------------------------------------------------------------------------
def test_ledger(desk):
    demo_db, clerk = desk
    db = demo_db
    v = accounts.open_account(db, clerk, person())
    add_bill(db, v.account_no, "2026-09", 5000, 5000)
    add_bill(db, v.account_no, "2026-10", 7000, 0)
    led = accounts.ledger(db, clerk, v.account_no)
    assert [b["period"] for b in led["bills"]] == ["2026-09", "2026-10"]
    assert led["arrears_fen"] == 7000 and led["balance_fen"] == -7000
    assert led["payments"] == []


def test_demo_seed_is_deterministic_and_idempotent(demo_db, clerk):
    db = demo_db
    assert count(db, Account) == accounts_demo.DEMO_ACCOUNTS
    again = accounts.seed_demo(db, "HQ01")
    assert again["created"] == 0 and count(db, Account) == accounts_demo.DEMO_ACCOUNTS
    with db.read() as s:
        owing = s.execute(select(func.count(func.distinct(Bill.account_id))).where(
            Bill.amount_fen > Bill.paid_fen)).scalar()
        first = s.execute(select(Holder.name).order_by(Holder.id).limit(3)).scalars().all()
    assert 100 < owing < 400
    assert first == [h["name"] for h, _ in list(accounts_demo.generate_rows(
        1, 1, 3, 20261122, dt.datetime(2025, 1, 1)))]


def test_sign_in_unaffected(demo_db):
    assert staff.sign_in(demo_db, "1001", "123456").staff_no == "1001"


# -- bills import -------------------------------------------------------------------------------------
def _csv(lines):
    return ("account,period,volume,amount,due_date\n" + "\n".join(lines) + "\n").encode()


def test_import_bills(desk, tmp_path):
    demo_db, clerk = desk
    db = demo_db
    a = accounts.open_account(db, clerk, person()).account_no
    b = accounts.open_account(db, clerk, person(meter_no="T2", room="302", name="李四",
                                                id_number=ID_B)).account_no
    path = tmp_path / "bills.csv"
    path.write_bytes(_csv([f"{a},2026-10,35.20,98.56,2026-11-20",
                           f"{b},2026-10,10,30.00,2026-11-20"]))
    r = bills_import.import_bills(db, clerk, path)
    assert r.rows == 2 and r.total_fen == 12856
    assert accounts.show(db, clerk, a).arrears_fen == 9856
    with db.read() as s:
        ev = s.execute(select(AuditEvent).where(AuditEvent.kind == "bills.imported")).scalar_one()
        assert json.loads(ev.payload)["total_fen"] == 12856


def test_import_chinese_header_gbk(desk):
    demo_db, clerk = desk
    db = demo_db
    a = accounts.open_account(db, clerk, person()).account_no
    data = f"户号,账期,用气量,金额,缴费截止日\n{a},2026-10,1,2.50,2026-11-20\n".encode("gbk")
    assert bills_import.import_bills(db, clerk, data).rows == 1


def test_import_is_all_or_nothing_listing_every_bad_row(desk):
    demo_db, clerk = desk
    db = demo_db
    a = accounts.open_account(db, clerk, person()).account_no
    before = count(db, Bill)
    bad_check = a[:-1] + str((int(a[-1]) + 1) % 10)
    data = _csv([
        f"{a},2026-10,35.20,98.56,2026-11-20",         # good
        f"{a},2026-13,1,1.00,2026-11-20",              # bad month
        f"{bad_check},2026-10,1,1.00,2026-11-20",      # bad check digit
        f"{a},2026-11,-1,1.00,2026-12-20",             # negative volume
        f"{a},2026-12,1,1.005,2027-01-20",             # fractions of a fen
        f"{a},2027-01,1,1.00,2027-02-30",              # impossible date
        f"{a},2026-10,1,1.00,2026-11-20",              # duplicate of line 2
        "0100000000,2026-10,1,1.00,2026-11-20",        # check digit
        "'; DROP TABLE bills;--,2026-10,1,1,2026-11-20",
    ])
    with pytest.raises(ValidationError) as e:
        bills_import.import_bills(db, clerk, data)
    errs = e.value.data["errors"]
    assert [(x["line"], x["column"]) for x in errs] == [
        (3, "period"), (4, "account"), (5, "volume"), (6, "amount"), (7, "due_date"),
        (8, "period"), (9, "account"), (10, "account")]
    assert "未导入任何账单" in e.value.zh
    assert count(db, Bill) == before


def test_import_refuses_unknown_and_already_imported(desk):
    demo_db, clerk = desk
    db = demo_db
    a = accounts.open_account(db, clerk, person()).account_no
    bills_import.import_bills(db, clerk, _csv([f"{a},2026-10,1,1.00,2026-11-20"]))
    unknown = accounts.make_account_no(1, 9_999_999)
    with pytest.raises(ValidationError) as e:
        bills_import.import_bills(db, clerk, _csv([
            f"{a},2026-11,1,1.00,2026-12-20", f"{a},2026-10,1,1.00,2026-11-20",
            f"{unknown},2026-10,1,1.00,2026-11-20"]))
    reasons = {x["line"]: x["reason"] for x in e.value.data["errors"]}
    assert "已导入" in reasons[3] and "不存在" in reasons[4] and 2 not in reasons
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Bill)).scalar() == 1 + s.execute(
            select(func.count()).select_from(Bill).where(Bill.import_batch == "demo")).scalar()


def test_import_bad_header(desk):
    demo_db, clerk = desk
    with pytest.raises(ValidationError, match="缺少列"):
        bills_import.import_bills(demo_db, clerk, b"a,b,c\n1,2,3\n")


def test_ledger_with_payment_from_fee_collection(desk):
    """A bill paid at the counter (billing module) shows in the ledger, and then the
    transfer is no longer refused."""
    from counterdesk import billing

    db, clerk = desk
    no = accounts.open_account(db, clerk, person()).account_no
    add_bill(db, no, "2026-10", 4560, 0)
    with pytest.raises(Conflict):
        accounts.transfer(db, clerk, no, {"name": "李四", "id_number": ID_B,
                                          "phone": "13912345678"}, reason="gift",
                          documents=["old_holder_id", "new_holder_id", "gift_contract"])
    billing.pay(db, clerk, billing.SaleRequest(bills=["2026-10"], account_no=no,
                                               tenders=[billing.TenderInput("cash")]))
    led = accounts.ledger(db, clerk, no)
    assert led["arrears_fen"] == 0 and led["balance_fen"] == 0
    assert [p["total_fen"] for p in led["payments"]] == [4560]
    assert led["payments"][0]["receipt_no"]
    v = accounts.transfer(db, clerk, no, {"name": "李四", "id_number": ID_B,
                                          "phone": "13912345678"}, reason="gift",
                          documents=["old_holder_id", "new_holder_id", "gift_contract"])
    assert v.holder.name == "李四"


def test_suspend_and_reactivate(desk):
    db, clerk = desk
    no = accounts.open_account(db, clerk, person()).account_no
    with pytest.raises(ValidationError, match="原因"):
        accounts.set_suspended(db, clerk, no, True, reason="")
    assert accounts.set_suspended(db, clerk, no, True, reason="安检隐患停气").status == "suspended"
    with pytest.raises(Conflict):
        accounts.set_suspended(db, clerk, no, True, reason="again")
    with pytest.raises(ValidationError) as e:  # the inspection that cleared it
        accounts.set_suspended(db, clerk, no, False, reason="整改完成")
    assert e.value.field == "inspection_ref"
    with pytest.raises(PermissionDenied):  # and a manager's approval
        accounts.set_suspended(db, clerk, no, False, reason="整改完成", inspection_ref="AJ-1")
    v = accounts.set_suspended(db, clerk, no, False, reason="整改完成", inspection_ref="AJ-1",
                               approval=staff.Approval("9001", "888888"))
    assert v.status == "active"
    assert [(p["reason"], p["inspection_ref"], p["approved_by"]) for p in v.suspensions] == \
        [("安检隐患停气", "AJ-1", "9001")]
    with db.read() as s:
        kinds = s.execute(select(AuditEvent.kind).where(
            AuditEvent.kind.like("account.%")).order_by(AuditEvent.seq)).scalars().all()
    assert kinds[-2:] == ["account.suspended", "account.reactivated"]
