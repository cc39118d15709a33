"""Card reader drivers: one interface (:mod:`.base`), chosen by URI (``sim:PATH``,
``pcsc:[READER NAME]``). Wired statically in :func:`open_reader`."""

from __future__ import annotations

from .base import (
    CardError,
    CardImage,
    CardReader,
    CardRefused,
    CardRemoved,
    CardUnreadable,
    NoCard,
    ReaderMissing,
    parse_uri,
)


def open_reader(uri: str) -> CardReader:
    """The reader a URI names. ``sim:PATH`` needs nothing; ``pcsc:`` needs pyscard."""
    scheme, rest = parse_uri(uri)
    if scheme == "sim":
        from .sim import SimReader

        return SimReader(rest)
    from .pcsc import PcscReader

    return PcscReader(rest)


def pcsc_readers() -> list[str]:
    """The PC/SC readers present, by name. Raises :class:`ReaderMissing` without pyscard
    or the smart-card service."""
    from .pcsc import list_readers

    return list_readers()


__all__ = ["CardError", "CardImage", "CardReader", "CardRefused", "CardRemoved",
           "CardUnreadable", "NoCard", "ReaderMissing", "open_reader", "parse_uri", "pcsc_readers"]
