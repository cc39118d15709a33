"""Customer types (客户类型) as the hall uses them (issue 15.7).

A hall lists its types in the hall policy ``accounts.customer_types``, each as a code with a
name: ``resident=居民, commercial=商业, industrial=工业, public=公服, heating=采暖`` (the
default). A water company drops 采暖; a hall may call ``public`` 公福; a hall may add a type
of its own with its Chinese name (``school=学校``). The rules (:func:`parse_text`):

* at least one type, at most :data:`MAX_TYPES`; items separated by commas (，；、 too);
* a code is 2–16 lower-case letters or ``_`` (it is stored on the account, 16 characters);
* a known code (:data:`KNOWN`) may come without a name (its usual one), a new code needs one;
  a known name alone (``公福``) stands for its code;
* codes unique, names unique (1–10 characters), a name is not another type's code or usual name.

Every place that reads a type (account forms, ``--customer-type``, the price CSV, a price
item's types) resolves it with :meth:`CustomerTypes.resolve`: the hall's name, its code, or
a usual name of a type the hall uses (公服 and 公福 both mean ``public``). Every place that
shows one uses :meth:`CustomerTypes.pair` (the hall's name; English: the known English name,
else the code). A type that accounts (not closed) or price items (in force or to come) still
use cannot be removed (:func:`refuse_removal`, called by ``policy.set``); a rename can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import clock, i18n
from .. import validators as V
from ..db import Database
from ..errors import Conflict, ValidationError
from ..models.accounts import Account
from ..models.billing import PriceItem

POLICY_KEY = "accounts.customer_types"
KNOWN: dict[str, tuple[str, str]] = {
    "resident": ("居民", "resident"), "commercial": ("商业", "commercial"),
    "industrial": ("工业", "industrial"), "public": ("公服", "public service"),
    "heating": ("采暖", "heating")}
# usual Chinese names of the known codes (what halls and price lists write)
ALIASES = {"居民": "resident", "商业": "commercial", "工业": "industrial", "公服": "public",
           "公福": "public", "公服/公福": "public", "采暖": "heating"}
DEFAULT_TEXT = ", ".join(f"{c}={n[0]}" for c, n in KNOWN.items())
MAX_TYPES = 20
NAME_MAX = 10
_CODE = re.compile(r"[a-z_]{2,16}")
_ITEMS = re.compile(r"[,，;；、\n]+")
_EQ = re.compile(r"\s*[=＝:：]\s*")


@dataclass(frozen=True)
class CustomerTypes:
    """The hall's customer types in its order: ``(code, Chinese name)`` pairs."""

    types: tuple[tuple[str, str], ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.types)

    def pair(self, code: str) -> tuple[str, str]:
        """(zh, en) of ``code``: the hall's name; a code the hall no longer lists keeps its
        usual name (or the code itself)."""
        en = KNOWN[code][1] if code in KNOWN else code
        for c, name in self.types:
            if c == code:
                return name, en
        return (KNOWN[code][0] if code in KNOWN else code), en

    def name(self, code: str) -> str:
        return self.pair(code)[0]

    def label(self, code: str) -> str:
        return i18n.pick(*self.pair(code))

    def names_text(self, codes: list[str] | tuple[str, ...] | None = None) -> str:
        return "、".join(self.name(c) for c in (self.codes if codes is None else codes))

    def labels_text(self) -> str:
        """Every type in the user's language: 居民、商业 / resident, commercial."""
        return i18n.pick("、", ", ").join(self.label(c) for c in self.codes)

    def choices(self) -> list[tuple[str, str]]:
        """``(code, label)`` in the hall's order, for a combo box."""
        return [(c, self.label(c)) for c in self.codes]

    def text(self) -> str:
        return ", ".join(f"{c}={n}" for c, n in self.types)

    def resolve(self, value: str, field: str = "customer_type") -> str:
        """A type typed by a person (the hall's name, a code, a usual name) → its code."""
        v = (value or "").strip()
        for c, n in self.types:
            if v == n:
                return c
        code = ALIASES.get(v, v.lower())
        if code in self.codes:
            return code
        names = [n for _, n in self.types]
        shown = names[0] if len(names) == 1 else "、".join(names[:-1]) + " 或 " + names[-1]
        if code in KNOWN:
            zh = f"“{v}”不是本厅使用的客户类型，应为 {shown}"
        else:
            zh = f"“{v}”无效，应为 {shown}"
        raise V.fail(field, zh, f"unknown customer type '{v}': one of {', '.join(self.codes)}")


def _bad(zh: str, en: str) -> ValidationError:
    return ValidationError(zh, en, field=POLICY_KEY)


def parse_text(text: str) -> CustomerTypes:
    """The policy value as a manager types it → the hall's types (refused when wrong)."""
    out: list[tuple[str, str]] = []
    for item in _ITEMS.split(text or ""):
        item = item.strip()
        if not item:
            continue
        parts = _EQ.split(item, maxsplit=1)
        if len(parts) == 2:
            code, name = parts[0].strip().lower(), parts[1].strip()
        elif item in ALIASES:
            code, name = ALIASES[item], item
        else:
            code, name = item.lower(), ""
        if not _CODE.fullmatch(code):
            raise _bad(f"“{item}”：代码应为 2–16 个小写英文字母或下划线（如 school=学校）",
                       f"'{item}': a code is 2-16 lower-case letters or _ (e.g. school=学校)")
        if not name:
            if code not in KNOWN:
                raise _bad(f"新增的类型 {code} 须写名称，如 {code}=学校",
                           f"the new type {code} needs a name, e.g. {code}=学校")
            name = KNOWN[code][0]
        if len(name) > NAME_MAX or _EQ.search(name):
            raise _bad(f"类型 {code} 的名称“{name}”应为 1–{NAME_MAX} 个字，不含 = 或 :",
                       f"the name of {code} must be 1-{NAME_MAX} characters without = or :")
        out.append((code, name))
    if not out:
        raise _bad("至少要有一种客户类型", "at least one customer type is needed")
    if len(out) > MAX_TYPES:
        raise _bad(f"最多 {MAX_TYPES} 种客户类型", f"at most {MAX_TYPES} customer types")
    codes = [c for c, _ in out]
    names = [n for _, n in out]
    for i, (code, name) in enumerate(out):
        if code in codes[:i]:
            raise _bad(f"代码 {code} 重复", f"the code {code} is given twice")
        if name in names[:i]:
            raise _bad(f"名称“{name}”重复", f"the name {name} is given twice")
        other = ALIASES.get(name, name.lower())
        if other != code and other in codes:
            raise _bad(f"名称“{name}”是类型 {other} 的名称或代码，不能用于 {code}",
                       f"the name {name} means the type {other}; it cannot name {code}")
    return CustomerTypes(tuple(out))


DEFAULT = parse_text(DEFAULT_TEXT)


def hall_types(session: Session, hall_id: int) -> CustomerTypes:
    """The hall's customer types, in the caller's transaction."""
    from .. import policy

    text = str(policy.get(session, hall_id, POLICY_KEY))
    try:
        return parse_text(text)
    except ValidationError:  # stored before a rule was narrowed: the default
        return DEFAULT


def load(db: Database, hall_id: int) -> CustomerTypes:
    """The hall's customer types, for a screen (the account form's combo)."""
    with db.read() as s:
        return hall_types(s, hall_id)


def refuse_removal(session: Session, hall_id: int, old_text: str, new_text: str) -> None:
    """A manager may rename a type, add one, or remove one nobody uses; a type that open
    accounts (not closed) or price items in force or to come still name stays."""
    try:
        old = parse_text(old_text)
    except ValidationError:
        old = DEFAULT
    new = parse_text(new_text)
    gone = [c for c in old.codes if c not in new.codes]
    if not gone:
        return
    counts: dict[str, int] = {c: int(n) for c, n in session.execute(
        select(Account.customer_type, func.count()).where(
            Account.hall_id == hall_id, Account.customer_type.in_(gone),
            Account.status != "closed").group_by(Account.customer_type)).all()}
    today = clock.today()
    items = session.execute(select(PriceItem.code, PriceItem.name, PriceItem.customer_types).where(
        PriceItem.hall_id == hall_id, PriceItem.customer_types != "",
        PriceItem.effective_to.is_(None) | (PriceItem.effective_to > today))).all()
    zh, en, data = [], [], {}
    for code in gone:
        used = sorted({f"{i.code}（{i.name}）" for i in items
                       if code in i.customer_types.split(",")})
        n = int(counts.get(code, 0))
        if not (n or used):
            continue
        parts_zh = ([f"{n} 个未销户的户号"] if n else []) + (
            ["收费项目 " + "、".join(used)] if used else [])
        zh.append(f"“{old.name(code)}”（{code}）仍有" + "和".join(parts_zh) + "在用")
        en.append(f"{code} is still used by {n} open accounts and "
                  f"{len(used)} price items")
        data[code] = {"accounts": n, "items": [u.split("（")[0] for u in used]}
    if zh:
        raise Conflict("不能去掉这些客户类型：" + "；".join(zh) + "。可以改名（如 public=公福），"
                       "去掉前须先为这些户号办理用气性质变更（或销户）、把这些收费项目停用或改为其他类型",
                       "Cannot remove customer types still in use: " + "; ".join(en)
                       + ". Rename them instead, or change those accounts' type (or close "
                       "them) and end or change those price items first", field=POLICY_KEY,
                       data={"in_use": data})
