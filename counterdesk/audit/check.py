"""``audit verify``: the chain, the business rows it vouches for, and the anchors.

1. **The chain**: every event's hash is recomputed from the previous hash and its
   canonical body; a missing, reordered or altered event is named, and the head row
   must match the last event.
2. **The rows**: each covered table (:data:`.coverage.COVERED`) is read once and every
   row's content hash recomputed; it must equal the hash in the *last* event that
   wrote the row. Named: rows that differ (edited), rows no event wrote (inserted
   behind the program's back, or whose event was deleted) and rows an event wrote
   that are gone (deleted).
3. **The anchors**: an anchor ``SEQ:HASH`` (printed on a day-close report, or the head
   of a backup) must be the hash of event ``SEQ``. Anyone can rewrite a payload and
   recompute the whole chain — there is no secret — but not the paper or the backup.
   The anchors stored by the day closes are checked too (they catch a head moved back
   over a close; a rewrite that also rewrites them is caught by the paper).

The expected hashes are kept per table in a byte array indexed by row id (16 bytes a
row), so a year of a busy hall fits in tens of megabytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..errors import ValidationError
from ..models import AuditEvent, AuditHead, Staff
from ..models.accounts import Account
from ..models.billing import Payment, Receipt
from ..models.cash import DayClose
from .chain import GENESIS, canonical_json, spliced_body
from .coverage import COVERED, NAMES

MAX_PROBLEMS = 200
_DELETED = b"\xff" * 16
_NONE = bytes(16)
_ARRAY_LIMIT = 50_000_000      # ids above this go to a dict


@dataclass
class Problem:
    what: str                  # event | row | anchor
    zh: str
    en: str
    seq: int | None = None
    table: str | None = None
    row_id: int | None = None


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
    head_seq: int = 0
    head_hash: str = GENESIS
    anchors_checked: int = 0

    def add(self, p: Problem) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more_problems += 1
            return
        if not self.problems:
            self.problem, self.problem_en = p.zh, p.en
        if p.seq is not None and self.first_bad_seq is None and p.what == "event":
            self.first_bad_seq = p.seq
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


def parse_anchor(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` (as printed on the day-close report) → (seq, hash)."""
    seq_s, _, h = (text or "").strip().partition(":")
    h = h.strip().lower()
    if not seq_s.strip().isdigit() or len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
        raise ValidationError(f"锚点格式不对：{text!r}，应为“序号:64位哈希”（日结报表上印的）",
                              f"Bad anchor {text!r}: expected SEQ:HASH as printed on the "
                              "day-close report", field="anchor")
    return int(seq_s), h


def verify(db: Database, *, anchors: Iterable[tuple[int, str]] = (), rows: bool = True,
           batch: int = 5000) -> VerifyResult:
    """Check the chain, the covered rows and the anchors; name every problem found."""
    res = VerifyResult(True, 0)
    given = {int(a): h.lower() for a, h in anchors}
    with db.read() as s:
        stored = {int(q): h for q, h in s.execute(
            select(DayClose.anchor_seq, DayClose.anchor_hash)
            .where(DayClose.anchor_seq.is_not(None))) if q is not None}
        expect = _walk(s, res, given, stored, batch)
        if rows:
            _check_rows(s, res, expect)
    return res


def _walk(s: Session, res: VerifyResult, given: dict[int, str], stored: dict[int, str],
          batch: int) -> dict[str, _Expect]:
    expect = {name: _Expect() for name in COVERED}
    head = s.get(AuditHead, 1)
    expected_seq, prev, last_seq = 1, GENESIS, 0
    t = AuditEvent.__table__
    q = select(t.c.seq, t.c.at, t.c.hall_code, t.c.window, t.c.staff_no, t.c.kind,
               t.c.payload, t.c.prev_hash, t.c.hash).order_by(t.c.seq)
    sha = hashlib.sha256
    while True:
        events = s.execute(q.where(t.c.seq > last_seq).limit(batch)).all()
        if not events:
            break
        for ev in events:
            seq, at, hall, window, staff_no, kind, payload, ev_prev, ev_hash = ev
            if seq != expected_seq:
                res.add(Problem("event", f"第 {expected_seq} 号审计事件缺失（下一条是第 {seq} 号）",
                                f"audit event {expected_seq} is missing (next is {seq})",
                                expected_seq))
            elif ev_prev != prev:
                res.add(Problem("event",
                                f"第 {seq} 号审计事件的前序哈希不符（之前的事件被改动或删除）",
                                f"audit event {seq}: previous hash does not match "
                                "(an earlier event was altered or removed)", seq))
            body = spliced_body(seq, at, hall, window, staff_no, kind, payload)
            if sha((ev_prev + body).encode("utf-8")).hexdigest() != ev_hash \
                    and not _reencoded_matches(ev):
                res.add(Problem("event", f"第 {seq} 号审计事件（{kind}）的内容被改动",
                                f"audit event {seq} ({kind}) was altered", seq))
            for seq_map, paper in ((given, True), (stored, False)):
                want = seq_map.get(seq)
                if want is not None and want != ev_hash:
                    _anchor_problem(res, seq, paper)
            res.anchors_checked += (seq in given) + (seq in stored)
            if '"row_hashes"' in payload:
                _expect_rows(expect, payload)
            prev, expected_seq, last_seq = ev_hash, seq + 1, seq
            res.count += 1
    res.head_seq, res.head_hash = last_seq, prev
    if head is not None and (head.seq != last_seq or head.hash != prev):
        res.add(Problem("event", f"审计链末尾缺失事件：应有 {head.seq} 条，实有 {res.count} 条",
                        f"events missing at the end of the chain: expected {head.seq}, "
                        f"found {res.count}", last_seq + 1))
    for seq_map, paper in ((given, True), (stored, False)):
        for seq in sorted(n for n in seq_map if n > last_seq):
            _anchor_problem(res, seq, paper, short=True)
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


def _anchor_problem(res: VerifyResult, seq: int, paper: bool, short: bool = False) -> None:
    src_zh, src_en = ("给定的锚点", "the anchor given") if paper else ("日结保存的锚点",
                                                                 "a day close's anchor")
    if short:
        res.add(Problem("anchor", f"审计链只到第 {res.head_seq} 号，{src_zh}是第 {seq} 号："
                                  "之后的事件被删除，审计链被截短",
                        f"the chain ends at {res.head_seq} but {src_en} is event {seq}: "
                        "events were deleted", seq))
    else:
        res.add(Problem("anchor", f"第 {seq} 号审计事件的哈希与{src_zh}不符：审计链在此之前被改写过",
                        f"audit event {seq} does not match {src_en}: the chain up to it "
                        "was rewritten", seq))


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
