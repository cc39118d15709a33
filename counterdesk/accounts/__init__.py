"""The customer file (一户一档): opening, rename, transfer, close, search, ledger.

Services take ``(db, actor, ...)``, check everything before writing (a refusal is a
:class:`~counterdesk.errors.CounterDeskError`; nothing changed) and return plain data with
``to_dict()``. The modules, by what the clerk recognises:

* :mod:`.numbers` — account numbers (hall + serial + Luhn check digit);
* :mod:`.addresses` — address parts, the text on paper, the search keys;
* :mod:`.views` — the account file as shown, and :func:`reveal` of a full ID or phone;
* :mod:`.search` — search as you type;
* :mod:`.forms` — the opening form: documents, field checks, refusals and warnings;
* :mod:`.lifecycle` — open, rename, transfer, close, suspend;
* :mod:`.ledger` — bills, payments and the balance;
* :mod:`.bills_import` — bills from the billing system's CSV.

Demo accounts are made in :mod:`counterdesk.demo.accounts`.
"""

from .. import validators as V
from ..money import fmt_symbol as fen_text
from . import bills_import, types
from .addresses import address_display, address_keys, address_parts
from .forms import (
    DOCUMENTS,
    METER_TYPES,
    OPEN_REQUIRED,
    clean_account,
    clean_holder,
    clean_open,
    form_errors,
    precheck_open,
)
from .ledger import ledger
from .lifecycle import (
    REASON_DOCUMENT,
    TRANSFER_REASONS,
    change_type,
    close,
    open_account,
    rename,
    set_suspended,
    transfer,
)
from .numbers import check_account_no, luhn_digit, make_account_no
from .search import (
    SEARCH_KEY_NAMES,
    SEARCH_KEYS,
    SearchHit,
    SearchResult,
    name_initials,
    search,
    search_key,
)
from .views import (
    CUSTOMER_TYPE_NAMES,
    SPECIAL_GROUP_NAMES,
    STATUS_NAMES,
    AccountView,
    HistoryEntry,
    HolderView,
    arrears_fen,
    hall_names,
    retype_change,
    retype_text,
    reveal,
    service_hint,
    show,
)

__all__ = [
    "CUSTOMER_TYPE_NAMES", "DOCUMENTS", "METER_TYPES", "OPEN_REQUIRED",
    "REASON_DOCUMENT", "SEARCH_KEYS", "SEARCH_KEY_NAMES", "SPECIAL_GROUP_NAMES", "STATUS_NAMES",
    "TRANSFER_REASONS", "AccountView", "HistoryEntry", "HolderView", "SearchHit",
    "SearchResult", "V", "address_display", "address_keys", "address_parts", "arrears_fen",
    "bills_import", "change_type", "check_account_no", "clean_account", "clean_holder",
    "clean_open", "close", "retype_change", "retype_text",
    "fen_text", "form_errors", "hall_names", "ledger", "luhn_digit", "make_account_no",
    "name_initials", "open_account", "precheck_open", "rename", "reveal", "search",
    "search_key", "seed_demo", "service_hint", "set_suspended", "show", "transfer", "types",
]


def seed_demo(db, hall_code: str) -> dict:
    """The demo hall's accounts: :func:`counterdesk.demo.accounts.seed_demo`."""
    from ..demo import accounts as demo  # at call time: the demo module imports this package

    return demo.seed_demo(db, hall_code)
