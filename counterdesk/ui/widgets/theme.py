"""Issue 18.5: readable text in every theme (WCAG AA, 4.5:1 for text).

The panels colour their messages with small style sheets (``color: #c0392b;``) chosen for
the light theme; on the high-contrast theme's black they vanish. Rather than each panel
knowing every theme, :class:`ContrastKeeper` (installed on the application by
``apply_theme``) looks at each widget as it is shown or restyled, works out the colour
of its text and of what is behind it (its style sheet, its ancestors' style sheets, the
palette) with :func:`effective_colours`, and when the pair is below 4.5:1 moves the text
colour towards white or black until it is readable (:func:`readable`), keeping its hue.
The size-and-contrast test uses the same :func:`effective_colours` on every screen.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

AA = 4.5
_FIXING: set = set()  # widgets whose sheet the keeper is writing (no re-entry)
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_DECL = re.compile(r"(?<![-\w])(color|background(?:-color)?)\s*:\s*([^;}]+)", re.I)
_FIELD = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QAbstractItemView)


def luminance(c: QColor) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(fg: QColor, bg: QColor, ratio: float = AA + 0.05) -> QColor:
    """``fg`` itself when readable on ``bg``, else ``fg`` mixed towards white (dark ``bg``)
    or black (light ``bg``) just enough."""
    if contrast(fg, bg) >= ratio:
        return fg
    to = QColor("white") if luminance(bg) < 0.18 else QColor("black")
    for step in range(1, 21):
        t = step / 20
        c = QColor.fromRgbF(fg.redF() + (to.redF() - fg.redF()) * t,
                            fg.greenF() + (to.greenF() - fg.greenF()) * t,
                            fg.blueF() + (to.blueF() - fg.blueF()) * t)
        if contrast(c, bg) >= ratio:
            return c
    return to


def _colour(value: str) -> QColor | None:
    value = value.strip().split()[0] if value.strip() else ""
    c = QColor(value)
    return c if c.isValid() and c.alpha() > 0 else None


def _matches(selector: str, widget: QWidget, owner: QWidget) -> bool:
    """A simple selector (``Type``, ``#name``, ``Type#name``; the last of a descendant
    chain) applies to ``widget`` inside the widget ``owner`` whose sheet holds it."""
    last = selector.strip().split()[-1] if selector.strip() else ""
    if "::" in last or ":" in last:
        return False
    kind, _, name = last.partition("#")
    if kind and kind != "*" and not widget.inherits(kind):
        return False
    return not name or widget.objectName() == name


def _declared(widget: QWidget, prop: str, own: str | None = None) -> QColor | None | bool:
    """The colour ``prop`` ('color' or 'background') that style sheets give ``widget``:
    its own (``own`` instead of its sheet when given), or a rule of an ancestor's sheet.
    False when none says; None = transparent."""
    w: QWidget | None = widget
    while w is not None:
        sheet = own if (w is widget and own is not None) else w.styleSheet()
        if sheet:
            rules = _RULE.findall(sheet)
            if not rules and w is widget:
                rules = [("", sheet)]
            for selectors, body in reversed(rules):
                if selectors and not any(_matches(s, widget, w) for s in selectors.split(",")):
                    continue
                for name, value in reversed(_DECL.findall(body)):
                    if name.lower().startswith(prop):
                        return _colour(value)
        w = w.parentWidget()
    return False


def _roles(widget: QWidget) -> tuple[QPalette.ColorRole, QPalette.ColorRole]:
    if isinstance(widget, _FIELD):
        return QPalette.Text, QPalette.Base
    if isinstance(widget, (QAbstractButton, QComboBox)):
        return QPalette.ButtonText, QPalette.Button
    return QPalette.WindowText, QPalette.Window


def effective_colours(widget: QWidget, own: str | None = None) -> tuple[QColor, QColor]:
    """(text colour, background colour) of ``widget`` as shown (with ``own`` as its
    style sheet when given)."""
    fg_role, bg_role = _roles(widget)
    fg = _declared(widget, "color", own)
    if not isinstance(fg, QColor):  # the theme's: a widget's own palette may be stale or
        fg = QApplication.palette(widget).color(fg_role)  # carry a colour written earlier
    w: QWidget | None = widget
    bg: QColor | None = None
    while w is not None and bg is None:
        said = _declared(w, "background") if w.styleSheet() or w is widget else False
        if isinstance(said, QColor):
            bg = said
        elif w is widget and isinstance(widget, _FIELD + (QAbstractButton, QComboBox)):
            bg = QApplication.palette(widget).color(bg_role)
        elif w.autoFillBackground() or w.isWindow():
            bg = QApplication.palette(w).color(QPalette.Window)
        w = w.parentWidget()
    return fg, bg or QApplication.palette(widget).color(QPalette.Window)


def has_text(widget: QWidget) -> bool:
    text = getattr(widget, "text", None)
    if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)) and callable(text):
        # disabled controls are exempt (WCAG 1.4.3) and keep the style's greyed look
        return bool(text().strip()) and widget.isVisible() and widget.isEnabled()
    return False


class ContrastKeeper(QObject):
    """Application event filter: a label or button whose text is below AA on what is
    behind it gets a readable colour of the same hue (in every theme)."""

    EVENTS = (QEvent.Show, QEvent.StyleChange)  # a theme change calls refresh()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if event.type() in self.EVENTS and isinstance(obj, (QLabel, QAbstractButton)):
            self.fix(obj)
        return False

    def refresh(self, app) -> None:
        """After a theme change: widgets with a style sheet keep the palette they were
        polished with (the called number stayed black on the new black), so polish them
        again against the new palette, then judge every label and button."""
        for w in app.allWidgets():  # hidden ones are judged when shown
            if isinstance(w, (QLabel, QAbstractButton)) and w.isVisible():
                sheet = w.styleSheet()
                if sheet:  # polished again, against the new application palette
                    w.setStyleSheet("")
                    w.setStyleSheet(sheet)
                self.fix(w)

    @staticmethod
    def fix(widget: QWidget) -> None:
        """Judge the sheet its author gave (not a colour this keeper chose for another
        theme) and write a readable text colour only where that one is not."""
        if not widget.isEnabled() or widget.isWindow():  # not yet in place: judged later
            return
        sheet = widget.styleSheet()
        if sheet and widget.property("cd_written") == sheet:
            sheet = widget.property("cd_authored") or ""
        if "{" in sheet:  # a sheet of rules: its author chose the pairs
            return
        fg, bg = effective_colours(widget, sheet)
        good = readable(fg, bg)
        new = sheet
        if good != fg:
            rest = re.sub(r"(?<![-\w])color\s*:[^;]*;?", "", sheet).strip()
            new = f"{rest} color: {good.name()};".strip()
        if new != widget.styleSheet() and widget not in _FIXING:
            widget.setProperty("cd_authored", sheet)
            widget.setProperty("cd_written", new)
            _FIXING.add(widget)
            try:
                widget.setStyleSheet(new)
            finally:
                _FIXING.discard(widget)
