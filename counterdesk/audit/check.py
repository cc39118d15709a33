"""``audit verify``: every hall's chain, the business rows it vouches for, and the anchors.

1. **The chains**: every hall has its own chain (:mod:`.chain`); every event's hash is
   recomputed from the previous hash of its chain and its canonical body; a missing,
   reordered or altered event is named with its hall, and each hall's head row must
   match the hall's last event. The events are read once, in the order they were
   written (``audit_events.id``: within a chain that is the order of ``seq``).
2. **The rows**: each covered table (:data:`.coverage.COVERED`) is read once and every
   row's content hash recomputed; it must equal the hash in the *last* event that
   wrote the row (in the order of writing, whichever hall's chain the event is in).
   Named: rows that differ (edited), rows no event wrote (inserted behind the program's
   back, or whose event was deleted) and rows an event wrote that are gone (deleted).
3. **The anchors**: an anchor ``HALL:SEQ:HASH`` (printed on a day-close report, or a
   head of a backup) must be the hash of event ``SEQ`` of that hall's chain; the old
   form ``SEQ:HASH`` names the home chain (the first hall's, which holds every event
   from before per-hall chains). Anyone can rewrite a payload and recompute a whole
   chain — there is no secret — but not the paper or the backup. The anchors stored by
   the day closes are checked too (they catch a head moved back over a close; a rewrite
   that also rewrites them is caught by the paper).

The expected hashes are kept per table in a byte array indexed by row id (16 bytes a
row), so a year of a busy hall fits in tens of megabytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import ValidationError
from ..models import AuditEvent, Hall, Staff
from ..models.accounts import Account
from ..models.billing import Payment, Receipt
from ..models.cash import DayClose
from .chain import GENESIS, canonical_json, heads, home_chain, spliced_body
from .coverage import COVERED, NAMES

MAX_PROBLEMS = 200
_DELETED = b"\xff" * 16
_NONE = bytes(16)
_ARRAY_LIMIT = 50_000_000      # ids above this go to a dict


class Anchor(NamedTuple):
    """An event of a chain whose hash is kept outside the database (paper, a backup)."""

    hall: str | None           # None: the old form ``SEQ:HASH`` (the home chain)
    seq: int
    hash: str

    def __str__(self) -> str:
        return anchor_text(self.hall, self.seq, self.hash)


def anchor_text(hall: str | None, seq: int, hash_: str) -> str:
    """The anchor as printed on the reports and given to ``audit verify --anchor``:
    ``HALL:SEQ:HASH`` (``SEQ:HASH`` without a hall: the home chain)."""
    return f"{seq}:{hash_}" if hall is None else f"{hall}:{seq}:{hash_}"


@dataclass
class Problem:
    what: str                  # event | row | anchor
    zh: str
    en: str
    seq: int | None = None
    table: str | None = None
    row_id: int | None = None
    hall: str | None = None    # the chain (hall code) of an event or anchor problem


@dataclass
class VerifyResult:
    ok: bool
    count: int
    first_bad_seq: int | None = None
    problem: str = ""
    problem_en: str = ""
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0
    rows_checked: int = 0
    head_seq: int = 0          # the home chain's head (see ``heads`` for every hall's)
    head_hash: str = GENESIS
    anchors_checked: int = 0
    home: str = ""             # the home chain (the database's first hall)
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)   # hall → (seq, hash)
    first_bad_hall: str | None = None

    def add(self, p: Problem) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more_problems += 1
            return
        if not self.problems:
            self.problem, self.problem_en = p.zh, p.en
        if p.seq is not None and self.first_bad_seq is None and p.what == "event":
            self.first_bad_seq, self.first_bad_hall = p.seq, p.hall
        self.ok = False
        self.problems.append(p)


class _Expect:
    """The last hash the chain holds for each row id of one table."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.big: dict[int, bytes] = {}

    def put(self, i: int, h: bytes) -> None:
        if i >= _ARRAY_LIMIT:
            self.big[i] = h
            return
        end = (i + 1) * 16
        if end > len(self.buf):
            grow = max(end - len(self.buf), len(self.buf) // 32 * 16)  # whole slots
            self.buf.extend(bytes(grow))
        self.buf[i * 16:end] = h

    def pop(self, i: int) -> bytes:
        if i >= _ARRAY_LIMIT:
            return self.big.pop(i, _NONE)
        end = (i + 1) * 16
        if end > len(self.buf):
            return _NONE
        h = bytes(self.buf[i * 16:end])
        self.buf[i * 16:end] = _NONE
        return h

    def remaining(self) -> Iterable[int]:
        """Ids still expected (a hash, not a deletion) after the table was read."""
        view = memoryview(self.buf)
        for start in range(0, len(view), 16):
            chunk = view[start:start + 16]
            if chunk != _NONE and chunk != _DELETED:
                yield start // 16
        yield from (i for i, h in self.big.items() if h != _DELETED)


def _bad_anchor(text: str) -> ValidationError:
    return ValidationError(f"锚点格式不对：{text!r}，应为“营业厅:序号:64位哈希”（日结报表上印的）",
                           f"Bad anchor {text!r}: expected HALL:SEQ:HASH as printed on the "
                           "day-close report", field="anchor")


def parse_anchor(text: str) -> Anchor:
    """``HALL:SEQ:HASH`` (as printed on the day-close report) → :class:`Anchor`; the old
    form ``SEQ:HASH`` (reports from before per-hall chains) names the home chain."""
    parts = (text or "").strip().split(":")
    if len(parts) == 2:
        hall, (seq_s, h) = None, parts
    elif len(parts) == 3:
        hall, seq_s, h = parts[0].strip(), parts[1], parts[2]
    else:
        raise _bad_anchor(text)
    h = h.strip().lower()
    if not seq_s.strip().isdigit() or len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
        raise _bad_anchor(text)
    return Anchor(hall, int(seq_s), h)


def _as_anchor(a) -> Anchor:
    """An :class:`Anchor`, or a plain ``(seq, hash)`` / ``(hall, seq, hash)`` tuple."""
    if isinstance(a, Anchor):
        return a
    if len(a) == 2:
        return Anchor(None, int(a[0]), str(a[1]).lower())
    return Anchor(a[0], int(a[1]), str(a[2]).lower())


def _hall_zh(hall: str) -> str:
    return f"营业厅 {hall} " if hall else "系统链"


def _hall_en(hall: str) -> str:
    return f"hall {hall}: " if hall else "system chain: "


def verify(db: Database, *, anchors: Iterable = (), rows: bool = True,
           batch: int = 5000) -> VerifyResult:
    """Check every hall's chain, the covered rows and the anchors; name every problem."""
    res = VerifyResult(True, 0)
    with db.read() as s:
        res.home = home = home_chain(s)
        known = heads(s)
        codes = {c.upper(): c for c in s.execute(select(Hall.code)).scalars()} | \
            {c.upper(): c for c in known}
        given: dict[str, dict[int, str]] = {}
        for a in map(_as_anchor, anchors):
            chain = home if a.hall is None else codes.get(a.hall.upper(), a.hall)
            given.setdefault(chain, {})[a.seq] = a.hash
        stored: dict[str, dict[int, str]] = {}
        for day_chain, q, h in s.execute(select(DayClose.anchor_chain, DayClose.anchor_seq,
                                                DayClose.anchor_hash)
                                         .where(DayClose.anchor_seq.is_not(None))):
            assert q is not None  # the query leaves out day closes without an anchor
            stored.setdefault(home if day_chain is None else day_chain, {})[int(q)] = h
        expect = _walk(s, res, known, given, stored, batch)
        if rows:
            _check_rows(s, res, expect)
    return res


class _Chain:
    """Where the walk is in one chain."""

    __slots__ = ("expected", "prev", "last", "count")

    def __init__(self) -> None:
        self.expected, self.prev, self.last, self.count = 1, GENESIS, 0, 0


def _walk(s: Session, res: VerifyResult, known: dict[str, tuple[int, str]],
          given: dict[str, dict[int, str]], stored: dict[str, dict[int, str]],
          batch: int) -> dict[str, _Expect]:
    expect = {name: _Expect() for name in COVERED}
    chains: dict[str, _Chain] = {}
    t = AuditEvent.__table__
    q = select(t.c.id, t.c.chain, t.c.seq, t.c.at, t.c.hall_code, t.c.window, t.c.staff_no,
               t.c.kind, t.c.payload, t.c.prev_hash, t.c.hash).order_by(t.c.id)
    sha = hashlib.sha256
    no_anchors: dict[int, str] = {}
    last_id, cur_name = 0, None
    cur: _Chain | None = None
    g = st = no_anchors
    while True:
        events = s.execute(q.where(t.c.id > last_id).limit(batch)).all()
        if not events:
            break
        last_id = events[-1][0]
        for row in events:
            _id, chain, seq, at, hall, window, staff_no, kind, payload, ev_prev, ev_hash = row
            if chain != cur_name:
                cur = chains.get(chain)
                if cur is None:
                    cur = chains[chain] = _Chain()
                cur_name = chain
                g, st = given.get(chain, no_anchors), stored.get(chain, no_anchors)
            assert cur is not None  # set at the first event: no event's chain is None
            if seq != cur.expected:
                res.add(Problem("event", f"{_hall_zh(chain)}第 {cur.expected} 号审计事件缺失"
                                         f"（下一条是第 {seq} 号）",
                                f"{_hall_en(chain)}audit event {cur.expected} is missing "
                                f"(next is {seq})", cur.expected, hall=chain))
            elif ev_prev != cur.prev:
                res.add(Problem("event", f"{_hall_zh(chain)}第 {seq} 号审计事件的前序哈希不符"
                                         "（之前的事件被改动或删除）",
                                f"{_hall_en(chain)}audit event {seq}: previous hash does "
                                "not match (an earlier event was altered or removed)", seq,
                                hall=chain))
            body = spliced_body(seq, at, hall, window, staff_no, kind, payload)
            if sha((ev_prev + body).encode("utf-8")).hexdigest() != ev_hash \
                    and not _reencoded_matches(row[2:]):
                res.add(Problem("event", f"{_hall_zh(chain)}第 {seq} 号审计事件（{kind}）的内容被改动",
                                f"{_hall_en(chain)}audit event {seq} ({kind}) was altered",
                                seq, hall=chain))
            if g or st:
                for seq_map, paper in ((g, True), (st, False)):
                    want = seq_map.get(seq)
                    if want is not None and want != ev_hash:
                        _anchor_problem(res, chain, seq, paper)
                res.anchors_checked += (seq in g) + (seq in st)
            if '"row_hashes"' in payload:
                _expect_rows(expect, payload)
            cur.prev, cur.expected, cur.last = ev_hash, seq + 1, seq
            cur.count += 1
    res.count = sum(c.count for c in chains.values())
    for chain in sorted(set(given) - set(chains) - set(known)):
        for seq in sorted(given[chain]):
            res.add(Problem("anchor", f"没有营业厅 {chain} 的审计链（给定的锚点 {chain}:{seq}）",
                            f"there is no audit chain of hall {chain} (the anchor given, "
                            f"{chain}:{seq})", seq, hall=chain))
    for chain in sorted(set(chains) | set(known)):
        c = chains.get(chain) or _Chain()
        head = known.get(chain)
        res.heads[chain] = (c.last, c.prev)
        if head is None and c.count:
            res.add(Problem("event", f"{_hall_zh(chain)}审计链的链头记录缺失",
                            f"{_hall_en(chain)}the head of the audit chain is missing",
                            hall=chain))
        elif head is not None and (head[0] != c.last or head[1] != c.prev):
            res.add(Problem("event", f"{_hall_zh(chain)}审计链末尾缺失事件：应有 {head[0]} 条，"
                                     f"实有 {c.count} 条",
                            f"{_hall_en(chain)}events missing at the end of the chain: "
                            f"expected {head[0]}, found {c.count}", c.last + 1, hall=chain))
        for seq_map, paper in ((given.get(chain, {}), True), (stored.get(chain, {}), False)):
            for seq in sorted(n for n in seq_map if n > c.last):
                _anchor_problem(res, chain, seq, paper, short=c.last)
    res.head_seq, res.head_hash = res.heads.get(res.home, (0, GENESIS))
    return expect


def _reencoded_matches(ev) -> bool:
    """The hash over the re-encoded payload (a stored payload that is not canonical)."""
    seq, at, hall, window, staff_no, kind, payload, ev_prev, ev_hash = ev
    try:
        body = canonical_json({"seq": seq, "at": at.isoformat(timespec="microseconds"),
                               "hall": hall, "window": window, "staff": staff_no,
                               "kind": kind, "data": json.loads(payload)})
    except ValueError:
        return False
    return hashlib.sha256((ev_prev + body).encode("utf-8")).hexdigest() == ev_hash


def _expect_rows(expect: dict[str, _Expect], payload: str) -> None:
    try:
        data = json.loads(payload)
    except ValueError:
        return
    covered = data.get("row_hashes") if isinstance(data, dict) else None
    if not isinstance(covered, dict):
        return
    for name, hashes in covered.items():
        ex = expect.get(name)
        if ex is None or not isinstance(hashes, dict):
            continue
        for rid, h in hashes.items():
            try:
                ex.put(int(rid), _DELETED if h is None else bytes.fromhex(h))
            except (TypeError, ValueError):
                continue


def _anchor_problem(res: VerifyResult, chain: str, seq: int, paper: bool,
                    short: int | None = None) -> None:
    src_zh, src_en = ("给定的锚点", "the anchor given") if paper else ("日结保存的锚点",
                                                                 "a day close's anchor")
    if short is not None:
        res.add(Problem("anchor", f"{_hall_zh(chain)}审计链只到第 {short} 号，{src_zh}是第 "
                                  f"{seq} 号：之后的事件被删除，审计链被截短",
                        f"{_hall_en(chain)}the chain ends at {short} but {src_en} is event "
                        f"{seq}: events were deleted", seq, hall=chain))
    else:
        res.add(Problem("anchor", f"{_hall_zh(chain)}第 {seq} 号审计事件的哈希与{src_zh}不符："
                                  "审计链在此之前被改写过",
                        f"{_hall_en(chain)}audit event {seq} does not match {src_en}: the "
                        "chain up to it was rewritten", seq, hall=chain))


def _check_rows(s: Session, res: VerifyResult, expect: dict[str, _Expect]) -> None:
    flagged: list[tuple[str, str, int]] = []
    for name, cov in COVERED.items():
        ex = expect[name]
        stmt = cov.select().order_by(cov.table.c.id).execution_options(yield_per=10_000)
        for row in s.execute(stmt):
            res.rows_checked += 1
            want = ex.pop(row[0])
            if want == _NONE or want == _DELETED:
                flagged.append(("noevent", name, row[0]))
            elif cov.digest(row) != want:
                flagged.append(("differs", name, row[0]))
        flagged += [("missing", name, i) for i in ex.remaining()]
    for what, name, rid in flagged[:MAX_PROBLEMS]:
        label = _label(s, name, rid)
        zh_t = f"{NAMES.get(name, name)}（{name}）第 {rid} 行{label}"
        en_t = f"{name} row {rid}{label}"
        if what == "differs":
            res.add(Problem("row", zh_t + "的内容与审计链记录的不符（被改动）",
                            en_t + " differs from what the audit chain recorded", None, name,
                            rid))
        elif what == "noevent":
            res.add(Problem("row", zh_t + "没有审计事件（绕过程序写入，或其事件被删除）",
                            en_t + " has no audit event", None, name, rid))
        else:
            res.add(Problem("row", zh_t + "已不存在，审计链记录过它（被删除）",
                            en_t + " is missing (the audit chain recorded it)", None, name,
                            rid))
    res.more_problems += max(0, len(flagged) - MAX_PROBLEMS)
    if flagged:
        res.ok = False


def _label(s: Session, name: str, rid: int) -> str:
    """A name a person recognises (receipt number, staff number, account number)."""
    if name == "payments":
        no = s.execute(select(Receipt.receipt_no).where(Receipt.payment_id == rid)).scalar()
    elif name == "receipts":
        no = s.execute(select(Receipt.receipt_no).where(Receipt.id == rid)).scalar()
    elif name == "staff":
        no = s.execute(select(Staff.staff_no).where(Staff.id == rid)).scalar()
    elif name == "accounts":
        no = s.execute(select(Account.account_no).where(Account.id == rid)).scalar()
    elif name in ("payment_lines", "payment_tenders"):
        t = COVERED[name].table
        no = s.execute(select(Receipt.receipt_no).join(Payment, Payment.id == Receipt.payment_id)
                       .where(Payment.id == select(t.c.payment_id).where(t.c.id == rid)
                              .scalar_subquery())).scalar()
    else:
        no = None
    return f"（{no}）" if no else ""
