"""The life of a work order: recorded → dispatched → on site → result → closed →
followed up (回访) [004 第十四条(二), 第二十一条].

Every step keeps who and when (``WorkOrderStep``) and goes to the audit chain. A
follow-up is made by someone other than the technician who did the work; an unsatisfied
verdict reopens the order with fresh deadlines. Effects of a result on supply (hazard,
restore, stop, meter change, first gas) are :mod:`counterdesk.orders.gates`'s.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import clock, workdays
from .. import validators as V
from ..db import Database
from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import Hall, Staff
from ..models.accounts import Account
from ..models.orders import ORDER_KINDS, ORDER_RESULTS, WorkOrder, WorkOrderStep
from ..sequence import next_value
from ..staff import Actor
from . import gates, kinds
from .kinds import CHANNELS, NUMBER_PREFIX, PRIORITIES, norm
from .views import OrderView, account_address, view

NEEDS_ACCOUNT = ("inspection", "meter_change", "stop", "restore", "first_gas")
VERDICTS = ("satisfied", "unsatisfied")


def _text(value: str | None, field: str, zh: str, *, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if V.bad_control(value.replace("\n", "")) is not None:
        raise ValidationError(f"{zh}含有不可见的控制字符，请删除后重新输入",
                              f"The {field} contains an invisible control character",
                              field=field)
    if required and not value:
        raise ValidationError(f"请填写{zh}", f"Enter the {field}", field=field)
    if len(value) > limit:
        raise ValidationError(f"{zh}不能超过 {limit} 个字", f"The {field} is limited to "
                              f"{limit} characters", field=field)
    return value


def _account(s: Session, actor: Actor, account_no: str) -> Account:
    acc = s.execute(select(Account).where(Account.account_no == account_no,
                                          Account.hall_id == actor.hall_id)).scalar()
    if acc is None:
        raise NotFound(f"户号 {account_no} 不存在", f"No account {account_no}",
                       field="account_no")
    return acc


def get(s: Session, actor: Actor, number: str, *, lock: bool = True) -> WorkOrder:
    q = select(WorkOrder).where(WorkOrder.hall_id == actor.hall_id,
                                WorkOrder.number == (number or "").strip().upper())
    if lock and s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update()
    o = s.execute(q).scalar()
    if o is None:
        raise NotFound(f"没有编号为 {number} 的工单", f"No work order {number}", field="number")
    return o


def _step(s: Session, o: WorkOrder, actor: Actor, kind: str, now: dt.datetime, **kw) -> None:
    s.add(WorkOrderStep(order=o, at=now, kind=kind, staff_no=actor.staff_no,
                        staff_name=actor.name, **kw))


def _audit(s: Session, actor: Actor, kind: str, o: WorkOrder, **data) -> None:
    actor.audit(s, f"order.{kind}", {"number": o.number, "kind": o.kind,
                                     "account_no": o.account_no, **data})


def full_view(s: Session, o: WorkOrder, now: dt.datetime) -> OrderView:
    """The order with its steps and staff names; an alarm with the 24-hour emergency phone."""
    names = dict(s.execute(select(Staff.staff_no, Staff.name)).all())
    v = view(o, now, steps=True, names=names)
    if o.kind == "alarm":
        hall = s.get(Hall, o.hall_id)
        v.emergency_phone = kinds.emergency_phone(s, o.hall_id, hall.hotline if hall else "")
    return v


def _finish(s: Session, o: WorkOrder, now: dt.datetime) -> OrderView:
    s.flush()
    return full_view(s, o, now)


# -- record ------------------------------------------------------------------------------
def add_order(db: Database, actor: Actor, *, kind: str, description: str = "",
              account_no: str = "", address: str = "", contact_phone: str = "",
              contact_name: str = "", channel: str = "window", priority: str = "",
              inspection_ref: str = "", parent_number: str = "",
              calendar: workdays.Calendar | None = None) -> OrderView:
    """Record an order; its deadlines come from the hall policy (see :mod:`.kinds`)."""
    kind = norm(kind)
    if kind not in ORDER_KINDS:
        raise ValidationError("工单类型应为 报装 报修 报警 安检 换表 停气 复气 通气 之一"
                              "（install repair alarm inspection meter_change stop restore "
                              "first_gas）", "The kind must be one of " + ", ".join(ORDER_KINDS),
                              field="kind")
    channel = norm(channel)
    if channel not in CHANNELS:
        raise ValidationError("来源应为 窗口(window) 或 热线(hotline)",
                              "The channel must be window or hotline", field="channel")
    priority = norm(priority) or ("urgent" if kind == "alarm" else "normal")
    if priority not in PRIORITIES:
        raise ValidationError("优先级应为 普通(normal) 或 紧急(urgent)",
                              "The priority must be normal or urgent", field="priority")
    account_no = _text(account_no, "account_no", "户号", limit=20, required=False)
    address = _text(address, "address", "地址", limit=200, required=False)
    contact_name = _text(contact_name, "contact_name", "客户称呼", limit=60, required=False)
    phone = V.phone(contact_phone, "phone", required=False)
    description = _text(description, "description", "事由描述", limit=2000,
                        required=kind in ("repair", "alarm"))
    inspection_ref = _text(inspection_ref, "inspection_ref", "安检工单号", limit=20,
                           required=False).upper()
    parent_number = _text(parent_number, "parent_number", "原工单号", limit=20,
                          required=False).upper()
    if kind in NEEDS_ACCOUNT and not account_no:
        raise ValidationError(f"{kinds.label(kinds.KIND_LABELS, kind)}工单须填写户号",
                              f"A {kind} order needs the account number", field="account_no")
    if not account_no and not address:
        raise ValidationError("请填写户号或地址：没有地址，维修员无法上门",
                              "Enter the account number or the address: the technician "
                              "needs to know where to go", field="address")
    if kind == "restore" and not inspection_ref:
        raise ValidationError("复气工单须填写安检工单号（整改后复检合格的安检工单）",
                              "A restore order needs the inspection reference (the "
                              "re-inspection order that passed)", field="inspection_ref")
    now = clock.now()
    with db.write() as s:
        if account_no:
            acc = _account(s, actor, account_no)
            if acc.status == "closed":
                raise Conflict(f"户号 {account_no} 已销户，不能派工单",
                               f"Account {account_no} is closed", field="account_no")
            address = address or account_address(acc)
            if not phone:
                from ..models.accounts import Holder

                holder = s.get(Holder, acc.holder_id)
                phone = holder.phone if holder else ""
                contact_name = contact_name or (holder.name if holder else "")
        if not phone:
            raise ValidationError("请填写客户联系电话：派工、上门和回访都要用到它",
                                  "Enter the customer's contact phone: dispatch, the visit "
                                  "and the follow-up need it", field="phone")
        if kind == "restore":
            gates.check_inspection_ref(s, actor.hall_id, account_no, inspection_ref)
        if parent_number:
            get(s, actor, parent_number, lock=False)
        seq = next_value(s, actor.hall_id, f"workorder-{now:%Y}")
        due = kinds.deadlines(s, actor.hall_id, kind, now, calendar)
        o = WorkOrder(hall_id=actor.hall_id, number=f"{NUMBER_PREFIX}{now:%Y}{seq:05d}",
                      kind=kind, channel=channel, priority=priority, account_no=account_no,
                      address=address, contact_name=contact_name, contact_phone=phone,
                      description=description or kinds.label(kinds.KIND_LABELS, kind),
                      inspection_ref=inspection_ref, parent_number=parent_number,
                      window=actor.window, recorded_by=actor.staff_no, created_at=now,
                      status="recorded", dispatch_due_at=due.dispatch,
                      onsite_due_at=due.onsite, result_due_at=due.result)
        s.add(o)
        _step(s, o, actor, "recorded", now,
              note=f"{kinds.label(kinds.KIND_LABELS, kind)}·{channel}·{priority}")
        s.flush()
        _audit(s, actor, "recorded", o, channel=channel, priority=priority,
               onsite_due_at=due.onsite, result_due_at=due.result)
        return _finish(s, o, now)


# -- dispatch, arrive ----------------------------------------------------------------------
def dispatch(db: Database, actor: Actor, number: str, *, to_staff_no: str = "",
             team: str = "", note: str = "") -> OrderView:
    """Dispatch to a technician (工号) and/or a team; again before arrival re-dispatches."""
    to_staff_no = (to_staff_no or "").strip()
    team = _text(team, "team", "班组", limit=40, required=False)
    note = _text(note, "note", "说明", limit=1000, required=False)
    if not to_staff_no and not team:
        raise ValidationError("请填写派给的维修员工号或班组", "Name the technician or the team",
                              field="to")
    now = clock.now()
    with db.write() as s:
        o = get(s, actor, number)
        if o.status not in ("recorded", "dispatched"):
            raise Conflict(f"{o.number} 当前为“{kinds.label(kinds.STATUS_LABELS, o.status)}”，"
                           "不能再派工", f"{o.number} is {o.status}; it cannot be dispatched",
                           field="number")
        if to_staff_no:
            target = s.execute(select(Staff).where(Staff.staff_no == to_staff_no)).scalar()
            if target is None or target.disabled:
                raise NotFound(f"工号 {to_staff_no} 不存在或已停用，请确认维修员的工号",
                               f"Staff {to_staff_no} does not exist or is disabled",
                               field="to")
        o.assignee, o.team = to_staff_no, team
        o.status, o.dispatched_at = "dispatched", now
        _step(s, o, actor, "dispatched", now, to_staff_no=to_staff_no,
              note="·".join(x for x in (team, note) if x))
        _audit(s, actor, "dispatched", o, to=to_staff_no, team=team)
        return _finish(s, o, now)


def _require_worker(o: WorkOrder, actor: Actor, zh: str, en: str) -> None:
    if not o.assignee or o.assignee == actor.staff_no or actor.is_manager:
        return
    raise PermissionDenied(f"{o.number} 已派给 {o.assignee}，只有该维修员或主任可以{zh}",
                           f"{o.number} is dispatched to {o.assignee}; only they or a manager "
                           f"may {en}", field="staff")


def arrive(db: Database, actor: Actor, number: str, *, note: str = "") -> OrderView:
    note = _text(note, "note", "说明", limit=1000, required=False)
    now = clock.now()
    with db.write() as s:
        o = get(s, actor, number)
        if o.status == "recorded":
            raise Conflict(f"{o.number} 还没有派工，请先派工", f"{o.number} has not been "
                           "dispatched yet", field="number")
        if o.status != "dispatched":
            raise Conflict(f"{o.number} 已登记过到场", f"{o.number} is already on site",
                           field="number")
        _require_worker(o, actor, "登记到场", "record the arrival")
        o.status, o.onsite_at = "on_site", now
        _step(s, o, actor, "arrived", now, note=note)
        _audit(s, actor, "arrived", o, on_time=o.onsite_due_at is None or now <= o.onsite_due_at)
        return _finish(s, o, now)


# -- result, close, follow-up -------------------------------------------------------------
def record_result(db: Database, actor: Actor, number: str, result: str, *, note: str = "",
                  outcome: str = "", hazard: str = "", next_attempt: dt.date | None = None,
                  new_meter_no: str = "", old_reading: str = "", new_reading: str = "",
                  account_no: str = "") -> OrderView:
    """The technician's result: done / failed (with reason) / referred (needs another
    order). Kind effects (hazard stop, restore, meter readings, first gas) are applied
    by :func:`counterdesk.orders.gates.apply_result` in the same transaction; the
    account's suspension follows right after it (:func:`gates.sync_supply`)."""
    result = norm(result)
    outcome = norm(outcome)
    note = _text(note, "note", "结果说明", limit=2000, required=result in ("failed", "referred"))
    now = clock.now()
    with db.write() as s:
        o = get(s, actor, number)
        if o.status in ("recorded", "dispatched"):
            raise Conflict(f"{o.number} 还没有{'派工' if o.status == 'recorded' else '登记到场'}，"
                           "不能反馈结果", f"{o.number} is not on site yet: no result before "
                           "dispatch and arrival", field="number")
        if o.status != "on_site":
            raise Conflict(f"{o.number} 已反馈过结果", f"{o.number} already has a result",
                           field="number")
        _require_worker(o, actor, "反馈结果", "record the result")
        if o.kind == "inspection":
            result = gates.inspection_result(outcome, result)
        if result not in ORDER_RESULTS:
            raise ValidationError("结果应为 完成(done)、无法完成(failed) 或 需另开工单(referred)",
                                  "The result must be done, failed or referred", field="result")
        supply = gates.apply_result(
            s, actor, o, result, now, note=note, outcome=outcome, hazard=hazard,
            next_attempt=next_attempt, new_meter_no=new_meter_no, old_reading=old_reading,
            new_reading=new_reading, account_no=account_no)
        o.status, o.result, o.result_note = "resulted", result, note
        o.result_by, o.result_at = actor.staff_no, now
        _step(s, o, actor, "resulted", now,
              note="·".join(x for x in (kinds.label(kinds.RESULT_LABELS, result), note,
                                        o.hazard) if x))
        _audit(s, actor, "resulted", o, result=result, outcome=outcome, supply=supply,
               on_time=o.result_due_at is None or now <= o.result_due_at)
        v = _finish(s, o, now)
    if supply:
        gates.sync_supply(db, actor, o.account_no, supply, o.number)
    return v


def close(db: Database, actor: Actor, number: str, *, note: str = "",
          calendar: workdays.Calendar | None = None) -> OrderView:
    """Close after the result; the follow-up is then due within the policy hours."""
    note = _text(note, "note", "说明", limit=1000, required=False)
    now = clock.now()
    with db.write() as s:
        o = get(s, actor, number)
        if o.status in ("closed", "followed_up"):
            raise Conflict(f"{o.number} 已关闭", f"{o.number} is already closed",
                           field="number")
        if o.status != "resulted":
            raise Conflict(f"{o.number} 还没有反馈结果，不能关闭", f"{o.number} has no "
                           "result yet; it cannot be closed", field="number")
        o.status, o.closed_at, o.closed_by = "closed", now, actor.staff_no
        o.followup_due_at = kinds.followup_deadline(s, o.hall_id, now, calendar)
        _step(s, o, actor, "closed", now, note=note)
        _audit(s, actor, "closed", o, followup_due_at=o.followup_due_at)
        return _finish(s, o, now)


def follow_up(db: Database, actor: Actor, number: str, verdict: str, *, note: str = "",
              calendar: workdays.Calendar | None = None) -> OrderView:
    """回访 by someone who did not do the work; unsatisfied reopens the order."""
    verdict = norm(verdict)
    if verdict not in VERDICTS:
        raise ValidationError("回访结果应为 满意(satisfied) 或 不满意(unsatisfied)",
                              "The verdict must be satisfied or unsatisfied", field="verdict")
    note = _text(note, "note", "回访记录（不满意时写明客户意见）", limit=1000,
                 required=verdict == "unsatisfied")
    now = clock.now()
    with db.write() as s:
        o = get(s, actor, number)
        if o.status != "closed":
            raise Conflict(f"{o.number} 还没有关闭，关闭后才能回访" if o.status != "followed_up"
                           else f"{o.number} 已回访过", f"{o.number} must be closed (and not "
                           "followed up yet) for a follow-up", field="number")
        if actor.staff_no in {o.result_by, o.assignee} - {""}:
            raise PermissionDenied(
                f"回访须由未参与施工的人员进行：{actor.staff_no} 是 {o.number} 的施工人员",
                f"The follow-up must be made by someone who did not do the work: "
                f"{actor.staff_no} worked on {o.number}", field="staff")
        on_time = now <= o.followup_due_at if o.followup_due_at else None
        o.followed_up_at, o.followed_up_by, o.verdict = now, actor.staff_no, verdict
        _step(s, o, actor, "followed_up", now,
              note=f"{'满意' if verdict == 'satisfied' else '不满意'} {note}".rstrip())
        if verdict == "satisfied":
            o.status = "followed_up"
        else:
            due = kinds.deadlines(s, o.hall_id, o.kind, now, calendar)
            o.status, o.reopen_count = "recorded", o.reopen_count + 1
            o.result, o.result_note, o.result_by, o.result_at = "", "", "", None
            o.assignee, o.dispatched_at, o.onsite_at = "", None, None
            o.closed_at, o.closed_by, o.followup_due_at = None, "", None
            o.dispatch_due_at, o.onsite_due_at, o.result_due_at = \
                due.dispatch, due.onsite, due.result
            _step(s, o, actor, "reopened", now, note="回访不满意，重新派工处理")
        _audit(s, actor, "followed_up", o, verdict=verdict, status=o.status, on_time=on_time)
        return _finish(s, o, now)
