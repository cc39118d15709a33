"""用气性质变更: an account's customer type changed with a manager's approval (SQLite and
PostgreSQL): the price follows the type, the file and the audit keep the change, and every
refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from counterdesk import accounts, audit, billing, clock, staff
from counterdesk.errors import Conflict, PermissionDenied, ValidationError
from counterdesk.models import Authorisation
from counterdesk.models.accounts import Account, HolderHistory
from tests.services.test_accounts import add_bill, desk, person  # noqa: F401 (fixture)

MANAGER = staff.Approval("9001", "888888")
SHOP = ["id_card", "business_licence"]


@pytest.fixture
def opened(desk):  # noqa: F811 - the fixture imported above
    from counterdesk.demo.billing import seed_demo

    db, clerk = desk
    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    seed_demo(db, "HQ01")                       # the price list, with 阶梯气价
    acc = accounts.open_account(db, clerk, person()).account_no
    yield db, clerk, acc
    clock.set_now(None)


def _state(db, account_no):
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar_one()
        rows = s.execute(select(HolderHistory.change).where(
            HolderHistory.account_id == acc.id)).scalars().all()
        auths = s.execute(select(Authorisation.action)).scalars().all()
    return acc.customer_type, rows, auths


def test_a_flat_that_became_a_shop(opened):
    db, clerk, no = opened
    assert billing.quote(db, clerk, billing.SaleRequest(
        items=[billing.LineInput("GAS-R", "10")], account_no=no)).total_fen == 2800
    v = accounts.change_type(db, clerk, no, "商业", reason="住宅改为商铺经营",
                             documents=SHOP, approval=MANAGER)
    assert v.customer_type == "commercial" and v.customer_type_names[0] == "商业"
    e = v.history[-1]
    assert (e.change, e.reason, e.staff_no, e.documents) == \
        ("retype", "住宅改为商铺经营", "1001", SHOP)
    assert accounts.retype_change(e.to_dict()) == {
        "from": "resident", "to": "commercial", "from_name": "居民", "to_name": "商业",
        "approved_by": "9001", "note": ""}
    assert accounts.retype_text(e.to_dict()) == "居民 → 商业（9001 批准）"
    # the price follows the type: the residents' tiered gas is refused, the shop's sold
    with pytest.raises(Conflict):
        billing.quote(db, clerk, billing.SaleRequest(
            items=[billing.LineInput("GAS-R", "10")], account_no=no))
    assert billing.quote(db, clerk, billing.SaleRequest(
        items=[billing.LineInput("GAS-N", "10")], account_no=no)).total_fen == 3650
    with db.read() as s:
        ev = [json.loads(p) for p in s.execute(select(audit.AuditEvent.payload).where(
            audit.AuditEvent.kind == "account.retyped")).scalars()]
    assert len(ev) == 1 and ev[0]["from"] == "resident" and ev[0]["approved_by"] == "9001" \
        and ev[0]["to_name"] == "商业"
    assert audit.verify(db).ok
    # and back, for a resident again: the business licence is not asked for
    v = accounts.change_type(db, clerk, no, "resident", reason="停业，恢复居住",
                             documents=["id_card"], approval=MANAGER)
    assert v.customer_type == "resident"
    assert [h.change for h in v.history] == ["open", "retype", "retype"]


@pytest.mark.parametrize("kw,error,match", [
    ({"approval": None}, PermissionDenied, "授权"),
    ({"approval": staff.Approval("9001", "bad")}, PermissionDenied, "密码"),
    ({"new_type": "resident"}, ValidationError, "已是"),
    ({"new_type": "宇宙"}, ValidationError, "无效"),
    ({"documents": ["id_card"]}, ValidationError, "营业执照"),
    ({"reason": "  "}, ValidationError, "reason|原因|填写"),
])
def test_refused_and_nothing_changed(opened, kw, error, match):
    db, clerk, no = opened
    args = {"new_type": "commercial", "reason": "改为商铺", "documents": SHOP,
            "approval": MANAGER, **kw}
    before = _state(db, no)
    with pytest.raises(error, match=match):
        accounts.change_type(db, clerk, no, args.pop("new_type"), **args)
    assert _state(db, no) == before


def test_a_manager_does_not_approve_their_own_change(opened):
    db, _clerk, no = opened
    manager = staff.sign_in(db, "9001", "888888")
    before = _state(db, no)
    with pytest.raises(PermissionDenied):
        accounts.change_type(db, manager, no, "commercial", reason="改为商铺", documents=SHOP,
                             approval=MANAGER)
    assert _state(db, no) == before


def test_arrears_first_and_a_closed_account(opened):
    db, clerk, no = opened
    add_bill(db, no, amount=5000)
    before = _state(db, no)
    with pytest.raises(Conflict, match="欠费") as owed:
        accounts.change_type(db, clerk, no, "commercial", reason="改为商铺", documents=SHOP,
                             approval=MANAGER)
    assert owed.value.data["arrears_fen"] == 5000     # the screen offers the payment
    assert _state(db, no) == before
    billing.pay(db, clerk, billing.SaleRequest(account_no=no, bills=["2026-10"],
                                               tenders=[billing.TenderInput("cash")]))
    accounts.close(db, clerk, no, final_reading="12", documents=["id_card", "final_reading"])
    with pytest.raises(Conflict, match="已销户"):
        accounts.change_type(db, clerk, no, "commercial", reason="改为商铺", documents=SHOP,
                             approval=MANAGER)
