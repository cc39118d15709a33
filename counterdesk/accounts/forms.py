"""The opening form: documents checked, holder and account fields, the per-field messages
as the clerk types, and the refusals (same meter, same address) and warnings (same ID)
shown before saving."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import validators as V
from ..db import Database
from ..errors import Conflict, CounterDeskError, ValidationError
from ..models.accounts import (
    ID_TYPES,
    SPECIAL_GROUPS,
    Account,
    Holder,
)
from ..staff import Actor
from .addresses import address_keys
from .search import search_hit
from .types import DEFAULT as DEFAULT_TYPES
from .types import CustomerTypes
from .types import load as load_types
from .views import t

DOCUMENTS = {
    "id_card": ("户主身份证件原件", "holder's ID document"),
    "property": ("房产证/不动产权证或购房合同", "property certificate or purchase contract"),
    "business_licence": ("营业执照", "business licence"),
    "agent_authorisation": ("委托书及代办人身份证", "power of attorney and agent's ID"),
    "supply_contract": ("供用气合同", "gas supply contract"),
    "safety_contract": ("安全用气合同", "safe-use contract"),
    "name_change_proof": ("更名证明（户口本/公安证明）", "proof of the name change"),
    "old_holder_id": ("原户主身份证件", "previous holder's ID document"),
    "new_holder_id": ("新户主身份证件", "new holder's ID document"),
    "sale_contract": ("房屋买卖合同/新不动产权证", "sale contract / new property certificate"),
    "inheritance_proof": ("继承公证书/死亡证明", "inheritance notarisation / death certificate"),
    "gift_contract": ("赠与合同（公证）", "notarised gift contract"),
    "court_ruling": ("法院判决书/裁定书", "court judgement"),
    "final_reading": ("销户抄表单", "final meter reading"),
    "meter_removal": ("拆表/封表单", "meter removal or sealing sheet"),
}
OPEN_REQUIRED = ("id_card", "property")
METER_TYPES = ("膜式表", "IC卡表", "物联网表", "超声波表", "工业流量计")


# -- input ------------------------------------------------------------------------------
def checked_documents(values: Iterable[str] | None, field: str = "documents") -> list[str]:
    out = []
    for d in values or []:
        d = (d or "").strip()
        if not d:
            continue
        if d not in DOCUMENTS:
            raise ValidationError(f"资料清单：未知的资料“{d[:20]}”",
                                  f"documents: unknown document '{d[:20]}'", field=field)
        if d not in out:
            out.append(d)
    return out


def require_documents(have: list[str], need: Iterable[str], field: str = "documents") -> None:
    missing = [d for d in need if d not in have]
    if missing:
        zh = "、".join(DOCUMENTS[d][0] for d in missing)
        en = ", ".join(DOCUMENTS[d][1] for d in missing)
        raise ValidationError(f"资料清单：尚未核验 {zh}", f"documents: not yet checked: {en}",
                              field=field, data={"missing": missing})


def clean_holder(data: dict, prefix: str = "") -> dict:
    """Validate a holder's fields (``name``, ``kind``, ``id_type``, ``id_number``,
    ``phone``; with ``prefix='new_'`` the new holder of a transfer)."""
    kind = data.get(prefix + "kind") or data.get("kind") or "person"
    if kind not in ("person", "organisation"):
        raise V.fail(prefix + "kind", "应为个人或单位", "must be person or organisation")
    name = V.name(data.get(prefix + "name"), prefix + "name", kind=kind)
    id_type = data.get(prefix + "id_type") or ("uscc" if kind == "organisation"
                                               else "resident_id")
    if id_type not in ID_TYPES:
        raise V.fail("id_type", f"不支持“{id_type}”", f"'{id_type}' is not supported")
    id_number = V.id_document(id_type, data.get(prefix + "id_number"), prefix + "id_number")
    phone = V.phone(data.get(prefix + "phone"), prefix + "phone")
    return {"kind": kind, "name": name, "id_type": id_type, "id_number": id_number,
            "phone": phone}


def customer_type(value: str, field: str = "customer_type",
                  types: CustomerTypes | None = None) -> str:
    """A customer type by the hall's name, code or usual name (居民 商业 工业 公服/公福 采暖
    by default; ``types``: the hall's, :func:`.types.hall_types`)."""
    return (types or DEFAULT_TYPES).resolve(value, field)


def clean_account(data: dict, types: CustomerTypes | None = None) -> dict:
    """Validate the account's own fields (address, meter, contracts, flags, documents);
    ``types``: the hall's customer types (default: the usual five)."""
    c: dict[str, Any] = {}
    types = types or DEFAULT_TYPES
    c["customer_type"] = customer_type(data.get("customer_type") or types.codes[0],
                                       types=types)
    groups = data.get("special_groups") or []
    if isinstance(groups, str):
        groups = [g for g in groups.replace("，", ",").split(",") if g.strip()]
    groups = [g.strip() for g in groups]
    bad = [g for g in groups if g not in SPECIAL_GROUPS]
    if bad:
        raise V.fail("special_groups", f"未知的特殊群体“{bad[0][:20]}”",
                     f"unknown special group '{bad[0][:20]}'")
    c["special_groups"] = ",".join(dict.fromkeys(groups))
    for f_, n, req in (("district", 40, True), ("street", 60, True), ("community", 60, False),
                       ("building", 20, False), ("unit", 20, False), ("room", 20, False)):
        c[f_] = V.text(data.get(f_), f_, max_len=n, required=req)
        if c[f_] and any(ch in c[f_] for ch in "<>;{}\\`$|"):
            raise V.fail(f_, "含有不允许的符号", "contains a symbol that is not allowed")
    c["address_text"] = V.text(data.get("address_text"), "address_text", max_len=200)
    if not c["room"] and not c["address_text"]:
        raise V.fail("room", "请填写房号，或在地址补充中写明门牌", "give the room, or the door "
                     "number in the address note")
    c["address_key"], c["street_key"], c["community_key"] = address_keys(c)
    c["meter_no"] = V.code(data.get("meter_no"), "meter_no", max_len=32, required=True)
    mt = V.text(data.get("meter_type"), "meter_type", max_len=32)
    c["meter_type"] = mt
    for k in ("supply", "safety"):
        c[f"{k}_contract_no"] = V.code(data.get(f"{k}_contract_no"), f"{k}_contract_no",
                                       max_len=40)
        c[f"{k}_contract_date"] = V.date(data.get(f"{k}_contract_date"),
                                         f"{k}_contract_date", not_future=True)
        if c[f"{k}_contract_no"] and not c[f"{k}_contract_date"]:
            raise V.fail(f"{k}_contract_date", "已填合同编号，请填签订日期",
                         "give the date the contract was signed")
    c["documents"] = checked_documents(data.get("documents"))
    c["note"] = V.text(data.get("note"), "note", max_len=500, multiline=True)
    return c


def clean_open(data: dict, types: CustomerTypes | None = None) -> dict:
    holder = clean_holder(data)
    acc = clean_account(data, types)
    need = list(OPEN_REQUIRED)
    if holder["kind"] == "organisation":
        need.append("business_licence")
    require_documents(acc["documents"], need)
    return {"holder": holder, "account": acc}



def form_errors(data: dict, fields: Iterable[str] | None = None) -> dict[str, str]:
    """Per-field messages for an opening form as the clerk types (no database).

    Each field is checked on its own; the result maps field → message."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or "person"
    checks = {
        "name": lambda: V.name(data.get("name"), "name", kind=kind),
        "id_number": lambda: V.id_document(data.get("id_type") or (
            "uscc" if kind == "organisation" else "resident_id"), data.get("id_number")),
        "phone": lambda: V.phone(data.get("phone")),
        "district": lambda: V.text(data.get("district"), "district", max_len=40, required=True),
        "street": lambda: V.text(data.get("street"), "street", max_len=60, required=True),
        "community": lambda: V.text(data.get("community"), "community", max_len=60),
        "building": lambda: V.text(data.get("building"), "building", max_len=20),
        "unit": lambda: V.text(data.get("unit"), "unit", max_len=20),
        "room": lambda: V.text(data.get("room"), "room", max_len=20),
        "address_text": lambda: V.text(data.get("address_text"), "address_text", max_len=200),
        "meter_no": lambda: V.code(data.get("meter_no"), "meter_no", required=True),
        "supply_contract_no": lambda: V.code(data.get("supply_contract_no"),
                                             "supply_contract_no", max_len=40),
        "supply_contract_date": lambda: V.date(data.get("supply_contract_date"),
                                               "supply_contract_date", not_future=True),
        "safety_contract_no": lambda: V.code(data.get("safety_contract_no"),
                                             "safety_contract_no", max_len=40),
        "safety_contract_date": lambda: V.date(data.get("safety_contract_date"),
                                               "safety_contract_date", not_future=True),
    }
    for f_ in (fields or checks.keys()):
        check = checks.get(f_)
        if check is None:
            continue
        try:
            check()
        except ValidationError as e:
            errors[f_] = e.message
    return errors



# -- conflicts -----------------------------------------------------------------------------

def open_conflicts(session: Session, hall_id: int, clean: dict, *,
               exclude_id: int | None = None) -> tuple[list[CounterDeskError], list[dict]]:
    """Refusals (same meter / same address) and warnings (same ID) against open accounts."""
    a, h = clean["account"], clean["holder"]
    refusals: list[CounterDeskError] = []
    warnings: list[dict] = []
    open_ = (Account.hall_id == hall_id) & (Account.status != "closed")
    same_meter = session.execute(select(Account).where(
        open_, Account.meter_no == a["meter_no"])).scalars().first()
    if same_meter is not None and same_meter.id != exclude_id:
        refusals.append(Conflict(
            f"表号：{a['meter_no']} 已登记在户号 {same_meter.account_no} 上（未销户），"
            "同一表具不能重复立户；如需换户主请办理过户",
            f"meter number: {a['meter_no']} already belongs to open account "
            f"{same_meter.account_no}; use a transfer to change its holder",
            field="meter_no", data={"existing": search_hit(session, same_meter, "meter_no").to_dict()}))
    same_addr = session.execute(select(Account).where(
        open_, Account.address_key == a["address_key"])).scalars().first()
    if same_addr is not None and same_addr.id != exclude_id:
        refusals.append(Conflict(
            f"地址：该地址已有未销户的户号 {same_addr.account_no}，同一地址不能重复立户",
            f"address: open account {same_addr.account_no} already has this address",
            field="room", data={"existing": search_hit(session, same_addr, "address").to_dict()}))
    rows = session.execute(
        select(Account).join(Holder, Account.holder_id == Holder.id)
        .where(open_, Holder.id_number == h["id_number"], Holder.id_type == h["id_type"])
        .limit(10)).scalars()
    for acc in rows:
        if acc.id == exclude_id:
            continue
        hit = search_hit(session, acc, "id_tail").to_dict()
        warnings.append({"kind": "same_id", "field": "id_number", "existing": hit,
                         "message": t((f"同一证件已有户号 {acc.account_no}（{hit['address']}），"
                                       "请确认是否为同一客户的另一处房产",
                                       f"the same ID already holds account {acc.account_no} "
                                       f"({hit['address']}); check it is another property"))})
    return refusals, warnings


def precheck_open(db: Database, actor: Actor, data: dict) -> dict:
    """What the form shows before saving: field errors, refusals and warnings."""
    errors = form_errors(data)
    out: dict[str, Any] = {"errors": errors, "refusals": [], "warnings": []}
    try:
        clean = clean_open(data, load_types(db, actor.hall_id))
    except ValidationError as e:
        if e.field and e.field not in errors:
            errors[e.field] = e.message
        return out
    with db.read() as s:
        refusals, warnings = open_conflicts(s, actor.hall_id, clean)
    out["refusals"] = [{"field": r.field, "message": r.message, **r.data} for r in refusals]
    out["warnings"] = warnings
    return out

