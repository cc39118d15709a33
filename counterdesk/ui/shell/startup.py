"""Start-up helpers of every GUI mode: the window icon, and hidden switches for smoke
tests and start-up benchmarks (``tools/release.py``, ``bench/bench_bundle.py``).

Environment variables, read once when the application is created:

``COUNTERDESK_SHOWN_MARKER=1``
    When the first top-level window has been shown (and its first events processed),
    print one line ``counterdesk-shown <class name> <title>`` on stdout (stderr if the
    windowed executable has no stdout).
``COUNTERDESK_QUIT_AFTER_MS=N``
    N milliseconds after the first top-level window was shown, close every window
    (dialogs are rejected) and leave all event loops: each GUI mode — workstation
    sign-in, first-run dialog, kiosk, display — starts and quits by itself.

Neither changes anything when unset. Nothing here is a business rule.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from ... import resources_access

MARKER = "counterdesk-shown"
_installed: _Watcher | None = None


def _quit_after_ms() -> int | None:
    value = os.environ.get("COUNTERDESK_QUIT_AFTER_MS", "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        return None


class _Watcher(QObject):
    def __init__(self, app: QApplication, quit_after: int | None, marker: bool):
        super().__init__(app)
        self.quit_after = quit_after
        self.marker = marker
        self.seen = False

    def eventFilter(self, obj, event):  # noqa: N802 - Qt naming
        if (not self.seen and event.type() == QEvent.Show and isinstance(obj, QWidget)
                and obj.isWindow()):
            self.seen = True
            QTimer.singleShot(0, lambda w=obj: self._shown(w))
        return False

    def _shown(self, window: QWidget) -> None:
        if self.marker:
            stream = sys.stdout if sys.stdout is not None else sys.stderr
            if stream is not None:
                print(f"{MARKER} {type(window).__name__} {window.windowTitle()}", file=stream,
                      flush=True)
        if self.quit_after is not None:
            QTimer.singleShot(self.quit_after, self._quit)

    def _quit(self) -> None:
        app = QApplication.instance()
        for w in list(app.topLevelWidgets()):
            if w.isVisible():
                if isinstance(w, QDialog):
                    w.reject()
                else:
                    w.close()
        app.exit(0)


def mark_ready(what: str) -> None:
    """With ``COUNTERDESK_SHOWN_MARKER``: print ``counterdesk-ready <what>`` once the
    window shown first can do its work (the sign-in window: its database is open)."""
    if os.environ.get("COUNTERDESK_SHOWN_MARKER", "") in ("", "0"):
        return
    stream = sys.stdout if sys.stdout is not None else sys.stderr
    if stream is not None:
        print(f"counterdesk-ready {what}", file=stream, flush=True)


def set_icon(app: QApplication) -> bool:
    """The CounterDesk icon on every window and the task bar."""
    pix = QPixmap()
    try:
        ok = pix.loadFromData(resources_access.read_bytes("icons", "counterdesk.png"))
    except (FileNotFoundError, OSError):
        return False
    if ok:
        app.setWindowIcon(QIcon(pix))
    return ok


def install(app: QApplication) -> bool:
    """Install the watcher if either variable asks for it; True if installed."""
    global _installed
    quit_after = _quit_after_ms()
    marker = os.environ.get("COUNTERDESK_SHOWN_MARKER", "") not in ("", "0")
    if _installed is not None or (quit_after is None and not marker):
        return _installed is not None
    _installed = _Watcher(app, quit_after, marker)
    app.installEventFilter(_installed)
    return True
