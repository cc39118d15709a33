"""Our reference card layout (ISO 7816 CPU card) and the MAC over the purchase record.

The MAC is the first 8 bytes of HMAC-SHA256 under the hall's card key, over the fields
the counter writes: card, hall, account, meter, sequence, volume, total and whether the
purchase was cancelled. The meter's write-back (taken flag, figures) is outside the MAC,
so a meter can mark the card without the key; any edit of what was bought is refused.

Files of the card (application DF ``A0 00 00 06 47 43 44 01`` "CounterDesk"), each read
with READ BINARY and written with one UPDATE BINARY (the card's anti-tearing makes a
single update all-or-nothing, so a purchase is either wholly on the card or not at all):

======  =====  ==================================================================
EF      size   content (UTF-8 JSON padded with 0x00)
======  =====  ==================================================================
0x0101  128    identity: card_no, hall_code, account_no (written last at issue: a
               card torn during its issue stays blank)
0x0102  200    purchase record: meter_no, purchase seq / volume / state, total, mac
0x0103  128    meter figures: meter_seq, remaining, cumulative, alarms (the meter
               writes them; a pending purchase with seq <= meter_seq is taken)
======  =====  ==================================================================

UPDATE BINARY of 0x0101 / 0x0102 needs VERIFY (``00 20 00 01``) with the hall's access
PIN first (the first 8 hex digits of HMAC(card key, "access")); 0x0103 is writable by
the meter without it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from decimal import Decimal

from .. import money
from .drivers.base import CardImage

AID = bytes.fromhex("A000000647434401")
EF_IDENTITY, EF_PURCHASE, EF_METER = 0x0101, 0x0102, 0x0103
SIZES = {EF_IDENTITY: 128, EF_PURCHASE: 200, EF_METER: 128}
IDENTITY = ("card_no", "hall_code", "account_no")
PURCHASE = ("meter_no", "purchase_seq", "purchase_volume", "purchase_state", "total_bought",
            "mac")
METER = ("meter_seq", "remaining", "cumulative", "alarms")
WRITE_ORDER = (EF_PURCHASE, EF_METER, EF_IDENTITY)


def _q(text: str) -> str:
    return money.fmt_qty(Decimal(text or "0"))


def mac(key: str, image: CardImage) -> str:
    record = "|".join([image.card_no, image.hall_code, image.account_no, image.meter_no,
                       str(image.purchase_seq), _q(image.purchase_volume),
                       _q(image.total_bought),
                       "C" if image.purchase_state == "cancelled" else "P"])
    return hmac.new(bytes.fromhex(key), record.encode(), hashlib.sha256).hexdigest()[:16]


def sign(key: str, image: CardImage) -> CardImage:
    return image.but(mac=mac(key, image))


def mac_ok(key: str, image: CardImage) -> bool:
    return hmac.compare_digest(image.mac or "", mac(key, image))


def access_pin(key: str) -> bytes:
    return hmac.new(bytes.fromhex(key), b"access", hashlib.sha256).hexdigest()[:8].encode()


def encode(image: CardImage) -> dict[int, bytes]:
    """The three files' contents of an image (each padded to its size)."""
    d = image.to_dict()
    out = {}
    for ef, names in ((EF_IDENTITY, IDENTITY), (EF_PURCHASE, PURCHASE), (EF_METER, METER)):
        raw = json.dumps({k: d[k] for k in names}, separators=(",", ":")).encode()
        if len(raw) > SIZES[ef]:
            raise ValueError(f"EF {ef:04X}: {len(raw)} bytes > {SIZES[ef]}")
        out[ef] = raw.ljust(SIZES[ef], b"\0")
    return out


def decode(files: dict[int, bytes]) -> CardImage:
    """An image from the files; an all-zero identity is a blank card."""
    d: dict = {}
    for ef in (EF_IDENTITY, EF_PURCHASE, EF_METER):
        raw = files[ef].rstrip(b"\0")
        if not raw:
            if ef == EF_IDENTITY:
                return CardImage()
            continue
        d.update(json.loads(raw.decode()))
    image = CardImage.from_dict(d)
    if image.purchase_state == "pending" and image.meter_seq >= image.purchase_seq:
        image = image.but(purchase_state="taken")   # the meter took it (its own file)
    return image
