"""The work-order slip for the customer on the receipt printer: number, what, when it
will be done, whom to call. Input is :class:`counterdesk.orders.OrderView` (the phone is
already masked there); the customer's name is masked here."""

from __future__ import annotations

import datetime as dt

from .. import clock, privacy
from .account_docs import gbk_text


def promise(d: dict) -> tuple[str, str] | None:
    """What the slip promises: (label, time) of the order's first open deadline."""
    if d.get("onsite_due_at") and d["kind"] == "install":
        return "查勘期限", clock.minute(d["onsite_due_at"])
    if d.get("onsite_due_at") and d["kind"] == "alarm":
        return "到场时限", clock.minute(d["onsite_due_at"])
    if d.get("result_due_at"):
        return "修复期限", clock.minute(d["result_due_at"])
    if d.get("onsite_due_at"):
        return "上门期限", clock.minute(d["onsite_due_at"])
    return None


def order_slip(view, hall_name: str, *, hotline: str = "", staff_no: str = "",
               window: int | None = None, columns: int = 48,
               at: dt.datetime | None = None) -> bytes:
    from .escpos_doc import Doc

    d = view.to_dict() if hasattr(view, "to_dict") else dict(view)
    at = at or clock.now()
    doc = Doc(columns)
    doc.center().bold().line(gbk_text(hall_name)).bold(False)
    doc.line("服务工单凭条")
    doc.big(d["number"])
    doc.left().rule()
    doc.pair("业务", d["kind_label"] + ("（紧急）" if d.get("priority") == "urgent" else ""))
    if d.get("account_no"):
        doc.pair("户号", d["account_no"])
    if d.get("contact_name"):
        doc.pair("联系人", gbk_text(privacy.mask_name(d["contact_name"])))
    doc.pair("电话", d.get("contact_phone", ""))
    doc.line("地址：" + gbk_text(d.get("address", "")))
    doc.line("事由：" + gbk_text(d.get("description", "")))
    doc.pair("受理时间", clock.minute(d["created_at"]))
    due = promise(d)
    if due:
        doc.bold().pair(*due).bold(False)
    if d.get("emergency_phone"):
        doc.bold().pair("24小时抢修电话", d["emergency_phone"]).bold(False)
        doc.line("请立即关闭燃气阀门，开窗通风，勿开关电器、勿用明火")
    doc.rule()
    doc.pair("受理人", staff_no + (f"  {window}号窗口" if window else ""))
    doc.pair("打印时间", at.strftime("%Y-%m-%d %H:%M"))
    if hotline:
        doc.pair("服务热线", hotline)
    doc.feed(1).center().line("凭工单号查询进度；完工后我们将回访").feed(2).cut()
    return doc.bytes()
