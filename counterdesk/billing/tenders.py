"""Payment methods (付款方式) and how a total is split over them, with change.

:data:`METHODS` is the one table of method names (code → (Chinese, English)); the
screens, the command line, the receipt and the reports all read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import i18n, money
from ..errors import ValidationError
from ..models.billing import (
    TENDER_METHODS,
)

METHODS: dict[str, tuple[str, str]] = {
    "cash": ("现金", "cash"), "cheque": ("支票", "cheque"),
    "card": ("银行卡", "bank card"), "qr": ("扫码", "QR (WeChat/Alipay)")}


def method_name(method: str) -> str:
    """The method's name in the interface language (the code itself if unknown)."""
    zh, en = METHODS.get(method, (method, method))
    return i18n.pick(zh, en)


def method_zh(method: str) -> str:
    """The method's Chinese name (receipts and reports are Chinese)."""
    return METHODS.get(method, (method, method))[0]


@dataclass
class TenderInput:
    method: str
    amount_fen: int | None = None      # None: the rest of the total
    tendered_fen: int | None = None    # cash handed over; None = exact
    reference: str = ""                # card / QR transaction reference
    cheque_no: str = ""
    bank: str = ""


def check_tender_shape(t: TenderInput) -> None:
    if t.method not in TENDER_METHODS:
        raise ValidationError(f"付款方式 {t.method!r} 无效：应为 现金 cash、支票 cheque、"
                              "银行卡 card 或 扫码 qr",
                              f"Payment method {t.method!r} is invalid: cash, cheque, card or qr",
                              field="method")
    for name in ("amount_fen", "tendered_fen"):
        v = getattr(t, name)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            raise ValidationError("金额必须为不小于 0 的整数分", "Amounts must be whole fen ≥ 0",
                                  field=name)
    if t.method == "cheque":
        if not t.cheque_no.strip():
            raise ValidationError("支票付款须填写支票号码", "A cheque payment needs the cheque "
                                  "number", field="cheque_no")
        if not t.bank.strip():
            raise ValidationError("支票付款须填写出票银行", "A cheque payment needs the bank",
                                  field="bank")
    if t.method in ("card", "qr") and not t.reference.strip():
        raise ValidationError(f"{METHODS[t.method][0]}付款须填写交易参考号（小票上的凭证号/订单号）",
                              f"A {METHODS[t.method][1]} payment needs the transaction "
                              "reference", field="reference")
    if t.method != "cash" and t.tendered_fen is not None and t.amount_fen is not None \
            and t.tendered_fen != t.amount_fen:
        raise ValidationError("只有现金可以找零", "Only cash gives change", field="tendered")


def resolve_tenders(total_fen: int, tenders: list[TenderInput]) -> list[dict]:
    """Split ``total_fen`` over the tenders; compute change. Refuses anything inconsistent."""
    if not tenders:
        raise ValidationError("请选择付款方式", "Choose the payment method", field="method")
    for t in tenders:
        check_tender_shape(t)
    if sum(1 for t in tenders if t.method == "cash") > 1:
        raise ValidationError("现金只能作为一种付款方式出现一次", "Cash can appear only once",
                              field="method")
    open_ = [t for t in tenders if t.amount_fen is None]
    if len(open_) > 1:
        raise ValidationError("组合付款时，除一种方式外都须写明金额",
                              "In a split payment every method but one needs its amount",
                              field="split")
    fixed = sum(t.amount_fen for t in tenders if t.amount_fen is not None)
    rest = total_fen - fixed
    if open_ and rest <= 0:
        raise ValidationError("组合付款的各项金额已达到或超过应收，多余的付款方式请删除",
                              "The split amounts already cover the total; remove the extra "
                              "method", field="split")
    if not open_ and fixed != total_fen:
        raise ValidationError(
            f"各付款方式合计 {money.fmt_symbol(fixed)}，与应收 {money.fmt_symbol(total_fen)} 不符",
            f"The methods add up to {money.fmt(fixed)}, not the amount due {money.fmt(total_fen)}",
            field="split")
    out = []
    for t in tenders:
        amount = t.amount_fen if t.amount_fen is not None else rest
        if amount <= 0:
            raise ValidationError("每种付款方式的金额必须大于 0", "Every method's amount must be "
                                  "above 0", field="split")
        if t.method == "cash":
            tendered = amount if t.tendered_fen is None else t.tendered_fen
            change = money.change_for(amount, tendered)
        else:
            tendered, change = amount, 0
        out.append({"method": t.method, "amount_fen": amount, "tendered_fen": tendered,
                    "change_fen": change, "reference": t.reference.strip(),
                    "cheque_no": t.cheque_no.strip(), "bank": t.bank.strip()})
    return out
