"""Issue 18.2: windows and dialogs that fit the usable area of a 1366×768 hall PC.

A Windows taskbar and a title bar leave about 1366×700. A dialog whose fields may not
fit keeps them in a :class:`QScrollArea` (buttons outside it, always visible) and asks
for :func:`scrolled_hint` as its size hint: the whole form when the screen allows,
bounded by the screen's available area otherwise.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QLayout, QScrollArea, QStyle, QWidget

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


MIN_FACTOR = 0.2   # widgets that appear later (the kiosk's services) never shrink text to 0
_PT = re.compile(r"font-size\s*:\s*([\d.]+)pt")


class FontScaler(QObject):
    """Issue 18.21: a full-screen hall screen (kiosk, display) that also works in a small
    window (960×540, two screens sharing one monitor): its layout no longer sets a
    minimum size; on every resize the ``font-size:…pt`` of its style sheets shrink
    (never grow past the authored size) until the layout's minimum fits the window."""

    def __init__(self, top: QWidget):
        super().__init__(top)
        self.top = top
        self.sheets: dict[QWidget, str] = {}
        self.factor = 1.0
        top.layout().setSizeConstraint(QLayout.SetNoConstraint)
        top.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if getattr(self, "top", None) is None:  # being collected with its window: nothing to fit
            return False
        if obj is self.top and event.type() in (QEvent.Resize, QEvent.Show):
            self.fit()
        elif obj is self.top and event.type() == QEvent.LayoutRequest and not self._fits():
            self.fit(self.factor * 0.85)  # e.g. a ticket number appeared: shrink, never grow
        return False

    def _fits(self) -> bool:
        need, size = self.top.layout().minimumSize(), self.top.size()
        return need.width() <= size.width() and need.height() <= size.height()

    def _apply(self, factor: float) -> None:
        for w in [self.top, *self.top.findChildren(QWidget)]:
            sheet = self.sheets.setdefault(w, w.styleSheet())
            if "font-size" in sheet:
                scaled = _PT.sub(lambda m: f"font-size:{float(m.group(1)) * factor:.1f}pt", sheet)
                if scaled != w.styleSheet():
                    w.setStyleSheet(scaled)
        self.factor = factor

    def remember(self, widget: QWidget, sheet: str) -> None:
        """``widget`` changes its authored sheet (e.g. a state colour): scale the new one."""
        self.sheets[widget] = sheet
        widget.setStyleSheet(_PT.sub(
            lambda m: f"font-size:{float(m.group(1)) * self.factor:.1f}pt", sheet))

    def fit(self, factor: float = 1.0) -> None:
        for _ in range(16):
            factor = max(factor, MIN_FACTOR)
            self._apply(factor)
            if self._fits() or factor == MIN_FACTOR:
                return
            factor *= 0.85


def initial_size(window: QWidget, want: QSize) -> QSize:
    """``want``, or less on a screen whose work area (less the frame) is smaller: a
    1366×768 PC with a taskbar gives the window about 1366×700 (issue 18.2)."""
    screen = window.screen()
    if screen is None:
        return want
    return want.boundedTo(screen.availableGeometry().size() - FRAME)
