"""The print service of the workstation: the receipt spooler's worker, seen from Qt."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...print.printers import PrinterConfig
from ...print.spooler import Spooler


class PrintService(QObject):
    """Qt face of :class:`~counterdesk.print.spooler.Spooler` (callbacks → signals).

    The worker thread emits; Qt queues the signals to the receivers' (GUI) thread.
    """

    state_changed = Signal(dict)
    printed = Signal(dict)
    failed = Signal(str)
    unconfirmed = Signal(dict, str)   # job, message: sent but not confirmed (told once)

    def __init__(self, db, hall_id: int, cfg: PrinterConfig, *, window: int | None = None,
                 retry_seconds: float = 10.0, parent=None):
        super().__init__(parent)
        self.spooler = Spooler(db, hall_id, cfg, window=window, retry_seconds=retry_seconds,
                               on_state=lambda st: self.state_changed.emit(dict(st)),
                               on_printed=lambda job: self.printed.emit(job.to_dict()),
                               on_failed=lambda job, msg: self.failed.emit(msg),
                               on_unconfirmed=lambda job, msg: self.unconfirmed.emit(
                                   job.to_dict(), msg))

    def start(self) -> None:
        self.spooler.start()

    def kick(self) -> None:
        self.spooler.kick()

    def set_printer(self, uri: str) -> None:
        self.spooler.set_printer(uri)

    def stop(self) -> None:
        self.spooler.stop()
