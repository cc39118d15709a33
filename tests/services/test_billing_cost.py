"""What a cash payment costs the database (issue 24.4: the city's payment p99 against a
bare update; SQLite and PostgreSQL). The statements are counted, not timed: the figures
are bench/bench_city.py's. And the request key's cheaper path still gives the first
outcome to every retry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from counterdesk import billing, clock, policy
from counterdesk.billing import LineInput, SaleRequest, TenderInput
from counterdesk.errors import Conflict
from counterdesk.models.billing import Payment
from counterdesk.requestkeys import new_key
from tests.helpers.billing_helpers import DAY, bill, make_account
from tests.helpers.statements import statements


def _payments(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count()).select_from(Payment)).scalar_one()


SALE = SaleRequest(items=[LineInput("CARD"), LineInput("HOSE", "1.5")],
                   tenders=[TenderInput("cash", tendered_fen=10000)])


def test_a_cash_payment_reads_each_rule_once(demo_db, clerk):
    clock.set_now(DAY)
    billing.pay(demo_db, clerk, SALE)              # the year's receipt counter exists
    log = statements(demo_db, lambda: billing.pay(demo_db, clerk, SALE, request_key=new_key()))
    # the request key is not looked up before a first attempt (was a read of its own)
    assert not any(s.startswith("select") and "request_keys" in s for s in log)
    assert sum(s.startswith("insert into request_keys") for s in log) == 1
    # the hall's rules (clock skew, the payment limit, the open till): one SELECT (was 3)
    assert sum("from hall_policy" in s for s in log) == 1
    # the day's close and the clerk's till: one SELECT (was 3: the till was read twice)
    reads = [s for s in log if "from day_closes" in s or "from tills" in s]
    assert len(reads) == 1 and "from day_closes" in reads[0] and "from tills" in reads[0]
    sql = [s for s in log if not s.startswith(("pragma", "begin", "set local"))]
    assert len(sql) == 13, sql                     # was 18 (PostgreSQL) / 20 (SQLite)


def test_the_rules_are_read_once_per_transaction_and_again_by_the_next(demo_db, manager):
    key = "billing.single_payment_limit_fen"
    with demo_db.write() as s:
        log = statements(demo_db, lambda: (policy.get(s, manager.hall_id, key),
                                            policy.get(s, manager.hall_id, "cash.require_open_till"),
                                            policy.get(s, manager.hall_id, key)))
        before = policy.get(s, manager.hall_id, key)
    assert sum("from hall_policy" in q for q in log) == 1
    policy.set(demo_db, manager, key, 123400)
    with demo_db.write() as s:
        assert policy.get(s, manager.hall_id, key) == 123400 != before


def test_a_retry_refused_by_what_the_first_did_returns_the_first(demo_db, clerk):
    """The bills of the first payment are paid: the retry's attempt is refused by that,
    and the key then gives the first outcome (never the refusal, never a second)."""
    clock.set_now(DAY)
    make_account(demo_db, bills=[("2026-10", 10080)])
    req = SaleRequest(items=[], bills=["2026-10"], account_no="0100012345",
                      tenders=[TenderInput("cash", tendered_fen=20000)])
    key = new_key()
    first = billing.pay(demo_db, clerk, req, request_key=key)
    again = billing.pay(demo_db, clerk, req, request_key=key)
    assert again.replayed == "retry" and again.receipt_no == first.receipt_no
    assert bill(demo_db, "0100012345", "2026-10").paid_fen == 10080
    assert _payments(demo_db) == 1
    with pytest.raises(Conflict):                  # another request is refused as before
        billing.pay(demo_db, clerk, req, request_key=new_key())
    assert _payments(demo_db) == 1
