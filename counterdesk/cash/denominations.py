"""Banknotes and coins (人民币面额) and counting a till by denomination."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import money
from ..errors import ValidationError


@dataclass(frozen=True)
class Denomination:
    code: str        # stored in TillCount.denomination
    value_fen: int
    label: str       # 100元, 5角…
    coin: bool

    @property
    def label_full(self) -> str:
        return self.label + ("硬币" if self.coin else "")

    def to_dict(self) -> dict:
        return {"code": self.code, "value_fen": self.value_fen, "label": self.label_full,
                "coin": self.coin}


DENOMINATIONS: tuple[Denomination, ...] = (
    Denomination("N10000", 10000, "100元", False),
    Denomination("N5000", 5000, "50元", False),
    Denomination("N2000", 2000, "20元", False),
    Denomination("N1000", 1000, "10元", False),
    Denomination("N500", 500, "5元", False),
    Denomination("N100", 100, "1元", False),
    Denomination("N50", 50, "5角", False),
    Denomination("N10", 10, "1角", False),
    Denomination("C100", 100, "1元", True),
    Denomination("C50", 50, "5角", True),
    Denomination("C10", 10, "1角", True),
    Denomination("C5", 5, "5分", True),
    Denomination("C2", 2, "2分", True),
    Denomination("C1", 1, "1分", True),
)
_BY_CODE = {d.code: d for d in DENOMINATIONS}
# what people type on the command line: 100 50 20 10 5 1 0.5 0.1 (notes), c1 c0.5 … (coins)
_ALIASES: dict[str, str] = {}
for _d in DENOMINATIONS:
    _y = money.fmt(_d.value_fen, group=False).rstrip("0").rstrip(".")
    _ALIASES[("c" if _d.coin else "") + _y] = _d.code
    _ALIASES[_d.code] = _d.code          # the stored code, upper case (C1 is 1分, c1 is 1元)
    _ALIASES[_d.label_full] = _d.code
    if not _d.coin:
        _ALIASES[_d.label] = _d.code
del _d, _y


def denominations() -> list[dict]:
    return [d.to_dict() for d in DENOMINATIONS]


def denomination_code(key: str) -> str:
    """A denomination from its code or what a person types (``100``, ``0.5``, ``c0.5``)."""
    k = str(key).strip()
    code = _ALIASES.get(k) or _ALIASES.get(k.lower())
    if code is None:
        raise ValidationError(
            f"面额 {key!r} 无效：纸币写 100、50、20、10、5、1、0.5、0.1，硬币写 c1、c0.5、c0.1、c0.05、c0.02、c0.01",
            f"Denomination {key!r} is invalid: notes 100 50 20 10 5 1 0.5 0.1, coins c1 c0.5 "
            "c0.1 c0.05 c0.02 c0.01", field="denomination")
    return code


def _count_value(raw: Any, label: str) -> int:
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, float):
        if not raw.is_integer():
            raw = None
        else:
            raw = int(raw)
    if isinstance(raw, Decimal):
        raw = int(raw) if raw == raw.to_integral_value() else None
    if isinstance(raw, str):
        t = raw.strip()
        raw = int(t) if t.isdigit() else (None if t else 0)
        if raw is None and t.startswith("-") and t[1:].isdigit():
            raw = int(t)
    if not isinstance(raw, int):
        raise ValidationError(f"{label} 的张数/枚数必须是不小于 0 的整数",
                              f"The count of {label} must be a whole number, 0 or more",
                              field="count")
    if raw < 0:
        raise ValidationError(f"{label} 的张数/枚数不能为负数（{raw}）",
                              f"The count of {label} cannot be negative ({raw})", field="count")
    if raw > 1_000_000:
        raise ValidationError(f"{label} 的张数/枚数过大（{raw}）", f"The count of {label} is too "
                              f"large ({raw})", field="count")
    return raw


def parse_counts(counts: dict[str, Any] | Iterable[tuple[str, Any]] | None
                 ) -> list[tuple[Denomination, int]]:
    """Validate counts by denomination; every denomination appears once (0 if absent)."""
    items = list((counts or {}).items()) if isinstance(counts, dict) else list(counts or [])
    got: dict[str, int] = {}
    for key, raw in items:
        code = denomination_code(key)
        d = _BY_CODE[code]
        if code in got:
            raise ValidationError(f"面额 {d.label_full} 重复填写", f"{d.label_full} given twice",
                                  field="denomination")
        got[code] = _count_value(raw, d.label_full)
    return [(d, got.get(d.code, 0)) for d in DENOMINATIONS]


def counts_total(parsed: list[tuple[Denomination, int]]) -> int:
    return sum(d.value_fen * n for d, n in parsed)


def parse_count_args(values: list[str] | None) -> list[tuple[str, str]]:
    """``["100=5", "c0.5=3"]`` → pairs (for the command line)."""
    out = []
    for v in values or []:
        if "=" not in v:
            raise ValidationError(f"点钞写法 {v!r} 无效：应为 面额=张数，如 100=5 或 c0.5=3",
                                  f"Count {v!r} is invalid: DENOMINATION=COUNT, e.g. 100=5",
                                  field="count")
        k, n = v.split("=", 1)
        out.append((k, n))
    return out
