"""The card reader interface every driver implements, the card image and the errors.

A driver moves a :class:`CardImage` between the program and a card; it knows nothing of
accounts, money or the database. Business rules (which sequence is expected, whether the
MAC is right, what to write) live in :mod:`counterdesk.cards`. A vendor adapter (a meter
maker's card format, usually a 32-bit Windows DLL) implements the same four methods and
maps the vendor's fields to and from :class:`CardImage` (see docs/cards.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Protocol

from ...errors import CounterDeskError

PURCHASE_STATES = ("none", "pending", "taken", "cancelled")


class CardError(CounterDeskError):
    """A card or reader fault: shown to the clerk as it is; nothing is written."""

    exit_code = 5


class ReaderMissing(CardError):
    pass


class NoCard(CardError):
    pass


class CardRemoved(CardError):
    """The card left the reader (or another card is there) during a write."""


class CardRefused(CardError):
    """The card refused a command (locked, wrong key, write-protected)."""


class CardUnreadable(CardError):
    pass


@dataclass(frozen=True)
class CardImage:
    """What a card holds. ``card_no`` empty = a blank card (never issued).

    The purchase record is ``purchase_seq`` / ``purchase_volume`` / ``purchase_state``
    ('none', 'pending' = not yet taken by the meter, 'taken', 'cancelled'); the meter's
    figures (回抄) are written back by the meter: ``meter_seq`` (the last sequence it
    took), ``remaining``, ``cumulative`` and ``alarms`` (bit flags). ``mac`` covers the
    purchase record (see :mod:`counterdesk.cards.layout`)."""

    card_no: str = ""
    hall_code: str = ""
    account_no: str = ""
    meter_no: str = ""
    purchase_seq: int = 0
    purchase_volume: str = "0"
    purchase_state: str = "none"
    total_bought: str = "0"
    meter_seq: int = 0
    remaining: str = "0"
    cumulative: str = "0"
    alarms: int = 0
    mac: str = ""

    @property
    def blank(self) -> bool:
        return not self.card_no

    @property
    def pending_volume(self) -> Decimal:
        return Decimal(self.purchase_volume) if self.purchase_state == "pending" else Decimal(0)

    @property
    def meter_taken(self) -> bool:
        return self.purchase_state in ("none", "taken", "cancelled")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> CardImage:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in d.items() if k in names})

    def but(self, **changes) -> CardImage:
        return replace(self, **changes)


class CardReader(Protocol):
    """The driver interface."""

    uri: str

    def read(self) -> CardImage:
        """The card in the reader (a blank card gives ``card_no == ''``).
        Raises :class:`ReaderMissing`, :class:`NoCard` or :class:`CardUnreadable`."""

    def write(self, image: CardImage, *, expect_card_no: str, key: str = "") -> None:
        """Write ``image`` onto the card, only if the card in the reader is
        ``expect_card_no`` ('' = a blank card). ``key``: the hall's card key (hex), from
        which a driver derives the card's access keys. The purchase record is written in one
        atomic update (anti-tearing) — either all of it is on the card or none.
        Raises :class:`CardRemoved` / :class:`CardRefused`; the card is then unchanged."""

    def close(self) -> None:
        ...


def parse_uri(uri: str) -> tuple[str, str]:
    uri = (uri or "").strip()
    scheme, sep, rest = uri.partition(":")
    if not sep or scheme not in ("sim", "pcsc"):
        raise ReaderMissing(f"读卡器设置 {uri or '（空）'} 无效：应为 sim:文件夹 或 pcsc:[读卡器名称]",
                            f"Card reader {uri or '(empty)'} is invalid: sim:FOLDER or "
                            "pcsc:[READER NAME]", field="reader")
    if scheme == "sim" and not rest.strip():
        raise ReaderMissing("模拟读卡器须指定文件夹：sim:文件夹",
                            "The simulated reader needs a folder: sim:FOLDER", field="reader")
    return scheme, rest.strip()


__all__ = ["CardError", "ReaderMissing", "NoCard", "CardRemoved", "CardRefused",
           "CardUnreadable", "CardImage", "CardReader", "parse_uri", "PURCHASE_STATES"]
