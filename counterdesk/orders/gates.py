"""The controls work orders put on gas supply (seeds in brackets).

* No gas before first gas [004 第十五条, 第十七条(一)]: an account opened through 报装
  (an install order carries its number) gets no gas, no sale and no IC-card purchase,
  until its 通气 order is done and both contracts (供用气合同, 安全用气合同) are recorded.
* A hazard stops supply [004 第十九条, 第二十一条(二)]: an 安检 finding a hazard stops the
  account's supply; only a done 复气 order whose inspection reference is a later
  re-inspection that passed lifts it. A done 停气 order stops supply likewise.
* A done 换表 order carries the new meter and the readings into the account; the IC card
  (if any) is re-bound by the card's meter change (:func:`done_meter_change`).

:func:`check_gas_allowed` is the one function the sale paths (billing, IC cards) call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import Conflict, NotFound, ValidationError
from ..models.accounts import Account
from ..models.orders import Inspection, WorkOrder
from ..staff import Actor
from ..validators import typed
from . import inspections


def _open_hazard(session: Session, hall_id: int, account_no: str) -> Inspection | None:
    return session.execute(select(Inspection).where(
        Inspection.hall_id == hall_id, Inspection.account_no == account_no,
        Inspection.supply_stopped.is_(True), Inspection.lifted_by == "")
        .order_by(Inspection.at.desc(), Inspection.id.desc())).scalars().first()


def _latest_done(kinds: tuple[str, ...], column):
    """``column`` of the account's latest done order of ``kinds`` (a scalar subquery)."""
    return (select(column).where(
        WorkOrder.hall_id == bindparam("g_hall"), WorkOrder.account_no == bindparam("g_acc"),
        WorkOrder.kind.in_(kinds), WorkOrder.result == "done")
        .order_by(WorkOrder.result_at.desc(), WorkOrder.id.desc()).limit(1).scalar_subquery())


# Every gate of an account in one SELECT (built once; the sale paths run it on every gas
# line): the open hazard's order number ('' when it has none, NULL when there is no open
# hazard), the latest done 停气/复气 order (kind, number), the 报装 order's number and
# whether a 通气 order is done.
_GATES_Q = select(
    select(Inspection.order_number).where(
        Inspection.hall_id == bindparam("g_hall"), Inspection.account_no == bindparam("g_acc"),
        Inspection.supply_stopped.is_(True), Inspection.lifted_by == "")
    .order_by(Inspection.at.desc(), Inspection.id.desc()).limit(1).scalar_subquery()
    .label("hazard"),
    _latest_done(("stop", "restore"), WorkOrder.kind).label("stop_kind"),
    _latest_done(("stop", "restore"), WorkOrder.number).label("stop_no"),
    select(WorkOrder.number).where(
        WorkOrder.hall_id == bindparam("g_hall"), WorkOrder.account_no == bindparam("g_acc"),
        WorkOrder.kind == "install").order_by(WorkOrder.id).limit(1).scalar_subquery()
    .label("install"),
    exists().where(
        WorkOrder.hall_id == bindparam("g_hall"), WorkOrder.account_no == bindparam("g_acc"),
        WorkOrder.kind == "first_gas", WorkOrder.result == "done").label("first_gas"))


# The gates as columns another SELECT can carry (an IC card purchase reads them with the
# year's volumes), with their bound values from :func:`gate_params`; the row is then
# judged by :func:`block_reason_of`.
GATE_COLUMNS = tuple(_GATES_Q.selected_columns)


def gate_params(account: Account) -> dict:
    return {"g_hall": account.hall_id, "g_acc": account.account_no}


def gas_block_reason(session: Session, account: Account) -> tuple[str, str] | None:
    """Why ``account`` may not get gas now (Chinese, English), or None (one SELECT)."""
    return block_reason_of(session.execute(_GATES_Q, gate_params(account)).one(), account)


def block_reason_of(g, account: Account) -> tuple[str, str] | None:
    """Why ``account`` may not get gas, from a row with the :data:`GATE_COLUMNS`."""
    no = account.account_no
    if g.hazard is not None:
        ref = f"（安检 {g.hazard}）" if g.hazard else ""
        return (f"户号 {no} 安检发现隐患已停气{ref}：须整改、复检合格并完成复气工单后才能购气",
                f"Account {no}: supply stopped after a safety hazard; it needs the "
                "rectification, a passed re-inspection and a done restore order first")
    if g.stop_kind == "stop":
        return (f"户号 {no} 已停气（工单 {g.stop_no}）：完成复气工单后才能购气",
                f"Account {no}: supply stopped by {g.stop_no}; a done restore order "
                "lifts it")
    if g.install is not None:
        if not g.first_gas:
            return (f"户号 {no} 为报装新户（{g.install}），通气工单完成前不能购气（未验收严禁通气）",
                    f"Account {no} is a new connection ({g.install}): no gas before its "
                    "first-gas order is done")
        if not (account.supply_contract_no and account.safety_contract_no):
            return (f"户号 {no} 尚未登记供用气合同和安全用气合同，不能购气",
                    f"Account {no}: both contracts must be recorded before gas is sold")
    return None


def check_gas_allowed(session: Session, account: Account) -> None:
    """Refuse gas (sale, IC-card purchase) to ``account`` while a gate is closed."""
    reason = gas_block_reason(session, account)
    if reason is not None:
        raise Conflict(*reason, field="account_no")


def done_meter_change(session: Session, hall_id: int, account_no: str, new_meter_no: str
                      ) -> WorkOrder | None:
    """The latest done 换表 order of the account that moved it to ``new_meter_no`` (the IC
    card capability asks: the card is re-bound to the new meter after such an order)."""
    return session.execute(select(WorkOrder).where(
        WorkOrder.hall_id == hall_id, WorkOrder.account_no == account_no,
        WorkOrder.kind == "meter_change", WorkOrder.result == "done",
        WorkOrder.new_meter_no == new_meter_no)
        .order_by(WorkOrder.result_at.desc(), WorkOrder.id.desc())).scalars().first()


# -- results -----------------------------------------------------------------------------------
def check_inspection_ref(session: Session, hall_id: int, account_no: str, ref: str
                         ) -> WorkOrder:
    o = session.execute(select(WorkOrder).where(WorkOrder.hall_id == hall_id,
                                                WorkOrder.number == ref)).scalar()
    if o is None or o.kind != "inspection" or o.account_no != account_no:
        raise NotFound(f"安检工单号 {ref} 不是户号 {account_no} 的安检工单",
                       f"{ref} is not an inspection order of account {account_no}",
                       field="inspection_ref")
    return o


def inspection_result(outcome: str, result: str) -> str:
    if outcome not in ("passed", "hazard", "not_home"):
        raise ValidationError("安检结果应为 合格(passed)、隐患(hazard) 或 到访不遇(not_home)",
                              "The inspection outcome must be passed, hazard or not_home",
                              field="outcome")
    return "failed" if outcome == "not_home" else (result or "done")


def _reading(value: str, field: str, zh: str) -> str:
    try:
        d = Decimal((value or "").strip())
    except InvalidOperation:
        d = Decimal(-1)
    if not d.is_finite() or d < 0:
        raise ValidationError(f"请填写{zh}（非负数，单位 m³）", f"Enter the {field} "
                              "(a non-negative number, m³)", field=field)
    return str(d)


def apply_result(session: Session, actor: Actor, o: WorkOrder, result: str, now: dt.datetime,
                 *, note: str, outcome: str, hazard: str, next_attempt: dt.date | None,
                 new_meter_no: str, old_reading: str, new_reading: str, account_no: str
                 ) -> str:
    """What a result does beyond the order; returns the supply action for the account
    ("suspend", "resume" or "")."""
    if o.kind == "inspection":
        row = inspections.write(session, actor, o.account_no, outcome, now, note=note,
                                hazard=hazard, next_attempt=next_attempt,
                                order_number=o.number)
        o.hazard = row.note if outcome == "hazard" else ""
        return "suspend" if outcome == "hazard" else ""
    if result != "done":
        return ""
    if o.kind == "install" and account_no:
        acc = session.execute(select(Account).where(Account.account_no == typed(account_no),
                                                    Account.hall_id == o.hall_id)).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在", f"No account {account_no}",
                           field="account_no")
        o.account_no = acc.account_no
    if o.kind == "first_gas":
        acc = _account(session, o)
        if not (acc.supply_contract_no and acc.safety_contract_no):
            raise Conflict(f"户号 {o.account_no} 尚未登记供用气合同和安全用气合同：签订后才能通气",
                           f"Account {o.account_no}: record both contracts before first gas",
                           field="account_no")
    if o.kind == "restore":
        _check_restore(session, o)
        for h in session.execute(select(Inspection).where(
                Inspection.hall_id == o.hall_id, Inspection.account_no == o.account_no,
                Inspection.supply_stopped.is_(True), Inspection.lifted_by == "")).scalars():
            h.lifted_by, h.lifted_at = o.number, now
        return "resume"
    if o.kind == "stop":
        return "suspend"
    if o.kind == "meter_change":
        new_meter_no = (new_meter_no or "").strip()
        if not new_meter_no or len(new_meter_no) > 32:
            raise ValidationError("请填写新表号", "Enter the new meter number",
                                  field="new_meter_no")
        o.old_reading = _reading(old_reading, "old_reading", "旧表止码")
        o.new_reading = _reading(new_reading, "new_reading", "新表起码")
        acc = _account(session, o)
        other = session.execute(select(Account.account_no).where(
            Account.hall_id == o.hall_id, Account.meter_no == new_meter_no,
            Account.status != "closed", Account.id != acc.id)).scalar()
        if other:
            raise Conflict(f"表号 {new_meter_no} 已用于户号 {other}", f"Meter {new_meter_no} "
                           f"belongs to account {other}", field="new_meter_no")
        o.old_meter_no, o.new_meter_no = acc.meter_no, new_meter_no
        acc.meter_no = new_meter_no
        actor.audit(session, "account.meter_changed", {
            "account_no": acc.account_no, "order": o.number, "old_meter_no": o.old_meter_no,
            "old_reading": o.old_reading, "new_meter_no": new_meter_no,
            "new_reading": o.new_reading})
    return ""


def _account(session: Session, o: WorkOrder) -> Account:
    acc = session.execute(select(Account).where(Account.account_no == o.account_no,
                                                Account.hall_id == o.hall_id)
                          .with_for_update()).scalar()
    if acc is None:
        raise NotFound(f"户号 {o.account_no} 不存在", f"No account {o.account_no}",
                       field="account_no")
    return acc


def _check_restore(session: Session, o: WorkOrder) -> None:
    """复气 needs its inspection reference to be a re-inspection that passed, made after
    the hazard that stopped supply."""
    ref = check_inspection_ref(session, o.hall_id, o.account_no, o.inspection_ref)
    passed = session.execute(select(Inspection).where(
        Inspection.hall_id == o.hall_id, Inspection.order_number == ref.number,
        Inspection.outcome == "passed")).scalars().first()
    if passed is None:
        raise Conflict(f"安检工单 {ref.number} 没有复检合格的结果，不能复气",
                       f"Inspection {ref.number} has not passed; supply cannot be restored",
                       field="inspection_ref")
    hazard = _open_hazard(session, o.hall_id, o.account_no)
    if hazard is not None and passed.at < hazard.at:
        raise Conflict(f"安检工单 {ref.number} 早于隐患停气（{hazard.at:%Y-%m-%d %H:%M}），"
                       "须引用整改后的复检", f"Inspection {ref.number} predates the hazard; "
                       "reference the re-inspection after the rectification",
                       field="inspection_ref")


def sync_supply(db: Database, actor: Actor, account_no: str, action: str, number: str
                ) -> None:
    """Suspend or reactivate the account (accounts' own control) after a result."""
    from .. import accounts

    suspend = action == "suspend"
    reason = (f"工单 {number}：安检隐患/停气，暂停供气" if suspend
              else f"工单 {number}：复气完成，恢复供气")
    try:
        accounts.set_suspended(db, actor, account_no, suspend, reason=reason,
                               restore_order="" if suspend else number)
    except Conflict:
        pass  # already in that state
