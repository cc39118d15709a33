"""Service phrases (服务用语): the data behind the prompt panel.

The defaults are data files, ``resources/phrases/<lang>.toml`` (one per language), taken
from the seeds: phrases by situation, forms of address, euphemistic forms, forbidden
phrases each with what to say instead, voice guidance, the six prohibitions and the
service danger points. A manager's changes are stored in the database per hall and
language (:class:`~counterdesk.models.phrases.PhraseEdit`), so every window of the hall
sees them; "restore defaults" deletes the changes.

Every item has a stable id ``<section key>.<position>`` (``greeting.1``); items a
manager adds get ``<section key>.u<n>``. Search matches characters and pinyin initials
(``dbq`` finds 对不起). :func:`contextual` decides which phrases fit a moment of the
workstation (a ticket called, a transfer, a refusal, the finish).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select

from . import clock, i18n, resources_access
from .db import Database
from .errors import NotFound, PermissionDenied, ValidationError
from .models import Hall
from .models.phrases import PhraseEdit, PhraseRevision
from .staff import Actor

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


# ----------------------------------------------------------------------------- pinyin
def _initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # lazy: ~0.2 s import

    out = []
    for tok in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"):
        out.append("".join(ch for ch in tok.lower() if ch.isascii() and ch.isalnum()))
    return "".join(out)


def _full_pinyin(text: str) -> tuple[str, tuple[int, ...]]:
    """The full pinyin joined, with the offsets where syllables start."""
    from pypinyin import lazy_pinyin

    joined, starts = "", []
    for tok in lazy_pinyin(text):
        tok = "".join(ch for ch in tok.lower() if ch.isascii() and ch.isalnum())
        if tok:
            starts.append(len(joined))
            joined += tok
    return joined, tuple(starts)


def _pinyin_match(full: tuple[str, tuple[int, ...]], q: str) -> int | None:
    """Offset of the first syllable where ``q`` begins (``nihao``, ``haoma``), else None."""
    joined, starts = full
    for off in starts:
        if joined.startswith(q, off):
            return off
    return None


def search(catalogue: Catalogue, query: str, limit: int = 60) -> list[Item]:
    """Items matching ``query``: characters anywhere (text, say-instead, note, title), or
    ASCII letters as pinyin initials (``nh`` → 您好) or full pinyin (``nihao``).
    Best first: matches in the phrase itself, then earlier position."""
    q = (query or "").strip().lower()
    if not q:
        return []
    words = q.split()
    ascii_q = q.replace(" ", "")
    pinyin_ok = ascii_q.isascii() and ascii_q.isalnum()
    scored: list[tuple[int, int, Item]] = []
    for order, item in enumerate(catalogue.items()):
        hay, initials, full = item.index()
        rank = None
        if all(w in hay for w in words):
            rank = 0 if q in item.text.lower() else 1
        elif pinyin_ok and (ascii_q in initials or _pinyin_match(full, ascii_q) is not None):
            rank = 2 if (initials.startswith(ascii_q) or _pinyin_match(full, ascii_q) == 0) \
                else 3
        if rank is not None:
            scored.append((rank, order, item))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [t[2] for t in scored[:limit]]


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


# ----------------------------------------------------------------------------- validation
def _clean(value: str | None) -> str:
    return (value or "").strip()


def validate(cat: Catalogue, section_key: str, *, text: str, instead: str = "",
             note: str = "", title: str = "") -> dict:
    """Check an edit against the catalogue; return the cleaned fields or raise
    :class:`ValidationError` naming the field and what to do."""
    sec = cat.section(section_key)
    if sec is None:
        known = "、".join(s.key for s in cat.sections)
        raise _bad(f"未知的情境/分组“{section_key}”，可用：{known}",
                   f"Unknown situation/group {section_key!r}; known: {known}", "section")
    text, instead, note, title = _clean(text), _clean(instead), _clean(note), _clean(title)
    if not text:
        raise _bad("用语不能为空，请输入要说的话", "The phrase is empty: type what to say", "text")
    if len(text) > MAX_TEXT:
        raise _bad(f"用语太长（{len(text)} 字），请缩短到 {MAX_TEXT} 字以内",
                   f"The phrase is too long ({len(text)} characters); keep it within {MAX_TEXT}",
                   "text")
    if len(instead) > MAX_TEXT:
        raise _bad(f"“应说”太长（{len(instead)} 字），请缩短到 {MAX_TEXT} 字以内",
                   f"“Say instead” is too long ({len(instead)} characters); keep it within "
                   f"{MAX_TEXT}", "instead")
    if len(note) > MAX_NOTE:
        raise _bad(f"说明太长（{len(note)} 字），请缩短到 {MAX_NOTE} 字以内",
                   f"The note is too long ({len(note)} characters); keep it within {MAX_NOTE}",
                   "note")
    if len(title) > MAX_TITLE:
        raise _bad(f"标题太长，请缩短到 {MAX_TITLE} 字以内",
                   f"The title is too long; keep it within {MAX_TITLE} characters", "title")
    if sec.kind == "forbidden":
        if not instead:
            raise _bad("禁忌用语必须写明应该怎么说（“应说”不能为空）",
                       "A forbidden phrase needs what to say instead: fill in “Say instead”",
                       "instead")
        if instead == text:
            raise _bad("“应说”不能与禁忌用语相同", "“Say instead” must differ from the forbidden "
                       "phrase", "instead")
    spoken = instead if sec.kind == "forbidden" else text
    if sec.kind in ("situation", "explanation", "forbidden"):
        for bad in cat.forbidden_phrases():
            if len(bad) >= 3 and bad in spoken:
                fld = "instead" if sec.kind == "forbidden" else "text"
                raise _bad(f"“{spoken}”含有禁忌用语“{bad}”，请换一种说法",
                           f"“{spoken}” contains the forbidden phrase “{bad}”; say it another way",
                           fld)
    return {"text": text, "instead": instead, "note": note, "title": title}


# ----------------------------------------------------------------------------- editing
def _require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise PermissionDenied("只有营业厅主任或值班长可以修改服务用语，请联系主任修改",
                               "Only a hall manager may change the service phrases; ask your "
                               "manager to make the change")


def _bump(s, hall_id: int, lang: str) -> int:
    rev = s.get(PhraseRevision, (hall_id, lang), with_for_update=True)
    if rev is None:
        rev = PhraseRevision(hall_id=hall_id, lang=lang, revision=0)
        s.add(rev)
    rev.revision = (rev.revision or 0) + 1
    rev.changed_at = clock.now()
    s.flush()
    return rev.revision


def _edit_row(s, hall_id: int, lang: str, item_id: str) -> PhraseEdit | None:
    return s.execute(select(PhraseEdit).where(PhraseEdit.hall_id == hall_id,
                                              PhraseEdit.lang == lang,
                                              PhraseEdit.item_id == item_id)).scalar()


def edit_item(db: Database, actor: Actor, item_id: str, *, text: str, instead: str = "",
              note: str = "", title: str = "", lang: str | None = None) -> Item:
    """Change one item (a manager only); recorded in the audit chain."""
    _require_manager(actor)
    lang = _lang(lang)
    cat = load(db, actor.hall_code, lang)
    item = cat.get(item_id)
    if item is None:
        raise NotFound(f"没有编号为 {item_id} 的用语", f"No phrase with id {item_id}", field="id")
    fields = validate(cat, item.section, text=text, instead=instead, note=note, title=title)
    is_default = defaults(lang).get(item_id) is not None
    with db.write() as s:
        row = _edit_row(s, actor.hall_id, lang, item_id)
        if row is None:
            row = PhraseEdit(hall_id=actor.hall_id, lang=lang, item_id=item_id,
                             section=item.section, action="set" if is_default else "add")
            s.add(row)
        row.text, row.instead = fields["text"], fields["instead"]
        row.note, row.title = fields["note"], fields["title"]
        row.edited_by, row.edited_at = actor.staff_no, clock.now()
        _bump(s, actor.hall_id, lang)
        actor.audit(s, "phrase.edited", {"lang": lang, "id": item_id, "section": item.section,
                                         "before": item.text, "text": fields["text"],
                                         "instead": fields["instead"]})
    return dataclasses.replace(item, **fields, state="edited" if is_default else "added",
                               _index=None)


def add_item(db: Database, actor: Actor, section: str, *, text: str, instead: str = "",
             note: str = "", title: str = "", lang: str | None = None) -> Item:
    """Add a phrase to a situation/group (a manager only)."""
    _require_manager(actor)
    lang = _lang(lang)
    cat = load(db, actor.hall_code, lang)
    fields = validate(cat, section, text=text, instead=instead, note=note, title=title)
    sec = cat.section(section)
    with db.write() as s:
        taken = set(s.execute(select(PhraseEdit.item_id).where(
            PhraseEdit.hall_id == actor.hall_id, PhraseEdit.lang == lang,
            PhraseEdit.section == section)).scalars())
        n = 1
        while f"{section}.u{n}" in taken:
            n += 1
        item_id = f"{section}.u{n}"
        s.add(PhraseEdit(hall_id=actor.hall_id, lang=lang, item_id=item_id, section=section,
                         action="add", edited_by=actor.staff_no, edited_at=clock.now(),
                         **fields))
        _bump(s, actor.hall_id, lang)
        actor.audit(s, "phrase.added", {"lang": lang, "id": item_id, "section": section,
                                        "text": fields["text"], "instead": fields["instead"]})
    return Item(id=item_id, section=section, kind=sec.kind, state="added", **fields)


def remove_item(db: Database, actor: Actor, item_id: str, lang: str | None = None) -> None:
    """Remove an item (a default is hidden, an added one deleted); a manager only."""
    _require_manager(actor)
    lang = _lang(lang)
    cat = load(db, actor.hall_code, lang)
    item = cat.get(item_id)
    if item is None:
        raise NotFound(f"没有编号为 {item_id} 的用语", f"No phrase with id {item_id}", field="id")
    is_default = defaults(lang).get(item_id) is not None
    with db.write() as s:
        row = _edit_row(s, actor.hall_id, lang, item_id)
        if is_default:
            if row is None:
                row = PhraseEdit(hall_id=actor.hall_id, lang=lang, item_id=item_id,
                                 section=item.section, action="hide")
                s.add(row)
            row.action, row.edited_by, row.edited_at = "hide", actor.staff_no, clock.now()
        elif row is not None:
            s.delete(row)
        _bump(s, actor.hall_id, lang)
        actor.audit(s, "phrase.removed", {"lang": lang, "id": item_id, "section": item.section,
                                          "text": item.text})


def restore_defaults(db: Database, actor: Actor, item_id: str | None = None,
                     lang: str | None = None) -> int:
    """Undo the edits of one item, or of the whole language; returns how many were undone."""
    _require_manager(actor)
    lang = _lang(lang)
    with db.write() as s:
        q = delete(PhraseEdit).where(PhraseEdit.hall_id == actor.hall_id, PhraseEdit.lang == lang)
        if item_id:
            q = q.where(PhraseEdit.item_id == item_id)
        count = s.execute(q).rowcount or 0
        _bump(s, actor.hall_id, lang)
        actor.audit(s, "phrase.restored", {"lang": lang, "id": item_id or "*", "count": count})
    return count


# ----------------------------------------------------------------------------- export/import
def export_data(cat: Catalogue) -> dict:
    """The catalogue in the resource file's shape, with ids (for ``phrases import``)."""
    out: dict[str, Any] = {"meta": {"language": cat.lang, "title": cat.title,
                                    "rate_min": cat.rate_min, "rate_max": cat.rate_max}}
    sections = []
    for sec in cat.sections:
        d: dict[str, Any] = {"key": sec.key, "kind": sec.kind, "title": sec.title}
        for k in ("context", "source", "note"):
            if getattr(sec, k):
                d[k] = getattr(sec, k)
        items = []
        for it in sec.items:
            row = {"id": it.id, "text": it.text}
            for k in ("instead", "note", "title", "refusal"):
                if getattr(it, k):
                    row[k] = getattr(it, k)
            items.append(row)
        d["items"] = items
        sections.append(d)
    out["section"] = sections
    return out


def export_toml(cat: Catalogue) -> str:
    import tomli_w

    return tomli_w.dumps(export_data(cat))


def import_data(db: Database, actor: Actor, data: dict | str, lang: str | None = None) -> dict:
    """Replace the hall's edits of a language by the differences between ``data`` (the
    exported shape) and the defaults. Everything is validated before anything is written."""
    _require_manager(actor)
    lang = _lang(lang)
    if isinstance(data, str):
        try:
            data = tomllib.loads(data)
        except tomllib.TOMLDecodeError as exc:
            raise _bad(f"用语文件不是有效的 TOML：{exc}",
                       f"The phrase file is not valid TOML: {exc}") from exc
    file_lang = (data.get("meta") or {}).get("language")
    if file_lang and i18n.normalise(file_lang) != lang:
        raise _bad(f"文件的语言是 {file_lang}，与要导入的语言 {lang} 不一致",
                   f"The file's language is {file_lang}, not {lang}", "language")
    new = parse(data, lang, positional_ids=False)
    base = defaults(lang)
    for sec in new.sections:
        if base.section(sec.key) is None:
            raise _bad(f"文件中的分组 {sec.key} 不在默认用语中，不能新增分组",
                       f"Group {sec.key} is not in the defaults; groups cannot be added", "section")
    rows: list[dict] = []
    seen: set[str] = set()
    added = 0
    for sec in new.sections:
        for n, it in enumerate(sec.items, 1):
            try:
                fields = validate(base, sec.key, text=it.text, instead=it.instead, note=it.note,
                                  title=it.title)
            except ValidationError as exc:
                raise _bad(f"分组 {sec.key} 第 {n} 条：{exc.zh}",
                           f"Group {sec.key}, item {n}: {exc.en}", exc.field) from exc
            d = base.get(it.id) if it.id else None
            if d is not None and d.section == sec.key:
                seen.add(it.id)
                if (d.text, d.instead, d.note, d.title) != (fields["text"], fields["instead"],
                                                            fields["note"], fields["title"]):
                    rows.append(dict(item_id=it.id, section=sec.key, action="set", **fields))
            else:
                added += 1
                rows.append(dict(item_id=f"{sec.key}.u{added}", section=sec.key, action="add",
                                 **fields))
    for sec in new.sections:
        for d in base.section(sec.key).items:
            if d.id not in seen:
                rows.append(dict(item_id=d.id, section=sec.key, action="hide", text="",
                                 instead="", note="", title=""))
    with db.write() as s:
        s.execute(delete(PhraseEdit).where(PhraseEdit.hall_id == actor.hall_id,
                                           PhraseEdit.lang == lang))
        s.flush()
        for r in rows:
            s.add(PhraseEdit(hall_id=actor.hall_id, lang=lang, edited_by=actor.staff_no,
                             edited_at=clock.now(), **r))
        _bump(s, actor.hall_id, lang)
        summary = {"lang": lang, "set": sum(r["action"] == "set" for r in rows),
                   "add": sum(r["action"] == "add" for r in rows),
                   "hide": sum(r["action"] == "hide" for r in rows)}
        actor.audit(s, "phrase.imported", summary)
    return summary


# ----------------------------------------------------------------------------- context
@dataclass
class Prompt:
    """What the prompt panel should put in front of the clerk right now."""

    event: str
    situations: list[str]
    items: list[Item]
    apology: bool = False
    refusal: str = ""
    message: str = ""

    def to_dict(self) -> dict:
        return {"event": self.event, "situations": self.situations, "apology": self.apology,
                "refusal": self.refusal, "message": self.message,
                "items": [i.to_dict() for i in self.items]}

    @property
    def texts(self) -> list[str]:
        return [i.text for i in self.items]


def _items(cat: Catalogue, key: str) -> list[Item]:
    sec = cat.section(key)
    return list(sec.items) if sec else []


def _target(data: dict, lang: str) -> str:
    """Who takes the customer over: an explicit target, a window, or a service's window."""
    for k in ("target", "to_department"):
        if data.get(k):
            return str(data[k])
    w = data.get("to_window") or data.get("target_window")
    if w:
        return f"{w}号窗口" if lang != "en" else f"window {w}"
    name = data.get("to_service_name") or data.get("service_name")
    if name:
        return f"{name}窗口" if lang != "en" else f"the {name} window"
    return ""


def contextual(cat: Catalogue, event: str, data: dict | None = None, *,
               wait_apology_minutes: int = 15) -> Prompt:
    """The phrases for a moment of the work: ``ticket_called`` (greeting, the apology for
    waiting when the customer waited longer than ``wait_apology_minutes``, the enquiry),
    ``ticket_transferred`` (hand-over, ×× filled with the target when known),
    ``rule_refused`` (explanation by refusal kind, data ``{"kind", "message"}``),
    ``payment_committed`` (cash received and change said aloud, thanks),
    ``account_opened`` (forms of address with the holder's surname),
    ``special_group`` (helping the elderly and disabled, a louder, slower voice),
    ``ticket_finished`` (farewell), or any section key (its items)."""
    data = dict(data or {})
    if event == "ticket_called":
        waited = data.get("waited_seconds") or 0
        try:
            waited = float(waited)
        except (TypeError, ValueError):
            waited = 0.0
        apology = waited > wait_apology_minutes * 60
        keys = ["greeting"] + (["to_waiting"] if apology else []) + ["enquiry"]
        items = [i for k in keys for i in _items(cat, k)]
        return Prompt(event, keys, items, apology=apology)
    if event == "ticket_transferred":
        target = _target(data, cat.lang)
        items = []
        for it in _items(cat, "handover"):
            if target and "××" in it.text:
                it = dataclasses.replace(it, text=it.text.replace("××部门", target)
                                         .replace("×× department", target)
                                         .replace("××", target), _index=None)
            items.append(it)
        return Prompt(event, ["handover"], items)
    if event == "rule_refused":
        kind = str(data.get("kind", ""))
        expl = cat.explanation(kind)
        items = [expl] if expl else []
        for it in _items(cat, "euphemism"):
            if it.id in ("euphemism.2", "euphemism.4"):  # 我理解……, 我能做到的是……
                items.append(it)
        return Prompt(event, ["explain", "euphemism"], items,
                      refusal=REFUSAL_ALIASES.get(kind.lower(), "general"),
                      message=str(data.get("message", "")))
    if event == "ticket_finished":
        if data.get("status") == "no_show":  # nobody to see off
            return Prompt(event, [], [])
        return Prompt(event, ["farewell"], _items(cat, "farewell"))
    if event == "payment_committed":
        # 唱收唱付: say the money received and the change aloud, then thank the customer
        items = []
        cash = [t for t in data.get("tenders") or [] if t.get("method") == "cash"]
        if cash:
            got = sum(int(t.get("tendered_fen") or 0) for t in cash)
            change = int(data.get("change_fen") or 0)
            zh = f"收您 {_yuan(got)} 元" + (f"，找您 {_yuan(change)} 元" if change else "") + \
                "，请您收好。"
            en = f"Received {_yuan(got)} yuan" + \
                (f", your change is {_yuan(change)} yuan" if change else "") + ", here you are."
            items.append(Item(id="payment.cash", section="thanks", kind="situation",
                              text=en if cat.lang == "en" else zh))
        thanks = {i.id: i for i in _items(cat, "thanks")}
        items += [thanks[k] for k in ("thanks.6", "thanks.1") if k in thanks]
        return Prompt(event, ["thanks"], items)
    if event == "account_opened":
        # 003 第六条(二): knowing the customer's surname, say “××先生/小姐/女士”
        name = surname(str(data.get("holder_name", ""))) \
            if data.get("holder_kind", "person") == "person" else ""
        items = []
        for it in _items(cat, "address"):
            if "××" in it.text:
                if not name:
                    continue
                shown = name if cat.lang != "en" else _pinyin_name(name)
                it = dataclasses.replace(it, text=it.text.replace("××", shown), _index=None)
            items.append(it)
        return Prompt(event, ["address"], items)
    if event == "special_group":
        # 001 二.9: the elderly, disabled and customers with limited mobility
        items = [i for i in _items(cat, "reception") if i.id == "reception.9"]
        items += [i for i in _items(cat, "voice") if i.id == "voice.6"]
        return Prompt(event, ["reception"], items)
    if cat.section(event) is not None:
        return Prompt(event, [event], _items(cat, event))
    if event in REFUSAL_ALIASES or event == "general":
        return contextual(cat, "rule_refused", {"kind": event, **data})
    return Prompt(event, [], [])


def refusal_kind(exc: BaseException) -> str:
    """The explanation kind for a service's refusal, for ``bench.rule_refused(kind, msg)``:
    arrears (``data["arrears_fen"]``), approval (permission), documents, day_closed,
    printer, else general."""
    from .errors import PermissionDenied as _Denied
    from .errors import PrinterError

    data = getattr(exc, "data", None) or {}
    fld = (getattr(exc, "field", None) or "").lower()
    zh = getattr(exc, "zh", "") or ""
    if data.get("arrears_fen") or "arrears" in fld or "欠费" in zh:
        return "arrears"
    if isinstance(exc, PrinterError):
        return "printer"
    if "已日结" in zh or data.get("day_closed") or fld == "day":
        return "day_closed"
    if isinstance(exc, _Denied) or "approval" in fld or "approver" in fld:
        return "approval"
    if fld in ("documents", "document", "id_number", "id_type"):
        return "documents"
    return "general"


COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                     "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫")


def surname(name: str) -> str:
    """The surname of a Chinese personal name (two characters for 欧阳, 司马…)."""
    name = (name or "").strip()
    if not name or not ("\u4e00" <= name[0] <= "\u9fff" or ord(name[0]) > 0x20000):
        return ""
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[0]


def _pinyin_name(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).capitalize()


def for_account(db: Database, actor: Actor, cat: Catalogue, account_no: str) -> Prompt:
    """The forms of address for the holder of ``account_no`` (the account service reads it)."""
    from . import accounts

    view = accounts.show(db, actor, account_no)
    return contextual(cat, "account_opened", {"holder_name": view.holder.name,
                                              "holder_kind": view.holder.kind,
                                              "account_no": account_no})


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def seed_demo(db: Database, hall_code: str) -> dict:
    """Nothing to write: the defaults come from ``resources/phrases``. Reports their size."""
    return {lang: sum(1 for _ in defaults(lang).items()) for lang in LANGS}
