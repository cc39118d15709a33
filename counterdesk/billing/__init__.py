"""Fee collection (收费): the published price list, sales, receipts, voids and refunds.

Rules (DESIGN.md "Fee collection"; seeds 002 四(四), 000 6.1.1, 004 第二十二条):

* Fees come only from the price list in force on the business day (公示价格): ``prices``,
  ``pricelist_csv``. A sale (``sale``) names item codes and quantities; the amount is
  computed there. Nobody can type a price (不准乱收费).
* Payment methods and change: ``tenders`` (:data:`METHODS` is the one table of names).
* **Commit first, print after** (``ledger``): one transaction writes the payment, its
  receipt number, the audit event and the print job; ``outbox`` is what the spooler
  prints, reprints and receipt look-ups.
* Voids and refunds (``reversal``) need a manager's authorisation and never edit the
  original.

This package's names are its public API; callers import them from ``counterdesk.billing``.
"""

from . import tillgate
from .ledger import PaymentResult
from .outbox import (
    ALL_WINDOWS,
    PrintJobInfo,
    claim_job,
    get_receipt,
    job_failed,
    job_printed,
    job_unconfirmed,
    pending_count,
    pending_jobs,
    recent_receipts,
    release_stale_claims,
    reprint,
    unconfirmed_jobs,
)
from .pricelist_csv import CSV_COLUMNS, export_csv, format_tiers, import_csv, parse_csv, parse_tiers
from .prices import (
    BILL_CODE,
    CATEGORY_NAMES,
    PriceInput,
    PriceItemInfo,
    PriceTierInfo,
    end_price,
    list_prices,
    price_history,
    set_price,
)
from .reversal import RefundLine, refund, void
from .sale import account_summary, open_bills, pay, quote, shows_day_money, take_payment
from .sale_types import LineInput, OpenBill, Quote, QuoteLine, SaleRequest
from .tenders import (
    METHODS,
    TenderInput,
    check_tender_shape,
    method_name,
    method_zh,
    resolve_tenders,
)


def seed_demo(db, hall_code: str) -> dict:
    """The demo price list (kept here for ``setup``): :func:`counterdesk.demo.billing.seed_demo`."""
    from ..demo import billing as demo_billing  # here, not above: demo.billing imports this package

    return demo_billing.seed_demo(db, hall_code)


__all__ = [
    "ALL_WINDOWS", "BILL_CODE", "CATEGORY_NAMES", "CSV_COLUMNS", "METHODS",
    "LineInput", "OpenBill", "PaymentResult", "PriceInput", "PriceItemInfo", "PriceTierInfo",
    "PrintJobInfo", "Quote", "QuoteLine", "RefundLine", "SaleRequest", "TenderInput",
    "account_summary", "check_tender_shape", "end_price", "export_csv", "format_tiers",
    "get_receipt", "import_csv", "job_failed", "job_printed",
    "claim_job", "job_unconfirmed", "release_stale_claims", "unconfirmed_jobs",
    "list_prices", "method_name",
    "method_zh", "open_bills", "parse_csv", "parse_tiers", "pay", "pending_count",
    "pending_jobs", "price_history", "quote", "recent_receipts", "refund", "reprint",
    "shows_day_money",
    "resolve_tenders", "seed_demo", "set_price", "take_payment", "tillgate", "void",
]
