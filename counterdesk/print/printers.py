"""Printers named by one URI, their options read in one place, and the one transport.

``tcp://HOST[:9100]``, ``win32:PRINTER NAME`` (Windows spooler, raw), ``usb:VID:PID``,
``serial:PORT[?baud=N]``, ``file:PATH``. Options ride on the URI and win over the
``[printer]`` settings, which are the defaults (issue 19.4): ``width=58|80``,
``dots=384|512|576``, ``timeout=SECONDS``, ``drawer=0|1``, ``status=1`` (ask the paper
sensor, tcp: only), ``confirm=0`` (tcp: trust accepted bytes). :func:`from_settings` is
the only place a print of any kind (receipt, ticket, slip, X report, test page) learns
its printer; :func:`send` is the only way bytes reach one.

A send tells the truth (issue 16.5/16.6): it returns only when the end of the job was
confirmed — TCP: the printer closed the connection after our end of data, or with
``status=1`` answered ``GS r 1`` queued behind the job; win32: the Windows job left the
queue without error; file: the file was written. Nothing sent → :class:`PrinterError`
(safe to retry). Every byte accepted but no confirmation → :class:`PrintUnconfirmed`
(do not resend blindly: the paper may be out of the printer already).
"""

from __future__ import annotations

import socket
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

from ..errors import PrinterError, ValidationError
from .escpos_doc import columns_for

DLE_EOT_PAPER = b"\x10\x04\x04"    # real-time roll paper sensor status (answered at once)
GS_R_PAPER = b"\x1dr\x01"          # paper sensor status, answered after the data before it
MAX_TIMEOUT = 10.0


class PrintUnconfirmed(PrinterError):
    """Every byte was accepted but the printer never confirmed the end of the job."""


@dataclass
class PrinterURI:
    scheme: str
    target: str
    params: dict = field(default_factory=dict)
    width_mm: int = 80
    dots: int = 576
    raw: str = ""
    timeout: float = 3.0
    cash_drawer: bool = True

    @property
    def columns(self) -> int:
        return columns_for(self.width_mm, self.dots)

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.target.partition(":")
        return host, int(port or 9100)

    @property
    def ask_status(self) -> bool:
        return self.params.get("status") == "1"

    @property
    def confirm(self) -> bool:
        return self.params.get("confirm", "1") != "0"

    def describe(self) -> str:
        return self.raw


def _bad(uri: str) -> ValidationError:
    usb_zh, usb_en = ("usb:VID:PID、", "usb:VID:PID, ") if usb_available() else ("", "")
    return ValidationError(
        f"打印机地址 {uri!r} 无效：应为 tcp://主机[:9100]、win32:打印机名、{usb_zh}"
        "serial:端口[?baud=N] 或 file:路径",
        f"Printer address {uri!r} is invalid: use tcp://HOST[:9100], win32:NAME, {usb_en}"
        "serial:PORT[?baud=N] or file:PATH", field="printer")


def _option(params: dict, key: str, cast, default):
    if key not in params:
        return default
    try:
        return cast(params[key])
    except ValueError:
        raise ValidationError(f"打印机地址中的 {key}={params[key]!r} 无效",
                              f"Printer option {key}={params[key]!r} is invalid",
                              field="printer") from None


def parse(uri: str, *, width_mm: int | None = None, dots: int | None = None,
          timeout: float | None = None, cash_drawer: bool | None = None) -> PrinterURI:
    """Parse a printer URI; options in the URI win over the keyword defaults."""
    if not uri or ":" not in uri:
        raise _bad(uri)
    scheme, rest = uri.split(":", 1)
    scheme = scheme.lower()
    rest, _, query = rest.partition("?")
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    if scheme == "tcp":
        rest = rest.lstrip("/").rstrip("/")
        host, _, port = rest.partition(":")
        if not host or (port and not port.isdigit()):
            raise _bad(uri)
    elif scheme in ("win32", "file", "serial", "dummy"):
        rest = unquote(rest)
        if scheme != "dummy" and not rest:
            raise _bad(uri)
    elif scheme == "usb":
        parts = rest.split(":")
        if len(parts) != 2:
            raise _bad(uri)
        try:
            [int(p, 16) for p in parts]
        except ValueError:
            raise _bad(uri) from None
        if not usb_available():  # libusb/WinUSB is not installed on hall PCs
            raise ValidationError(
                "Windows 上不能用 usb: 地址：请安装打印机的 Windows 驱动，用 win32:打印机名",
                "usb: printers do not work on Windows: install the printer's Windows driver "
                "and use win32:PRINTER NAME", field="printer")
    else:
        raise _bad(uri)
    w = _option(params, "width", int, width_mm or 80)
    if w not in (58, 80):
        raise ValidationError("纸宽应为 58 或 80（毫米）", "Paper width must be 58 or 80 (mm)",
                              field="printer")
    d = _option(params, "dots", int, dots or (384 if w == 58 else 576))
    if d not in (384, 512, 576):
        raise ValidationError("打印头点数应为 384、512 或 576", "Dots must be 384, 512 or 576",
                              field="printer")
    t = _option(params, "timeout", float, timeout or 3.0)
    if not 0 < t <= 30:
        raise ValidationError("打印机超时应为 0 到 30 秒", "Printer timeout must be 0-30 s",
                              field="printer")
    drawer = _option(params, "drawer", lambda v: v not in ("0", "no", "false"),
                     True if cash_drawer is None else cash_drawer)
    return PrinterURI(scheme, rest, params, w, d, uri, min(t, MAX_TIMEOUT), drawer)


def usb_available() -> bool:
    """usb: needs libusb and a WinUSB driver bound to the printer: never on hall PCs
    (Windows), where a USB printer is used through its Windows driver as win32:NAME."""
    return sys.platform != "win32"


NO_PRINTER = PrinterError("本机未设置打印机（设置 [printer] uri 或 --printer）。",
                          "No printer is set up ([printer] uri or --printer).")


def from_settings(settings, uri: str | None = None) -> PrinterURI:
    """THE printer of this PC: ``uri`` (e.g. ``--printer``) or ``[printer] uri``, with the
    URI's options over the ``[printer]`` settings. ``settings`` is the Settings object or
    its ``printer`` section. Raises :class:`PrinterError` when no printer is set up."""
    ps = getattr(settings, "printer", settings)
    uri = uri or ps.uri
    if not uri:
        raise NO_PRINTER
    return parse(uri, width_mm=ps.width, dots=ps.dots, timeout=ps.timeout,
                 cash_drawer=ps.cash_drawer)


@dataclass
class PrinterConfig:
    """Printer defaults before the URI's options (the ``[printer]`` settings section)."""

    uri: str
    width_mm: int = 80
    dots: int = 576
    timeout: float = 3.0
    cash_drawer: bool = True

    @classmethod
    def from_settings(cls, settings) -> PrinterConfig:
        p = getattr(settings, "printer", settings)
        return cls(p.uri, p.width, p.dots, p.timeout, p.cash_drawer)

    def resolve(self) -> PrinterURI:
        if not self.uri:
            raise NO_PRINTER
        return parse(self.uri, width_mm=self.width_mm, dots=self.dots, timeout=self.timeout,
                     cash_drawer=self.cash_drawer)


# -- the transport -------------------------------------------------------------------------
def _describe_failure(p: PrinterURI, exc: BaseException) -> PrinterError:
    reason = type(exc).__name__
    if isinstance(exc, (socket.timeout, TimeoutError)):
        zh, en = "打印机无响应（超时）", "the printer did not answer (timeout)"
    elif isinstance(exc, ConnectionRefusedError):
        zh, en = "打印机拒绝连接", "the printer refused the connection"
    elif isinstance(exc, (BrokenPipeError, ConnectionResetError)):
        zh, en = "打印过程中连接中断", "the connection broke while printing"
    else:
        zh, en = f"无法连接打印机（{reason}）", f"cannot reach the printer ({reason})"
    return PrinterError(f"打印机 {p.raw} 不可用：{zh}，未打出。",
                        f"Printer {p.raw} unavailable: {en}; nothing was printed.")


def paper_out_error(p: PrinterURI) -> PrinterError:
    return PrinterError(f"打印机 {p.raw} 缺纸，未打出。装纸后再打。",
                        f"Printer {p.raw} is out of paper; nothing was printed. "
                        "Load paper and print again.")


def unconfirmed(p: PrinterURI, why: str = "") -> PrintUnconfirmed:
    return PrintUnconfirmed(
        f"打印机 {p.raw} 已收下数据，但未确认打出{why}。请查看是否出纸；未出纸可补打。",
        f"Printer {p.raw} took the data but did not confirm the print. Check the paper; "
        "reprint if nothing came out.")


def _recv_exact(sock: socket.socket, deadline: float) -> bytes:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("no status")
    sock.settimeout(left)
    reply = sock.recv(1)
    if not reply:
        raise ConnectionResetError("closed")
    return reply


def _tcp_send(p: PrinterURI, data: bytes) -> None:
    host, port = p.host_port
    sent_all = False
    try:
        with socket.create_connection((host, port), timeout=p.timeout) as sock:
            sock.settimeout(p.timeout)
            if p.ask_status:
                sock.sendall(DLE_EOT_PAPER)
                reply = _recv_exact(sock, time.monotonic() + p.timeout)
                if reply[0] & 0x60:
                    raise paper_out_error(p)
            sock.sendall(data)
            sent_all = True
            deadline = time.monotonic() + p.timeout
            if p.ask_status:   # GS r 1 is answered once the data before it is processed
                sock.sendall(GS_R_PAPER)
                reply = _recv_exact(sock, deadline)
                if reply[0] & 0x0C:
                    raise PrintUnconfirmed(
                        f"打印机 {p.raw} 打印中缺纸，小票可能不完整。装纸后请补打。",
                        f"Printer {p.raw} ran out of paper during the job; the print may be "
                        "incomplete. Load paper and reprint.")
                return
            if not p.confirm:
                return
            sock.shutdown(socket.SHUT_WR)   # end of data; a raw-9100 printer then closes
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no confirmation")
                sock.settimeout(left)
                if not sock.recv(256):
                    return
    except PrinterError:
        raise
    except Exception as exc:  # noqa: BLE001 - every transport fault is a printer fault
        if sent_all:
            raise unconfirmed(p) from exc
        raise _describe_failure(p, exc) from exc


def _escpos_send(p: PrinterURI, data: bytes) -> None:
    """file:, serial:, usb: through python-escpos (imported lazily)."""
    dev = None
    try:
        if p.scheme == "file":
            from escpos.printer import File

            dev = File(devfile=p.target)
        elif p.scheme == "usb":
            from escpos.printer import Usb

            vid, pid = (int(x, 16) for x in p.target.split(":"))
            dev = Usb(vid, pid, timeout=int(p.timeout * 1000))
        elif p.scheme == "serial":
            from escpos.printer import Serial

            dev = Serial(devfile=p.target, baudrate=int(p.params.get("baud", 9600)),
                         timeout=p.timeout)
        else:
            from escpos.printer import Dummy

            dev = Dummy()
        dev.open()
        dev._raw(data)
    except Exception as exc:  # noqa: BLE001 - every transport fault is a printer fault
        raise _describe_failure(p, exc) from exc
    finally:
        if dev is not None:
            try:
                dev.close()
            except Exception:  # noqa: BLE001
                pass


def send(target: str | PrinterURI | PrinterConfig, data: bytes, *,
         job_name: str = "CounterDesk", timeout: float | None = None) -> None:
    """Send one job and return once its end is confirmed; :class:`PrinterError` when
    nothing printed, :class:`PrintUnconfirmed` when the bytes went but no confirmation.
    ``timeout`` (seconds) applies to a bare URI string only; otherwise the resolved
    printer's timeout counts."""
    if isinstance(target, PrinterConfig):
        p = target.resolve()
    elif isinstance(target, str):
        p = parse(target, timeout=timeout)
    else:
        p = target
    if p.scheme == "tcp":
        _tcp_send(p, data)
    elif p.scheme == "win32":
        from . import win32spool

        win32spool.send(p, data, job_name=job_name)
    else:
        _escpos_send(p, data)


def answers_status(p: PrinterURI) -> bool:
    """Does this tcp: printer answer the paper-status query (``DLE EOT 4``)? Then
    ``?status=1`` gives it a confirmed end of job. False on any fault or silence."""
    if p.scheme != "tcp":
        return False
    try:
        with socket.create_connection(p.host_port, timeout=p.timeout) as sock:
            sock.sendall(DLE_EOT_PAPER)
            return bool(_recv_exact(sock, time.monotonic() + p.timeout))
    except (OSError, TimeoutError):
        return False


def backend_check(p: PrinterURI) -> str:
    """Prove the chosen printer backend can be used on this PC (self-test): the modules
    it needs import, and a win32: printer is installed. Raises :class:`PrinterError`."""
    need = {"win32": "win32print", "serial": "serial", "usb": "usb.core"}.get(p.scheme, "")
    try:   # static imports (STYLE 12): the bundle must carry what the scheme needs
        if p.scheme == "win32":
            import win32print  # noqa: F401 - presence check
        elif p.scheme == "serial":
            import serial  # noqa: F401 - presence check
        elif p.scheme == "usb":
            import usb.core  # noqa: F401 - presence check
    except ImportError as exc:
        raise PrinterError(f"{p.scheme}: 打印机需要的模块 {need} 没有安装",
                           f"{p.scheme}: printers need the module {need}, which is "
                           "missing") from exc
    if p.scheme == "win32":
        from . import win32spool

        return win32spool.check(p.target)
    return f"{p.scheme}: backend ready"
