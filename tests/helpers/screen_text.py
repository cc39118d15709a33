"""The text a user sees on a screen, and the words of the other language in it (issue 18.22).

:func:`screen_texts` walks a window or dialog: labels, buttons, group boxes, tab bars, the
window title, line-edit placeholders, tooltips, combo-box items, menus and the headers and
first rows of every item view (a widget on a page of a tab or a stacked widget counts as
seen: the user reaches it with one click). :func:`chinese_in` and :func:`english_in` find
the words of the other language, once the data (names, addresses…) and what is the same in
both languages (codes, numbers, units, key names, brand names) are taken out.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabBar,
    QTextEdit,
    QWidget,
)

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]")
# the language switch names each language in its own words
LANGUAGE_NAMES = ("简体中文", "English")
# the same in both languages: units, key names, acronyms, brands, protocols, file types
SAME_IN_BOTH = (
    "kWh", "m³", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Return", "Tab", "Space", "PgUp",
    "PgDn", "Home", "End", "Del", "Backspace", "F1", "IC", "QR", "PDF", "CSV", "ESC/POS",
    "PC/SC", "PC", "USB", "TCP", "URL", "URI", "ID", "SQLite", "PostgreSQL", "CounterDesk",
    "Windows",
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


# combo boxes listing devices by the names they give themselves (PC/SC readers)
DEVICE_LISTS = {"pcsc_readers"}

def _seen(w: QWidget, root: QWidget) -> bool:
    """Visible now, or on another page of a tab or stack the user can switch to."""
    while w is not None and w is not root:
        parent = w.parentWidget()
        if w.isHidden() and not isinstance(parent, QStackedWidget):
            return False
        w = parent
    return True


def _view_texts(view: QAbstractItemView, rows: int) -> list[tuple[str, str]]:
    m = view.model()
    if m is None:
        return []
    root = QModelIndex()
    try:
        cols = max(1, m.columnCount(root))
    except TypeError:  # a list model: one column
        cols = 1
    out = []
    name = view.objectName() or type(m).__name__
    for c in range(cols):
        head = m.headerData(c, Qt.Horizontal, Qt.DisplayRole)
        if head is not None and getattr(view, "horizontalHeader", None) is not None \
                and not view.horizontalHeader().isHidden():
            out.append((f"header:{name}", str(head)))
        for r in range(min(m.rowCount(root), rows)):
            idx = m.index(r, c, root)
            out.append((f"cell:{name}", str(idx.data(Qt.DisplayRole) or "")))
            tip = idx.data(Qt.ToolTipRole)
            if tip:
                out.append((f"cell tip:{name}", str(tip)))
    return out


def _menu_texts(menu: QMenu, where: str) -> list[tuple[str, str]]:
    out = [(where, menu.title())]
    for a in menu.actions():
        if a.isSeparator() or not a.isVisible():
            continue
        out.append((f"{where} item", a.text()))
        if a.toolTip() and a.toolTip() != a.text().replace("&", ""):
            out.append((f"{where} tip", a.toolTip()))
        if a.menu() is not None:
            out += _menu_texts(a.menu(), f"{where} > {a.text()}")
    return out


def screen_texts(root: QWidget, rows: int = 30) -> list[tuple[str, str]]:
    """(where, text) of everything ``root`` shows (see the module's doc)."""
    out: list[tuple[str, str]] = [("window title", root.windowTitle())]

    def name(w) -> str:
        return f"{type(w).__name__}:{w.objectName()}"

    for w in root.findChildren(QWidget):
        if not _seen(w, root):
            continue
        if w.toolTip():
            out.append(("tooltip " + name(w), w.toolTip()))
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append((name(w), w.text()))
        elif isinstance(w, QLineEdit):
            out.append((name(w) + " placeholder", w.placeholderText()))
        elif isinstance(w, QTextEdit):
            out.append((name(w), w.toPlainText()))
            out.append((name(w) + " placeholder", w.placeholderText()))
        elif isinstance(w, QGroupBox):
            out.append((name(w), w.title()))
        elif isinstance(w, QComboBox):
            if w.objectName() in DEVICE_LISTS:
                continue          # the devices present, by their own names: data
            out += [(name(w), w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                out.append(("tab " + name(w), w.tabText(i)))
                out.append(("tab tip " + name(w), w.tabToolTip(i)))
        elif isinstance(w, QAbstractItemView):
            out += _view_texts(w, rows)
    if isinstance(root, QMainWindow):
        for a in root.menuBar().actions():
            if a.menu() is not None and a.isVisible():
                out += _menu_texts(a.menu(), "menu")
    return [(where, t) for where, t in out if t and t.strip()]


def _strip(text: str, data: list[str]) -> str:
    """``text`` without the data in it (a Latin datum, e.g. a staff number, as a word)."""
    for d in sorted(data, key=len, reverse=True):
        if d.isascii():
            text = re.sub(rf"(?<!\w){re.escape(d)}(?!\w)", " ", text)
        else:
            text = text.replace(d, " ")
    return text


def chinese_in(texts: list[tuple[str, str]], data: list[str] = ()) -> list[str]:
    """English screen: every text with a Chinese character left once data is out."""
    data = [*data, *LANGUAGE_NAMES]
    return sorted({f"{where}: {t!r}" for where, t in texts if CJK.search(_strip(t, data))})


def english_in(texts: list[tuple[str, str]], data: list[str] = ()) -> list[str]:
    """Chinese screen: every text with an English word (two letters or more) left once
    data, codes (A001, R00012, 0100000033), units, key names and brands are out."""
    data = [*data, *LANGUAGE_NAMES]
    out = set()
    for where, t in texts:
        rest = _strip(t, data)
        rest = re.sub(r"\w[\w+.-]*://\S*", " ", rest)  # an address: postgresql://…, tcp://…
        rest = re.sub(r"\b(sim|pcsc|win32|usb|serial|tcp|file):", " ", rest)  # a scheme: sim:…
        rest = re.sub(r"(?<![\w/])(/|[A-Za-z]:\\)[^\s，。；）]+", " ", rest)  # a file's path
        rest = re.sub(r"\b[a-z_]+(\.[a-z_]+)+\b", " ", rest)  # a setting's key: queue.recall_limit
        rest = re.sub(r"\b[A-Za-z]{0,3}\d[\w\-./:]*", " ", rest)  # codes: A001, R00012, F12
        rest = re.sub(r"\b[A-Z]{2,6}\b", " ", rest)  # acronyms: IP, VID:PID, USB
        words = [w for w in ENGLISH_WORD.findall(rest) if w not in SAME_IN_BOTH]
        if words:
            out.add(f"{where}: {t!r}")
    return sorted(out)
