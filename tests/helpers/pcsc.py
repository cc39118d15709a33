"""The real PC/SC stack with a virtual card, for the ``pcsc:`` driver's tests and bench.

* ``pcscd`` (Debian's pcsc-lite) is started in the foreground (unless one already runs)
  with the ``vsmartcard-vpcd`` driver (/etc/reader.conf.d/vpcd), which offers a reader
  "Virtual PCD" and waits for a virtual card on 127.0.0.1:35963.
* :class:`VirtualCard` is that card: it speaks vpcd's socket protocol (2-byte length +
  message; 1-byte control messages power off/on/reset/ATR) and implements our reference
  layout's APDUs (SELECT by AID and by file id, READ BINARY, UPDATE BINARY, VERIFY), with
  the access PIN guarding the identity and purchase files. Debian's ``vicc`` cannot run
  on this Python (its crypto module imports ``sha``), so the card is ours, in-process.
* Pulling the card = closing its socket (``pull_on_update`` does it when an UPDATE
  arrives, before applying it: a card pulled mid-write).

:func:`pcsc_stack` returns ``(stack, reason)``; tests skip with ``reason`` when the stack
cannot be started (no pcscd, no vpcd, no pyscard, not allowed to start daemons).
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

from counterdesk.cards import layout

VPCD_PORT = 35963
ATR = bytes.fromhex("3B80800101")
OK, DENIED, NOT_FOUND, WRONG = b"\x90\x00", b"\x69\x82", b"\x6a\x82", b"\x6d\x00"


def _wait(cond, timeout: float = 10.0, what: str = "") -> None:
    """Wait for a condition of the outside world (a daemon, a socket)."""
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError(what)
        time.sleep(0.02)


class VirtualCard:
    """A contact card in the virtual reader: files, PIN, meter figures (in memory)."""

    def __init__(self):
        self.files = {ef: bytes(n) for ef, n in layout.SIZES.items()}
        self.pin: bytes | None = None
        self.verified = False
        self.selected: int | None = None
        self.app = False
        self.pull_on_update = False
        self.meter = {"last_seq": 0, "remaining": 0, "cumulative": 0}
        self.sock: socket.socket | None = None
        self.thread: threading.Thread | None = None
        self.updates = 0

    # -- in and out of the reader ---------------------------------------------------------
    def insert(self) -> None:
        self.sock = None
        _wait(self._connect, what="vpcd does not take the card")
        self.sock.settimeout(None)
        self.thread = threading.Thread(target=self._serve, args=(self.sock,), daemon=True)
        self.thread.start()

    def _connect(self) -> bool:
        try:
            self.sock = socket.create_connection(("127.0.0.1", VPCD_PORT), timeout=5)
            return True
        except OSError:
            return False

    def pull(self) -> None:
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
            self.sock = None

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                head = sock.recv(2, socket.MSG_WAITALL)
                if len(head) < 2:
                    return
                (n,) = struct.unpack("!H", head)
                msg = sock.recv(n, socket.MSG_WAITALL) if n else b""
                if n == 1:
                    if msg[0] in (0, 1, 2):          # power off / on / reset
                        self.verified, self.app, self.selected = False, False, None
                    elif msg[0] == 4:
                        sock.sendall(struct.pack("!H", len(ATR)) + ATR)
                    continue
                if msg[1:2] == b"\xd6" and self.pull_on_update:
                    self.pull_on_update = False
                    self.pull()                        # pulled before the update lands
                    return
                answer = self.execute(msg)
                sock.sendall(struct.pack("!H", len(answer)) + answer)
        except OSError:
            return

    # -- the card's operating system -----------------------------------------------------
    def execute(self, apdu: bytes) -> bytes:
        ins, p1, p2 = apdu[1], apdu[2], apdu[3]
        body = apdu[5:5 + apdu[4]] if len(apdu) > 5 else b""
        if ins == 0xA4 and p1 == 0x04:
            self.app = body == layout.AID
            return OK if self.app else NOT_FOUND
        if ins == 0xA4 and p1 == 0x02:
            ef = int.from_bytes(body, "big")
            if not self.app or ef not in self.files:
                return NOT_FOUND
            self.selected = ef
            return OK
        if ins == 0xB0:
            if self.selected is None:
                return NOT_FOUND
            le = apdu[4] or 256
            off = (p1 << 8) | p2
            return self.files[self.selected][off:off + le] + OK
        if ins == 0x20:
            if self.pin is None and not self.files[layout.EF_IDENTITY].strip(b"\0"):
                self.pin = body                        # a blank card takes the issuer's PIN
            self.verified = body == self.pin
            return OK if self.verified else b"\x63\xc0"
        if ins == 0xD6:
            if self.selected is None:
                return NOT_FOUND
            if self.selected != layout.EF_METER and not self.verified:
                return DENIED
            size = layout.SIZES[self.selected]
            self.files[self.selected] = bytes(body).ljust(size, b"\0")[:size]
            self.updates += 1
            return OK
        return WRONG

    # -- the meter at home -------------------------------------------------------------
    def meter_take(self, use: int = 0) -> bool:
        """The customer inserts this card into the meter: it takes a pending purchase
        whose sequence is above the last it took and writes its figures back."""
        img = layout.decode(self.files)
        m = self.meter
        used = min(use, m["remaining"])
        m["remaining"] -= used
        m["cumulative"] += used
        taken = img.purchase_state == "pending" and img.purchase_seq > m["last_seq"]
        if taken:
            m["remaining"] += int(float(img.purchase_volume))
            m["last_seq"] = img.purchase_seq
        figures = img.but(meter_seq=m["last_seq"], remaining=str(m["remaining"]),
                          cumulative=str(m["cumulative"]))
        self.files[layout.EF_METER] = layout.encode(figures)[layout.EF_METER]
        return taken


class _MachineLock:
    """One user of the PC/SC stack at a time on this machine (one pcscd, one virtual
    reader port): test processes running side by side (pytest-xdist) take turns. A
    blocking ``flock`` (the stack exists only on Linux); the kernel frees it if the
    process dies."""

    def __init__(self):
        import fcntl
        import tempfile

        self._fcntl = fcntl
        self._file = open(Path(tempfile.gettempdir()) / "counterdesk-pcsc-tests.lock", "a+b")  # noqa: SIM115 - held until release()
        fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)

    def release(self) -> None:
        if not self._file.closed:
            self._fcntl.flock(self._file.fileno(), self._fcntl.LOCK_UN)
            self._file.close()


class PcscStack:
    def __init__(self, proc: subprocess.Popen | None, lock: _MachineLock | None = None):
        self.proc = proc
        self.card = VirtualCard()
        self.lock = lock

    def reader_name(self) -> str:
        from smartcard.System import readers

        try:
            names = [str(r) for r in readers() if "Virtual PCD" in str(r)]
        except Exception:  # noqa: BLE001 - EstablishContextException etc.: still starting
            return ""
        return names[0] if names else ""

    def card_present(self) -> bool:
        from smartcard.Exceptions import CardConnectionException, NoCardException
        from smartcard.System import readers

        for r in readers():
            if "Virtual PCD" in str(r):
                conn = r.createConnection()
                try:
                    conn.connect()
                    conn.disconnect()
                    return True
                except (NoCardException, CardConnectionException):
                    return False
        return False

    def insert(self, card: VirtualCard | None = None) -> VirtualCard:
        if card is not None:
            self.card = card
        # vpcd may drop the first connection after a card left (it is still tearing the
        # old one down): try again until the reader reports the card
        for _attempt in range(5):
            self.card.insert()
            try:
                _wait(self.card_present, 3.0)
                return self.card
            except TimeoutError:
                self.card.pull()
        raise TimeoutError("the virtual card did not appear in the reader")

    def pull(self) -> None:
        self.card.pull()
        _wait(lambda: not self.card_present(), what="the card did not leave the reader")

    def close(self) -> None:
        self.card.pull()
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if self.lock is not None:
            self.lock.release()


def pcsc_stack() -> tuple[PcscStack | None, str]:
    try:
        import smartcard.System  # noqa: F401
    except ImportError:
        return None, "pcsc tests skipped: pyscard is not installed"
    pcscd = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists()
                                      else None)
    if pcscd is None:
        return None, "pcsc tests skipped: pcscd is not installed (apt-get install pcscd)"
    if not Path("/etc/reader.conf.d/vpcd").exists():
        return None, ("pcsc tests skipped: the virtual reader is not installed "
                      "(apt-get install vsmartcard-vpcd)")
    lock = _MachineLock()
    proc = None
    if not Path("/run/pcscd/pcscd.comm").exists():
        try:
            proc = subprocess.Popen([pcscd, "--foreground"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        except OSError as exc:
            lock.release()
            return None, f"pcsc tests skipped: pcscd cannot be started ({exc})"
    stack = PcscStack(proc, lock)
    try:
        # vpcd listens once pcscd has loaded it (on the first reader scan)
        _wait(lambda: bool(stack.reader_name()), 15, "pcscd did not offer the virtual reader")
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot test pcsc"
        stack.close()
        return None, f"pcsc tests skipped: the PC/SC stack did not start ({exc})"
    return stack, ""
