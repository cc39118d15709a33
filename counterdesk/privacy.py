"""Customer data is confidential (客户信息保密): masking for screens, paper and exports.

ID numbers and phones are masked everywhere by default; showing one in full needs the
``can_reveal`` permission and writes an audit event (see ``accounts.reveal``). Never
log them.
"""

from __future__ import annotations


def mask_id(value: str) -> str:
    """``110101199003071234`` → ``1101**********1234``; short values keep less."""
    value = (value or "").strip()
    n = len(value)
    if n == 0:
        return ""
    if n <= 4:
        return "*" * n
    if n <= 8:
        return value[:1] + "*" * (n - 3) + value[-2:]
    return value[:4] + "*" * (n - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; ``0571-87654321`` → ``0571-****4321``."""
    value = (value or "").strip()
    digits = sum(c.isdigit() for c in value)
    if digits < 7:
        return "*" * len(value)
    if "-" in value:
        area, _, num = value.partition("-")
        return f"{area}-{'*' * max(0, len(num) - 4)}{num[-4:]}"
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str, kind: str = "person") -> str:
    """A name on screen and paper, masked by the holder's kind (never by its length).

    A person (``kind="person"``, also a contact person): ``张小明`` → ``张*明``, ``李明`` →
    ``李*``, ``买买提·艾力`` → ``买****力``. An organisation (``kind="organisation"``) is
    shown in full: a company name is not personal data.
    """
    value = (value or "").strip()
    if kind == "organisation":
        return value
    chars = list(value)  # code points: rare characters (𠮷) count as one
    if len(chars) <= 1:
        return value
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]
