"""Till reports: the till sheet as an A4 PDF (float, count by denomination, cash
reconciliation, non-cash confirmation, movements, signatures) and the mid-day X report
as ESC/POS bytes for the receipt printer.

Both take the plain dicts of :mod:`counterdesk.cash` (``till_report_data``,
``x_report``); amounts the service withheld (``None``: the count is still blind) are
printed as "盲点后显示" and never computed here.
"""

from __future__ import annotations

import io
from pathlib import Path

from .. import money
from .pdf import canvasmaker as _pdf_canvas

HIDDEN = "盲点后显示"


def _y(fen) -> str:
    return HIDDEN if fen is None else money.fmt(fen)


def _ts(v) -> str:
    """A time for people: ``2026-11-23T09:00:00+08:00`` → ``2026-11-23 09:00``."""
    from .dayclose_pdf import when

    return when(v) if v else ""


def to_pdf(data: dict) -> bytes:
    """The till sheet of one clerk and day."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_pdf import rich, signature_line, table
    from .pdf import register_fonts, styles

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("tillcell", fontSize=9, leading=11)
    heading = st["Heading3"].clone("tillhead", keepWithNext=1)  # a heading stays with its table
    t = data["till"]
    f = data.get("figures")
    buf = io.BytesIO()
    title = f"{data['hall']['name']} 收费员钱箱报表 {data['business_day']}"
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title,
                            author=data["hall"].get("company", ""))
    story = [Paragraph(rich(title, font), st["Title"]),
             Paragraph(rich(f"{data['hall'].get('company', '')}　收费员 {t['staff_no']} {t['name']}"
                            f"　窗口 {t['window'] or '—'}　状态 {t['status_name']}", font),
                       st["Normal"]),
             Paragraph(rich(f"开箱 {_ts(t['opened_at'])}　打印 {_ts(data.get('printed_at'))}"
                            f"（{data.get('printed_by', '')}）", font), st["Normal"]),
             Spacer(1, 4 * mm)]

    def counts(title_, rows, total):
        story.append(Paragraph(rich(title_, font), heading))
        body = [["面额", "张/枚数", "金额（元）"]]
        body += [[r["label"], r["count"], money.fmt(r["amount_fen"])] for r in rows]
        body.append(["合计", "", _y(total)])
        story.append(table(body, font, cell, col_widths=[40 * mm, 30 * mm, 40 * mm]))

    counts("备用金（开箱点钞）", t["float_counts"], t["float_fen"])
    if t["status"] != "open":
        counts("交款点钞（盲点）", t["close_counts"], t["counted_fen"])
    story.append(Paragraph(rich("现金核对", font), heading))
    fig = f or {}
    rows = [["项目", "金额（元）"], ["备用金", money.fmt(t["float_fen"])],
            ["现金收款（已扣找零）", _y(fig.get("cash_sales_fen") if f is not None else None)],
            ["　其中实收", _y(fig.get("cash_tendered_fen") if f is not None else None)],
            ["　其中找零", _y(fig.get("cash_change_fen") if f is not None else None)],
            ["现金作废/退款", _y(fig.get("cash_reversals_fen") if f is not None else None)],
            ["存入", _y(fig.get("cash_in_fen") if f is not None else None)],
            ["取出", _y(fig.get("cash_out_fen") if f is not None else None)],
            ["应有现金", _y(t["expected_fen"])],
            ["实点现金", _y(t["counted_fen"]) if t["status"] != "open" else "未点钞"],
            ["长短款（实点-应有）", _y(t["difference_fen"]) if t["status"] != "open" else "未点钞"]]
    story.append(table(rows, font, cell, col_widths=[60 * mm, 40 * mm]))
    if t.get("noncash"):
        story.append(Paragraph(rich("非现金核对", font), heading))
        names = {"cheque": "支票", "card": "银行卡", "qr": "扫码"}
        rows = [["方式", "系统合计", "柜员确认", "差额"]]
        for m, v in sorted(t["noncash"].items()):
            rows.append([names.get(m, m), money.fmt(v["expected_fen"]),
                         money.fmt(v["confirmed_fen"]), money.fmt(v["difference_fen"])])
        story.append(table(rows, font, cell))
    story.append(Paragraph(rich("现金存取", font), heading))
    rows = [["时间", "方向", "金额（元）", "原因", "授权人"]]
    for m in t["movements"]:
        rows.append([_ts(m["at"]), "存入" if m["direction"] == "in" else "取出",
                     money.fmt(m["amount_fen"]), m["reason"], m["approved_by"]])
    if len(rows) == 1:
        rows.append(["（无）", "", "", "", ""])
    last = [table(rows, font, cell),
            Paragraph(rich("情况说明：" + (t.get("explanation") or "无"), font), st["Normal"])]
    if t.get("countersigned_by"):
        last.append(Paragraph(rich(f"复核：{t['countersigned_by']}　{_ts(t.get('countersigned_at'))}",
                                   font), st["Normal"]))
    # the signature block never stands alone on a page: it stays with the last table
    story.append(KeepTogether(last + [Spacer(1, 12 * mm), signature_line(font, st)]))
    doc.build(story, canvasmaker=_pdf_canvas())
    return buf.getvalue()


def write_pdf(data: dict, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_pdf(data))
    return path


def x_escpos(x: dict, columns: int = 48, *, cut: bool = True) -> bytes:
    """The mid-day X report for the receipt printer (ESC/POS, Chinese via GB18030)."""
    from .escpos_doc import Doc

    doc = Doc(columns)
    doc.center().bold().line(x["hall"]["name"]).bold(False)
    doc.big("X 报表", 1, 2).normal().line("（中途报表，不清零）")
    doc.left().rule()
    doc.pair("营业日", x["business_day"])
    doc.pair("收费员", f"{x['staff_no']} {x['name']}")
    doc.pair("窗口", str(x["window"] or "—"))
    doc.pair("打印时间", _ts(x["printed_at"]))
    doc.pair("钱箱状态", x["status_name"])
    doc.rule()
    doc.pair("收费笔数", str(x["sales"]))
    doc.pair("作废笔数", str(x["voids"]))
    doc.pair("退款笔数", str(x["refunds"]))
    doc.pair("票据号", f"{x['first_receipt_no'] or '—'}")
    doc.pair("至", f"{x['last_receipt_no'] or '—'}")
    doc.pair("未打印票据", str(x["unprinted"]))
    doc.rule()
    for m in x["methods"]:
        amount = "—" if m["amount_fen"] is None else money.fmt_symbol(m["amount_fen"])
        doc.pair(f"{m['name']} {m['count']}笔", amount)
    doc.rule()
    doc.pair("备用金", money.fmt_symbol(x["float_fen"]))
    doc.pair("存入", money.fmt_symbol(x["cash_in_fen"]))
    doc.pair("取出", money.fmt_symbol(x["cash_out_fen"]))
    if x.get("expected_fen") is not None:
        doc.pair("应有现金", money.fmt_symbol(x["expected_fen"]))
    else:
        doc.line("现金金额在交款盲点后显示")
    doc.rule().feed(1).line("收费员：__________  复核：__________").feed(2)
    if cut:
        doc.cut()
    return doc.bytes()


__all__ = ["to_pdf", "write_pdf", "x_escpos", "HIDDEN"]
