"""Paper for the account business: the slip on the receipt printer and the PDF forms.

* ``account_slip(view, hall, ...)`` → ESC/POS bytes: hall, business (开户/更名/过户/销户),
  account number large, masked holder name, masked ID and phone, address, meter, clerk,
  time. Characters a GBK printer lacks (𠮷…) are printed as ``[U+20BB7]``.
* ``account_form_pdf(view, hall, business, path)`` → the confirmation form the customer
  signs (reportlab, the bundled CJK font embedded): all particulars with the ID number
  and phone masked, the history for transfers, documents checked, signature lines for
  the customer and the clerk. Characters the font lacks are written as ``[U+XXXX]``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import clock, privacy
from .pdf import canvasmaker as _pdf_canvas

BUSINESS = {"open": ("开户确认单", "开户"), "rename": ("更名确认单", "更名"),
            "transfer": ("过户确认单", "过户"), "close": ("销户确认单", "销户"),
            "retype": ("用气性质变更确认单", "用气性质变更")}


def _retype_rows(d: dict) -> list[tuple[str, str]]:
    """The change of customer type the paper confirms (the file's last entry)."""
    from .. import accounts

    last = (d.get("history") or [{}])[-1]
    if last.get("change") != "retype":
        return []
    c = accounts.retype_change(last, chinese=True)    # the paper is in Chinese
    return [("原客户类型", c["from_name"]), ("变更原因", last.get("reason", "")),
            ("批准人", c["approved_by"])]


def gbk_text(text: str) -> str:
    """Text for a GBK printer: characters outside GBK as ``[U+XXXX]``."""
    from .escpos_doc import to_gbk_safe

    return to_gbk_safe(text or "")


def _view_dict(view) -> dict:
    return view.to_dict() if hasattr(view, "to_dict") else dict(view)


def _holder_name(holder: dict) -> str:
    return privacy.mask_name(holder["name"], holder.get("kind", "person"))


def account_slip(view, hall_name: str, business: str, *, staff_no: str = "",
                 window: int | None = None, columns: int = 48,
                 at: dt.datetime | None = None) -> bytes:
    from .escpos_doc import Doc

    d = _view_dict(view)
    h = d["holder"]
    at = at or clock.now()
    doc = Doc(columns)
    doc.center().bold().line(gbk_text(hall_name)).bold(False)
    doc.line(BUSINESS.get(business, (business, business))[1] + "业务凭条")
    doc.big(d["account_no"])
    doc.left().rule()
    doc.labelled("户名", _holder_name(h))
    doc.pair("证件", h["id_masked"])
    doc.pair("电话", h["phone_masked"])
    doc.line("地址：" + gbk_text(d["address"]))
    doc.pair("表号", d["meter_no"])
    doc.pair("客户类型", d.get("customer_type_name", d["customer_type"]))
    doc.pair("状态", d.get("status_name", d["status"]))
    for p in d.get("suspensions", [])[-3:]:  # the latest safety stops
        doc.line(f"停气 {p['from'][:10]}~{(p['until'] or '至今')[:10]} {gbk_text(p['reason'])}")
    if business == "transfer" and len(d.get("history", [])) >= 2:
        prev = d["history"][-2]["holder"]
        doc.labelled("原户主", _holder_name(prev))
    if business == "retype":
        for k, v in _retype_rows(d):
            doc.pair(k, gbk_text(v))
    doc.rule()
    doc.pair("柜员", staff_no + (f"  {window}号窗口" if window else ""))
    doc.pair("时间", at.strftime("%Y-%m-%d %H:%M"))
    doc.feed(1).center().line("请妥善保管，凭户号办理缴费等业务").feed(2).cut()
    return doc.bytes()


def _pdf_safe(text: str, font_name: str = "") -> str:
    """Paragraph markup in the embedded fonts; characters no font has as ``[U+XXXX]``."""
    from .pdf import markup

    return markup(text)


def account_form_pdf(view, hall_name: str, company_name: str, business: str,
                     path: str | Path, *, staff_no: str = "", staff_name: str = "",
                     at: dt.datetime | None = None, extra: dict | None = None) -> Path:
    """Write the confirmation form the customer signs; returns the path."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .. import accounts
    from .pdf import register_fonts, styles

    font = register_fonts()
    st = styles()
    d = _view_dict(view)
    h = d["holder"]
    at = at or clock.now()
    title = BUSINESS.get(business, (business, business))[0]
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)

    def para(text, style="BodyText"):
        return Paragraph(_pdf_safe(str(text), font), st[style])

    rows = [
        ("户号", d["account_no"]), ("户名", h["name"]),
        ("证件类型", h.get("id_type_name", h["id_type"])), ("证件号码", h["id_masked"]),
        ("联系电话", h["phone_masked"]),
        ("客户类型", d.get("customer_type_name", d["customer_type"])),
        ("用气地址", d["address"]), ("表号", d["meter_no"] or "—"),
        ("表型", d.get("meter_type") or "—"),
        ("供用气合同", f"{d['supply_contract_no'] or '—'}  {d['supply_contract_date'] or ''}"),
        ("安全用气合同", f"{d['safety_contract_no'] or '—'}  {d['safety_contract_date'] or ''}"),
        ("特殊群体", "、".join(d.get("special_group_names", [])) or "无"),
        ("账户状态", d.get("status_name", d["status"])),
    ]
    if business in ("transfer", "rename") and len(d.get("history", [])) >= 2:
        prev = d["history"][-2]
        rows.insert(2, ("原户名", prev["holder"]["name"]))
        rows.insert(3, ("原户主证件", prev["holder"]["id_masked"]))
        last = d["history"][-1]
        if business == "transfer":
            reason = accounts.TRANSFER_REASONS.get(last["reason"], (last["reason"],))[0]
            rows.append(("过户原因", reason))
    if business == "retype":
        rows[6:6] = _retype_rows(d)     # after the new type
    for k, v in (extra or {}).items():
        rows.append((k, v))
    last_docs = d["history"][-1]["documents"] if d.get("history") else d.get("documents", [])
    docs = "、".join(accounts.DOCUMENTS.get(x, (x,))[0] for x in last_docs) or "—"
    rows.append(("已核验资料", docs))

    table = Table([[para(k), para(v)] for k, v in rows], colWidths=[38 * mm, 130 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [
        para(company_name, "Title"), para(title, "Heading2"),
        para(f"营业厅：{hall_name}　　办理时间：{at:%Y-%m-%d %H:%M}　　"
             f"经办柜员：{staff_no} {staff_name}"),
        Spacer(1, 4 * mm), table, Spacer(1, 6 * mm),
        para("本人确认以上信息真实无误，已阅知供用气合同及安全用气合同条款。客户信息依法保密，"
             "证件号码与电话已作遮挡处理。"),
        Spacer(1, 14 * mm),
    ]
    sign = Table([[para("客户（代办人）签名：________________"),
                   para("日期：____年__月__日")],
                  [para("经办柜员签名：________________"), para("营业厅（盖章）")]],
                 colWidths=[95 * mm, 73 * mm], rowHeights=[16 * mm, 16 * mm])
    sign.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font)]))
    story.append(sign)
    doc = SimpleDocTemplate(str(p), pagesize=A4, title=f"{title} {d['account_no']}",
                            author=company_name, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm)
    doc.build(story, canvasmaker=_pdf_canvas())
    return p


def papers(view, names: dict, business: str, *, folder: str | Path,
           printer_uri: str = "", width_mm: int = 80, timeout: float = 3.0,
           staff_no: str = "", staff_name: str = "", window: int | None = None) -> dict:
    """The PDF form into ``folder`` and, with a printer, the slip. Returns
    ``{"pdf": path, "slip": "printed" | "none" | "error", "error": message}``; a printer
    fault never loses the business (it is already committed) — the clerk reprints."""
    from ..errors import CounterDeskError

    d = _view_dict(view)
    at = clock.now()
    path = Path(folder) / f"{business}-{d['account_no']}-{at:%Y%m%d%H%M%S}.pdf"
    out: dict = {"pdf": str(account_form_pdf(view, names["hall_name"], names["company_name"],
                                             business, path, staff_no=staff_no,
                                             staff_name=staff_name, at=at)),
                 "slip": "none", "error": ""}
    if printer_uri:
        from . import printers

        try:
            p = (printer_uri if isinstance(printer_uri, printers.PrinterURI) else
                 printers.parse(printer_uri, width_mm=width_mm, timeout=timeout))
            printers.send(p, account_slip(view, names["hall_name"], business,
                                          staff_no=staff_no, window=window,
                                          columns=p.columns, at=at),
                          job_name=f"{business} {d['account_no']}")
            out["slip"] = "printed"
        except CounterDeskError as exc:
            out["slip"] = ("unconfirmed" if isinstance(exc, printers.PrintUnconfirmed)
                           else "error")
            out["error"] = exc.message
    return out
