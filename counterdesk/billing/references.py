"""Non-cash references used once (issue 15, hole 8).

A card or QR transaction reference is unique per hall and method, a cheque number per hall
and bank; each must look like one (the hall policy's pattern per method). :func:`check`
refuses before anything is written; :func:`claim` records them with the sale (the unique
constraint of ``tender_references`` settles a race between two windows).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict, ValidationError
from ..models.billing import TenderReference
from ..policy import get as policy_get

_PATTERN_KEY = {"card": "billing.card_reference_pattern", "qr": "billing.qr_reference_pattern",
                "cheque": "billing.cheque_number_pattern"}
_NAMES = {"card": ("银行卡交易参考号", "card reference", "reference"),
          "qr": ("扫码支付订单号", "QR order number", "reference"),
          "cheque": ("支票号码", "cheque number", "cheque_no")}


def _key(t: dict) -> tuple[str, str, str] | None:
    """(method, bank, reference) of a tender that carries one."""
    if t["method"] in ("card", "qr"):
        return t["method"], "", t["reference"].strip().upper()
    if t["method"] == "cheque":
        return "cheque", " ".join(t["bank"].split()), t["cheque_no"].strip().upper()
    return None


def _reused(method: str, bank: str, ref: str) -> Conflict:
    zh, en, field = _NAMES[method]
    where = f"（{bank}）" if bank else ""
    return Conflict(f"{zh} {ref}{where} 已被使用过，同一凭证不能收两次款；请核对小票",
                    f"The {en} {ref} {('(' + bank + ') ') if bank else ''}was already used; "
                    "one slip pays once — check the slip", field=field)


def check(s: Session, hall_id: int, tenders: list[dict]) -> None:
    """Refuse a reference of the wrong form or already used (nothing written)."""
    seen = set()
    for t in tenders:
        k = _key(t)
        if k is None:
            continue
        method, bank, ref = k
        zh, en, field = _NAMES[method]
        pattern = str(policy_get(s, hall_id, _PATTERN_KEY[method]))
        if not re.fullmatch(pattern, ref, flags=re.IGNORECASE):
            raise ValidationError(f"{zh} {ref} 格式不对（本厅规定的格式：{pattern}），请核对小票",
                                  f"The {en} {ref} does not look right (the hall's format: "
                                  f"{pattern})", field=field)
        if k in seen or s.execute(select(TenderReference.id).where(
                TenderReference.hall_id == hall_id, TenderReference.method == method,
                TenderReference.bank == bank, TenderReference.reference == ref)).first():
            raise _reused(method, bank, ref)
        seen.add(k)


def claim(s: Session, hall_id: int, payment_id: int, tenders: list[dict]) -> None:
    """Record the sale's references (checked by :func:`check` in the same transaction)."""
    for t in tenders:
        k = _key(t)
        if k is None:
            continue
        try:
            with s.begin_nested():
                s.add(TenderReference(hall_id=hall_id, method=k[0], bank=k[1], reference=k[2],
                                      payment_id=payment_id))
        except IntegrityError:  # another window took it a moment ago
            raise _reused(*k) from None
