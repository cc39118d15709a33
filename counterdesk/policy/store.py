"""Reading and changing a hall's policy (stored as text, typed by the registry)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .. import clock
from ..db import Database
from ..errors import ValidationError
from ..models.policy import HallPolicy
from ..staff import Actor, require_manager
from .registry import BY_KEY, KEYS, PolicyKey

Value = int | bool | str
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TRUE = ("true", "1", "yes", "y", "on", "是", "开")
_FALSE = ("false", "0", "no", "n", "off", "否", "关")


def key_of(key: str) -> PolicyKey:
    pk = BY_KEY.get((key or "").strip())
    if pk is None:
        raise ValidationError(f"没有这项营业厅规则：{key}（用 counterdesk policy show 查看全部）",
                              f"No such hall policy key: {key}", field="key")
    return pk


def _bad(pk: PolicyKey, zh: str, en: str) -> ValidationError:
    return ValidationError(f"{pk.zh}（{pk.key}）{zh}", f"{pk.en} ({pk.key}) {en}", field=pk.key)


def parse(pk: PolicyKey, value: Value) -> Value:
    """``value`` (typed, or text as typed by a person) as ``pk``'s type; refused with a
    message naming the key when of the wrong type or out of range."""
    text = value.strip() if isinstance(value, str) else value
    if pk.kind == "bool":
        if isinstance(text, bool):
            return text
        if isinstance(text, str) and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        raise _bad(pk, "应为 是/否（true/false）", "must be true or false")
    if pk.kind == "int":
        if isinstance(text, bool) or not (isinstance(text, int) or
                                          (isinstance(text, str) and re.fullmatch(r"-?\d+", text))):
            raise _bad(pk, f"应为整数（{pk.minimum}–{pk.maximum} {pk.unit}）",
                       f"must be a whole number ({pk.minimum}-{pk.maximum})")
        n = int(text)
        assert pk.minimum is not None and pk.maximum is not None  # every int key has a range
        if not pk.minimum <= n <= pk.maximum:
            raise _bad(pk, f"应在 {pk.minimum} 到 {pk.maximum} {pk.unit}之间，收到 {n}",
                       f"must be between {pk.minimum} and {pk.maximum}, got {n}")
        return n
    if not isinstance(text, str):
        raise _bad(pk, "应为文本", "must be text")
    if pk.kind == "time":
        if not _TIME.match(text):
            raise _bad(pk, "应为 HH:MM 格式的时间，如 08:30", "must be a time HH:MM, e.g. 08:30")
        return text
    if pk.kind == "dates":
        from ..workdays import valid_dates

        if not valid_dates(text):
            raise _bad(pk, "应为以逗号分隔的日期或区间，如 2027-01-01, 2027-02-06..2027-02-12",
                       "must be comma-separated dates or ranges")
        return text
    if pk.kind == "pattern":
        try:
            re.compile(text)
        except re.error as exc:
            raise _bad(pk, f"不是有效的正则表达式：{exc}", f"is not a valid regular expression: "
                       f"{exc}") from None
        if not text:
            raise _bad(pk, "不能为空", "must not be empty")
    if pk.kind == "types":
        from ..accounts.types import parse_text

        if pk.maximum is not None and len(text) > pk.maximum:
            raise _bad(pk, f"不能超过 {pk.maximum} 个字", f"must be at most {pk.maximum} characters")
        try:
            return parse_text(text).text()
        except ValidationError as exc:
            raise _bad(pk, f"：{exc.zh}", f": {exc.en}") from None
    if pk.maximum is not None and len(text) > pk.maximum:
        raise _bad(pk, f"不能超过 {pk.maximum} 个字", f"must be at most {pk.maximum} characters")
    return text


def to_text(pk: PolicyKey, value: Value) -> str:
    if pk.kind == "bool":
        return "true" if value else "false"
    return str(value)


def _from_text(pk: PolicyKey, text: str) -> Value:
    try:
        return parse(pk, text)
    except ValidationError:  # a value no longer valid (range narrowed): the default
        return pk.default


_ALL = select(HallPolicy.key, HallPolicy.value).where(HallPolicy.hall_id == bindparam("a_hall"))
_CACHE = "counterdesk.policy"


def _stored(session: Session, hall_id: int) -> dict[str, str]:
    """The hall's stored rules, read once per transaction (one SELECT of a few short
    rows): a payment or a call consults three to five rules, each was a statement."""
    txn = session.get_transaction()
    cached = session.info.get(_CACHE)
    if cached is None or cached[0] is not txn:
        cached = (txn, {})
        session.info[_CACHE] = cached
    halls: dict[int, dict[str, str]] = cached[1]
    if hall_id not in halls:
        halls[hall_id] = dict(session.execute(_ALL, {"a_hall": hall_id}).all())
    return halls[hall_id]


def forget(session: Session) -> None:
    """Drop what :func:`_stored` read (after a rule is changed in this transaction)."""
    session.info.pop(_CACHE, None)


def get(session: Session, hall_id: int, key: str) -> Value:
    """The hall's value of ``key`` (typed), the default when unset."""
    pk = key_of(key)
    text = _stored(session, hall_id).get(pk.key)
    return pk.default if text is None else _from_text(pk, text)


def get_many(session: Session, hall_id: int, keys: tuple[str, ...]) -> dict[str, Value]:
    """Several keys of the hall at once, typed, defaults when unset."""
    return {key_of(k).key: get(session, hall_id, k) for k in keys}


@dataclass(frozen=True)
class PolicyRow:
    key: str
    zh: str
    en: str
    kind: str
    unit: str
    value: Value
    default: Value
    minimum: int | None
    maximum: int | None
    changed_at: dt.datetime | None
    changed_by: str

    @property
    def is_default(self) -> bool:
        return self.value == self.default

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["changed_at"] = self.changed_at.isoformat(timespec="seconds") if self.changed_at \
            else None
        return d


def rows(db: Database, hall_id: int) -> list[PolicyRow]:
    """Every key with the hall's value, in registry order."""
    with db.read() as s:
        stored = {r.key: r for r in s.execute(
            select(HallPolicy).where(HallPolicy.hall_id == hall_id)).scalars()}
    out = []
    for pk in KEYS:
        r = stored.get(pk.key)
        out.append(PolicyRow(pk.key, pk.zh, pk.en, pk.kind, pk.unit,
                             pk.default if r is None else _from_text(pk, r.value), pk.default,
                             pk.minimum, pk.maximum, r.changed_at if r else None,
                             r.changed_by if r else ""))
    return out


def values(db: Database, hall_id: int) -> dict[str, Value]:
    """key -> the hall's typed value, for every key."""
    return {r.key: r.value for r in rows(db, hall_id)}


def set(db: Database, actor: Actor, key: str, value: Value) -> PolicyRow:  # noqa: A001 - the API's verb
    """A manager changes one rule of their hall (validated; audited with old and new)."""
    require_manager(actor)
    pk = key_of(key)
    new = parse(pk, value)
    with db.write() as s:
        row = s.execute(select(HallPolicy).where(HallPolicy.hall_id == actor.hall_id,
                                                 HallPolicy.key == pk.key)
                        .with_for_update()).scalar()
        old = pk.default if row is None else _from_text(pk, row.value)
        if pk.kind == "types" and old != new:  # no type removed that is still in use
            from ..accounts.types import refuse_removal

            refuse_removal(s, actor.hall_id, str(old), str(new))
        now = clock.now()
        if row is None:
            row = HallPolicy(hall_id=actor.hall_id, key=pk.key, value=to_text(pk, new),
                             changed_at=now, changed_by=actor.staff_no)
            s.add(row)
        elif old != new or row.value != to_text(pk, new):
            row.value, row.changed_at, row.changed_by = to_text(pk, new), now, actor.staff_no
        forget(s)
        if old != new:
            actor.audit(s, "policy.changed", {"key": pk.key, "old": old, "new": new})
        return PolicyRow(pk.key, pk.zh, pk.en, pk.kind, pk.unit, new, pk.default, pk.minimum,
                         pk.maximum, row.changed_at, row.changed_by)
