"""A manager's changes to the phrases: validation, edit, add, remove, restore
defaults, and the TOML export/import (``counterdesk phrases export|import``)."""

from __future__ import annotations

import dataclasses
import tomllib
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select

from .. import clock, i18n
from ..db import Database
from ..errors import NotFound, PermissionDenied, ValidationError
from ..models.phrases import PhraseEdit, PhraseRevision
from ..staff import Actor
from .catalogue import (
    MAX_NOTE,
    MAX_TEXT,
    MAX_TITLE,
    Catalogue,
    Item,
    _bad,
    _lang,
    defaults,
    load,
    parse,
)


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
    for value, limit, zh, en, fld in ((text, MAX_TEXT, "用语", "The phrase", "text"),
                                      (instead, MAX_TEXT, "“应说”", "“Say instead”", "instead"),
                                      (note, MAX_NOTE, "说明", "The note", "note"),
                                      (title, MAX_TITLE, "标题", "The title", "title")):
        if len(value) > limit:
            raise _bad(f"{zh}太长（{len(value)} 字），请缩短到 {limit} 字以内",
                       f"{en} is too long ({len(value)} characters); keep it within {limit}",
                       fld)
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
        raise PermissionDenied("只有主任可以修改服务用语，请联系主任修改",
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


def _existing(cat: Catalogue, item_id: str) -> Item:
    item = cat.get(item_id)
    if item is None:
        raise NotFound(f"没有编号为 {item_id} 的用语", f"No phrase with id {item_id}", field="id")
    return item


def edit_item(db: Database, actor: Actor, item_id: str, *, text: str, instead: str = "",
              note: str = "", title: str = "", lang: str | None = None) -> Item:
    """Change one item (a manager only); recorded in the audit chain."""
    _require_manager(actor)
    lang = _lang(lang)
    cat = load(db, actor.hall_code, lang)
    item = _existing(cat, item_id)
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
    assert sec is not None  # validate() refused an unknown section
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
    item = _existing(cat, item_id)
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
        count = cast(CursorResult[Any], s.execute(q)).rowcount or 0
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
        base_sec = base.section(sec.key)
        assert base_sec is not None  # every group of the file was found in the defaults above
        for d in base_sec.items:
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
