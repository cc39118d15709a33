"""Checking what a clerk types: ID documents, phones, names, codes, dates.

Every check returns the normalised value or raises :class:`ValidationError` naming the
field (``field=``) and the problem in Chinese and English. Nothing here touches the
database.

* Mainland resident ID (居民身份证, GB 11643-1999): 18 characters, a province code,
  a real birth date (not in the future, not before 1900) and the ISO 7064 MOD 11-2
  check character (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 → "10X98765432").
* Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from
  ``0-9 A-H J-N P-R T U W-Y`` and its MOD 31 check character.
* Passport, Hong Kong/Macao permit (回乡证: H/M + 8 digits [+ 2]), Taiwan permit
  (台胞证: 8 digits, older 10 digits or letter forms): format only.
* Phones: mainland mobile ``1[3-9]`` + 9 digits, or landline ``0`` + area code
  (2–3 digits) + 7–8 digits, stored as ``0571-87654321``.
* Names: letters of any script (including rare ideographs outside the BMP such as
  𠮷, and 堃 喆 䶮), the middle dot of transcribed names (买买提·艾力), spaces; never
  control or format characters, never SQL or markup punctuation.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Literal, overload

from . import clock
from .errors import ValidationError

# -- labels of the fields, for messages --------------------------------------------
LABELS = {
    "name": ("姓名/名称", "name"),
    "new_name": ("新户主姓名/名称", "new holder's name"),
    "id_number": ("证件号码", "ID number"),
    "new_id_number": ("新户主证件号码", "new holder's ID number"),
    "id_type": ("证件类型", "ID type"),
    "phone": ("联系电话", "phone"),
    "new_phone": ("新户主联系电话", "new holder's phone"),
    "meter_no": ("表号", "meter number"),
    "meter_type": ("表型", "meter type"),
    "district": ("区", "district"),
    "street": ("街道/路", "street"),
    "community": ("小区/社区", "community"),
    "building": ("楼栋", "building"),
    "unit": ("单元", "unit"),
    "room": ("房号", "room"),
    "address_text": ("地址补充", "address note"),
    "supply_contract_no": ("供用气合同编号", "supply contract number"),
    "supply_contract_date": ("供用气合同签订日期", "supply contract date"),
    "safety_contract_no": ("安全用气合同编号", "safety contract number"),
    "safety_contract_date": ("安全用气合同签订日期", "safety contract date"),
    "account_no": ("户号", "account number"),
    "reason": ("原因", "reason"),
    "inspection_ref": ("安检单号（证明隐患已消除）", "inspection reference"),
    "customer_type": ("客户类型", "customer type"),
    "customer_types": ("适用客户类型", "customer types"),
    "note": ("备注", "note"),
    "period": ("账期", "period"),
    "volume": ("用气量", "volume"),
    "amount": ("金额", "amount"),
    "due_date": ("缴费截止日", "due date"),
    "date_from": ("开始日期", "start date"),
    "date_to": ("结束日期", "end date"),
}


def label(field: str) -> tuple[str, str]:
    return LABELS.get(field, (field, field))


def fail(field: str, zh: str, en: str) -> ValidationError:
    """A ValidationError whose message starts with the field's name."""
    lz, le = label(field)
    return ValidationError(f"{lz}：{zh}", f"{le[:1].upper()}{le[1:]}: {en}", field=field)


# -- characters ------------------------------------------------------------------------
def typed(value: str | None) -> str:
    """What a person typed, in its one comparable form: NFKC (the IME's full-width digits
    and letters ``１１０１`` → ``1101``, ``．`` → ``.``), the ideographic full stop ``。``
    as ``.``, trimmed. Every identifier and amount goes through this before it is
    validated, stored or compared (IDs, phones, codes, dates, amounts, 户号, 工号,
    票据号); names and free text are not (NFKC would change what the person wrote)."""
    return unicodedata.normalize("NFKC", value or "").replace("。", ".").strip()


def bad_control(value: str) -> str | None:
    """The first control/format/surrogate/private character of ``value`` (or None)."""
    for ch in value:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in "\u2028\u2029":
            return ch
    return None


def _show(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def text(value: str | None, field: str, *, max_len: int, required: bool = False,
         multiline: bool = False) -> str:
    """Free text: trimmed, no control characters (newlines only if ``multiline``)."""
    value = (value or "").strip()
    check = value.replace("\n", "").replace("\r", "") if multiline else value
    ch = bad_control(check)
    if ch is not None:
        raise fail(field, f"含有不可见的控制字符（{_show(ch)}），请删除后重新输入",
                   f"contains an invisible control character ({_show(ch)}); remove it")
    if required and not value:
        raise fail(field, "不能为空", "is required")
    if len(value) > max_len:
        raise fail(field, f"过长（{len(value)} 个字），最多 {max_len} 个字",
                   f"is too long ({len(value)} characters); at most {max_len}")
    return value


# -- names -----------------------------------------------------------------------------
PERSON_NAME_MAX = 30
ORG_NAME_MAX = 100
_NAME_PUNCT = set("·•.-' ")          # 买买提·艾力, O'Neil, Jean-Luc, A. B.
_ORG_PUNCT = _NAME_PUNCT | set("()（）&、,，0123456789")


def is_ideograph(ch: str) -> bool:
    o = ord(ch)
    return (0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF)


def name(value: str | None, field: str = "name", *, kind: str = "person") -> str:
    """A holder's name: person (1–30 characters) or organisation (2–100)."""
    raw = value or ""
    ch = bad_control(raw)
    if ch is not None:
        raise fail(field, f"含有不可见的控制字符（{_show(ch)}），请重新输入",
                   f"contains an invisible control character ({_show(ch)}); type it again")
    value = re.sub(r"\s+", " ", raw.strip())
    if not value:
        raise fail(field, "不能为空", "is required")
    allowed = _ORG_PUNCT if kind == "organisation" else _NAME_PUNCT
    for ch in value:
        cat = unicodedata.category(ch)
        if cat.startswith("L") or cat in ("Mn", "Mc") or ch in allowed:
            continue
        raise fail(field, f"含有不允许的字符“{ch}”，姓名/名称只能由文字组成",
                   f"contains a character that is not allowed ('{ch}'); "
                   "use letters only")
    limit = ORG_NAME_MAX if kind == "organisation" else PERSON_NAME_MAX
    n = len(value)  # code points: 𠮷 counts as one
    if n > limit:
        raise fail(field, f"过长（{n} 个字），最多 {limit} 个字",
                   f"is too long ({n} characters); at most {limit}")
    if not any(unicodedata.category(c).startswith("L") for c in value):
        raise fail(field, "至少要有一个文字", "needs at least one letter")
    if kind == "organisation" and n < 2:
        raise fail(field, "单位名称至少 2 个字", "an organisation name needs 2 characters")
    return value


# -- ID documents ----------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
             45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _document_no(value: str | None) -> str:
    """A document number as typed, without spaces, in capitals."""
    return re.sub(r"\s", "", typed(value)).upper()


def resident_id(value: str | None, field: str = "id_number") -> str:
    v = _document_no(value)
    if not v:
        raise fail(field, "不能为空", "is required")
    if len(v) != 18:
        raise fail(field, f"居民身份证号应为 18 位，现在是 {len(v)} 位",
                   f"a resident ID has 18 characters, this one has {len(v)}")
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise fail(field, "前 17 位应为数字，最后一位为数字或 X",
                   "the first 17 characters must be digits, the last a digit or X")
    if int(v[:2]) not in PROVINCES:
        raise fail(field, f"前两位“{v[:2]}”不是有效的省级行政区代码",
                   f"'{v[:2]}' is not a province code")
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise fail(field, f"出生日期 {v[6:10]}-{v[10:12]}-{v[12:14]} 不存在",
                   f"the birth date {v[6:10]}-{v[10:12]}-{v[12:14]} does not exist") from None
    if born.year < 1900 or born > clock.today():
        raise fail(field, f"出生日期 {born.isoformat()} 不可能",
                   f"the birth date {born.isoformat()} is impossible")
    want = resident_id_check_char(v[:17])
    if v[17] != want:
        raise fail(field, "校验位错误（最后一位不符），请核对证件后重新输入",
                   "wrong check character (the last one); check the card and retype")
    return v


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc(value: str | None, field: str = "id_number") -> str:
    v = _document_no(value)
    if not v:
        raise fail(field, "不能为空", "is required")
    if len(v) != 18:
        raise fail(field, f"统一社会信用代码应为 18 位，现在是 {len(v)} 位",
                   f"a unified social credit code has 18 characters, this one has {len(v)}")
    bad = [c for c in v if c not in _USCC_CHARS]
    if bad:
        raise fail(field, f"含有统一社会信用代码不使用的字符“{bad[0]}”（不用 I O S V Z）",
                   f"contains '{bad[0]}', which such codes never use (no I O S V Z)")
    if v[17] != uscc_check_char(v[:17]):
        raise fail(field, "校验位错误（最后一位不符），请核对营业执照后重新输入",
                   "wrong check character (the last one); check the licence and retype")
    return v


def _matching(value: str | None, field: str, pattern: str, zh: str, en: str) -> str:
    """A document number that must match ``pattern``; ``zh`` / ``en`` say what it looks like."""
    v = _document_no(value)
    if not re.fullmatch(pattern, v):
        raise fail(field, zh, en)
    return v


def passport(value: str | None, field: str = "id_number") -> str:
    return _matching(value, field, r"[A-Z0-9]{5,17}", "护照号码应为 5–17 位字母或数字",
                     "a passport number is 5-17 letters or digits")


def hk_macau_permit(value: str | None, field: str = "id_number") -> str:
    return _matching(value, field, r"[HM]\d{8}(\d{2})?",
                     "港澳居民来往内地通行证号码应为 H 或 M 加 8 位数字（旧证再加 2 位）",
                     "a Hong Kong/Macao permit is H or M followed by 8 digits (old ones +2)")


def taiwan_permit(value: str | None, field: str = "id_number") -> str:
    return _matching(value, field, r"\d{8}|\d{10}|\d{10}[A-Z]|[A-Z]\d{9}",
                     "台湾居民来往大陆通行证号码应为 8 位数字（旧证 10 位）",
                     "a Taiwan permit number has 8 digits (old ones 10)")


def other_document(value: str | None, field: str = "id_number") -> str:
    return _matching(value, field, r"[A-Z0-9-]{4,40}", "证件号码应为 4–40 位字母、数字或连字符",
                     "use 4-40 letters, digits or hyphens")


ID_CHECKS = {
    "resident_id": resident_id,
    "uscc": uscc,
    "passport": passport,
    "hk_macau_permit": hk_macau_permit,
    "taiwan_permit": taiwan_permit,
    "other": other_document,
}
ID_TYPE_NAMES = {
    "resident_id": ("居民身份证", "resident ID card"),
    "uscc": ("统一社会信用代码", "unified social credit code"),
    "passport": ("护照", "passport"),
    "hk_macau_permit": ("港澳居民来往内地通行证", "Hong Kong/Macao permit"),
    "taiwan_permit": ("台湾居民来往大陆通行证", "Taiwan permit"),
    "other": ("其他证件", "other document"),
}


def id_document(id_type: str, value: str | None, field: str = "id_number") -> str:
    check = ID_CHECKS.get(id_type)
    if check is None:
        raise fail("id_type", f"不支持“{id_type}”", f"'{id_type}' is not supported")
    return check(value, field)


# -- phones ----------------------------------------------------------------------------
def phone(value: str | None, field: str = "phone", *, required: bool = True) -> str:
    raw = typed(value)
    ch = bad_control(raw)
    if ch is not None:
        raise fail(field, f"含有不可见的控制字符（{_show(ch)}）",
                   f"contains an invisible control character ({_show(ch)})")
    v = re.sub(r"[\s()（）]", "", raw)
    if not v:
        if required:
            raise fail(field, "不能为空", "is required")
        return ""
    if v.startswith("+86"):
        v = v[3:]
    elif v.startswith("0086"):
        v = v[4:]
    v = v.lstrip("-")
    if re.fullmatch(r"1[3-9]\d{9}", v):
        return v
    m = re.fullmatch(r"(0\d{2,3})-?(\d{7,8})", v)
    if m:
        area, num = m.groups()
        # 010 and 02x are 3-digit area codes; others are 4 digits
        if len(area) == 4 and (area[1] == "1" or area[1] == "2"):
            area, num = area[:3], area[3:] + num
            if len(num) > 8:
                raise fail(field, "座机号码位数不对", "the landline number has the wrong length")
        return f"{area}-{num}"
    if re.fullmatch(r"1\d{10}", v):
        raise fail(field, f"手机号码 {v[:3]} 号段不存在", f"no mobile numbers start with {v[:3]}")
    if v.isdigit() and v.startswith("1"):
        raise fail(field, f"手机号码应为 11 位，现在是 {len(v)} 位",
                   f"a mobile number has 11 digits, this one has {len(v)}")
    raise fail(field, "应为 11 位手机号或带区号的座机号（如 0571-87654321）",
               "use an 11-digit mobile or a landline with area code (0571-87654321)")


# -- codes, dates, money ---------------------------------------------------------------
def code(value: str | None, field: str, *, max_len: int = 32, required: bool = False) -> str:
    """Meter and contract numbers: letters, digits, hyphens (upper-cased)."""
    raw = typed(value)
    ch = bad_control(raw)
    if ch is not None:
        raise fail(field, f"含有不可见的控制字符（{_show(ch)}）",
                   f"contains an invisible control character ({_show(ch)})")
    v = raw.strip().upper()
    if not v:
        if required:
            raise fail(field, "不能为空", "is required")
        return ""
    if len(v) > max_len:
        raise fail(field, f"过长（{len(v)} 位），最多 {max_len} 位",
                   f"is too long ({len(v)}); at most {max_len}")
    bad = [c for c in v if not (c.isascii() and (c.isalnum() or c in "-/"))]
    if bad:
        raise fail(field, f"含有不允许的字符“{bad[0]}”，只能是字母、数字、- 或 /",
                   f"contains '{bad[0]}'; use letters, digits, - or /")
    return v


@overload
def date(value: str | dt.date | None, field: str, *, required: Literal[True],
         not_future: bool = False) -> dt.date: ...
@overload
def date(value: str | dt.date | None, field: str, *, required: bool = False,
         not_future: bool = False) -> dt.date | None: ...
def date(value: str | dt.date | None, field: str, *, required: bool = False,
         not_future: bool = False) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        d = value
    else:
        v = typed(value)
        if not v:
            if required:
                raise fail(field, "不能为空", "is required")
            return None
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", v)
        if not m:
            raise fail(field, f"“{v[:20]}”不是日期，请按 2026-11-22 的格式填写",
                       f"'{v[:20]}' is not a date; use 2026-11-22")
        try:
            d = dt.date(*map(int, m.groups()))
        except ValueError:
            raise fail(field, f"日期 {v} 不存在", f"the date {v} does not exist") from None
    if d.year < 1900:
        raise fail(field, f"日期 {d.isoformat()} 不可能", f"the date {d.isoformat()} is impossible")
    if not_future and d > clock.today():
        raise fail(field, f"日期 {d.isoformat()} 在今天之后", f"{d.isoformat()} is in the future")
    return d


def yuan_to_fen(value: str, field: str = "amount", *, allow_negative: bool = False) -> int:
    """``"123.45"`` → 12345; at most two decimals; never through float."""
    v = typed(value).replace(",", "").replace("￥", "").replace("¥", "")
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise fail(field, f"“{v[:20]}”不是金额", f"'{v[:20]}' is not an amount") from None
    if not d.is_finite():
        raise fail(field, f"“{v[:20]}”不是金额", f"'{v[:20]}' is not an amount")
    if d != d.quantize(Decimal("0.01")):
        raise fail(field, "金额最多两位小数（到分）", "at most two decimals (fen)")
    if d < 0 and not allow_negative:
        raise fail(field, "金额不能为负", "cannot be negative")
    if abs(d) >= Decimal("100000000"):
        raise fail(field, "金额过大", "is too large")
    return int(d * 100)
