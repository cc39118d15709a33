"""The receipt (统一票据) as ESC/POS bytes, for 58 mm (32 columns) and 80 mm (48 / 42).

Input is the receipt data written with the payment (``PaymentResult.receipt`` /
``PrintJob.params``): a snapshot, so a reprint shows exactly what was paid. Layout::

    滨江市燃气有限公司                       company (bold, centred)
    收  费  收  据                           title (double size); 作废/退款 for reversals
    滨江燃气人民路营业厅
    票据号 2026-000123    窗口 1 工号 1001
    2026-11-22 14:03:05
    户号 0100012345       户名 张*明
    ------------------------------------
    项目           数量      单价     金额
    lines (tier break-down under a tiered line)
    ------------------------------------
    合计                         ￥123.45
    大写 壹佰贰拾叁元肆角伍分
    现金 实收 ￥200.00  找零 ￥76.55
    QR (hall|receipt no|verification code|total), 验证码, hotline, footer
    补打 (第 N 次) at top and bottom of a reprint

Every text line fits the paper: widths are counted by ``escpos_doc.width`` (2 columns
for every double-byte character).
"""

from __future__ import annotations

from typing import Any

from .. import money
from ..billing.tenders import method_zh
from .escpos_doc import Doc, columns_for, pad, width

TITLES = {"sale": "收费收据", "void": "作废冲正收据", "refund": "退款收据"}
FOOTER = ("请当面核对金额，当面点清。", "本收据为缴费凭证，请妥善保管。")


def _data(payment: Any) -> dict:
    if isinstance(payment, dict):
        return payment
    data = getattr(payment, "receipt", None)
    if isinstance(data, dict) and data:
        return data
    params = getattr(payment, "params", None)
    if isinstance(params, dict) and params:
        return params
    raise TypeError("render() needs receipt data (a dict, a PaymentResult or a PrintJobInfo)")


def qr_content(d: dict) -> str:
    return "|".join([d.get("hall_code", ""), d["receipt_no"], d.get("verification_code", ""),
                     money.fmt(d["total_fen"], group=False)])


def _line_rows(doc: Doc, d: dict) -> None:
    cols = doc.columns
    wide = cols >= 42
    if wide:
        w_amt, w_price, w_qty = 10, 9, 9
        w_name = cols - w_amt - w_price - w_qty
        doc.row(["项目", "数量", "单价", "金额"], [w_name, w_qty, w_price, w_amt],
                ["left", "right", "right", "right"])
    else:
        doc.pair("项目 数量×单价", "金额")
    doc.rule()
    for ln in d["lines"]:
        qty = ln["qty"]
        price = money.fmt(ln["unit_price_fen"])
        amount = money.fmt(ln["amount_fen"])
        name = ln["name"]
        if wide:
            unit = ln.get("unit", "")
            if unit and unit != "期" and width(qty + unit) <= w_qty - 1:
                qty = qty + unit
            cells = [name, qty, price, amount]
            widths = [w_name, w_qty, w_price, w_amt]
            aligns = ["left", "right", "right", "right"]
            if width(name) > w_name - 1 or width(qty) > w_qty - 1:
                doc.line(name)
                cells[0] = ""
                if width(qty) > w_qty - 1:
                    doc.pair(f"  {qty} × {price}", amount)
                    cells = None
            if cells is not None:
                doc.row(cells, widths, aligns)
        else:
            doc.line(name)
            doc.pair(f"  {qty}{ln.get('unit', '') if ln.get('unit') != '期' else ''} × {price}",
                     amount)
        for t in ln.get("tiers") or []:
            if len(ln["tiers"]) > 1 or wide:
                doc.pair(f"  第{t['tier']}档 {t['qty']} × {money.fmt(t['unit_price_fen'])}",
                         money.fmt(t["amount_fen"]))


def _tenders(doc: Doc, d: dict) -> None:
    refund = d.get("kind") in ("void", "refund")
    for t in d["tenders"]:
        m = method_zh(t["method"])
        label = f"{'退回' if refund else '付款方式'} {m}"
        doc.pair(label, money.fmt_symbol(t["amount_fen"]))
        if t["method"] == "cash" and not refund:
            doc.pair("  实收", money.fmt_symbol(t["tendered_fen"]))
            doc.pair("  找零", money.fmt_symbol(t["change_fen"]))
        if t.get("reference"):
            doc.line(f"  参考号 {t['reference']}")
        if t.get("cheque_no"):
            doc.line(f"  支票号 {t['cheque_no']}")
        if t.get("bank"):
            doc.line(f"  出票行 {t['bank']}")


def _card(doc: Doc, card: dict | None) -> None:
    """IC card lines of a card sale: card number, purchase sequence, volume, written?"""
    if not card:
        return
    doc.line(f"IC卡号 {card.get('card_no', '')}")
    if card.get("seq"):
        doc.pair(f"购气次数 第{card['seq']}次", f"购气量 {card.get('volume', '')} 立方米")
    doc.line("写卡状态 已写卡" if card.get("written") else
             "写卡状态 未写卡（下次读卡时补写，不重复）")


def render(payment: Any, *, columns: int | None = None, width_mm: int = 80, dots: int = 576,
           reprint_no: int = 0, open_drawer: bool = False, cut: bool = True) -> bytes:
    """Receipt bytes. ``reprint_no`` > 0 marks the copy 补打 (第 N 次)."""
    d = _data(payment)
    if reprint_no == 0 and not isinstance(payment, dict):
        reprint_no = int(getattr(payment, "reprint_no", 0) or 0)
    cols = columns or columns_for(width_mm, dots)
    doc = Doc(cols)
    kind = d.get("kind", "sale")
    mark = f"补打（第{reprint_no}次）" if reprint_no else ""
    if mark:
        doc.center().bold().big(mark, 2, 1).bold(False)
    doc.center().bold().line(d.get("company", "")).bold(False)
    doc.big(TITLES.get(kind, "收据"), 2, 2)
    doc.line(d.get("hall", ""))
    doc.left().rule()
    doc.pair(f"票据号 {d['receipt_no']}", f"窗口 {d.get('window') or '-'}")
    doc.pair(d.get("at", "").replace("T", " "), f"工号 {d.get('staff_no', '')}")
    if d.get("original_receipt_no"):
        doc.line(f"原票据号 {d['original_receipt_no']}")
    if d.get("account_no"):
        doc.pair(f"户号 {d['account_no']}", f"户名 {d.get('holder', '')}")
    doc.rule()
    _line_rows(doc, d)
    doc.rule()
    total = d["total_fen"]
    doc.bold().pair("退款合计" if total < 0 else "合计", money.fmt_symbol(total)).bold(False)
    doc.line(f"大写 {money.capitals(abs(total)) if total >= 0 else '退' + money.capitals(-total)}")
    _tenders(doc, d)
    _card(doc, d.get("card"))
    if d.get("reason") and kind != "sale":
        doc.line(f"原因 {d['reason']}")
    doc.rule()
    doc.center().qr(qr_content(d), size=5)
    doc.line(f"验证码 {d.get('verification_code', '')}")
    if d.get("hotline"):
        doc.line(f"服务热线 {d['hotline']}")
    for f in FOOTER:
        doc.line(f)
    if mark:
        doc.bold().line(mark).bold(False)
    doc.left().feed(2)
    if open_drawer:
        doc.cash_drawer()
    if cut:
        doc.cut()
    return doc.bytes()


def render_receipt(payment: Any, **kwargs) -> bytes:
    return render(payment, **kwargs)


def preview(payment: Any, *, columns: int = 48, reprint_no: int = 0) -> str:
    """The receipt as text (for screens and tests)."""
    from .escpos_doc import decode

    return decode(render(payment, columns=columns, reprint_no=reprint_no, cut=False))


__all__ = ["render", "render_receipt", "preview", "qr_content", "pad"]
