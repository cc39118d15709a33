"""``pcsc:[READER NAME]`` — a PC/SC reader (the Windows smart-card API, pcsc-lite elsewhere)
through ``pyscard``, with our reference card layout (:mod:`counterdesk.cards.layout`).

Each read or write is one connection: SELECT the application, then SELECT / READ BINARY
each file. A write first checks the card in the reader is the expected one, VERIFYs the
access PIN and UPDATEs only the files that change, in the layout's order. A card pulled
during the write raises :class:`CardRemoved`; the update in flight is all-or-nothing.
"""

from __future__ import annotations

from .. import layout
from .base import CardImage, CardRefused, CardRemoved, CardUnreadable, NoCard, ReaderMissing


def _pyscard():
    try:
        from smartcard import Exceptions, System
    except ImportError as exc:   # pragma: no cover - pyscard is a dependency on Windows/Linux
        raise ReaderMissing("未安装 PC/SC 组件（pyscard），不能使用 pcsc: 读卡器",
                            "pyscard is not installed: the pcsc: reader cannot be used",
                            field="reader") from exc
    return System, Exceptions


def _present():
    """pyscard's reader objects present; :class:`ReaderMissing` without pyscard or service."""
    system, _exc = _pyscard()
    try:
        return system.readers()
    except Exception as e:  # noqa: BLE001 - pyscard's context errors share no base class
        raise ReaderMissing("PC/SC 服务不可用（智能卡服务未启动）",
                            "The PC/SC service is not available", field="reader") from e


def list_readers() -> list[str]:
    """The names of the PC/SC readers present (the settings dialog lists them)."""
    return [str(r) for r in _present()]


class PcscReader:
    def __init__(self, name: str = ""):
        self.name = name
        self.uri = f"pcsc:{name}"

    # -- connection ----------------------------------------------------------------------
    def _reader(self):
        found = _present()
        match = [r for r in found if self.name.lower() in str(r).lower()] if self.name \
            else list(found)
        if not match:
            raise ReaderMissing(f"找不到读卡器 {self.name or '（任何）'}，请检查连接",
                                f"Card reader {self.name or '(any)'} not found",
                                field="reader")
        return match[0]

    def _connect(self):
        _system, exc = _pyscard()
        conn = self._reader().createConnection()
        try:
            conn.connect()
        except (exc.NoCardException, exc.CardConnectionException) as e:
            raise NoCard("读卡器中没有卡，请插卡", "No card in the reader") from e
        return conn

    def _tx(self, conn, apdu: list[int], what: str) -> list[int]:
        _system, exc = _pyscard()
        try:
            data, sw1, sw2 = conn.transmit(apdu)
        except exc.CardConnectionException as e:
            raise CardRemoved("操作中卡被拔出，卡内容未改变（本次写入未完成）",
                              "The card was pulled during the operation") from e
        if (sw1, sw2) == (0x69, 0x82) or sw1 == 0x63:
            raise CardRefused("卡片拒绝写入：访问密钥不符（非本营业厅的卡）",
                              "The card refused the write: wrong access key")
        if sw1 != 0x90:
            raise CardUnreadable(f"卡片不是本系统的卡或已损坏（{what} 返回 {sw1:02X}{sw2:02X}）",
                                 f"Not our card or damaged ({what}: {sw1:02X}{sw2:02X})")
        return data

    def _select_app(self, conn) -> None:
        self._tx(conn, [0x00, 0xA4, 0x04, 0x00, len(layout.AID), *layout.AID], "SELECT")

    def _read_files(self, conn) -> dict[int, bytes]:
        self._select_app(conn)
        files = {}
        for ef in (layout.EF_IDENTITY, layout.EF_PURCHASE, layout.EF_METER):
            self._tx(conn, [0x00, 0xA4, 0x02, 0x0C, 0x02, ef >> 8, ef & 0xFF], "SELECT EF")
            files[ef] = bytes(self._tx(conn, [0x00, 0xB0, 0x00, 0x00, layout.SIZES[ef]],
                                       "READ BINARY"))
        return files

    @staticmethod
    def _close(conn) -> None:
        try:
            conn.disconnect()
        except Exception:  # noqa: BLE001 - a pulled card cannot be disconnected cleanly
            pass

    # -- the driver interface ------------------------------------------------------------
    def read(self) -> CardImage:
        conn = self._connect()
        try:
            files = self._read_files(conn)
        finally:
            self._close(conn)
        try:
            return layout.decode(files)
        except (ValueError, TypeError) as exc:
            raise CardUnreadable("卡内数据损坏，无法读取", "The card's data is damaged") from exc

    def write(self, image: CardImage, *, expect_card_no: str, key: str = "") -> None:
        conn = self._connect()
        try:
            files = self._read_files(conn)
            now = layout.decode(files)
            if now.card_no != expect_card_no:
                raise CardRemoved("读卡器中的卡已被取出或更换，未写卡",
                                  "The card was removed or replaced; nothing written")
            new = layout.encode(image)
            if key:
                pin = list(layout.access_pin(key))
                self._tx(conn, [0x00, 0x20, 0x00, 0x01, len(pin), *pin], "VERIFY")
            for ef in layout.WRITE_ORDER:
                if new[ef] == files[ef]:
                    continue
                self._tx(conn, [0x00, 0xA4, 0x02, 0x0C, 0x02, ef >> 8, ef & 0xFF], "SELECT EF")
                self._tx(conn, [0x00, 0xD6, 0x00, 0x00, len(new[ef]), *new[ef]],
                         "UPDATE BINARY")
        finally:
            self._close(conn)

    def close(self) -> None:
        pass


__all__ = ["PcscReader", "list_readers"]
