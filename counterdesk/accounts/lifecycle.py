"""The life of an account: opening (开户), rename (更名), transfer (过户), close (销户),
the change of its customer type (用气性质变更), suspend and reactivate.

* A holder row is never changed: rename and transfer add a new ``Holder`` and close the
  current ``HolderHistory`` period (dates, clerk, reason, documents).
* Rename, transfer and close are refused while bills are unpaid:
  ``Conflict(data={"arrears_fen": …, "account_no": …})`` so a screen can offer payment.
* Audit payloads carry masked values only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import clock, privacy, sequence
from .. import validators as V
from ..db import Database
from ..errors import Conflict
from ..models.accounts import (
    Account,
    AccountSuspension,
    Holder,
    HolderHistory,
)
from ..money import fmt_symbol
from ..staff import Actor, Approval, check_approval, record_authorisation
from . import types
from .forms import checked_documents, clean_holder, clean_open, open_conflicts, require_documents
from .numbers import make_account_no
from .search import name_initials
from .views import (
    STATUS_NAMES,
    AccountView,
    account_view,
    arrears_fen,
    get_account,
    special_groups_of,
)

TRANSFER_REASONS = {
    "sale": ("买卖", "sale"),
    "inheritance": ("继承", "inheritance"),
    "gift": ("赠与", "gift"),
    "court": ("法院判决", "court ruling"),
}
REASON_DOCUMENT = {"sale": "sale_contract", "inheritance": "inheritance_proof",
                   "gift": "gift_contract", "court": "court_ruling"}


# -- opening ---------------------------------------------------------------------------------
def _new_holder(session: Session, h: dict) -> Holder:
    holder = Holder(kind=h["kind"], name=h["name"], name_initials=name_initials(h["name"]),
                    id_type=h["id_type"], id_number=h["id_number"],
                    id_tail=h["id_number"][-6:][::-1], phone=h["phone"])
    session.add(holder)
    session.flush()
    return holder


def _audit_holder(h: dict) -> dict:
    return {"name": privacy.mask_name(h["name"], h["kind"]),
            "id_type": h["id_type"], "id": privacy.mask_id(h["id_number"]),
            "phone": privacy.mask_phone(h["phone"])}


def open_account(db: Database, actor: Actor, data: dict) -> AccountView:
    """开户: validate everything, refuse a duplicate meter/address, warn on the same ID."""
    clean = clean_open(data, types.load(db, actor.hall_id))
    a, h = clean["account"], clean["holder"]
    now = clock.now()
    try:
        with db.write() as s:
            types.hall_types(s, actor.hall_id).resolve(a["customer_type"])  # changed meanwhile?
            refusals, warnings = open_conflicts(s, actor.hall_id, clean)
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
                "special_groups": special_groups_of(acc), "documents": a["documents"],
                "same_id_warnings": [w["existing"]["account_no"] for w in warnings]})
            s.flush()
            view = account_view(s, acc)
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
            f"户号 {acc.account_no} 尚有欠费 {fmt_symbol(owed)}，请先缴清再办理{action[0]}",
            f"Account {acc.account_no} owes {fmt_symbol(owed)}; it must be paid before the "
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
    docs = checked_documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)
    with db.write() as s:
        acc = get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        old = s.get_one(Holder, acc.holder_id)
        name = V.name(new_name, "new_name", kind=old.kind)
        if name == old.name:
            raise V.fail("new_name", "与原户名相同", "is the same as the current name")
        new_phone = V.phone(phone, "phone") if phone else old.phone
        require_documents(docs, ("id_card", "name_change_proof"))
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
        return account_view(s, acc)


def transfer(db: Database, actor: Actor, account_no: str, new_holder: dict, *, reason: str,
             documents: Iterable[str] = (), note: str = "") -> AccountView:
    """过户: a new holder (``name``, ``kind``, ``id_type``, ``id_number``, ``phone``) for a
    reason (sale / inheritance / gift / court); both parties' documents checked."""
    if reason not in TRANSFER_REASONS:
        raise V.fail("reason", "请选择过户原因：买卖、继承、赠与或法院判决",
                     "choose sale, inheritance, gift or court")
    h = clean_holder(new_holder)
    docs = checked_documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)
    need = ["new_holder_id", REASON_DOCUMENT[reason]]
    if reason in ("sale", "gift"):
        need.insert(0, "old_holder_id")  # heirs and court rulings come without the old ID
    with db.write() as s:
        acc = get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        old = s.get_one(Holder, acc.holder_id)
        if (old.id_type, old.id_number) == (h["id_type"], h["id_number"]):
            raise V.fail("id_number", "新户主与原户主是同一证件，改名请办理更名",
                         "the new holder has the previous holder's ID; use a rename")
        require_documents(docs, need)
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
        return account_view(s, acc)


def close(db: Database, actor: Actor, account_no: str, *, final_reading: str | Decimal = "",
          documents: Iterable[str] = (), note: str = "") -> AccountView:
    """销户: final settlement (no unpaid bills, final meter reading recorded), then closed.

    The meter and the address become free for a new account; the file stays forever."""
    docs = checked_documents(documents)
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
        acc = get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        if reading is None:
            raise V.fail("final_reading", "销户须填写终止读数（结算依据）",
                         "give the final meter reading (basis of the final settlement)")
        require_documents(docs, ("id_card", "final_reading"))
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
        return account_view(s, acc)


def change_type(db: Database, actor: Actor, account_no: str, new_type: str, *, reason: str,
                documents: Iterable[str] = (), note: str = "",
                approval: Approval | None = None) -> AccountView:
    """用气性质变更: the account's customer type (e.g. a flat that became a shop: 居民 →
    商业). The type decides the gas price (tiers for residents), so a manager other than
    the clerk approves it; bills are settled first, at the old price; the holder's ID and,
    for any type but resident, the business licence are checked. The file keeps the
    change (from, to, why, who approved) in its history."""
    reason = V.text(reason, "reason", max_len=40, required=True)
    docs = checked_documents(documents)
    note = V.text(note, "note", max_len=500, multiline=True)

    def check(s: Session, *, lock: bool) -> tuple[Account, str]:
        acc = get_account(s, actor, account_no, lock=lock)
        _refuse_if_closed(acc)
        hall_types = types.hall_types(s, actor.hall_id)
        code = hall_types.resolve(new_type)
        if code == acc.customer_type:
            raise V.fail("customer_type", f"户号 {acc.account_no} 已是“{hall_types.name(code)}”",
                         f"account {acc.account_no} is already of this type")
        require_documents(docs, ("id_card",) if code == "resident"
                          else ("id_card", "business_licence"))
        _refuse_if_arrears(s, acc, ("用气性质变更", "change of customer type"))
        return acc, code

    with db.read() as s:    # what can be refused is refused before the manager's password
        check(s, lock=False)
    checked = check_approval(db, approval, actor, "account.retype")
    with db.write() as s:
        acc, code = check(s, lock=True)
        names = types.hall_types(s, actor.hall_id)
        old = acc.customer_type
        auth = record_authorisation(s, checked, "account.retype", actor,
                                    f"{acc.account_no} {old}→{code}: {reason}")
        now = clock.now()
        acc.customer_type = code
        s.add(HolderHistory(account_id=acc.id, holder_id=acc.holder_id, change="retype",
                            reason=reason, documents=json.dumps(docs),
                            note=json.dumps({"note": note, "from": old, "to": code,
                                             "from_names": names.pair(old),
                                             "to_names": names.pair(code),
                                             "approved_by": checked.manager_no},
                                            ensure_ascii=False),
                            valid_from=now, valid_to=now, staff_no=actor.staff_no,
                            authorisation_id=auth.id))
        actor.audit(s, "account.retyped", {
            "account_no": acc.account_no, "from": old, "to": code,
            "from_name": names.name(old), "to_name": names.name(code), "reason": reason,
            "documents": docs, "approved_by": checked.manager_no,
            "authorisation_id": auth.id})
        s.flush()
        return account_view(s, acc)


def set_suspended(db: Database, actor: Actor, account_no: str, suspended: bool, *,
                  reason: str, approval: Approval | None = None,
                  inspection_ref: str = "", restore_order: str = "") -> AccountView:
    """Suspend (暂停, e.g. supply stopped for safety) or resume an account; audited. Each
    stop is a period (``AccountSuspension``); resuming needs a manager's approval (not the
    actor's own) and the reference of the inspection that cleared it — or a done 复气 work
    order (``restore_order``, whose passed re-inspection :mod:`counterdesk.orders.gates`
    checked)."""
    reason = V.text(reason, "reason", max_len=200, required=True)
    want = "suspended" if suspended else "active"
    with db.read() as s:  # refuse what can be refused before the manager's password
        acc = get_account(s, actor, account_no)
        _refuse_if_closed(acc)
        if acc.status == want:
            raise Conflict(f"户号 {acc.account_no} 已是“{STATUS_NAMES[want][0]}”状态",
                           f"Account {acc.account_no} is already {want}", field="account_no")
    checked = None
    if not suspended:
        inspection_ref = V.text(inspection_ref or restore_order, "inspection_ref", max_len=40,
                                required=True)
        if not restore_order:
            checked = check_approval(db, approval, actor, "account.resume")
    now = clock.now()
    with db.write() as s:
        acc = get_account(s, actor, account_no, lock=True)
        _refuse_if_closed(acc)
        if acc.status == want:
            raise Conflict(f"户号 {acc.account_no} 已是“{STATUS_NAMES[want][0]}”状态",
                           f"Account {acc.account_no} is already {want}", field="account_no")
        acc.status = want
        data: dict[str, Any] = {"account_no": acc.account_no, "reason": reason}
        if suspended:
            s.add(AccountSuspension(account_id=acc.id, started_at=now,
                                    started_by=actor.staff_no, reason=reason))
        else:
            auth = None if checked is None else record_authorisation(
                s, checked, "account.resume", actor, f"{acc.account_no} {inspection_ref}: {reason}")
            period = s.execute(select(AccountSuspension).where(
                AccountSuspension.account_id == acc.id, AccountSuspension.ended_at.is_(None))
                .order_by(AccountSuspension.id.desc())).scalars().first()
            if period is None:  # suspended before periods were kept
                period = AccountSuspension(account_id=acc.id, started_at=now, started_by="",
                                           reason="（升级前的暂停）")
                s.add(period)
            period.ended_at, period.ended_by = now, actor.staff_no
            period.approved_by = checked.manager_no if checked else ""
            period.authorisation_id = auth.id if auth else None
            period.inspection_ref, period.resume_reason = inspection_ref, reason
            data.update(inspection_ref=inspection_ref, restore_order=restore_order,
                        approved_by=period.approved_by, authorisation_id=period.authorisation_id)
        actor.audit(s, "account.suspended" if suspended else "account.reactivated", data)
        s.flush()
        return account_view(s, acc)

