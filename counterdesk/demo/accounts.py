"""Fictional accounts in bulk: the demo hall's 2,000 and the benchmark's 1,000,000.

Everything is deterministic (seeded RNG, word lists in ``resources/demo/``) and made
up: names are drawn from common surnames and given-name characters, ID numbers are
random birth dates and sequence numbers with a correct check character, phones random.

Rows go in fast: ids are allocated up front (PostgreSQL ``nextval`` of the table's
sequence; SQLite ``max(id)`` inside the write transaction), then PostgreSQL gets
``COPY … FROM STDIN`` and SQLite an ``executemany``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from .. import audit, clock, resources_access, sequence
from .. import validators as V
from ..accounts.addresses import address_keys
from ..accounts.forms import METER_TYPES
from ..accounts.numbers import make_account_no
from ..accounts.search import name_initials
from ..db import Database
from ..errors import NotFound
from ..models import Counter, Hall
from ..models.accounts import Account, Bill, Holder, HolderHistory

DEMO_ACCOUNTS = 2000


def seed_demo(db: Database, hall_code: str) -> dict:
    """2,000 fictional accounts of the demo hall (about 12 % with unpaid bills)."""
    with db.read() as s:
        hall = s.execute(select(Hall).where(Hall.code == hall_code)).scalar()
        if hall is None:
            raise NotFound(f"营业厅 {hall_code} 不存在", f"Hall {hall_code} not found")
        have = s.execute(select(func.count()).select_from(Account).where(
            Account.hall_id == hall.id)).scalar()
    if have:
        return {"accounts": int(have), "created": 0}
    owing = bulk_create(db, hall.id, DEMO_ACCOUNTS, seed=20261122, chunk=2000,
                        bills_for=0.12, staff_no="system", cache=True)
    with db.write() as s:
        audit.record(s, "account.demo_seeded", {"accounts": DEMO_ACCOUNTS,
                                                "with_arrears": len(owing)},
                     hall_code=hall_code)
    return {"accounts": DEMO_ACCOUNTS, "created": DEMO_ACCOUNTS, "with_arrears": len(owing),
            "example_with_arrears": owing[:3]}


def _lines(name: str) -> list[str]:
    out = []
    for ln in resources_access.read_text("demo", name).splitlines():
        ln = ln.strip()
        if ln and not ln.startswith("#"):
            out.append(ln)
    return out


def demo_words():
    surnames, weights = [], []
    for ln in _lines("surnames.txt"):
        name, _, w = ln.partition(" ")
        surnames.append(name)
        weights.append(int(w or 1))
    given = " ".join(_lines("given_chars.txt")).split()
    rare = _lines("rare_names.txt")
    places = resources_access.read_toml("demo", "addresses.toml")["district"]
    return surnames, weights, given, rare, places


def fake_id(rng: random.Random) -> str:
    region = rng.choice(("110101", "310104", "330106", "320102", "440305", "510107",
                         "420106", "610113"))
    born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 62))
    body = f"{region}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + V.resident_id_check_char(body)


_INITIALS: dict[str, str] = {}


def _initials(name: str) -> str:
    v = _INITIALS.get(name)
    if v is None:
        v = _INITIALS[name] = name_initials(name)
    return v


def generate_rows(hall_id: int, start_serial: int, n: int, seed: int,
                  opened_at: dt.datetime, staff_no: str = "system"
                  ) -> Iterator[tuple[dict, dict]]:
    """Deterministic fictional (holder, account) rows; addresses and meters are unique
    for serials ``start_serial .. start_serial + n``."""
    surnames, weights, given, rare, places = demo_words()
    rng = random.Random(seed)
    docs = '["id_card", "property", "supply_contract", "safety_contract"]'
    for i in range(n):
        serial = start_serial + i
        if serial % 331 == 7:
            name = rare[(serial // 331) % len(rare)]
        else:
            name = rng.choices(surnames, weights)[0] + "".join(
                rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
        idn = fake_id(rng)
        phone = rng.choice(("13", "15", "18", "17", "19")) + f"{rng.randrange(0, 10**9):09d}"
        d = places[serial % len(places)]
        street = d["streets"][(serial // len(places)) % len(d["streets"])]
        community = d["communities"][(serial // 7) % len(d["communities"])]
        # building/unit/room from the serial: unique per serial within a community
        rem = serial % 400
        b, u, floor, door = serial // 400 + 1, rem // 100 + 1, (rem % 100) // 4 + 1, rem % 4 + 1
        parts = {"district": d["name"], "street": street, "community": community,
                 "building": str(b), "unit": str(u), "room": f"{floor}{door:02d}",
                 "address_text": ""}
        ak, sk, ck = address_keys(parts)
        roll = rng.random()
        groups = (["elderly"] if roll < 0.03 else ["disabled"] if roll < 0.04 else
                  ["elderly", "orphan"] if roll < 0.045 else [])
        holder = {"kind": "person", "name": name, "name_initials": _initials(name),
                  "id_type": "resident_id", "id_number": idn, "id_tail": idn[-6:][::-1],
                  "phone": phone, "created_at": opened_at}
        account = {"hall_id": hall_id, "account_no": make_account_no(hall_id, serial),
                   "customer_type": "resident" if rng.random() < 0.95 else "commercial",
                   "special_groups": ",".join(groups), **parts, "address_key": ak,
                   "street_key": sk, "community_key": ck,
                   "meter_no": f"BJ{hall_id % 100:02d}{serial:08d}",
                   "meter_type": METER_TYPES[serial % 3],
                   "supply_contract_no": f"GY{serial:08d}",
                   "supply_contract_date": opened_at.date(),
                   "safety_contract_no": f"AQ{serial:08d}",
                   "safety_contract_date": opened_at.date(),
                   "documents_checked": docs, "status": "active", "opened_by": staff_no,
                   "opened_at": opened_at, "note": ""}
        yield holder, account


# -- fast inserts ---------------------------------------------------------------------------------
def allocate_ids(s: Session, table: str, n: int) -> list[int]:
    """``n`` fresh primary keys of ``table`` (the caller inserts them in this transaction)."""
    if s.get_bind().dialect.name == "postgresql":
        return list(s.execute(text(
            "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table, "n": n}).scalars())
    top = s.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one()  # noqa: S608
    return list(range(top + 1, top + 1 + n))


def insert_rows(s: Session, model, rows: list[dict]) -> None:
    """Insert plain dicts (all with the same keys) as fast as the engine allows."""
    if not rows:
        return
    if s.get_bind().dialect.name == "postgresql":
        cols = list(rows[0])
        raw = s.connection().connection.driver_connection
        assert raw is not None  # an open connection has its driver's
        table = model.__table__.name
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row([r[c] for c in cols])
    else:
        s.execute(insert(model), rows)


_ROWS_CACHE: dict = {}


def bulk_create(db: Database, hall_id: int, n: int, *, seed: int = 20261122,
                chunk: int = 5000, history: bool = True, staff_no: str = "system",
                bills_for: float = 0.0, today: dt.date | None = None,
                progress=None, cache: bool = False) -> list[str]:
    """Insert ``n`` generated accounts in chunks (one transaction each); returns the
    account numbers given unpaid bills (``bills_for`` = their share; every account also
    gets two paid months)."""
    today = today or clock.today()
    opened_at = dt.datetime.combine(today - dt.timedelta(days=400), dt.time(9, 0))
    owing: list[str] = []
    rng = random.Random(seed + 1)
    with db.write() as s:
        first = sequence.next_value(s, hall_id, "account_no")
        s.execute(update(Counter).where(Counter.hall_id == hall_id,
                                        Counter.name == "account_no")
                  .values(value=Counter.value + (n - 1)))
    if cache:  # the demo hall is seeded by many tests: generate its rows once a process
        key = (hall_id, first, n, seed, opened_at, staff_no)
        if key not in _ROWS_CACHE:
            _ROWS_CACHE.clear()
            _ROWS_CACHE[key] = list(generate_rows(hall_id, first, n, seed, opened_at,
                                                  staff_no))
        rows: Iterable = iter(_ROWS_CACHE[key])
    else:
        rows = generate_rows(hall_id, first, n, seed, opened_at, staff_no)
    done = 0
    rows = iter(rows)
    while done < n:
        batch = [next(rows) for _ in range(min(chunk, n - done))]
        with db.write() as s:
            hids = allocate_ids(s, "holders", len(batch))
            aids = allocate_ids(s, "accounts", len(batch))
            insert_rows(s, Holder, [{"id": i, **h} for i, (h, _) in zip(hids, batch, strict=True)])
            insert_rows(s, Account, [{"id": i, "holder_id": hid, **a}
                                     for i, hid, (_, a) in zip(aids, hids, batch, strict=True)])
            if history:
                insert_rows(s, HolderHistory, [
                    {"account_id": aid, "holder_id": hid, "change": "open", "reason": "",
                     "documents": a["documents_checked"], "note": "",
                     "valid_from": opened_at, "staff_no": staff_no}
                    for aid, hid, (_, a) in zip(aids, hids, batch, strict=True)])
            if bills_for:
                bills = []
                for aid, (_, a) in zip(aids, batch, strict=True):
                    owes = rng.random() < bills_for
                    months = 2 + (rng.randint(1, 3) if owes else 0)
                    for m in range(months):
                        period = month_back(today, months - m)
                        amount = rng.randrange(3000, 30000)
                        bills.append({"account_id": aid, "period": period,
                                      "volume": (Decimal(amount) / 300).quantize(
                                          Decimal("0.01")),
                                      "amount_fen": amount,
                                      "paid_fen": amount if m < 2 else 0,
                                      "due_date": due_date(period), "import_batch": "demo",
                                      "imported_at": opened_at})
                    if owes:
                        owing.append(a["account_no"])
                insert_rows(s, Bill, bills)
            audit.record(s, "accounts.bulk_created", {"accounts": len(batch)},
                         staff_no=staff_no, rows=_bulk_rows(hids, aids))
        done += len(batch)
        if progress:
            progress(done)
    return owing


def _bulk_rows(hids: list[int], aids: list[int]) -> list[audit.Rows]:
    """The rows one chunk of :func:`bulk_create` wrote (COPY / executemany), for its event."""
    h, a = Holder.__table__.c, Account.__table__.c
    hh, b = HolderHistory.__table__.c, Bill.__table__.c
    lo, hi = min(aids), max(aids)
    return [audit.Rows(Holder.__table__, h.id.between(min(hids), max(hids))),
            audit.Rows(Account.__table__, a.id.between(lo, hi)),
            audit.Rows(HolderHistory.__table__, hh.account_id.between(lo, hi)),
            audit.Rows(Bill.__table__, b.account_id.between(lo, hi))]


def month_back(today: dt.date, k: int) -> str:
    y, m = today.year, today.month - k
    while m <= 0:
        y, m = y - 1, m + 12
    return f"{y:04d}-{m:02d}"


def due_date(period: str) -> dt.date:
    y, m = int(period[:4]), int(period[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return dt.date(y, m, 20)
