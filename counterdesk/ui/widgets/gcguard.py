"""Garbage is collected on the GUI thread only.

Python's cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed. With background jobs (``widgets.jobs``) that can be a worker thread, which then
destroys Qt objects that belong to the GUI thread (a closed dialog caught in a reference
cycle) and crashes the program. So, while the application runs, automatic collection is
off and the GUI thread collects on a timer, by the same thresholds Python would use (the
approach of pyqtgraph's ``GarbageCollector``). ``tests/conftest.py`` does the same between
tests.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


def collect_due() -> int:
    """Collect the generations whose thresholds are crossed, as automatic collection would;
    returns the number of unreachable objects found."""
    t0, t1, t2 = gc.get_threshold()
    c0, c1, c2 = gc.get_count()
    if c0 <= t0:
        return 0
    if c1 > t1:
        return gc.collect(2 if c2 > t2 else 1)
    return gc.collect(0)


class GuiThreadCollector(QObject):
    """Turns automatic collection off and collects from the GUI thread's event loop."""

    def __init__(self, parent: QObject, interval_ms: int = 500):
        super().__init__(parent)
        gc.disable()
        gc.freeze()   # modules and classes loaded so far live for the run: never rescanned
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_due)
        self.timer.start()


_collector: GuiThreadCollector | None = None


def install(app: QObject) -> GuiThreadCollector:
    """Once per process, with the application object as parent (``shell.app.create_app``)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    return _collector
