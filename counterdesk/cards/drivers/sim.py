"""``sim:PATH`` — a simulated card reader and prepaid meter keeping card images in a folder.

Folder layout (all UTF-8 JSON, written atomically)::

    PATH/cards/<card_no>.json   the image of every issued card
    PATH/slot.txt               what is in the reader: a card number, '' or no file = a
                                blank card, '-' = no card at all
    PATH/meters/<meter_no>.json the simulated meters (last sequence taken, figures)
    PATH/fault.txt              a fault for the next write: 'pull' (the card is pulled:
                                nothing written, the reader is empty) or 'refuse'

The folder must exist (a missing folder is a missing reader). :func:`meter_insert` plays
the customer inserting the card into the meter at home.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from ... import money
from .base import CardImage, CardRefused, CardRemoved, CardUnreadable, NoCard, ReaderMissing

_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
LOW_ALARM = 1           # alarm flag: remaining volume low
LOW_LEVEL = Decimal(5)


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


class SimReader:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.uri = f"sim:{folder}"

    # -- the folder --------------------------------------------------------------------
    def _check(self) -> None:
        if not self.folder.is_dir():
            raise ReaderMissing(f"模拟读卡器文件夹 {self.folder} 不存在（读卡器未连接）",
                                f"Simulated reader folder {self.folder} does not exist "
                                "(reader not connected)", field="reader")

    def _card_path(self, card_no: str) -> Path:
        if not _SAFE.match(card_no):
            raise CardUnreadable(f"卡号 {card_no!r} 无效", f"Card number {card_no!r} is invalid")
        return self.folder / "cards" / f"{card_no}.json"

    def slot(self) -> str | None:
        """The card number in the reader; '' = a blank card; None = no card."""
        p = self.folder / "slot.txt"
        if not p.exists():
            return ""
        text = p.read_text(encoding="utf-8").strip()
        return None if text == "-" else text

    def insert(self, card_no: str = "") -> None:
        """Put a card (``''``: a new blank card) into the reader."""
        self._check()
        (self.folder / "slot.txt").write_text(card_no, encoding="utf-8")

    def eject(self) -> None:
        self._check()
        (self.folder / "slot.txt").write_text("-", encoding="utf-8")

    def set_fault(self, fault: str) -> None:
        (self.folder / "fault.txt").write_text(fault, encoding="utf-8")

    def load(self, card_no: str) -> CardImage:
        p = self._card_path(card_no)
        if not p.exists():
            raise CardUnreadable(f"卡 {card_no} 无法读取（空白或损坏）",
                                 f"Card {card_no} cannot be read (blank or damaged)")
        try:
            return CardImage.from_dict(json.loads(p.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as exc:
            raise CardUnreadable(f"卡 {card_no} 内容损坏，无法读取",
                                 f"Card {card_no} is damaged and cannot be read") from exc

    def save(self, image: CardImage) -> None:
        """Store an image as it is (tests use this to edit a card outside the program)."""
        _write_json(self._card_path(image.card_no), image.to_dict())

    # -- the driver interface ------------------------------------------------------------
    def read(self) -> CardImage:
        self._check()
        no = self.slot()
        if no is None:
            raise NoCard("读卡器中没有卡，请插卡", "No card in the reader; insert the card")
        return CardImage() if no == "" else self.load(no)

    def write(self, image: CardImage, *, expect_card_no: str, key: str = "") -> None:
        self._check()
        fault_p = self.folder / "fault.txt"
        fault = fault_p.read_text(encoding="utf-8").strip() if fault_p.exists() else ""
        if fault:
            fault_p.unlink()
        if fault == "pull":
            self.eject()
            raise CardRemoved("写卡时卡被拔出，卡内容未改变",
                              "The card was pulled during the write; it is unchanged")
        if fault == "refuse":
            raise CardRefused("卡片拒绝写入（卡片故障或写保护），卡内容未改变",
                              "The card refused the write (faulty or write-protected)")
        now = self.slot()
        if now is None or now != expect_card_no:
            raise CardRemoved("读卡器中的卡已被取出或更换，未写卡",
                              "The card was removed or replaced; nothing written")
        self.save(image)
        if image.card_no != now:
            self.insert(image.card_no)

    def close(self) -> None:
        pass


def meter_insert(reader: SimReader, *, use: Decimal | str = "0",
                 meter_no: str | None = None) -> dict:
    """The customer inserts the card into the meter (``meter_no``: another meter than the
    card's, to try a card in the wrong meter). The meter first uses ``use`` m³, then takes
    a pending purchase whose sequence is above the last it took (a repeated or older
    sequence is refused), then writes its figures back to the card."""
    card = reader.read()
    if card.blank:
        raise NoCard("表具中插入的是空白卡", "A blank card was inserted into the meter")
    meter_no = meter_no or card.meter_no
    mpath = reader.folder / "meters" / f"{meter_no}.json"
    m: dict[str, Any] = json.loads(mpath.read_text(encoding="utf-8")) if mpath.exists() else {
        "meter_no": meter_no, "last_seq": 0, "remaining": "0", "cumulative": "0", "alarms": 0}
    if card.meter_no != meter_no:
        return {"taken": False, "reason": "非本表卡，表具拒绝", "meter": m}
    use = Decimal(str(use))
    remaining = Decimal(m["remaining"])
    used = min(use, remaining)
    remaining -= used
    cumulative = Decimal(m["cumulative"]) + used
    taken, reason, new_state = False, "", card.purchase_state
    if card.purchase_state == "pending":
        if card.purchase_seq > int(m["last_seq"]):
            remaining += Decimal(card.purchase_volume)
            m["last_seq"] = card.purchase_seq
            taken, new_state = True, "taken"
        else:
            reason = f"购气次数 {card.purchase_seq} 已输入过，表具拒绝重复输入"
    alarms = LOW_ALARM if remaining < LOW_LEVEL else 0
    m.update(remaining=str(remaining), cumulative=str(cumulative), alarms=alarms)
    _write_json(mpath, m)
    reader.write(card.but(purchase_state=new_state, meter_seq=int(m["last_seq"]),
                          remaining=money.fmt_qty(remaining),
                          cumulative=money.fmt_qty(cumulative), alarms=alarms),
                 expect_card_no=card.card_no)
    return {"taken": taken, "reason": reason, "card_no": card.card_no, "meter": m,
            "volume": card.purchase_volume if taken else "0"}


__all__ = ["SimReader", "meter_insert", "LOW_ALARM"]
