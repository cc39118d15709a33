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
FOOTERS = {
    "sale": FOOTER,
    "void": ("原收据作废，款项按原方式退回。", "本收据为作废冲正凭证，请妥善保管。"),
    "refund": ("款项按原付款方式退回，请核对。", "本收据为退款凭证，请妥善保管。"),
}
_CAPITAL_UNITS = "亿万元角分整"


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


def capitals_lines(label: str, text: str, cols: int) -> list[str]:
    """``大写 …`` wrapped only after a unit (亿 万 元 角 分 整), continuation lines
    indented under the amount; a chunk is split only if wider than a whole line."""
    chunks, cur = [], ""
    for ch in text:
        cur += ch
        if ch in _CAPITAL_UNITS:
            chunks.append(cur)
            cur = ""
    if cur:
        chunks.append(cur)
    indent = width(label) + 1
    room = max(2, cols - indent)
    lines, line = [], ""
    for c in chunks:
        if line and width(line + c) > room:
            lines.append(line)
            line = ""
        while width(c) > room:
            lines.append(c[:room // 2])
            c = c[room // 2:]
        line += c
    lines.append(line)
    return [(label + " " if n == 0 else " " * indent) + ln for n, ln in enumerate(lines)]


def _qty_unit(qty: str, unit: str) -> str:
    return f"{qty}{unit or ''}"


def _line_rows(doc: Doc, d: dict) -> None:
    """Item lines. The unit is always printed; a tiered line shows its quantity and
    amount, and under it the tier lines (each quantity × price = amount) that add up to
    it, on sales and reversals alike."""
    cols = doc.columns
    wide = cols >= 42
    w_amt, w_price, w_qty = 10, 9, 10
    w_name = cols - w_amt - w_price - w_qty
    times = " × " if wide else "×"  # × is two columns: no spaces around it on 58 mm
    if wide:
        doc.row(["项目", "数量", "单价", "金额"], [w_name, w_qty, w_price, w_amt],
                ["left", "right", "right", "right"])
    else:
        doc.pair("项目 数量×单价", "金额")
    doc.rule()
    for ln in d["lines"]:
        unit = ln.get("unit", "")
        tiers = ln.get("tiers") or []
        qty = _qty_unit(ln["qty"], unit)
        amount = money.fmt(ln["amount_fen"])
        name = ln["name"]
        price = "" if tiers else money.fmt(ln["unit_price_fen"])
        if (wide and width(name) <= w_name - 1 and width(qty) <= w_qty - 1
                and width(price) <= w_price - 1):
            doc.row([name, qty, price, amount], [w_name, w_qty, w_price, w_amt],
                    ["left", "right", "right", "right"])
        else:
            doc.line(name)
            doc.pair(f"  {qty}" + (f"{times}{price}" if price else ""), amount)
        sign = "-" if ln["amount_fen"] < 0 else ""
        for t in tiers:
            tq = str(t["qty"])
            if sign and not tq.startswith("-"):
                tq = "-" + tq
            doc.pair(f"  第{t['tier']}档 {_qty_unit(tq, unit)}{times}"
                     f"{money.fmt(t['unit_price_fen'])}", money.fmt(t["amount_fen"]))


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
    """Receipt bytes. ``reprint_no`` > 0 marks the copy 补打 (第 N 次). Names, units and
    reasons are whatever was saved; characters outside GBK print as ``[U+XXXX]``."""
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
        doc.account(d["account_no"], d.get("holder", ""))
    doc.rule()
    _line_rows(doc, d)
    doc.rule()
    total = d["total_fen"]
    doc.bold().pair("退款合计" if total < 0 else "合计", money.fmt_symbol(total)).bold(False)
    words = money.capitals(total) if total >= 0 else "退" + money.capitals(-total)
    for text in capitals_lines("大写", words, cols):
        doc.line(text)
    _tenders(doc, d)
    _card(doc, d.get("card"))
    if kind != "sale":
        if d.get("reason"):
            doc.labelled("原因", d["reason"])
        if d.get("approver_no"):
            doc.pair("授权主任", f"工号 {d['approver_no']}")
    doc.rule()
    doc.center().qr(qr_content(d), size=5)
    doc.line(f"验证码 {d.get('verification_code', '')}")
    if d.get("hotline"):
        doc.line(f"服务热线 {d['hotline']}")
    for f in FOOTERS.get(kind, FOOTER):
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
