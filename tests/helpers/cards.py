"""Shared helpers of the IC card tests: an IC account, a simulated reader, row counts."""

from __future__ import annotations

from sqlalchemy import func, select

from counterdesk.billing import TenderInput
from counterdesk.cards.drivers.sim import SimReader
from counterdesk.models.billing import Payment, PrintJob, Receipt
from counterdesk.models.cards import Card, CardPurchase, MeterReading
from tests.helpers.billing_helpers import make_account


def ic_account(db, account_no="0100088801", meter_no="IC0100888001", *,
               customer_type="resident", name="张小明"):
    from counterdesk.demo.cards import seed_demo
    from counterdesk.models.accounts import Account

    seed_demo(db, "HQ01")      # the IC price items (idempotent)
    make_account(db, account_no, name, customer_type=customer_type)
    with db.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == account_no)).scalar_one()
        acc.meter_no, acc.meter_kind = meter_no, "ic"
    return account_no


def sim_reader(tmp_path, name="reader") -> SimReader:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    return SimReader(folder)


def cash(tendered_fen=None):
    return [TenderInput("cash", None, tendered_fen)]


def counts(db) -> dict:
    out = {}
    with db.read() as s:
        for m in (Payment, Receipt, PrintJob, Card, CardPurchase, MeterReading):
            out[m.__tablename__] = s.execute(select(func.count()).select_from(m)).scalar()
    return out


def purchases(db, account_no=None) -> list[CardPurchase]:
    with db.read() as s:
        return list(s.execute(select(CardPurchase).order_by(CardPurchase.seq)).scalars())
