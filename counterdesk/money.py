"""Money: integer fen (分) in, integer fen out; ``Decimal`` in between, never float.

* :func:`parse_yuan` — what a clerk or a CSV file writes (``123.45``, ``￥1,234.5``,
  ``12元``) to fen, refusing more than two decimals.
* :func:`fmt` / :func:`fmt_symbol` — fen to ``1,234.50`` / ``￥1,234.50``.
* :func:`capitals` — fen to the Chinese capitals of a receipt (大写金额), via the
  cn2an library, following the 整 convention of 《支付结算办法》 (an amount ending at
  元 or 角 gets 整: ``壹佰元整``, ``壹佰元伍角整``; one ending at 分 does not).
* :func:`parse_qty` / :func:`line_amount` — quantities are ``Decimal`` with at most
  three decimals; an amount is rounded half-up to the fen once, per line.
* :func:`tiered_amount` — 阶梯气价: a volume priced across annual-volume tiers.
* :func:`allocate_change` — cash tendered against the amount due.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ValidationError
from .validators import typed

FEN = Decimal(1)
QTY_PLACES = Decimal("0.001")
MAX_FEN = 99_999_999_999_99  # 999 亿元: more than any counter takes

_YUAN_RE = re.compile(r"^\d+(\.\d{0,2})?$")


def parse_yuan(text: str | int | Decimal, *, field: str = "amount",
               allow_zero: bool = True) -> int:
    """``"123.45"`` → ``12345``. Accepts ``￥``/``¥``/``元``, thousands separators and spaces.

    Refuses negatives, more than two decimals, and non-numbers with a message naming
    ``field``.
    """
    if isinstance(text, bool):
        raise TypeError("bool is not an amount")
    if isinstance(text, int):
        text = str(text)
    if isinstance(text, Decimal):
        text = format(text, "f")
    raw = str(text)
    s = typed(raw).replace("¥", "").replace("元", "").replace(",", "").replace(" ", "")
    if not _YUAN_RE.match(s):
        raise ValidationError(
            f"金额 {raw!r} 无效：请输入不为负、最多两位小数的数字（元），如 123.45",
            f"Amount {raw!r} is invalid: enter a non-negative number of yuan with at most "
            "two decimals, e.g. 123.45", field=field)
    fen = int((Decimal(s) * 100).to_integral_value())
    if fen > MAX_FEN:
        raise ValidationError(f"金额 {raw} 过大", f"Amount {raw} is too large", field=field)
    if fen == 0 and not allow_zero:
        raise ValidationError("金额不能为 0", "The amount cannot be 0", field=field)
    return fen


def to_decimal(fen: int) -> Decimal:
    """Fen to yuan as an exact ``Decimal`` with two places."""
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def fmt(fen: int, *, group: bool = True) -> str:
    """``123456`` → ``1,234.56`` (``-`` for negatives)."""
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    body = f"{yuan:,}" if group else str(yuan)
    return f"{sign}{body}.{cents:02d}"


def fmt_symbol(fen: int, *, group: bool = True) -> str:
    """``12345`` → ``￥123.45`` (the full-width yen sign that GBK printers print)."""
    fen = int(fen)
    return ("-" if fen < 0 else "") + "￥" + fmt(abs(fen), group=group)


def capitals(fen: int) -> str:
    """Chinese capitals of an amount: ``12345`` → ``壹佰贰拾叁元肆角伍分``.

    Negative amounts (refunds) are prefixed with ``负``. The conversion is cn2an's
    ``rmb`` mode; we only add ``整`` after a 角 ending, which cn2an leaves off.
    """
    import warnings

    fen = int(fen)
    if abs(fen) > MAX_FEN:
        raise ValidationError("金额过大，无法写成大写", "Amount too large for capitals")
    sign = "负" if fen < 0 else ""
    fen = abs(fen)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import cn2an

        text = cn2an.an2cn(f"{fen // 100}.{fen % 100:02d}", "rmb")
    if fen % 10 == 0 and fen % 100 != 0 and not text.endswith("整"):
        text += "整"  # 到"角"为止的，在"角"之后写"整"
    if fen == 0:
        text = "零元整"
    return sign + text


# -- quantities ------------------------------------------------------------------------
def parse_qty(value: str | int | Decimal, *, field: str = "qty") -> Decimal:
    """A positive quantity with at most three decimals (m³, pieces, metres…)."""
    raw = value
    if isinstance(value, bool):
        raise TypeError("bool is not a quantity")
    if isinstance(value, float):
        raise TypeError("quantities are never float: pass a str or Decimal")
    try:
        q = Decimal(typed(str(value)))
    except InvalidOperation:
        q = None
    if q is None or not q.is_finite():
        raise ValidationError(f"数量 {raw!r} 无效：请输入大于 0 的数字",
                              f"Quantity {raw!r} is invalid: enter a number above 0", field=field)
    if q <= 0:
        raise ValidationError(f"数量 {raw} 无效：必须大于 0",
                              f"Quantity {raw} is invalid: it must be above 0", field=field)
    if q != q.quantize(QTY_PLACES):
        raise ValidationError(f"数量 {raw} 最多三位小数", f"Quantity {raw}: at most three "
                              "decimals", field=field)
    if q >= Decimal("1000000000"):
        raise ValidationError(f"数量 {raw} 过大", f"Quantity {raw} is too large", field=field)
    return q.quantize(QTY_PLACES)


def fmt_qty(q: Decimal) -> str:
    """``Decimal('2.500')`` → ``2.5``; ``Decimal('3.000')`` → ``3``."""
    q = Decimal(q)
    s = format(q.quantize(QTY_PLACES), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def round_fen(value: Decimal) -> int:
    return int(Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP))


def line_amount(qty: Decimal, unit_price_fen: int) -> int:
    """Quantity × unit price, rounded half-up to the fen."""
    return round_fen(Decimal(qty) * int(unit_price_fen))


# -- 阶梯气价 ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TierPart:
    tier: int
    qty: Decimal
    unit_price_fen: int
    amount_fen: int

    def to_dict(self) -> dict:
        return {"tier": self.tier, "qty": fmt_qty(self.qty),
                "unit_price_fen": self.unit_price_fen, "amount_fen": self.amount_fen}


def tiered_amount(prior_volume: Decimal, qty: Decimal,
                  tiers: list[tuple[int, Decimal, int]]) -> tuple[int, list[TierPart]]:
    """Price ``qty`` m³ bought after ``prior_volume`` m³ this year.

    ``tiers`` are ``(tier, from_volume, unit_price_fen)`` with the first starting at 0.
    Each part is rounded to the fen on its own; the amount is their sum.
    """
    if not tiers:
        raise ValueError("no tiers")
    tiers = sorted(tiers, key=lambda t: Decimal(t[1]))
    start = Decimal(prior_volume)
    end = start + Decimal(qty)
    parts: list[TierPart] = []
    for i, (tier, lo, price) in enumerate(tiers):
        lo = Decimal(lo)
        hi = Decimal(tiers[i + 1][1]) if i + 1 < len(tiers) else None
        a = max(start, lo)
        b = end if hi is None else min(end, hi)
        if b > a:
            q = b - a
            parts.append(TierPart(int(tier), q, int(price), line_amount(q, price)))
    return sum(p.amount_fen for p in parts), parts


# -- tendered and change -----------------------------------------------------------------
def change_for(due_fen: int, tendered_fen: int) -> int:
    """Change to give back; refuses tendered less than due."""
    if tendered_fen < due_fen:
        raise ValidationError(
            f"实收 {fmt_symbol(tendered_fen)} 少于应收 {fmt_symbol(due_fen)}，"
            f"还差 {fmt_symbol(due_fen - tendered_fen)}",
            f"Tendered {fmt(tendered_fen)} is less than the amount due {fmt(due_fen)} "
            f"(short by {fmt(due_fen - tendered_fen)})", field="tendered")
    return tendered_fen - due_fen


__all__ = ["parse_yuan", "to_decimal", "fmt", "fmt_symbol", "capitals", "parse_qty",
           "fmt_qty", "round_fen", "line_amount", "TierPart", "tiered_amount", "change_for"]
