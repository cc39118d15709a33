"""The phrase catalogue (服务用语): the shipped defaults and a hall's edits applied.

The defaults are data files, ``resources/phrases/<lang>.toml`` (one per language), taken
from the seeds: phrases by situation, forms of address, euphemistic forms, forbidden
phrases each with what to say instead, voice guidance, the six prohibitions and the
service danger points. A manager's changes are stored in the database per hall and
language (:class:`~counterdesk.models.phrases.PhraseEdit`), so every window of the hall
sees them; "restore defaults" deletes the changes.

Every item has a stable id ``<section key>.<position>`` (``greeting.1``); items a
manager adds get ``<section key>.u<n>``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from .. import i18n, resources_access
from ..db import Database
from ..errors import ValidationError
from ..models import Hall
from ..models.phrases import PhraseEdit, PhraseRevision
from .search import _full_pinyin, _initials, search

LANGS = ("zh_CN", "en")
SECTION_KINDS = ("situation", "forbidden", "guidance", "explanation")
MAX_TEXT = 200
MAX_NOTE = 500
MAX_TITLE = 80
_QUOTED = re.compile(r"“([^”]+)”")

# What rule_refused kinds mean for the explanation phrases (anything else: "general").
REFUSAL_ALIASES = {
    "arrears": "arrears", "debt": "arrears",
    "approval": "approval", "permission": "approval", "authorisation": "approval",
    "manager": "approval",
    "documents": "documents", "document": "documents", "id": "documents",
    "day_closed": "day_closed", "closed_day": "day_closed", "dayclose": "day_closed",
    "printer": "printer", "print": "printer",
}


# ----------------------------------------------------------------------------- data
@dataclass
class Item:
    id: str
    section: str
    kind: str
    text: str
    instead: str = ""
    note: str = ""
    title: str = ""
    refusal: str = ""
    state: str = "default"  # default | edited | added
    _index: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def forbidden(self) -> bool:
        return self.kind == "forbidden"

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("id", "section", "kind", "text", "instead", "note",
                                           "title", "refusal", "state")}
        return d

    # search index: (lower-case text, pinyin initials, full pinyin with syllable starts)
    def index(self) -> tuple:
        if self._index is None:
            hay = " ".join(x for x in (self.title, self.text, self.instead, self.note) if x)
            self._index = (hay.lower(), _initials(self.title + self.text + self.instead),
                           _full_pinyin(self.title + self.text + self.instead))
        return self._index


@dataclass
class Section:
    key: str
    kind: str
    title: str
    source: str = ""
    note: str = ""
    context: str = ""
    items: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"key": self.key, "kind": self.kind, "title": self.title, "source": self.source,
                "note": self.note, "context": self.context,
                "items": [i.to_dict() for i in self.items]}


@dataclass
class Catalogue:
    lang: str
    title: str
    rate_min: int
    rate_max: int
    sections: list[Section]
    revision: int = 0

    def section(self, key: str) -> Section | None:
        for sec in self.sections:
            if sec.key == key:
                return sec
        return None

    def items(self) -> Iterator[Item]:
        for sec in self.sections:
            yield from sec.items

    def get(self, item_id: str) -> Item | None:
        for item in self.items():
            if item.id == item_id:
                return item
        return None

    def situations(self) -> list[Section]:
        return [s for s in self.sections if s.kind == "situation"]

    def forbidden_phrases(self) -> list[str]:
        """The quoted forbidden phrases (“不知道”…), for checking new text against."""
        sec = self.section("forbidden")
        out: list[str] = []
        for item in sec.items if sec else []:
            found = _QUOTED.findall(item.text)
            out.extend(found or [item.text])
        return out

    def search(self, query: str, limit: int = 60) -> list[Item]:
        return search(self, query, limit)

    def explanation(self, refusal: str) -> Item | None:
        sec = self.section("explain")
        if sec is None:
            return None
        want = REFUSAL_ALIASES.get((refusal or "").lower(), "general")
        general = None
        for item in sec.items:
            if item.refusal == want:
                return item
            if item.refusal == "general":
                general = item
        return general or (sec.items[0] if sec.items else None)

    def to_dict(self) -> dict:
        return {"lang": self.lang, "title": self.title, "rate_min": self.rate_min,
                "rate_max": self.rate_max, "revision": self.revision,
                "sections": [s.to_dict() for s in self.sections]}

# ----------------------------------------------------------------------------- parsing
def _bad(zh: str, en: str, fld: str | None = None) -> ValidationError:
    return ValidationError(zh, en, field=fld)


def parse(data: dict, lang: str, *, positional_ids: bool = True) -> Catalogue:
    """Build a catalogue from the TOML shape of ``resources/phrases``; refuse a bad shape."""
    meta = data.get("meta", {}) if isinstance(data.get("meta", {}), dict) else {}
    sections_raw = data.get("section")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise _bad("用语文件中没有 [[section]] 组", "The phrase file has no [[section]] groups")
    sections: list[Section] = []
    seen: set[str] = set()
    for n, raw in enumerate(sections_raw, 1):
        if not isinstance(raw, dict):
            raise _bad(f"第 {n} 组格式错误", f"Group {n} is malformed")
        key = str(raw.get("key", "")).strip()
        kind = str(raw.get("kind", "")).strip()
        if not re.match(r"^[a-z][a-z0-9_]{0,31}$", key):
            raise _bad(f"第 {n} 组的 key “{key}” 无效：应为小写字母、数字、下划线",
                       f"Group {n} has an invalid key {key!r}: use lower-case letters, digits, _")
        if key in seen:
            raise _bad(f"组 {key} 重复", f"Group {key} appears twice")
        seen.add(key)
        if kind not in SECTION_KINDS:
            raise _bad(f"组 {key} 的 kind “{kind}” 无效：应为 {'、'.join(SECTION_KINDS)}",
                       f"Group {key} has an invalid kind {kind!r}: use {', '.join(SECTION_KINDS)}")
        sec = Section(key=key, kind=kind, title=str(raw.get("title", key)),
                      source=str(raw.get("source", "")), note=str(raw.get("note", "")),
                      context=str(raw.get("context", "")))
        for pos, it in enumerate(raw.get("items", []) or [], 1):
            if isinstance(it, str):
                it = {"text": it}
            if not isinstance(it, dict):
                raise _bad(f"组 {key} 第 {pos} 条格式错误", f"Item {pos} of {key} is malformed")
            item_id = str(it.get("id") or (f"{key}.{pos}" if positional_ids else ""))
            sec.items.append(Item(id=item_id, section=key, kind=kind,
                                  text=str(it.get("text", "")),
                                  instead=str(it.get("instead", "")),
                                  note=str(it.get("note", "")), title=str(it.get("title", "")),
                                  refusal=str(it.get("refusal", ""))))
        sections.append(sec)
    return Catalogue(lang=lang, title=str(meta.get("title", "")),
                     rate_min=int(meta.get("rate_min", 120)),
                     rate_max=int(meta.get("rate_max", 140)), sections=sections)


def _lang(lang: str | None) -> str:
    lang = i18n.normalise(lang or i18n.current())
    return lang


@functools.lru_cache(maxsize=4)
def _defaults_raw(lang: str) -> dict:
    return resources_access.read_toml("phrases", f"{lang}.toml")


def defaults(lang: str | None = None) -> Catalogue:
    """The shipped phrases of a language (a fresh copy each call)."""
    lang = _lang(lang)
    return parse(_defaults_raw(lang), lang)


# ----------------------------------------------------------------------------- reading
def _hall_id(s, hall_code: str | None) -> int | None:
    q = select(Hall.id)
    if hall_code:
        q = q.where(Hall.code == hall_code)
    return s.execute(q.order_by(Hall.id).limit(1)).scalar()


def _merge(cat: Catalogue, edits: list[PhraseEdit]) -> Catalogue:
    by_id = {item.id: item for item in cat.items()}
    hidden: set[str] = set()
    for e in edits:
        if e.action == "hide":
            hidden.add(e.item_id)
        elif e.action == "set" and e.item_id in by_id:
            item = by_id[e.item_id]
            item.text, item.instead, item.note, item.title = e.text, e.instead, e.note, e.title
            item.state = "edited"
            item._index = None
        elif e.action == "add":
            sec = cat.section(e.section)
            if sec is not None:
                sec.items.append(Item(id=e.item_id, section=sec.key, kind=sec.kind, text=e.text,
                                      instead=e.instead, note=e.note, title=e.title,
                                      state="added"))
    if hidden:
        for sec in cat.sections:
            sec.items = [i for i in sec.items if i.id not in hidden]
    return cat


def load(db: Database, hall_code: str | None = None, lang: str | None = None) -> Catalogue:
    """The phrases in force for a hall: the defaults with the manager's edits applied."""
    lang = _lang(lang)
    cat = defaults(lang)
    with db.read() as s:
        hall_id = _hall_id(s, hall_code)
        if hall_id is None:
            return cat
        edits = s.execute(select(PhraseEdit).where(PhraseEdit.hall_id == hall_id,
                                                   PhraseEdit.lang == lang)
                          .order_by(PhraseEdit.id)).scalars().all()
        rev = s.get(PhraseRevision, (hall_id, lang))
        cat.revision = rev.revision if rev else 0
        return _merge(cat, list(edits))


def revision(db: Database, hall_code: str | None = None, lang: str | None = None) -> int:
    """A number that changes whenever the hall's phrases change (cheap to poll)."""
    lang = _lang(lang)
    with db.read() as s:
        hall_id = _hall_id(s, hall_code)
        rev = s.get(PhraseRevision, (hall_id, lang)) if hall_id is not None else None
        return rev.revision if rev else 0
