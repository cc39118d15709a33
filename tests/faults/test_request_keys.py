"""Issue 16 point 1: money is never taken twice for one request of a client, and the
client is told the truth when the reply to COMMIT is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counterdesk import billing, cash, clock, staff
from counterdesk.db import Database
from counterdesk.errors import Conflict, NotSaved, OutcomeUnknown, ValidationError
from counterdesk.models.billing import Payment
from counterdesk.models.cash import CashMovement
from counterdesk.requestkeys import new_key
from tests.helpers.billing_helpers import DAY
from tests.helpers.proxy import PgProxy

SALE = billing.SaleRequest(items=[billing.LineInput("HOSE", "2")],
                           tenders=[billing.TenderInput("cash", tendered_fen=10000)])


def _payments(db: Database) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Payment)).scalar_one()


@pytest.fixture
def clerk_at(demo_db):
    clock.set_now(DAY)
    return staff.sign_in(demo_db, "1001", "123456", window=1)


def test_same_key_takes_the_payment_once(demo_db, clerk_at):
    key = new_key()
    first = billing.pay(demo_db, clerk_at, SALE, request_key=key)
    again = billing.pay(demo_db, clerk_at, SALE, request_key=key)
    assert first.replayed == "" and again.replayed == "retry"
    assert (again.receipt_no, again.total_fen, again.change_fen, again.print_job_id) == \
        (first.receipt_no, first.total_fen, first.change_fen, first.print_job_id)
    assert again.request_key == key and again.lines == first.lines
    assert _payments(demo_db) == 1
    other = billing.pay(demo_db, clerk_at, SALE)          # no key: a new one is made
    assert other.receipt_no != first.receipt_no and other.request_key
    assert _payments(demo_db) == 2


def test_same_key_voids_and_moves_cash_once(demo_db, clerk_at, approval):
    sale = billing.pay(demo_db, clerk_at, SALE)
    key = new_key()
    v1 = billing.void(demo_db, clerk_at, sale.receipt_no, approval, reason="错收",
                      request_key=key)
    v2 = billing.void(demo_db, clerk_at, sale.receipt_no, approval, reason="错收",
                      request_key=key)
    assert v2.receipt_no == v1.receipt_no and v2.replayed == "retry"
    assert _payments(demo_db) == 2
    cash.open_till(demo_db, clerk_at, {"100": 5})
    mkey = new_key()
    m1 = cash.move_cash(demo_db, clerk_at, "in", 10000, "补零钱", approval, request_key=mkey)
    m2 = cash.move_cash(demo_db, clerk_at, "in", 10000, "补零钱", approval, request_key=mkey)
    assert m1.id == m2.id and m2.replayed == "retry"
    with demo_db.read() as s:
        assert s.execute(select(func.count()).select_from(CashMovement)).scalar_one() == 1
    with pytest.raises(Conflict) as err:   # a key names one kind of request
        billing.pay(demo_db, clerk_at, SALE, request_key=mkey)
    assert err.value.field == "request_key"


def test_bad_key_and_bad_printer_are_refused_before_anything(demo_db, clerk_at):
    with pytest.raises(ValidationError) as err:
        billing.pay(demo_db, clerk_at, SALE, request_key="not-a-uuid")
    assert err.value.field == "request_key"
    with pytest.raises(ValidationError) as err:
        billing.pay(demo_db, clerk_at, SALE, printer_uri="lpt1")
    assert err.value.field == "printer" and "lpt1" in err.value.message
    assert _payments(demo_db) == 0


# -- through a proxy that loses the reply to COMMIT (PostgreSQL) --------------------------
@pytest.fixture
def proxied(demo_db, clerk_at):
    if not demo_db.is_postgres:
        pytest.skip("the proxy speaks the PostgreSQL protocol")
    proxy = PgProxy.for_url(demo_db.url)
    proxy.cut_when = b"INSERT INTO payments"
    far = Database(proxy.url(demo_db.url), schema=demo_db.schema)
    yield proxy, far
    far.dispose()
    proxy.close()


@pytest.mark.pg
def test_reply_lost_after_commit_tells_the_truth(demo_db, clerk_at, proxied):
    proxy, far = proxied
    billing.pay(far, clerk_at, SALE)                       # warm the connection
    proxy.mode = "cut_after_commit"
    key = new_key()
    res = billing.pay(far, clerk_at, SALE, request_key=key)
    assert proxy.cut_done.is_set()
    assert res.replayed == "recovered" and res.receipt_no == "2026-000002"
    assert _payments(demo_db) == 2
    again = billing.pay(far, clerk_at, SALE, request_key=key)   # the clerk's retry
    assert again.receipt_no == res.receipt_no and _payments(demo_db) == 2


@pytest.mark.pg
def test_connection_lost_before_commit_says_not_saved(demo_db, clerk_at, proxied):
    proxy, far = proxied
    proxy.mode = "cut_before_commit"
    key = new_key()
    with pytest.raises(NotSaved) as err:
        billing.pay(far, clerk_at, SALE, request_key=key)
    assert "未保存" in err.value.message and proxy.cut_done.is_set()
    assert _payments(demo_db) == 0
    res = billing.pay(far, clerk_at, SALE, request_key=key)     # the retry takes it
    assert res.replayed == "" and _payments(demo_db) == 1


@pytest.mark.pg
def test_outcome_unknown_while_the_database_stays_away(demo_db, clerk_at, proxied,
                                                       monkeypatch):
    """The look-up after the cut finds the database gone too: the clerk is told to retry
    the same request, never that it was not saved; the retry tells the outcome."""
    import counterdesk.requestkeys as rk
    from counterdesk.errors import DatabaseUnavailable

    proxy, far = proxied
    proxy.mode = "cut_after_commit"
    real, calls = rk._find, []

    def find_while_down(db, k, kind):
        calls.append(k)             # a payment's key is looked up only after the cut
        raise DatabaseUnavailable("down", "down")

    monkeypatch.setattr(rk, "_find", find_while_down)
    monkeypatch.setattr(rk, "_LOOKUP_TRIES", 1)
    key = new_key()
    with pytest.raises(OutcomeUnknown) as err:
        billing.pay(far, clerk_at, SALE, request_key=key)
    assert key in err.value.message and "请不要重新办理" in err.value.message
    assert calls == [key]
    monkeypatch.setattr(rk, "_find", real)
    res = billing.pay(far, clerk_at, SALE, request_key=key)
    assert res.replayed == "retry" and _payments(demo_db) == 1


def test_cli_pay_retry_with_the_same_key_returns_the_first_outcome(capsys, tmp_path,
                                                                    monkeypatch):
    import json

    from counterdesk.cli import main

    clock.set_now(DAY)
    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    key = new_key()
    args = ["--db", url, "--json", "pay", "--staff", "1001", "--item", "HOSE", "--method",
            "cash", "--no-print", "--request-key", key]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["receipt_no"] == first["receipt_no"] and again["replayed"] == "retry"
    assert first["request_key"] == key and first["replayed"] == ""
    assert main(args[:2] + args[3:]) == 0                    # text: says it was taken before
    assert "已收费（此请求已办理，未重复收取）" in capsys.readouterr().out
    assert main(args[:-1] + ["nonsense"]) == 1
    assert "请求号 nonsense 不是有效的 UUID" in capsys.readouterr().err
    db = Database(url)
    try:
        assert _payments(db) == 1
    finally:
        db.dispose()
