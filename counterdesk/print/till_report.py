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


def _y(fen, hidden: str = HIDDEN) -> str:
    return hidden if fen is None else money.fmt(fen)


def _ts(v) -> str:
    """A time for people: ``2026-11-23T09:00:00+08:00`` → ``2026-11-23 09:00``."""
    from .dayclose_pdf import when

    return when(v) if v else ""


def to_pdf(data: dict, lang: str | None = None) -> bytes:
    """The till sheet of one clerk and day, in the user's language (or ``lang``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    from .dayclose_export import language
    from .dayclose_pdf import WORDS, rich, signature_line, table
    from .pdf import register_fonts, styles

    en = language(lang) == "en"

    def L(zh: str, english: str) -> str:  # noqa: N802 - a label in the report's language
        return english if en else zh

    hidden = L(HIDDEN, "shown after the blind count")

    def y(fen) -> str:
        return _y(fen, hidden)

    font = register_fonts()
    st = styles()
    cell = st["BodyText"].clone("tillcell", fontSize=9, leading=11)
    heading = st["Heading3"].clone("tillhead", keepWithNext=1)  # a heading stays with its table
    t = data["till"]
    f = data.get("figures")
    buf = io.BytesIO()
    title = f"{data['hall']['name']} {L('收费员钱箱报表', 'till sheet')} {data['business_day']}"
    sep = "   " if en else "　"
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title,
                            author=data["hall"].get("company", ""))
    story = [Paragraph(rich(title, font), st["Title"]),
             Paragraph(rich(f"{data['hall'].get('company', '')}{sep}{L('收费员', 'Clerk')} "
                            f"{t['staff_no']} {t['name']}{sep}{L('窗口', 'Window')} "
                            f"{t['window'] or '—'}{sep}{L('状态', 'Status')} "
                            f"{t['status'] if en else t['status_name']}", font), st["Normal"]),
             Paragraph(rich(f"{L('开箱', 'Opened')} {_ts(t['opened_at'])}{sep}"
                            f"{L('打印', 'Printed')} {_ts(data.get('printed_at'))}"
                            f" ({data.get('printed_by', '')})", font), st["Normal"]),
             Spacer(1, 4 * mm)]

    def counts(title_, rows, total):
        story.append(Paragraph(rich(title_, font), heading))
        body = [[L("面额", "Denomination"), L("张/枚数", "Count"), L("金额（元）", "Amount (yuan)")]]
        body += [[r["label"], r["count"], money.fmt(r["amount_fen"])] for r in rows]
        body.append([L("合计", "Total"), "", y(total)])
        story.append(table(body, font, cell, col_widths=[40 * mm, 30 * mm, 40 * mm]))

    counts(L("备用金（开箱点钞）", "Float (counted at opening)"), t["float_counts"], t["float_fen"])
    if t["status"] != "open":
        counts(L("交款点钞（盲点）", "Count at closing (blind)"), t["close_counts"],
               t["counted_fen"])
    story.append(Paragraph(rich(L("现金核对", "Cash reconciliation"), font), heading))
    fig = f or {}
    uncounted = L("未点钞", "not counted")
    rows = [[L("项目", "Item"), L("金额（元）", "Amount (yuan)")],
            [L("备用金", "Float"), money.fmt(t["float_fen"])],
            [L("现金收款（已扣找零）", "Cash taken (net of change)"),
             y(fig.get("cash_sales_fen") if f is not None else None)],
            [L("　其中实收", "  tendered"), y(fig.get("cash_tendered_fen") if f is not None else None)],
            [L("　其中找零", "  change"), y(fig.get("cash_change_fen") if f is not None else None)],
            [L("现金作废/退款", "Cash voids/refunds"),
             y(fig.get("cash_reversals_fen") if f is not None else None)],
            [L("存入", "Paid in"), y(fig.get("cash_in_fen") if f is not None else None)],
            [L("取出", "Paid out"), y(fig.get("cash_out_fen") if f is not None else None)],
            [L("应有现金", "Expected cash"), y(t["expected_fen"])],
            [L("实点现金", "Counted cash"), y(t["counted_fen"]) if t["status"] != "open" else uncounted],
            [L("长短款（实点-应有）", "Difference (counted - expected)"),
             y(t["difference_fen"]) if t["status"] != "open" else uncounted]]
    story.append(table(rows, font, cell, col_widths=[60 * mm, 40 * mm]))
    if t.get("noncash"):
        story.append(Paragraph(rich(L("非现金核对", "Non-cash confirmed"), font), heading))
        names = {} if en else {"cheque": "支票", "card": "银行卡", "qr": "扫码"}
        rows = [[L("方式", "Method"), L("系统合计", "System"), L("柜员确认", "Confirmed"),
                 L("差额", "Difference")]]
        for m, v in sorted(t["noncash"].items()):
            rows.append([names.get(m, m), money.fmt(v["expected_fen"]),
                         money.fmt(v["confirmed_fen"]), money.fmt(v["difference_fen"])])
        story.append(table(rows, font, cell))
    story.append(Paragraph(rich(L("现金存取", "Cash movements"), font), heading))
    rows = [[L("时间", "Time"), L("方向", "Direction"), L("金额（元）", "Amount (yuan)"),
             L("原因", "Reason"), L("授权人", "Approved by")]]
    for m in t["movements"]:
        rows.append([_ts(m["at"]), L("存入", "in") if m["direction"] == "in" else L("取出", "out"),
                     money.fmt(m["amount_fen"]), m["reason"], m["approved_by"]])
    if len(rows) == 1:
        rows.append([L("（无）", "(none)"), "", "", "", ""])
    last = [table(rows, font, cell),
            Paragraph(rich(L("情况说明：", "Explanation: ") + (t.get("explanation") or L("无", "none")),
                           font), st["Normal"])]
    if t.get("countersigned_by"):
        last.append(Paragraph(rich(f"{L('复核：', 'Countersigned: ')}{t['countersigned_by']}{sep}"
                                   f"{_ts(t.get('countersigned_at'))}", font), st["Normal"]))
    # the signature block never stands alone on a page: it stays with the last table
    w = WORDS["en" if en else "zh"]
    story.append(KeepTogether(last + [Spacer(1, 12 * mm),
                                      signature_line(font, st, w["roles"], w["sign"])]))
    doc.build(story, canvasmaker=_pdf_canvas())
    return buf.getvalue()


def write_pdf(data: dict, path: str | Path, lang: str | None = None) -> Path:
    from .pdf import save

    return save(to_pdf(data, lang), path)


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


def z_escpos(rep: dict, columns: int = 48, *, cut: bool = True) -> bytes:
    """The Z report of a closed day (日结, the hall's totals) for the receipt printer,
    with the audit anchor that ``audit verify --anchor`` checks the chain against."""
    from .escpos_doc import Doc

    t, rc = rep["totals"], rep["receipts"]
    doc = Doc(columns)
    doc.center().bold().line(rep["hall"]["name"]).bold(False)
    doc.big("Z 报表", 1, 2).normal().line("（日结报表）")
    doc.left().rule()
    doc.pair("营业日", rep["business_day"])
    doc.pair("日结人", f"{rep.get('closed_by') or '—'} {rep.get('closed_by_name') or ''}")
    doc.pair("日结时间", _ts(rep.get("closed_at")))
    doc.rule()
    doc.pair(f"收费 {t['sales']}笔", money.fmt_symbol(t["sales_fen"]))
    doc.pair(f"作废 {t['voids']}笔", money.fmt_symbol(t["voids_fen"]))
    doc.pair(f"退款 {t['refunds']}笔", money.fmt_symbol(t["refunds_fen"]))
    doc.pair("实收净额", money.fmt_symbol(t["net_fen"]))
    for r in rep["by_method"]:
        doc.pair(f"  {r['name']}", money.fmt_symbol(r["net_fen"]))
    doc.pair("长短款", money.fmt_symbol(rep["cash"]["difference_fen"]))
    doc.rule()
    doc.pair("票据号", rc["first"] or "—")
    doc.pair("至", f"{rc['last'] or '—'}（{rc['count']}张）")
    doc.pair("票据号连续", "是" if rc["gapless"] else "否")
    if rep.get("anchor"):
        where, _, digest = rep["anchor"].rpartition(":")     # HALL:SEQ, then the hash
        doc.rule().line("审计锚点（请留存）")
        doc.line(f"{where}:")
        half = (len(digest) + 1) // 2
        doc.line(digest[:half]).line(digest[half:])
    doc.rule().feed(1).line("主任：__________").feed(2)
    if cut:
        doc.cut()
    return doc.bytes()


__all__ = ["to_pdf", "write_pdf", "x_escpos", "z_escpos", "HIDDEN"]
