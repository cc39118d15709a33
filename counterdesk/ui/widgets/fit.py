"""Issue 18.2: windows and dialogs that fit the usable area of a 1366×768 hall PC.

A Windows taskbar and a title bar leave about 1366×700. A dialog whose fields may not
fit keeps them in a :class:`QScrollArea` (buttons outside it, always visible) and asks
for :func:`scrolled_hint` as its size hint: the whole form when the screen allows,
bounded by the screen's available area otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QScrollArea, QStyle, QWidget

USABLE = QSize(1366, 700)  # the budget the size test checks every top-level against
FRAME = QSize(16, 48)  # a window frame with its title bar


def scrolled_hint(window: QWidget, hint: QSize, scroll: QScrollArea) -> QSize:
    """``hint`` (the window's own sizeHint) grown so ``scroll`` shows all its widget."""
    inner, body = scroll.sizeHint(), scroll.widget().sizeHint()
    bar = window.style().pixelMetric(QStyle.PM_ScrollBarExtent)
    want = QSize(max(hint.width(), hint.width() - inner.width() + body.width() + bar),
                 hint.height() - inner.height() + body.height())
    screen = window.screen().availableGeometry().size() - FRAME
    return want.boundedTo(screen).expandedTo(window.minimumSizeHint())
