"""The Windows spooler, raw (issue 17.2): the thin layer over pywin32's ``win32print``.

Before sending, the printer's status (``GetPrinter`` level 2) is read and an offline,
paused, errored or paper-out printer is refused — else Windows keeps the job queued and
prints it (and kicks the drawer) hours later. The job is named after the receipt number
so it can be found in the queue; after ``EndDocPrinter`` the job is watched (``GetJob``)
until it leaves the queue, errors, or the watch time ends (then: unconfirmed). A driver
that refuses RAW data (v4 / IPP class drivers: error 1804) gets a message that says so.
``win32print`` is imported when used, so tests inject a fake module on Linux.
"""

from __future__ import annotations

import time

from ..errors import PrinterError

# PRINTER_STATUS_* and JOB_STATUS_* from winspool.h
PRINTER_STATUS = {
    0x00000001: ("已暂停", "paused"),
    0x00000002: ("出错", "in error"),
    0x00000008: ("卡纸", "paper jam"),
    0x00000010: ("缺纸", "out of paper"),
    0x00000080: ("脱机", "offline"),
    0x00000400: ("无法打印（缺纸或需人工处理）", "needs attention"),
    0x00100000: ("需要人工处理", "needs user intervention"),
    0x00400000: ("门未关", "door open"),
    0x00001000: ("未连接", "not available"),
}
PRINTER_ATTRIBUTE_WORK_OFFLINE = 0x00000400
JOB_ERRORS = {0x0002: ("出错", "error"), 0x0004: ("已删除", "deleted"),
              0x0020: ("脱机", "offline"), 0x0040: ("缺纸", "out of paper"),
              0x0400: ("被删除", "deleted"), 0x0200: ("被阻止", "blocked")}
JOB_STATUS_PRINTED = 0x0080
JOB_STATUS_COMPLETE = 0x1000
ERROR_INVALID_DATATYPE = 1804
ERROR_INVALID_PRINTER_NAME = 1801
JOB_CONTROL_DELETE = 5
WATCH_SECONDS = 5.0
POLL_SECONDS = 0.25


def _win32print():
    try:
        import win32print
    except ImportError as exc:
        raise PrinterError("win32: 打印机需要 pywin32（win32print），本机没有安装",
                           "win32: printers need pywin32 (win32print), which is missing"
                           ) from exc
    return win32print


def _winerror(exc: BaseException) -> int:
    return int(getattr(exc, "winerror", 0) or (exc.args[0] if exc.args and
                                                isinstance(exc.args[0], int) else 0))


def _failure(name: str, exc: BaseException) -> PrinterError:
    code = _winerror(exc)
    if code == ERROR_INVALID_DATATYPE:
        return PrinterError(
            f"打印机 {name} 的驱动不接受原始（RAW）数据（错误 1804，v4/IPP 类驱动）。请安装厂家的"
            "ESC/POS 驱动或“Generic / Text Only”驱动，或改用 tcp://IP:9100",
            f"The driver of printer {name} refuses RAW data (error 1804, a v4/IPP class "
            "driver). Install the maker's ESC/POS driver or 'Generic / Text Only', or use "
            "tcp://IP:9100")
    if code == ERROR_INVALID_PRINTER_NAME:
        return PrinterError(f"本机没有名为 {name} 的打印机", f"No printer named {name} on this PC")
    return PrinterError(f"打印机 {name} 不可用（Windows 错误 {code}），未打出",
                        f"Printer {name} unavailable (Windows error {code}); nothing printed")


def printer_problem(status: int, attributes: int = 0) -> tuple[str, str] | None:
    """The first problem in a ``PRINTER_INFO_2`` status, as (Chinese, English), or None."""
    if attributes & PRINTER_ATTRIBUTE_WORK_OFFLINE:
        return PRINTER_STATUS[0x80]
    for bit, words in PRINTER_STATUS.items():
        if status & bit:
            return words
    return None


def check(name: str) -> str:
    """Refuse a printer that is not ready (GetPrinter level 2); the ready text otherwise."""
    w = _win32print()
    try:
        h = w.OpenPrinter(name)
    except Exception as exc:  # noqa: BLE001 - pywintypes.error
        raise _failure(name, exc) from exc
    try:
        info = w.GetPrinter(h, 2)
    except Exception as exc:  # noqa: BLE001
        raise _failure(name, exc) from exc
    finally:
        w.ClosePrinter(h)
    problem = printer_problem(int(info.get("Status", 0)), int(info.get("Attributes", 0)))
    if problem:
        raise PrinterError(f"打印机 {name} {problem[0]}，未打出。处理后再打。",
                           f"Printer {name} is {problem[1]}; nothing was printed.")
    return f"win32:{name} ready ({info.get('DriverName', '')})"


def installed() -> list[str]:
    """Names of the printers installed on this PC (local and connections)."""
    w = _win32print()
    flags = w.PRINTER_ENUM_LOCAL | w.PRINTER_ENUM_CONNECTIONS
    return [row[2] for row in w.EnumPrinters(flags, None, 1)]


def _cancel(w, h, job_id: int) -> None:
    try:
        w.SetJob(h, job_id, 0, None, JOB_CONTROL_DELETE)
    except Exception:  # noqa: BLE001 - already gone
        pass


def send(p, data: bytes, *, job_name: str = "CounterDesk",
         watch_seconds: float | None = None) -> None:
    """Send raw bytes as one job named ``job_name`` and watch it leave the queue."""
    from .printers import unconfirmed

    name = p.target
    check(name)
    w = _win32print()
    try:
        h = w.OpenPrinter(name)
    except Exception as exc:  # noqa: BLE001
        raise _failure(name, exc) from exc
    sent = False
    try:
        try:
            job_id = w.StartDocPrinter(h, 1, (job_name, None, "RAW"))
            try:
                w.StartPagePrinter(h)
                written = w.WritePrinter(h, data)
                w.EndPagePrinter(h)
            finally:
                w.EndDocPrinter(h)
            sent = written == len(data)
        except Exception as exc:  # noqa: BLE001
            raise _failure(name, exc) from exc
        if not sent:
            raise PrinterError(f"打印机 {name} 只收下部分数据，未打完",
                               f"Printer {name} took only part of the job")
        deadline = time.monotonic() + (WATCH_SECONDS if watch_seconds is None
                                       else watch_seconds)
        while True:
            try:
                job = w.GetJob(h, job_id, 1)
            except Exception:  # noqa: BLE001 - the job left the queue: printed
                return
            status = int(job.get("Status", 0))
            if status & (JOB_STATUS_PRINTED | JOB_STATUS_COMPLETE):
                return
            for bit, (zh, _en) in JOB_ERRORS.items():
                if status & bit:
                    _cancel(w, h, job_id)
                    raise unconfirmed(p, f"（Windows 打印队列：{zh}，已取消该作业）")
            if time.monotonic() >= deadline:
                _cancel(w, h, job_id)   # never let it print (and kick the drawer) later
                raise unconfirmed(p, "（作业未离开 Windows 打印队列，已取消）")
            time.sleep(POLL_SECONDS)  # polling the Windows queue: no event to wait on
    finally:
        w.ClosePrinter(h)
