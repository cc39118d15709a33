"""The hall's backup key: 32 random bytes, kept like the database password (credential
store), printed once on a recovery sheet for the manager (``counterdesk backup key-sheet``)
and typed back in on another PC (``counterdesk backup key-import``).

The recovery text is the key in base32, in groups of four, with a check group at the end,
so a typing mistake is caught before it is used.
"""

from __future__ import annotations

import base64
import hashlib
import os

from .. import credentials
from ..errors import ValidationError


def _name(hall_code: str) -> str:
    return f"backup-key:{hall_code}"


def fingerprint(key: bytes) -> str:
    """A short public name of the key (printed on the sheet and in every backup's header)."""
    return hashlib.sha256(b"CounterDesk hall key\n" + key).hexdigest()[:12].upper()


def load(hall_code: str) -> bytes | None:
    text = credentials.get(_name(hall_code))
    return parse(text) if text else None


def ensure(hall_code: str) -> tuple[bytes, bool]:
    """The hall key, made and stored now if this PC has none. Returns (key, created)."""
    key = load(hall_code)
    if key is not None:
        return key, False
    key = os.urandom(32)
    credentials.put(_name(hall_code), recovery_text(key))
    return key, True


def install(hall_code: str, text: str, *, replace: bool = False) -> bytes:
    """Store the key typed from a recovery sheet; refuse to overwrite a different key."""
    key = parse(text)
    have = load(hall_code)
    if have is not None and have != key and not replace:
        raise ValidationError(
            f"本机已有营业厅 {hall_code} 的另一把备份密钥（编号 {fingerprint(have)}）；"
            "确需替换请加 --replace",
            f"This PC already has another backup key for {hall_code} "
            f"({fingerprint(have)}); add --replace to replace it", field="key")
    credentials.put(_name(hall_code), recovery_text(key))
    return key


def recovery_text(key: bytes) -> str:
    body = base64.b32encode(key).decode("ascii").rstrip("=")
    check = base64.b32encode(hashlib.sha256(key).digest()[:3]).decode("ascii").rstrip("=")[:4]
    groups = [body[i:i + 4] for i in range(0, len(body), 4)] + [check]
    return "-".join(groups)


def parse(text: str) -> bytes:
    clean = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    clean = clean.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(clean) != 56:
        raise ValidationError("备份密钥的长度不对：应为恢复单上的 14 组字母数字",
                              "The backup key has the wrong length: type the 14 groups of the "
                              "recovery sheet", field="key")
    body, check = clean[:52], clean[52:]
    try:
        key = base64.b32decode(body + "====")
    except ValueError as exc:
        raise ValidationError("备份密钥含有无效字符", "The backup key has invalid characters",
                              field="key") from exc
    if recovery_text(key).replace("-", "")[52:] != check:
        raise ValidationError("备份密钥的校验组不符：请核对恢复单，可能有输错的字符",
                              "The backup key's check group does not match: a character was "
                              "mistyped", field="key")
    return key
