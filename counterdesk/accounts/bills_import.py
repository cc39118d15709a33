"""Importing bills from the billing system: ``counterdesk bills import FILE.csv``.

The file is CSV (UTF-8, with or without BOM; GB18030/GBK as saved by Excel is accepted
too) with a header row and these columns, in any order (English or Chinese names)::

    account,period,volume,amount,due_date
    0100000017,2026-10,35.20,98.56,2026-11-20

* ``account`` (户号): an existing account of this hall (10 digits with check digit);
* ``period`` (账期): ``YYYY-MM``; one bill per account and period;
* ``volume`` (用气量): cubic metres, ≥ 0, up to 2 decimals;
* ``amount`` (金额): yuan, ≥ 0, up to 2 decimals (stored as integer fen);
* ``due_date`` (缴费截止日): ``YYYY-MM-DD``.

All or nothing: if any row is bad, nothing is imported and every bad row is listed
with its line number, column and reason (``ValidationError.data["errors"]``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import insert, select, tuple_

from .. import audit, clock, textfiles
from .. import validators as V
from ..db import Database
from ..errors import ValidationError
from ..models.accounts import Account, Bill
from ..staff import Actor
from .numbers import luhn_digit

COLUMNS = ("account", "period", "volume", "amount", "due_date")
ALIASES = {
    "account": "account", "account_no": "account", "户号": "account",
    "period": "period", "账期": "period", "月份": "period",
    "volume": "volume", "用气量": "volume", "气量": "volume",
    "amount": "amount", "金额": "amount", "应缴金额": "amount",
    "due_date": "due_date", "due": "due_date", "缴费截止日": "due_date", "截止日期": "due_date",
}
MAX_ROWS = 500_000
CHUNK = 900  # parameters per IN (...) query


@dataclass
class RowError:
    line: int
    column: str
    value: str
    reason: str

    def to_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value,
                "reason": self.reason}

    def text(self) -> str:
        return f"第 {self.line} 行 {self.column}：{self.reason}" + (
            f"（“{self.value}”）" if self.value else "")


@dataclass
class ImportResult:
    batch: str
    rows: int
    total_fen: int
    accounts: int
    errors: list[RowError] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"batch": self.batch, "rows": self.rows, "total_fen": self.total_fen,
                "accounts": self.accounts}


def _show(v: str) -> str:
    v = "".join(ch if ch.isprintable() else "?" for ch in v)
    return v[:30]


def parse(text: str) -> tuple[list[dict], list[RowError]]:
    """Rows as dicts (line, account, period, volume, amount_fen, due_date) and errors."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError("文件是空的", "The file is empty", field="file") from None
    cols = {}
    for i, name in enumerate(header):
        key = ALIASES.get(name.strip().lower()) or ALIASES.get(name.strip())
        if key:
            cols[key] = i
    missing = [c for c in COLUMNS if c not in cols]
    if missing:
        raise ValidationError(
            f"第 1 行（表头）缺少列：{', '.join(missing)}；应为 {','.join(COLUMNS)}",
            f"line 1 (header) lacks the columns {', '.join(missing)}; expected "
            f"{','.join(COLUMNS)}", field="file")
    rows: list[dict] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for line, rec in enumerate(reader, start=2):
        if not any(c.strip() for c in rec):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ValidationError(f"文件超过 {MAX_ROWS} 行，请分批导入",
                                  f"more than {MAX_ROWS} rows; split the file", field="file")
        def get(c: str, rec: list[str] = rec) -> str:
            return rec[cols[c]].strip() if cols[c] < len(rec) else ""

        before = len(errors)
        acc = get("account")
        if not re.fullmatch(r"\d{10}", acc):
            errors.append(RowError(line, "account", _show(acc), "户号应为 10 位数字"))
        elif luhn_digit(acc[:-1]) != acc[-1]:
            errors.append(RowError(line, "account", acc, "户号校验位不对"))
        period = get("period")
        m = re.fullmatch(r"(\d{4})-?(\d{2})", period)
        if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
            errors.append(RowError(line, "period", _show(period), "账期应为 YYYY-MM，如 2026-10"))
        else:
            period = f"{m.group(1)}-{m.group(2)}"
        vol_s = get("volume")
        volume = None
        try:
            volume = Decimal(vol_s)
            if not volume.is_finite() or volume < 0 or volume != volume.quantize(
                    Decimal("0.01")) or volume >= Decimal("10000000000"):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(RowError(line, "volume", _show(vol_s),
                                   "用气量应为不小于 0 的数，最多两位小数"))
        amount_s = get("amount")
        amount = None
        try:
            amount = V.yuan_to_fen(amount_s, "amount")
        except ValidationError as e:
            errors.append(RowError(line, "amount", _show(amount_s),
                                   e.zh.split("：", 1)[-1]))
        due_s = get("due_date")
        due = None
        try:
            due = V.date(due_s, "due_date", required=True)
        except ValidationError as e:
            errors.append(RowError(line, "due_date", _show(due_s), e.zh.split("：", 1)[-1]))
        if len(errors) == before:
            row_key = (acc, period)
            if row_key in seen:
                errors.append(RowError(line, "period", period,
                                       f"与第 {seen[row_key]} 行重复（同一户号同一账期）"))
            else:
                seen[row_key] = line
                rows.append({"line": line, "account": acc, "period": period,
                             "volume": volume, "amount_fen": amount, "due_date": due})
    return rows, errors


def import_bills(db: Database, actor: Actor, source: str | Path | bytes, *,
                 name: str = "") -> ImportResult:
    """Check every row, then insert all of them in one transaction, or none."""
    if isinstance(source, (str, Path)) and not isinstance(source, bytes):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ValidationError(f"无法读取文件 {path.name}：{exc.strerror}",
                                  f"Cannot read {path.name}: {exc.strerror}",
                                  field="file") from None
        name = name or path.name
    else:
        data = source
    rows, errors = parse(textfiles.decode(data, name=name))
    batch = "B" + clock.now().strftime("%Y%m%d%H%M%S") + "-" + hashlib.sha256(
        data).hexdigest()[:8]
    with db.write() as s:
        ids: dict[str, int] = {}
        numbers = sorted({r["account"] for r in rows})
        for i in range(0, len(numbers), CHUNK):
            part = numbers[i:i + CHUNK]
            for no, aid, hall in s.execute(
                    select(Account.account_no, Account.id, Account.hall_id)
                    .where(Account.account_no.in_(part))):
                if hall == actor.hall_id:
                    ids[no] = aid
        good = []
        for r in rows:
            if r["account"] not in ids:
                errors.append(RowError(r["line"], "account", r["account"], "户号不存在"))
            else:
                good.append(r)
        existing: set[tuple[int, str]] = set()
        pairs = sorted({(ids[r["account"]], r["period"]) for r in good})
        for i in range(0, len(pairs), CHUNK // 2):
            part = pairs[i:i + CHUNK // 2]
            existing.update(s.execute(select(Bill.account_id, Bill.period).where(
                tuple_(Bill.account_id, Bill.period).in_(part))).all())
        for r in good:
            if (ids[r["account"]], r["period"]) in existing:
                errors.append(RowError(r["line"], "period", r["period"],
                                       "该户号此账期的账单已导入过"))
        if errors:
            errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column)))
            head = "；".join(e.text() for e in errors[:5])
            more = f"……共 {len(errors)} 处" if len(errors) > 5 else ""
            raise ValidationError(
                f"账单文件有 {len(errors)} 处错误，未导入任何账单：{head}{more}",
                f"The bill file has {len(errors)} errors; nothing was imported "
                f"(first: line {errors[0].line} {errors[0].column})",
                field="file", data={"errors": [e.to_dict() for e in errors]})
        if not rows:
            raise ValidationError("文件中没有账单行", "The file has no bill rows", field="file")
        now = clock.now()
        for i in range(0, len(rows), 5000):
            s.execute(insert(Bill), [
                {"account_id": ids[r["account"]], "period": r["period"], "volume": r["volume"],
                 "amount_fen": r["amount_fen"], "paid_fen": 0, "due_date": r["due_date"],
                 "import_batch": batch, "imported_at": now} for r in rows[i:i + 5000]])
        total = sum(r["amount_fen"] for r in rows)
        actor.audit(s, "bills.imported", {"batch": batch, "file": name[:100],
                                          "rows": len(rows), "total_fen": total,
                                          "accounts": len(ids)},
                    rows=[audit.Rows(Bill.__table__, Bill.__table__.c.import_batch == batch)])
        return ImportResult(batch, len(rows), total, len({r["account"] for r in rows}))


def to_csv(rows: list[dict]) -> str:
    """The import format, e.g. for tests and the benchmark."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r["account"], r["period"], r["volume"], r["amount"], r["due_date"]])
    return out.getvalue()


__all__ = ["import_bills", "parse", "to_csv", "ImportResult", "COLUMNS"]
