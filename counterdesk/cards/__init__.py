"""Prepaid gas on IC cards (IC卡购气): issue, buy, write, cancel, reissue, meter change,
reports — through a card reader driver (``sim:PATH`` or ``pcsc:[READER]``).

The public API; see docs/cards.md for the rules and the driver interface.
"""

from __future__ import annotations

from .common import CardState, read_card
from .drivers import CardError, CardImage, open_reader
from .lifecycle import METER_KIND_ZH, issue, meter_change, reissue, set_meter_kind
from .purchase import BuyResult, buy, cancel, check_volume, quote, write
from .report import day_section, ledger, to_write

__all__ = ["CardState", "read_card", "CardError", "CardImage", "open_reader", "issue",
           "meter_change", "reissue", "set_meter_kind", "METER_KIND_ZH", "BuyResult", "buy",
           "cancel", "check_volume", "quote", "write", "day_section", "ledger", "to_write"]
