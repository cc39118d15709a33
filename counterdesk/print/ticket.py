"""The kiosk's queue ticket on the ESC/POS printer (取号小票).

Number very large, the service, people waiting ahead, the time, the hall, and one
reminder line. Chinese goes out as ``FS &`` + GB18030 through :class:`Doc`.
"""

from __future__ import annotations

from .. import clock
from .escpos_doc import Doc

REMINDER = "请留意叫号屏幕和语音提示，过号请到服务台重新排队"


def ticket_doc(ticket: dict, *, hall_name: str = "", columns: int = 48,
               reminder: str = REMINDER) -> Doc:
    doc = Doc(columns)
    doc.center()
    if hall_name:
        doc.bold().line(hall_name).bold(False)
    doc.rule()
    doc.line(f"{ticket['service_name']}" + ("（绿色通道）" if ticket.get("priority") else ""))
    doc.big(ticket["number"], 4, 4)
    ahead = ticket.get("ahead")
    if ahead is not None:
        doc.size(1, 2).line(f"您前面还有 {ahead} 人等候").normal()
    issued = clock.minute(ticket.get("issued_at"))
    doc.line(f"取号时间 {issued}")
    doc.rule()
    doc.left().line(reminder)
    doc.feed(2)
    return doc.cut()


def ticket_bytes(ticket: dict, *, hall_name: str = "", columns: int = 48,
                 reminder: str = REMINDER) -> bytes:
    return ticket_doc(ticket, hall_name=hall_name, columns=columns,
                      reminder=reminder).bytes()
