"""Account numbers: ``HH`` (hall) + 7-digit serial + Luhn check digit, e.g. ``0100000018``."""

from __future__ import annotations

from .. import validators as V


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for ``digits`` (appended at the end)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def make_account_no(hall_id: int, serial: int) -> str:
    body = f"{hall_id % 100:02d}{serial:07d}"
    return body + luhn_digit(body)


def check_account_no(value: str, field: str = "account_no") -> str:
    v = (value or "").strip()
    if not v.isdigit() or len(v) != 10:
        raise V.fail(field, "户号应为 10 位数字", "an account number has 10 digits")
    if luhn_digit(v[:-1]) != v[-1]:
        raise V.fail(field, f"户号 {v} 校验位不对，请核对", f"{v} has a wrong check digit; "
                     "check it")
    return v
