"""The customer file (一户一档): opening, rename, transfer, close, search, ledger.

Services take ``(db, actor, ...)``, check everything before writing (a refusal is a
:class:`CounterDeskError`; nothing changed) and return plain data with ``to_dict()``.

* Account numbers: ``HH`` (hall) + 7-digit serial + Luhn check digit, e.g. ``0100000018``.
* A holder row is never changed: rename and transfer add a new ``Holder`` and close the
  current ``HolderHistory`` period (dates, clerk, reason, documents).
* Rename, transfer and close are refused while bills are unpaid:
  ``Conflict(data={"arrears_fen": …, "account_no": …})`` so a screen can offer payment.
* Confidentiality: every view returns ID numbers and phones masked; :func:`reveal` shows
  one in full to staff with ``can_reveal`` and writes an audit event. Audit payloads
  carry masked values only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import clock, privacy, sequence
from . import validators as V
from .db import Database
from .errors import Conflict, NotFound, PermissionDenied, ValidationError
from .models import Hall
from .models.accounts import (
    ACCOUNT_STATUSES,
    CUSTOMER_TYPES,
    ID_TYPES,
    SPECIAL_GROUPS,
    Account,
    Bill,
    Holder,
    HolderHistory,
)
from .staff import Actor

log = logging.getLogger(__name__)

# -- vocabularies --------------------------------------------------------------------
SPECIAL_GROUP_NAMES = {
    "disabled": ("残", "disabled"),
    "impaired": ("障", "impaired (sight/hearing)"),
    "orphan": ("孤", "living alone / no family"),
    "elderly": ("老", "elderly"),
    "low_income": ("低保", "low income"),
}
CUSTOMER_TYPE_NAMES = {"resident": ("居民", "resident"), "non_resident": ("非居民", "non-resident")}
STATUS_NAMES = {"active": ("正常", "active"), "suspended": ("暂停", "suspended"),
                "closed": ("已销户", "closed")}
TRANSFER_REASONS = {
    "sale": ("买卖", "sale"),
    "inheritance": ("继承", "inheritance"),
    "gift": ("赠与", "gift"),
    "court": ("法院判决", "court ruling"),
}
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
REASON_DOCUMENT = {"sale": "sale_contract", "inheritance": "inheritance_proof",
                   "gift": "gift_contract", "court": "court_ruling"}
METER_TYPES = ("膜式表", "IC卡表", "物联网表", "超声波表", "工业流量计")
SEARCH_KEYS = ("account_no", "name", "initials", "phone", "id_tail", "address", "meter_no")
SEARCH_KEY_NAMES = {
    "account_no": ("户号", "account no."), "name": ("姓名", "name"),
    "initials": ("拼音首字母", "pinyin initials"), "phone": ("电话", "phone"),
    "id_tail": ("证件尾号", "ID ending"), "address": ("地址", "address"),
    "meter_no": ("表号", "meter no."),
}
# Readings of surnames that differ from the common reading of the character.
_SURNAME_INITIAL = {"曾": "z", "单": "s", "解": "x", "仇": "q", "朴": "p", "查": "z",
                    "区": "o", "乐": "y", "覃": "q", "召": "s", "翟": "z", "缪": "m",
                    "盖": "g", "尉": "w", "长孙": "zs", "万俟": "mq", "秘": "b", "种": "c"}


def t(pair: tuple[str, str]) -> str:
    from . import i18n

    return i18n.pick(*pair)


def fen_text(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}￥{fen // 100:,}.{fen % 100:02d}"


# -- account numbers -----------------------------------------------------------------
def luhn_digit(digits: str) -> str:
    """The Luhn check digit for ``digits`` (appended at the end)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def make_account_no(hall_id: int, serial: int) -> str:
    body = f"{hall_id % 100:02d}{serial:07d}"
    return body + luhn_digit(body)


def check_account_no(value: str, field: str = "account_no") -> str:
    v = (value or "").strip()
    if not v.isdigit() or len(v) != 10:
        raise V.fail(field, "户号应为 10 位数字", "an account number has 10 digits")
    if luhn_digit(v[:-1]) != v[-1]:
        raise V.fail(field, f"户号 {v} 校验位不对，请核对", f"{v} has a wrong check digit; "
                     "check it")
    return v


# -- search keys ----------------------------------------------------------------------
def name_initials(name: str) -> str:
    """Pinyin initials, lower case, one letter a syllable: 张小明 → ``zxm`` (a typed
    ``zhxm`` is read as ``zxm``, see :func:`_initials_query`); Latin letters kept."""
    from pypinyin import Style, lazy_pinyin

    name = (name or "").strip()
    prefix = ""
    for surname, ini in _SURNAME_INITIAL.items():
        if name.startswith(surname):
            prefix, name = ini, name[len(surname):]
            break
    out = []
    for part in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s)):
        for ch in part:
            if ch.isascii() and ch.isalnum():
                out.append(ch.lower())
    return (prefix + "".join(out))[:100]


def _norm(text: str) -> str:
    """Search form of text: NFKC (full-width digits → ASCII), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace()).lower()


def _with_suffix(value: str, suffix: str) -> str:
    v = (value or "").strip()
    return v + suffix if v.isdigit() else v


def address_parts(a: dict) -> list[str]:
    return [a.get("district", ""), a.get("street", ""), a.get("community", ""),
            _with_suffix(a.get("building", ""), "幢"), _with_suffix(a.get("unit", ""), "单元"),
            _with_suffix(a.get("room", ""), "室")]


def address_keys(a: dict) -> tuple[str, str, str]:
    """(address_key, street_key, community_key): from the district, street, community on."""
    parts = [_norm(p) for p in address_parts(a)]
    tail = parts[3] + parts[4] + parts[5]
    if not parts[5]:
        tail += "|" + _norm(a.get("address_text", ""))
    return ("".join(parts[:3]) + tail)[:300], ("".join(parts[1:3]) + tail)[:300], \
        (parts[2] + tail)[:300]


def address_display(a: dict) -> str:
    main = "".join(p.strip() for p in address_parts(a) if p)
    extra = (a.get("address_text") or "").strip()
    return f"{main} {extra}".strip() if extra and extra not in main else main


def _next_prefix(q: str) -> str | None:
    """The smallest string greater than every string starting with ``q``."""
    for i in range(len(q) - 1, -1, -1):
        o = ord(q[i]) + 1
        if 0xD800 <= o <= 0xDFFF:
            o = 0xE000
        if o <= 0x10FFFF:
            return q[:i] + chr(o)
    return None


def _prefix(session: Session, col, q: str):
    """An index-backed prefix condition on ``col`` (range in byte/code-point order)."""
    hi = _next_prefix(q)
    if session.get_bind().dialect.name == "postgresql":
        # The bounds are rendered into the SQL (quoted by SQLAlchemy), so PostgreSQL plans
        # each search with the real prefix; a prepared generic plan could pick a scan.
        def lit(v):
            return bindparam(None, v, type_=String(), literal_execute=True)
        cond = col.op("~>=~", is_comparison=True)(lit(q))
        return cond if hi is None else cond & col.op("~<~", is_comparison=True)(lit(hi))
    cond = col >= q
    return cond if hi is None else cond & (col < hi)


# -- plain data ---------------------------------------------------------------------
@dataclass
class HolderView:
    kind: str
    name: str
    id_type: str
    id_masked: str
    phone_masked: str
    initials: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["id_type_name"] = t(V.ID_TYPE_NAMES.get(self.id_type, (self.id_type, self.id_type)))
        return d


@dataclass
class HistoryEntry:
    change: str
    holder: HolderView
    reason: str
    documents: list[str]
    note: str
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    staff_no: str

    def to_dict(self) -> dict:
        d = asdict(self)
        d["holder"] = self.holder.to_dict()
        d["valid_from"] = self.valid_from.isoformat(timespec="seconds")
        d["valid_to"] = self.valid_to.isoformat(timespec="seconds") if self.valid_to else None
        return d


@dataclass
class AccountView:
    account_no: str
    status: str
    customer_type: str
    holder: HolderView
    special_groups: list[str]
    address: str
    address_parts: dict
    meter_no: str
    meter_type: str
    supply_contract_no: str
    supply_contract_date: dt.date | None
    safety_contract_no: str
    safety_contract_date: dt.date | None
    documents: list[str]
    opened_by: str
    opened_at: dt.datetime
    closed_by: str | None
    closed_at: dt.datetime | None
    arrears_fen: int
    history: list[HistoryEntry] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def service_hint(self) -> str:
        return service_hint(self.special_groups)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["holder"] = self.holder.to_dict()
        d["history"] = [h.to_dict() for h in self.history]
        for k in ("supply_contract_date", "safety_contract_date"):
            d[k] = d[k].isoformat() if d[k] else None
        d["opened_at"] = self.opened_at.isoformat(timespec="seconds")
        d["closed_at"] = self.closed_at.isoformat(timespec="seconds") if self.closed_at else None
        d["status_name"] = t(STATUS_NAMES[self.status])
        d["customer_type_name"] = t(CUSTOMER_TYPE_NAMES[self.customer_type])
        d["special_group_names"] = [t(SPECIAL_GROUP_NAMES[g]) for g in self.special_groups]
        d["service_hint"] = self.service_hint
        return d


def service_hint(groups: Iterable[str]) -> str:
    groups = [g for g in groups if g in SPECIAL_GROUP_NAMES]
    if not groups:
        return ""
    names = "、".join(SPECIAL_GROUP_NAMES[g][0] for g in groups)
    en = ", ".join(SPECIAL_GROUP_NAMES[g][1] for g in groups)
    from . import i18n

    return i18n.pick(f"特殊群体客户（{names}）：优先办理，放慢语速、耐心讲解，必要时上门服务",
                     f"Special-group customer ({en}): serve first, speak slowly, explain "
                     "patiently, offer a home visit if needed")


@dataclass
class SearchHit:
    account_no: str
    name: str
    id_masked: str
    phone_masked: str
    address: str
    meter_no: str
    status: str
    matched: str  # which key matched
    special_groups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["matched_name"] = t(SEARCH_KEY_NAMES[self.matched])
        d["status_name"] = t(STATUS_NAMES[self.status])
        return d


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    more: bool = False

    def to_dict(self) -> dict:
        return {"query": self.query, "more": self.more, "hits": [h.to_dict() for h in self.hits]}


# -- reading ----------------------------------------------------------------------------
def _holder_view(h: Holder) -> HolderView:
    return HolderView(h.kind, h.name, h.id_type, privacy.mask_id(h.id_number),
                      privacy.mask_phone(h.phone), h.name_initials)


def _get_account(session: Session, actor: Actor | None, account_no: str, *,
                 lock: bool = False) -> Account:
    account_no = (account_no or "").strip()
    q = select(Account).where(Account.account_no == account_no)
    if lock:
        q = q.with_for_update()
    acc = session.execute(q).scalar()
    if acc is None or (actor is not None and acc.hall_id != actor.hall_id):
        raise NotFound(f"户号 {account_no} 不存在", f"No account {account_no}",
                       field="account_no")
    return acc


def arrears_fen(session: Session, account_id: int) -> int:
    """Unpaid amount of the account's bills (all periods, due or not)."""
    value = session.execute(
        select(func.coalesce(func.sum(Bill.amount_fen - Bill.paid_fen), 0))
        .where(Bill.account_id == account_id, Bill.amount_fen > Bill.paid_fen)).scalar()
    return int(value or 0)


def _groups(acc: Account) -> list[str]:
    return [g for g in (acc.special_groups or "").split(",") if g]


def _parts(acc: Account) -> dict:
    return {k: getattr(acc, k) for k in ("district", "street", "community", "building",
                                         "unit", "room", "address_text")}


def _view(session: Session, acc: Account, *, history: bool = True) -> AccountView:
    holder = session.get(Holder, acc.holder_id)
    entries = []
    if history:
        rows = session.execute(select(HolderHistory).where(
            HolderHistory.account_id == acc.id).order_by(HolderHistory.id)).scalars()
        for r in rows:
            entries.append(HistoryEntry(r.change, _holder_view(session.get(Holder, r.holder_id)),
                                        r.reason, json.loads(r.documents or "[]"), r.note,
                                        r.valid_from, r.valid_to, r.staff_no))
    return AccountView(
        acc.account_no, acc.status, acc.customer_type, _holder_view(holder), _groups(acc),
        address_display(_parts(acc)), _parts(acc), acc.meter_no, acc.meter_type,
        acc.supply_contract_no, acc.supply_contract_date, acc.safety_contract_no,
        acc.safety_contract_date, json.loads(acc.documents_checked or "[]"), acc.opened_by,
        acc.opened_at, acc.closed_by, acc.closed_at, arrears_fen(session, acc.id), entries)


def show(db: Database, actor: Actor, account_no: str) -> AccountView:
    with db.read() as s:
        return _view(s, _get_account(s, actor, account_no))


def reveal(db: Database, actor: Actor, account_no: str, field: str) -> str:
    """The full ID number or phone of the current holder, for staff allowed to see it.

    Writes ``account.revealed`` (who looked at what) in the same transaction."""
    if field not in ("id_number", "phone"):
        raise ValidationError("只能查看证件号码或联系电话", "Only id_number or phone can be shown",
                              field="field")
    if not actor.can_reveal:
        raise PermissionDenied("您没有查看完整证件号/电话的权限，请联系营业厅主任",
                               "You may not see full ID numbers or phones; ask a manager",
                               field=field)
    with db.write() as s:
        acc = _get_account(s, actor, account_no)
        holder = s.get(Holder, acc.holder_id)
        value = getattr(holder, field)
        actor.audit(s, "account.revealed", {"account_no": acc.account_no, "field": field,
                                            "by": actor.staff_no, "name": actor.name})
        return value


# -- input ------------------------------------------------------------------------------
def _documents(values: Iterable[str] | None, field: str = "documents") -> list[str]:
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


def _require_docs(have: list[str], need: Iterable[str], field: str = "documents") -> None:
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


def clean_account(data: dict) -> dict:
    """Validate the account's own fields (address, meter, contracts, flags, documents)."""
    c: dict[str, Any] = {}
    ctype = data.get("customer_type") or "resident"
    if ctype not in CUSTOMER_TYPES:
        raise V.fail("customer_type", "应为居民或非居民", "must be resident or non_resident")
    c["customer_type"] = ctype
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
    c["documents"] = _documents(data.get("documents"))
    c["note"] = V.text(data.get("note"), "note", max_len=500, multiline=True)
    return c


def clean_open(data: dict) -> dict:
    holder = clean_holder(data)
    acc = clean_account(data)
    need = list(OPEN_REQUIRED)
    if holder["kind"] == "organisation":
        need.append("business_licence")
    _require_docs(acc["documents"], need)
    return {"holder": holder, "account": acc}


FORM_FIELDS = ("kind", "name", "id_type", "id_number", "phone", "customer_type",
               "special_groups", "district", "street", "community", "building", "unit",
               "room", "address_text", "meter_no", "meter_type", "supply_contract_no",
               "supply_contract_date", "safety_contract_no", "safety_contract_date",
               "documents", "note")


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
def _hit(session: Session, acc: Account, matched: str) -> SearchHit:
    h = session.get(Holder, acc.holder_id)
    return SearchHit(acc.account_no, h.name, privacy.mask_id(h.id_number),
                     privacy.mask_phone(h.phone), address_display(_parts(acc)), acc.meter_no,
                     acc.status, matched, _groups(acc))


def _conflicts(session: Session, hall_id: int, clean: dict, *,
               exclude_id: int | None = None) -> tuple[list[ValidationError], list[dict]]:
    """Refusals (same meter / same address) and warnings (same ID) against open accounts."""
    a, h = clean["account"], clean["holder"]
    refusals: list[ValidationError] = []
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
            field="meter_no", data={"existing": _hit(session, same_meter, "meter_no").to_dict()}))
    same_addr = session.execute(select(Account).where(
        open_, Account.address_key == a["address_key"])).scalars().first()
    if same_addr is not None and same_addr.id != exclude_id:
        refusals.append(Conflict(
            f"地址：该地址已有未销户的户号 {same_addr.account_no}，同一地址不能重复立户",
            f"address: open account {same_addr.account_no} already has this address",
            field="room", data={"existing": _hit(session, same_addr, "address").to_dict()}))
    rows = session.execute(
        select(Account).join(Holder, Account.holder_id == Holder.id)
        .where(open_, Holder.id_number == h["id_number"], Holder.id_type == h["id_type"])
        .limit(10)).scalars()
    for acc in rows:
        if acc.id == exclude_id:
            continue
        hit = _hit(session, acc, "id_tail").to_dict()
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
        clean = clean_open(data)
    except ValidationError as e:
        if e.field and e.field not in errors:
            errors[e.field] = e.message
        return out
    with db.read() as s:
        refusals, warnings = _conflicts(s, actor.hall_id, clean)
    out["refusals"] = [{"field": r.field, "message": r.message, **r.data} for r in refusals]
    out["warnings"] = warnings
    return out


# -- opening ---------------------------------------------------------------------------------
def _new_holder(session: Session, h: dict) -> Holder:
    holder = Holder(kind=h["kind"], name=h["name"], name_initials=name_initials(h["name"]),
                    id_type=h["id_type"], id_number=h["id_number"],
                    id_tail=h["id_number"][-6:][::-1], phone=h["phone"])
    session.add(holder)
    session.flush()
    return holder


def _audit_holder(h: dict) -> dict:
    return {"name": privacy.mask_name(h["name"]) if h["kind"] == "person" else h["name"],
            "id_type": h["id_type"], "id": privacy.mask_id(h["id_number"]),
            "phone": privacy.mask_phone(h["phone"])}


def open_account(db: Database, actor: Actor, data: dict) -> AccountView:
    """开户: validate everything, refuse a duplicate meter/address, warn on the same ID."""
    clean = clean_open(data)
    a, h = clean["account"], clean["holder"]
    now = clock.now()
    try:
        with db.write() as s:
            refusals, warnings = _conflicts(s, actor.hall_id, clean)
            if refusals:
                raise refusals[0]
            holder = _new_holder(s, h)
            serial = sequence.next_value(s, actor.hall_id, "account_no")
            acc = Account(hall_id=actor.hall_id, account_no=make_account_no(actor.hall_id, serial),
                          holder_id=holder.id, status="active", opened_by=actor.staff_no,
                          opened_at=now, documents_checked=json.dumps(a["documents"]),
                          **{k: v for k, v in a.items() if k != "documents"})
            s.add(acc)
            s.flush()
            s.add(HolderHistory(account_id=acc.id, holder_id=holder.id, change="open",
                                documents=json.dumps(a["documents"]), valid_from=now,
                                staff_no=actor.staff_no, note=a["note"]))
            actor.audit(s, "account.opened", {
                "account_no": acc.account_no, "holder": _audit_holder(h),
                "meter_no": acc.meter_no, "customer_type": acc.customer_type,
                "special_groups": _groups(acc), "documents": a["documents"],
                "same_id_warnings": [w["existing"]["account_no"] for w in warnings]})
            s.flush()
            view = _view(s, acc)
            view.warnings = warnings
            return view
    except IntegrityError as exc:  # a concurrent opening took the meter or address
        raise Conflict("表号或地址刚被另一窗口登记，请重新查询后再办理",
                       "The meter or address was just registered at another window; "
                       "search again", field="meter_no") from exc


# -- rename / transfer / close ------------------------------------------------------------------
def _refuse_if_arrears(session: Session, acc: Account, action: tuple[str, str]) -> None:
    owed = arrears_fen(session, acc.id)
    if owed > 0:
        raise Conflict(
            f"户号 {acc.account_no} 尚有欠费 {fen_text(owed)}，请先缴清再办理{action[0]}",
            f"Account {acc.account_no} owes {fen_text(owed)}; it must be paid before the "
            f"{action[1]}", field="account_no",
            data={"arrears_fen": owed, "account_no": acc.account_no})


def _refuse_if_closed(acc: Account) -> None:
    if acc.status == "closed":
        raise Conflict(f"户号 {acc.account_no} 已销户，不能办理此业务",
                       f"Account {acc.account_no} is closed", field="account_no")


def _close_period(session: Session, acc: Account, now: dt.datetime) -> HolderHistory | None:
    cur = session.execute(select(HolderHistory).where(
        HolderHistory.account_id == acc.id, HolderHistory.valid_to.is_(None))
        .order_by(HolderHistory.id.desc())).scalars().first()
    if cur is not None:
        cur.valid_to = now
    return cur


def rename(db: Database, actor: Actor, account_no: str, new_name: str, *,
           documents: Iterable[str] = (), phone: str | None = None, note: str = "") -> AccountView:
    """更名: the same holder (same ID document) under a corrected name."""
    docs = _documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)
    with db.write() as s:
        acc = _get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        old = s.get(Holder, acc.holder_id)
        name = V.name(new_name, "new_name", kind=old.kind)
        if name == old.name:
            raise V.fail("new_name", "与原户名相同", "is the same as the current name")
        new_phone = V.phone(phone, "phone") if phone else old.phone
        _require_docs(docs, ("id_card", "name_change_proof"))
        _refuse_if_arrears(s, acc, ("更名", "name change"))
        now = clock.now()
        h = {"kind": old.kind, "name": name, "id_type": old.id_type,
             "id_number": old.id_number, "phone": new_phone}
        holder = _new_holder(s, h)
        _close_period(s, acc, now)
        acc.holder_id = holder.id
        s.add(HolderHistory(account_id=acc.id, holder_id=holder.id, change="rename",
                            reason="correction", documents=json.dumps(docs), note=note,
                            valid_from=now, staff_no=actor.staff_no))
        actor.audit(s, "account.renamed", {
            "account_no": acc.account_no, "old": _audit_holder({
                "kind": old.kind, "name": old.name, "id_type": old.id_type,
                "id_number": old.id_number, "phone": old.phone}),
            "new": _audit_holder(h), "documents": docs})
        s.flush()
        return _view(s, acc)


def transfer(db: Database, actor: Actor, account_no: str, new_holder: dict, *, reason: str,
             documents: Iterable[str] = (), note: str = "") -> AccountView:
    """过户: a new holder (``name``, ``kind``, ``id_type``, ``id_number``, ``phone``) for a
    reason (sale / inheritance / gift / court); both parties' documents checked."""
    if reason not in TRANSFER_REASONS:
        raise V.fail("reason", "请选择过户原因：买卖、继承、赠与或法院判决",
                     "choose sale, inheritance, gift or court")
    h = clean_holder(new_holder)
    docs = _documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)
    need = ["new_holder_id", REASON_DOCUMENT[reason]]
    if reason in ("sale", "gift"):
        need.insert(0, "old_holder_id")  # heirs and court rulings come without the old ID
    with db.write() as s:
        acc = _get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        old = s.get(Holder, acc.holder_id)
        if (old.id_type, old.id_number) == (h["id_type"], h["id_number"]):
            raise V.fail("id_number", "新户主与原户主是同一证件，改名请办理更名",
                         "the new holder has the previous holder's ID; use a rename")
        _require_docs(docs, need)
        _refuse_if_arrears(s, acc, ("过户", "transfer"))
        now = clock.now()
        holder = _new_holder(s, h)
        _close_period(s, acc, now)
        acc.holder_id = holder.id
        s.add(HolderHistory(account_id=acc.id, holder_id=holder.id, change="transfer",
                            reason=reason, documents=json.dumps(docs), note=note,
                            valid_from=now, staff_no=actor.staff_no))
        actor.audit(s, "account.transferred", {
            "account_no": acc.account_no, "reason": reason, "documents": docs,
            "old": _audit_holder({"kind": old.kind, "name": old.name, "id_type": old.id_type,
                                  "id_number": old.id_number, "phone": old.phone}),
            "new": _audit_holder(h)})
        s.flush()
        return _view(s, acc)


def close(db: Database, actor: Actor, account_no: str, *, final_reading: str | Decimal = "",
          documents: Iterable[str] = (), note: str = "") -> AccountView:
    """销户: final settlement (no unpaid bills, final meter reading recorded), then closed.

    The meter and the address become free for a new account; the file stays forever."""
    docs = _documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)
    reading = None
    if str(final_reading).strip():
        try:
            reading = Decimal(str(final_reading).strip())
        except Exception:  # noqa: BLE001 - any parse failure is bad input
            raise V.fail("final_reading", "终止读数应为数字", "must be a number") from None
        if not reading.is_finite() or reading < 0 or reading >= 10**9:
            raise V.fail("final_reading", "终止读数不合理", "is not a plausible reading")
    with db.write() as s:
        acc = _get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        if reading is None:
            raise V.fail("final_reading", "销户须填写终止读数（结算依据）",
                         "give the final meter reading (basis of the final settlement)")
        _require_docs(docs, ("id_card", "final_reading"))
        _refuse_if_arrears(s, acc, ("销户", "closing"))
        now = clock.now()
        _close_period(s, acc, now)
        acc.status = "closed"
        acc.closed_by = actor.staff_no
        acc.closed_at = now
        settlement = {"final_reading": str(reading), "settled_fen": 0}
        s.add(HolderHistory(account_id=acc.id, holder_id=acc.holder_id, change="close",
                            reason="close", documents=json.dumps(docs),
                            note=json.dumps({"note": note, **settlement}, ensure_ascii=False),
                            valid_from=now, valid_to=now, staff_no=actor.staff_no))
        actor.audit(s, "account.closed", {"account_no": acc.account_no, "documents": docs,
                                          **settlement})
        s.flush()
        return _view(s, acc)


def set_suspended(db: Database, actor: Actor, account_no: str, suspended: bool, *,
                  reason: str) -> AccountView:
    """Suspend (暂停, e.g. supply stopped for safety) or reactivate an account; audited."""
    reason = V.text(reason, "reason", max_len=200, required=True)
    with db.write() as s:
        acc = _get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        want = "suspended" if suspended else "active"
        if acc.status == want:
            raise Conflict(f"户号 {acc.account_no} 已是“{STATUS_NAMES[want][0]}”状态",
                           f"Account {acc.account_no} is already {want}", field="account_no")
        acc.status = want
        actor.audit(s, "account.suspended" if suspended else "account.reactivated",
                    {"account_no": acc.account_no, "reason": reason})
        s.flush()
        return _view(s, acc)


# -- search --------------------------------------------------------------------------------
def _keys_for(q: str) -> list[str]:
    if not q:
        return []
    if q.isascii():
        if q.isdigit():
            keys = ["account_no", "phone", "meter_no"]
            if 4 <= len(q) <= 6:
                keys.insert(2, "id_tail")
            return keys
        if q.isalpha():
            return ["initials", "meter_no"]
        keys = ["meter_no"]
        if 4 <= len(q) <= 6 and q[:-1].isdigit() and q[-1] in "xX":
            keys.insert(0, "id_tail")
        if "-" in q and q.replace("-", "").isdigit():
            keys.insert(0, "phone")
        return keys
    return ["name", "address"]


def search(db: Database, actor: Actor, query: str, *, key: str | None = None,
           limit: int = 20) -> SearchResult:
    """Search as you type: account no, name, pinyin initials, phone, ID ending (4–6),
    address, meter no. Every key is an index range scan (see models/accounts.py)."""
    raw = (query or "").strip()
    if V.bad_control(raw) is not None:
        raw = "".join(ch for ch in raw if V.bad_control(ch) is None)
    q = "".join(raw.split())[:60]
    if key is not None and key not in SEARCH_KEYS:
        raise ValidationError(f"未知的查询方式 {key}", f"unknown search key {key}", field="key")
    keys = [key] if key else _keys_for(q)
    hits: list[SearchHit] = []
    seen: set[str] = set()
    more = False
    with db.read() as s:
        for k in keys:
            rows = _search_key(s, actor.hall_id, k, q, limit + 1)
            if len(rows) > limit:
                more = True
                rows = rows[:limit]
            for acc, h in rows:
                if acc.account_no in seen:
                    continue
                seen.add(acc.account_no)
                hits.append(SearchHit(acc.account_no, h.name, privacy.mask_id(h.id_number),
                                      privacy.mask_phone(h.phone),
                                      address_display(_parts(acc)), acc.meter_no, acc.status,
                                      k, _groups(acc)))
    if len(hits) > limit:
        hits, more = hits[:limit], True
    return SearchResult(raw, hits, more)


def _search_key(s: Session, hall_id: int, key: str, q: str, limit: int) -> list:
    if not q:
        return []
    base = select(Account, Holder).join(Holder, Account.holder_id == Holder.id).where(
        Account.hall_id == hall_id)
    if key == "account_no":
        cond = _prefix(s, Account.account_no, q)
    elif key == "meter_no":
        cond = _prefix(s, Account.meter_no, q.upper())
    elif key == "name":
        cond = _prefix(s, Holder.name, q)
    elif key == "initials":
        cond = _prefix(s, Holder.name_initials, _initials_query(q))
    elif key == "phone":
        cond = _prefix(s, Holder.phone, q)
        if q.startswith("0") and "-" not in q and len(q) > 4:  # landline typed without "-"
            cut = 3 if q[1] in "12" else 4
            cond = cond | _prefix(s, Holder.phone, q[:cut] + "-" + q[cut:])
    elif key == "id_tail":
        if not 4 <= len(q) <= 6:
            return []
        cond = _prefix(s, Holder.id_tail, q.upper()[::-1])
    elif key == "address":
        nq = _norm(q)
        rows: list = []
        seen = set()
        for col in (Account.address_key, Account.street_key, Account.community_key):
            for acc, h in s.execute(base.where(_prefix(s, col, nq)).limit(limit)).all():
                if acc.id not in seen:
                    seen.add(acc.id)
                    rows.append((acc, h))
            if len(rows) >= limit:
                break
        return _sorted(rows, key)[:limit]
    else:  # pragma: no cover - checked by the caller
        return []
    return _sorted(s.execute(base.where(cond).limit(limit)).all(), key)


def _initials_query(q: str) -> str:
    """``zhxm`` → ``zxm``: typed zh/ch/sh mean the initials z/c/s."""
    q = q.lower()
    for two, one in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        q = q.replace(two, one)
    return q


def _sorted(rows, key: str) -> list:
    order = {"name": lambda r: (r[1].name, r[0].account_no),
             "initials": lambda r: (r[1].name_initials, r[0].account_no),
             "phone": lambda r: (r[1].phone, r[0].account_no)}.get(
        key, lambda r: (r[0].account_no,))
    return sorted(rows, key=order)


# -- ledger ------------------------------------------------------------------------------------
def ledger(db: Database, actor: Actor, account_no: str) -> dict:
    """Bills, payments (from the fee-collection module, when present) and the balance.

    ``balance_fen`` is negative when the customer owes money."""
    with db.read() as s:
        acc = _get_account(s, actor, account_no)
        bills = []
        today = clock.today()
        for b in s.execute(select(Bill).where(Bill.account_id == acc.id)
                           .order_by(Bill.period)).scalars():
            bills.append({"id": b.id, "period": b.period, "volume": str(b.volume),
                          "amount_fen": b.amount_fen, "paid_fen": b.paid_fen,
                          "open_fen": b.open_fen, "due_date": b.due_date.isoformat(),
                          "overdue": b.open_fen > 0 and b.due_date < today})
        payments = _payments(s, acc.id)
        owed = sum(b["open_fen"] for b in bills if b["open_fen"] > 0)
        return {"account_no": acc.account_no, "bills": bills, "payments": payments,
                "billed_fen": sum(b["amount_fen"] for b in bills),
                "paid_fen": sum(b["paid_fen"] for b in bills),
                "arrears_fen": owed, "balance_fen": -owed}


def _payments(s: Session, account_id: int) -> list[dict]:
    """Payments of the account, read defensively from the billing models if present."""
    try:
        from .models import billing as bm
    except ImportError:  # pragma: no cover - billing not built
        return []
    Payment = getattr(bm, "Payment", None)
    if Payment is None or not hasattr(Payment, "account_id"):
        return []
    Receipt = getattr(bm, "Receipt", None)
    cond = Payment.account_id == account_id
    Line = getattr(bm, "PaymentLine", None)
    if Line is not None and hasattr(Line, "bill_id") and hasattr(Line, "payment_id"):
        # a payment of this account's bills that was not filed under the account
        cond = cond | Payment.id.in_(select(Line.payment_id).join(
            Bill, Bill.id == Line.bill_id).where(Bill.account_id == account_id))
    q = select(Payment).where(cond).order_by(Payment.id)
    out = []
    try:
        for p in s.execute(q).scalars():
            receipt_no = ""
            if Receipt is not None and hasattr(Receipt, "payment_id"):
                receipt_no = s.execute(select(Receipt.receipt_no).where(
                    Receipt.payment_id == p.id)).scalar() or ""
            out.append({
                "id": p.id, "at": getattr(p, "created_at", None) and
                p.created_at.isoformat(timespec="seconds"),
                "business_day": str(getattr(p, "business_day", "") or ""),
                "kind": getattr(p, "kind", "sale"), "status": getattr(p, "status", ""),
                "total_fen": int(getattr(p, "total_fen", 0) or 0),
                "staff_no": getattr(p, "staff_no", ""), "receipt_no": receipt_no,
            })
    except Exception:  # noqa: BLE001 - the billing tables may not exist in this database
        log.warning("payments could not be read for the ledger", exc_info=False)
        return []
    return out


DEMO_ACCOUNTS = 2000


def seed_demo(db: Database, hall_code: str) -> dict:
    """2,000 fictional accounts of the demo hall (about 12 % with unpaid bills)."""
    with db.read() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found")
        have = s.execute(select(func.count()).select_from(Account).where(
            Account.hall_id == hall.id)).scalar()
    if have:
        return {"accounts": int(have), "created": 0}
    from .accounts_demo import bulk_create

    owing = bulk_create(db, hall.id, DEMO_ACCOUNTS, seed=20261122, chunk=2000,
                        bills_for=0.12, staff_no="system", cache=True)
    from . import audit

    with db.write() as s:
        audit.record(s, "account.demo_seeded", {"accounts": DEMO_ACCOUNTS,
                                                "with_arrears": len(owing)},
                     hall_code=hall_code)
    return {"accounts": DEMO_ACCOUNTS, "created": DEMO_ACCOUNTS, "with_arrears": len(owing),
            "example_with_arrears": owing[:3]}


__all__ = ["AccountView", "SearchResult", "open_account", "rename", "transfer", "close",
           "search", "show", "reveal", "ledger", "seed_demo", "precheck_open", "form_errors",
           "ACCOUNT_STATUSES"]


def hall_names(db: Database, actor: Actor) -> dict:
    """The hall's and company's names, for slips and forms."""
    with db.read() as s:
        hall = s.get(Hall, actor.hall_id)
        return {"hall_name": hall.name, "company_name": hall.company_name,
                "hall_code": hall.code}
