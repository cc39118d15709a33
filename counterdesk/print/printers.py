"""Printers named by one URI, and sending bytes to them.

``tcp://HOST[:9100]``, ``win32:PRINTER NAME`` (Windows spooler, raw), ``usb:VID:PID``,
``serial:PORT[?baud=N]``, ``file:PATH``; ``?width=58|80`` and ``&dots=512`` give the
paper. The transports are python-escpos printer classes; every send has a timeout
(default 3 s) and every failure becomes a :class:`~counterdesk.errors.PrinterError`
with a plain message, never a hang of the UI thread (callers run sends on a worker).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

from ..errors import PrinterError, ValidationError
from .escpos_doc import columns_for

DLE_EOT_PAPER = b"\x10\x04\x04"


@dataclass
class PrinterURI:
    scheme: str
    target: str
    params: dict = field(default_factory=dict)
    width_mm: int = 80
    dots: int = 576
    raw: str = ""

    @property
    def columns(self) -> int:
        return columns_for(self.width_mm, self.dots)

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.target.partition(":")
        return host, int(port or 9100)

    def describe(self) -> str:
        return self.raw


def parse(uri: str, *, width_mm: int | None = None, dots: int | None = None) -> PrinterURI:
    """Parse a printer URI; a bad one is refused naming the expected forms."""
    bad = ValidationError(
        f"打印机地址 {uri!r} 无效：应为 tcp://主机[:9100]、win32:打印机名、usb:VID:PID、"
        "serial:端口[?baud=N] 或 file:路径",
        f"Printer address {uri!r} is invalid: use tcp://HOST[:9100], win32:NAME, usb:VID:PID, "
        "serial:PORT[?baud=N] or file:PATH", field="printer")
    if not uri or ":" not in uri:
        raise bad
    scheme, rest = uri.split(":", 1)
    scheme = scheme.lower()
    rest, _, query = rest.partition("?")
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    if scheme == "tcp":
        rest = rest.lstrip("/").rstrip("/")
        host, _, port = rest.partition(":")
        if not host or (port and not port.isdigit()):
            raise bad
    elif scheme in ("win32", "file", "serial", "dummy"):
        rest = unquote(rest)
        if scheme != "dummy" and not rest:
            raise bad
    elif scheme == "usb":
        parts = rest.split(":")
        if len(parts) != 2:
            raise bad
        try:
            [int(p, 16) for p in parts]
        except ValueError:
            raise bad from None
    else:
        raise bad
    w = int(params.get("width", width_mm or 80))
    if w not in (58, 80):
        raise ValidationError("纸宽应为 58 或 80（毫米）", "Paper width must be 58 or 80 (mm)",
                              field="printer")
    d = int(params.get("dots", dots or (384 if w == 58 else 576)))
    return PrinterURI(scheme, rest, params, w, d, uri)


def _open(p: PrinterURI, timeout: float):
    """Open a python-escpos device for the URI (imported lazily)."""
    if p.scheme == "tcp":
        from escpos.printer import Network

        host, port = p.host_port
        dev = Network(host, port=port, timeout=timeout)
        # Connect ourselves: python-escpos 3.1 leaks the socket when connect() fails.
        sock = socket.create_connection((host, port), timeout=timeout)
        sock.settimeout(timeout)
        dev.device = sock
        return dev
    elif p.scheme == "file":
        from escpos.printer import File

        dev = File(devfile=p.target)
    elif p.scheme == "win32":
        from escpos.printer import Win32Raw

        dev = Win32Raw(printer_name=p.target)
    elif p.scheme == "usb":
        from escpos.printer import Usb

        vid, pid = (int(x, 16) for x in p.target.split(":"))
        dev = Usb(vid, pid, timeout=int(timeout * 1000))
    elif p.scheme == "serial":
        from escpos.printer import Serial

        dev = Serial(devfile=p.target, baudrate=int(p.params.get("baud", 9600)),
                     timeout=timeout)
    else:
        from escpos.printer import Dummy

        dev = Dummy()
    dev.open()
    return dev


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
    return PrinterError(f"打印机 {p.raw} 不可用：{zh}。票据已保存，可稍后补打。",
                        f"Printer {p.raw} unavailable: {en}. The receipt is kept and can be "
                        "printed later.")


def paper_out(dev) -> bool:
    """Ask for the paper sensor (DLE EOT 4) where the transport can read; False if unknown."""
    try:
        return dev.paper_status() == 0
    except Exception:  # noqa: BLE001 - a transport that cannot read: unknown
        return False


def send(uri: str | PrinterURI, data: bytes, *, timeout: float = 3.0,
         check_paper: bool = False) -> None:
    """Send ``data`` to the printer; raise :class:`PrinterError` on any failure."""
    p = parse(uri) if isinstance(uri, str) else uri
    dev = None
    try:
        dev = _open(p, timeout)
        if check_paper and p.scheme == "tcp" and paper_out(dev):
            raise PrinterError(f"打印机 {p.raw} 缺纸。票据已保存，装纸后补打。",
                               f"Printer {p.raw} is out of paper. The receipt is kept; "
                               "load paper and print again.")
        dev._raw(data)
    except PrinterError:
        raise
    except Exception as exc:  # noqa: BLE001 - every transport fault is a printer fault
        raise _describe_failure(p, exc) from exc
    finally:
        if dev is not None:
            try:
                dev.close()
            except Exception:  # noqa: BLE001
                pass
