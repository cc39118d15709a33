"""Supply notices (停气通知) for an area, and what the counter shows on an account.

A notice names an area by district / street / community (an empty part matches any)
with its times and reason [004 第十八条(二): 提前通知客户]. The workstation shows the
notices of the account's area, the hall display may show the current ones, and the
affected accounts export to CSV for an SMS or phone round (full phones only for staff
allowed to see them, and that is audited).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .. import clock, i18n
from .. import validators as V
from ..db import Database
from ..errors import NotFound, ValidationError
from ..models.accounts import Account, Holder
from ..models.orders import SupplyNotice
from ..privacy import mask_name, mask_phone
from ..sequence import next_value
from ..staff import Actor, Approval, authorise, require_manager
from ..validators import typed
from . import gates, inspections
from .views import account_address


@dataclass
class NoticeView:
    number: str
    district: str
    street: str
    community: str
    area: str
    starts_at: str
    ends_at: str
    reason: str
    created_by: str
    active: bool

    def to_dict(self) -> dict:
        return asdict(self)


def _view(n: SupplyNotice, now: dt.datetime) -> NoticeView:
    area = "/".join(x for x in (n.district, n.street, n.community) if x) or "全部区域"
    return NoticeView(n.number, n.district, n.street, n.community, area,
                      n.starts_at.isoformat(timespec="minutes"),
                      n.ends_at.isoformat(timespec="minutes"), n.reason, n.created_by,
                      n.starts_at <= now < n.ends_at)


def _when(value, field: str, zh: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value or "").strip().replace("T", " "))
    except ValueError:
        raise ValidationError(f"{zh}应为 YYYY-MM-DD HH:MM", f"The {field} must be "
                              "YYYY-MM-DD HH:MM", field=field) from None


def add_notice(db: Database, actor: Actor, *, starts_at, ends_at, reason: str,
               district: str = "", street: str = "", community: str = "",
               approval: Approval | None = None) -> NoticeView:
    """A manager adds a notice; a clerk needs a manager's approval (``--approver``)."""
    start = _when(starts_at, "start", "开始时间")
    end = _when(ends_at, "end", "结束时间")
    if end <= start:
        raise ValidationError("停气结束时间应晚于开始时间", "The end must be after the start",
                              field="end")
    reason = V.text(reason, "note", max_len=500)
    if not reason:
        raise ValidationError("请填写停气原因", "Enter the reason", field="reason")
    parts = [V.text(v, "note", max_len=60) for v in (district, street, community)]
    if not any(parts):
        raise ValidationError("请至少填写区、街道或小区之一：停气通知须指明区域",
                              "Name the district, street or community of the stop",
                              field="district")
    if not actor.is_manager and approval is None:
        require_manager(actor)
    now = clock.now()
    with db.write() as s:
        if not actor.is_manager:
            authorise(db, s, approval, "notice.add", actor=actor, reason=reason)
        seq = next_value(s, actor.hall_id, f"notice-{now:%Y}")
        n = SupplyNotice(hall_id=actor.hall_id, number=f"TQ{now:%Y}{seq:04d}",
                         district=parts[0], street=parts[1], community=parts[2],
                         starts_at=start, ends_at=end, reason=reason,
                         created_by=actor.staff_no, created_at=now)
        s.add(n)
        s.flush()
        actor.audit(s, "notice.added", {"number": n.number, "district": n.district,
                                        "street": n.street, "community": n.community,
                                        "starts_at": start, "ends_at": end})
        return _view(n, now)


def list_notices(db: Database, actor: Actor, *, include_past: bool = False) -> list[NoticeView]:
    """Current and coming notices (and past ones on request), by start."""
    now = clock.now()
    with db.read() as s:
        q = select(SupplyNotice).where(SupplyNotice.hall_id == actor.hall_id)
        if not include_past:
            q = q.where(SupplyNotice.ends_at > now)
        return [_view(n, now) for n in s.execute(q.order_by(SupplyNotice.starts_at))
                .scalars()]


def display_notices(db: Database, hall_id: int, *, ahead_hours: int = 72) -> list[NoticeView]:
    """For the hall display (no one signed in): notices in force or starting within
    ``ahead_hours``."""
    now = clock.now()
    with db.read() as s:
        rows = s.execute(select(SupplyNotice).where(
            SupplyNotice.hall_id == hall_id, SupplyNotice.ends_at > now,
            SupplyNotice.starts_at <= now + dt.timedelta(hours=ahead_hours))
            .order_by(SupplyNotice.starts_at)).scalars()
        return [_view(n, now) for n in rows]


def _matches(n: SupplyNotice):
    conds = []
    for col, value in ((Account.district, n.district), (Account.street, n.street),
                       (Account.community, n.community)):
        if value:
            conds.append(col == value)
    return conds


def notices_for(session: Session, acc: Account, now: dt.datetime) -> list[NoticeView]:
    rows = session.execute(select(SupplyNotice).where(
        SupplyNotice.hall_id == acc.hall_id, SupplyNotice.ends_at > now,
        or_(SupplyNotice.district == "", SupplyNotice.district == acc.district),
        or_(SupplyNotice.street == "", SupplyNotice.street == acc.street),
        or_(SupplyNotice.community == "", SupplyNotice.community == acc.community))
        .order_by(SupplyNotice.starts_at)).scalars()
    return [_view(n, now) for n in rows]


def affected_accounts(db: Database, actor: Actor, number: str, *,
                      full_phones: bool = False) -> list[dict]:
    """The open accounts in the notice's area: account, masked holder, address, phone
    (masked unless ``full_phones`` and the actor may reveal; that is audited)."""
    reveal = full_phones and actor.can_reveal
    if full_phones and not actor.can_reveal:
        raise ValidationError("您没有导出完整电话的权限，请主任导出",
                              "You may not export full phone numbers", field="phones")
    with db.write() as s:
        n = s.execute(select(SupplyNotice).where(SupplyNotice.hall_id == actor.hall_id,
                                                 SupplyNotice.number == number.strip().upper())
                      ).scalar()
        if n is None:
            raise NotFound(f"没有编号为 {number} 的停气通知", f"No supply notice {number}",
                           field="number")
        rows = s.execute(select(Account, Holder).join(Holder, Holder.id == Account.holder_id)
                         .where(Account.hall_id == actor.hall_id, Account.status != "closed",
                                *_matches(n)).order_by(Account.account_no)).all()
        out = [{"account_no": a.account_no, "holder": mask_name(h.name, h.kind),
                "address": account_address(a), "phone": h.phone if reveal else mask_phone(h.phone),
                "notice": n.number, "starts_at": n.starts_at.isoformat(timespec="minutes"),
                "ends_at": n.ends_at.isoformat(timespec="minutes")} for a, h in rows]
        actor.audit(s, "notice.accounts_listed", {"number": n.number, "count": len(out),
                                                  "full_phones": reveal})
        return out


def write_csv(rows: list[dict], path: str | Path) -> Path:
    path = Path(path)
    cols = ["account_no", "holder", "address", "phone", "notice", "starts_at", "ends_at"]
    head = ["户号", "户名", "地址", "电话", "停气通知", "开始", "结束"]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(head)
        for r in rows:
            w.writerow([r[c] for c in cols])
    return path


def account_flags(db: Database, actor: Actor, account_no: str) -> dict:
    """What the counter shows on an account: 安检逾期, supply stops, notices, gas gates."""
    now = clock.now()
    with db.read() as s:
        acc = s.execute(select(Account).where(Account.account_no == typed(account_no),
                                              Account.hall_id == actor.hall_id)).scalar()
        if acc is None:
            raise NotFound(f"户号 {account_no} 不存在", f"No account {account_no}",
                           field="account_no")
        flags = []   # in the interface language (the account tab shows them)
        nd = inspections.next_due(s, acc)
        if nd < now.date():
            flags.append(i18n.pick(f"安检逾期（应于 {nd:%Y-%m-%d} 前安检）",
                                   f"Safety inspection overdue (due by {nd:%Y-%m-%d})"))
        block = gates.gas_block_reason(s, acc)
        if block:
            flags.append(i18n.pick(*block))
        notes = notices_for(s, acc, now)
        for n in notes:
            start, end = n.starts_at[5:].replace("T", " "), n.ends_at[5:].replace("T", " ")
            flags.append(i18n.pick(f"停气通知 {n.number}：{start} 至 {end}\n　{n.reason}",
                                   f"Supply stop {n.number}: {start} to {end}\n  {n.reason}"))
        return {"account_no": acc.account_no, "inspection_due": nd.isoformat(),
                "inspection_overdue": nd < now.date(), "gas_allowed": block is None,
                "notices": [n.to_dict() for n in notes], "flags": flags}
