"""Search as you type: account no, name, pinyin initials, phone, ID ending (4–6), address,
meter no. Every key is an index range scan (see models/accounts.py)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import String, bindparam, select
from sqlalchemy.orm import Session

from .. import privacy
from .. import validators as V
from ..db import Database
from ..errors import ValidationError
from ..models.accounts import (
    Account,
    Holder,
)
from ..staff import Actor
from .addresses import address_display, search_form
from .views import STATUS_NAMES, address_fields, special_groups_of, t

SEARCH_KEYS = ("account_no", "name", "initials", "phone", "id_tail", "address", "meter_no")
SEARCH_KEY_NAMES = {
    "account_no": ("户号", "account no."), "name": ("姓名", "name"),
    "initials": ("拼音首字母", "pinyin initials"), "phone": ("电话", "phone"),
    "id_tail": ("证件尾号", "ID ending"), "address": ("地址", "address"),
    "meter_no": ("表号", "meter no."),
}
# Readings of surnames that differ from the common reading of the character.
_SURNAME_INITIAL = {"曾": "z", "单": "s", "解": "x", "仇": "q", "朴": "p", "查": "z",
                    "区": "o", "乐": "y", "覃": "q", "召": "s", "翟": "z", "缪": "m",
                    "盖": "g", "尉": "w", "长孙": "zs", "万俟": "mq", "秘": "b", "种": "c"}



def name_initials(name: str) -> str:
    """Pinyin initials, lower case, one letter a syllable: 张小明 → ``zxm`` (a typed
    ``zhxm`` is read as ``zxm``, see :func:`_initials_query`); Latin letters kept."""
    from pypinyin import Style, lazy_pinyin

    name = (name or "").strip()
    prefix = ""
    for surname, ini in _SURNAME_INITIAL.items():
        if name.startswith(surname):
            prefix, name = ini, name[len(surname):]
            break
    out = []
    # errors= may return a list (pypinyin's documentation); its stub allows only str
    each_char: Any = lambda s: list(s)
    for part in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=each_char):
        for ch in part:
            if ch.isascii() and ch.isalnum():
                out.append(ch.lower())
    return (prefix + "".join(out))[:100]



def _next_prefix(q: str) -> str | None:
    """The smallest string greater than every string starting with ``q``."""
    for i in range(len(q) - 1, -1, -1):
        o = ord(q[i]) + 1
        if 0xD800 <= o <= 0xDFFF:
            o = 0xE000
        if o <= 0x10FFFF:
            return q[:i] + chr(o)
    return None


def prefix_condition(session: Session, col, q: str):
    """An index-backed prefix condition on ``col`` (range in byte/code-point order)."""
    hi = _next_prefix(q)
    if session.get_bind().dialect.name == "postgresql":
        # The bounds are rendered into the SQL (quoted by SQLAlchemy), so PostgreSQL plans
        # each search with the real prefix; a prepared generic plan could pick a scan.
        def lit(v):
            return bindparam(None, v, type_=String(), literal_execute=True)
        cond = col.op("~>=~", is_comparison=True)(lit(q))
        return cond if hi is None else cond & col.op("~<~", is_comparison=True)(lit(hi))
    cond = col >= q
    return cond if hi is None else cond & (col < hi)



@dataclass
class SearchHit:
    account_no: str
    name: str
    id_masked: str
    phone_masked: str
    address: str
    meter_no: str
    status: str
    matched: str  # which key matched
    special_groups: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["matched_name"] = t(SEARCH_KEY_NAMES[self.matched])
        d["status_name"] = t(STATUS_NAMES[self.status])
        return d


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    more: bool = False

    def to_dict(self) -> dict:
        return {"query": self.query, "more": self.more, "hits": [h.to_dict() for h in self.hits]}



def search_hit(session: Session, acc: Account, matched: str) -> SearchHit:
    h = session.get_one(Holder, acc.holder_id)
    return SearchHit(acc.account_no, h.name, privacy.mask_id(h.id_number),
                     privacy.mask_phone(h.phone), address_display(address_fields(acc)), acc.meter_no,
                     acc.status, matched, special_groups_of(acc))



def _keys_for(q: str) -> list[str]:
    if not q:
        return []
    if q.isascii():
        if q.isdigit():
            keys = ["account_no", "phone", "meter_no"]
            if 4 <= len(q) <= 6:
                keys.insert(2, "id_tail")
            return keys
        if q.isalpha():
            return ["initials", "meter_no"]
        keys = ["meter_no"]
        if 4 <= len(q) <= 6 and q[:-1].isdigit() and q[-1] in "xX":
            keys.insert(0, "id_tail")
        if "-" in q and q.replace("-", "").isdigit():
            keys.insert(0, "phone")
        return keys
    return ["name", "address"]


def search(db: Database, actor: Actor, query: str, *, key: str | None = None,
           limit: int = 20) -> SearchResult:
    """Search as you type: account no, name, pinyin initials, phone, ID ending (4–6),
    address, meter no. Every key is an index range scan (see models/accounts.py)."""
    raw = V.typed(query)
    if V.bad_control(raw) is not None:
        raw = "".join(ch for ch in raw if V.bad_control(ch) is None)
    q = "".join(raw.split())[:60]
    if key is not None and key not in SEARCH_KEYS:
        raise ValidationError(f"未知的查询方式 {key}", f"unknown search key {key}", field="key")
    keys = [key] if key else _keys_for(q)
    hits: list[SearchHit] = []
    seen: set[str] = set()
    more = False
    with db.read() as s:
        for k in keys:
            rows = search_key(s, actor.hall_id, k, q, limit + 1)
            if len(rows) > limit:
                more = True
                rows = rows[:limit]
            for acc, h in rows:
                if acc.account_no in seen:
                    continue
                seen.add(acc.account_no)
                hits.append(SearchHit(acc.account_no, h.name, privacy.mask_id(h.id_number),
                                      privacy.mask_phone(h.phone),
                                      address_display(address_fields(acc)), acc.meter_no, acc.status,
                                      k, special_groups_of(acc)))
    if len(hits) > limit:
        hits, more = hits[:limit], True
    return SearchResult(raw, hits, more)


def search_key(s: Session, hall_id: int, key: str, q: str, limit: int) -> list:
    if not q:
        return []
    base = select(Account, Holder).join(Holder, Account.holder_id == Holder.id).where(
        Account.hall_id == hall_id)
    if key == "account_no":
        cond = prefix_condition(s, Account.account_no, q)
    elif key == "meter_no":
        cond = prefix_condition(s, Account.meter_no, q.upper())
    elif key == "name":
        cond = prefix_condition(s, Holder.name, q)
    elif key == "initials":
        cond = prefix_condition(s, Holder.name_initials, _initials_query(q))
    elif key == "phone":
        cond = prefix_condition(s, Holder.phone, q)
        if q.startswith("0") and "-" not in q and len(q) > 4:  # landline typed without "-"
            cut = 3 if q[1] in "12" else 4
            cond = cond | prefix_condition(s, Holder.phone, q[:cut] + "-" + q[cut:])
    elif key == "id_tail":
        if not 4 <= len(q) <= 6:
            return []
        cond = prefix_condition(s, Holder.id_tail, q.upper()[::-1])
    elif key == "address":
        nq = search_form(q)
        rows: list = []
        seen = set()
        for col in (Account.address_key, Account.street_key, Account.community_key):
            for acc, h in s.execute(base.where(prefix_condition(s, col, nq)).limit(limit)).all():
                if acc.id not in seen:
                    seen.add(acc.id)
                    rows.append((acc, h))
            if len(rows) >= limit:
                break
        return _sorted(rows, key)[:limit]
    else:  # pragma: no cover - checked by the caller
        return []
    return _sorted(s.execute(base.where(cond).limit(limit)).all(), key)


def _initials_query(q: str) -> str:
    """``zhxm`` → ``zxm``: typed zh/ch/sh mean the initials z/c/s."""
    q = q.lower()
    for two, one in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        q = q.replace(two, one)
    return q


def _sorted(rows, key: str) -> list:
    order = {"name": lambda r: (r[1].name, r[0].account_no),
             "initials": lambda r: (r[1].name_initials, r[0].account_no),
             "phone": lambda r: (r[1].phone, r[0].account_no)}.get(
        key, lambda r: (r[0].account_no,))
    return sorted(rows, key=order)

