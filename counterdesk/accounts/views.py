"""What a clerk sees of an account: the file (holder, address, meter, contracts, history,
arrears) as plain data, and the one place a full ID number or phone is shown.

Confidentiality: every view returns ID numbers and phones masked; :func:`reveal` shows
one in full to staff with ``can_reveal`` and writes an audit event.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import i18n, privacy
from .. import validators as V
from ..db import Database
from ..errors import NotFound, PermissionDenied, ValidationError
from ..models import Hall
from ..models.accounts import (
    Account,
    AccountSuspension,
    Bill,
    Holder,
    HolderHistory,
)
from ..staff import Actor
from .addresses import address_display
from .types import KNOWN as KNOWN_TYPES
from .types import hall_types

# -- vocabularies --------------------------------------------------------------------
SPECIAL_GROUP_NAMES = {
    "disabled": ("残", "disabled"),
    "impaired": ("障", "impaired (sight/hearing)"),
    "orphan": ("孤", "living alone / no family"),
    "elderly": ("老", "elderly"),
    "low_income": ("低保", "low income"),
}
# the usual names of the known codes; a hall's own names: .types.hall_types (issue 15.7)
CUSTOMER_TYPE_NAMES = KNOWN_TYPES
STATUS_NAMES = {"active": ("正常", "active"), "suspended": ("暂停", "suspended"),
                "closed": ("已销户", "closed")}


def t(pair: tuple[str, str]) -> str:
    return i18n.pick(*pair)



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
    # safety stops: {"from", "until", "reason", "by", "resumed_by", "approved_by",
    # "inspection_ref"} oldest first (until None: still stopped)
    suspensions: list[dict] = field(default_factory=list)
    # the hall's name of the customer type (zh, en): accounts.customer_types
    customer_type_names: tuple[str, str] = ("", "")

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
        names = self.customer_type_names
        if not names[0]:
            names = KNOWN_TYPES.get(self.customer_type, (self.customer_type,) * 2)
        del d["customer_type_names"]
        d["customer_type_name"] = t(names)
        d["special_group_names"] = [t(SPECIAL_GROUP_NAMES[g]) for g in self.special_groups]
        d["service_hint"] = self.service_hint
        return d


def service_hint(groups: Iterable[str]) -> str:
    groups = [g for g in groups if g in SPECIAL_GROUP_NAMES]
    if not groups:
        return ""
    names = "、".join(SPECIAL_GROUP_NAMES[g][0] for g in groups)
    en = ", ".join(SPECIAL_GROUP_NAMES[g][1] for g in groups)
    return i18n.pick(f"特殊群体客户（{names}）：优先办理，放慢语速、耐心讲解，必要时上门服务",
                     f"Special-group customer ({en}): serve first, speak slowly, explain "
                     "patiently, offer a home visit if needed")



# -- reading ----------------------------------------------------------------------------
def holder_view(h: Holder) -> HolderView:
    return HolderView(h.kind, h.name, h.id_type, privacy.mask_id(h.id_number),
                      privacy.mask_phone(h.phone), h.name_initials)


def get_account(session: Session, actor: Actor | None, account_no: str, *,
                 lock: bool = False) -> Account:
    account_no = V.typed(account_no)
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


def retype_change(entry: dict, *, chinese: bool | None = None) -> dict:
    """A history entry of a 用气性质变更 (``change == "retype"``, as ``to_dict`` gives it):
    ``from``/``to`` (codes), ``from_name``/``to_name`` (as the hall named them then, in the
    interface language or, with ``chinese``, in Chinese), ``approved_by`` and the clerk's
    ``note``."""
    n = json.loads(entry.get("note") or "{}")
    pick = 0 if (chinese if chinese is not None else i18n.current() != "en") else 1
    return {"from": n.get("from", ""), "to": n.get("to", ""),
            "from_name": (n.get("from_names") or [n.get("from", "")] * 2)[pick],
            "to_name": (n.get("to_names") or [n.get("to", "")] * 2)[pick],
            "approved_by": n.get("approved_by", ""), "note": n.get("note", "")}


def retype_text(entry: dict) -> str:
    """“居民 → 商业（9001 批准）”: a 用气性质变更 of the file's history in one line."""
    c = retype_change(entry)
    return i18n.pick(f"{c['from_name']} → {c['to_name']}（{c['approved_by']} 批准）",
                     f"{c['from_name']} → {c['to_name']} (approved by {c['approved_by']})")


def special_groups_of(acc: Account) -> list[str]:
    return [g for g in (acc.special_groups or "").split(",") if g]


def address_fields(acc: Account) -> dict:
    return {k: getattr(acc, k) for k in ("district", "street", "community", "building",
                                         "unit", "room", "address_text")}


def account_view(session: Session, acc: Account, *, history: bool = True) -> AccountView:
    holder = session.get_one(Holder, acc.holder_id)
    entries = []
    if history:
        rows = session.execute(select(HolderHistory).where(
            HolderHistory.account_id == acc.id).order_by(HolderHistory.id)).scalars()
        for r in rows:
            entries.append(HistoryEntry(r.change, holder_view(session.get_one(Holder, r.holder_id)),
                                        r.reason, json.loads(r.documents or "[]"), r.note,
                                        r.valid_from, r.valid_to, r.staff_no))
    return AccountView(
        acc.account_no, acc.status, acc.customer_type, holder_view(holder), special_groups_of(acc),
        address_display(address_fields(acc)), address_fields(acc), acc.meter_no, acc.meter_type,
        acc.supply_contract_no, acc.supply_contract_date, acc.safety_contract_no,
        acc.safety_contract_date, json.loads(acc.documents_checked or "[]"), acc.opened_by,
        acc.opened_at, acc.closed_by, acc.closed_at, arrears_fen(session, acc.id), entries,
        suspensions=suspension_periods(session, acc.id) if history else [],
        customer_type_names=hall_types(session, acc.hall_id).pair(acc.customer_type))


def suspension_periods(session: Session, account_id: int) -> list[dict]:
    def iso(v):
        return v.isoformat(timespec="minutes") if v else None

    rows = session.execute(select(AccountSuspension).where(
        AccountSuspension.account_id == account_id).order_by(AccountSuspension.id)).scalars()
    return [{"from": iso(r.started_at), "until": iso(r.ended_at), "reason": r.reason,
             "by": r.started_by, "resumed_by": r.ended_by, "approved_by": r.approved_by,
             "inspection_ref": r.inspection_ref} for r in rows]


def show(db: Database, actor: Actor, account_no: str) -> AccountView:
    with db.read() as s:
        return account_view(s, get_account(s, actor, account_no))


def reveal(db: Database, actor: Actor, account_no: str, field: str) -> str:
    """The full ID number or phone of the current holder, for staff allowed to see it.

    Writes ``account.revealed`` (who looked at what) in the same transaction."""
    if field not in ("id_number", "phone"):
        raise ValidationError("只能查看证件号码或联系电话", "Only id_number or phone can be shown",
                              field="field")
    if not actor.can_reveal:
        raise PermissionDenied("您没有查看完整证件号/电话的权限，请联系主任",
                               "You may not see full ID numbers or phones; ask a manager",
                               field=field)
    with db.write() as s:
        acc = get_account(s, actor, account_no)
        holder = s.get(Holder, acc.holder_id)
        value = getattr(holder, field)
        actor.audit(s, "account.revealed", {"account_no": acc.account_no, "field": field,
                                            "by": actor.staff_no, "name": actor.name})
        return value



def hall_names(db: Database, actor: Actor) -> dict:
    """The hall's and company's names, for slips and forms."""
    with db.read() as s:
        hall = s.get_one(Hall, actor.hall_id)
        return {"hall_name": hall.name, "company_name": hall.company_name,
                "hall_code": hall.code}
