"""The prompt panel's tables: the phrases of a section and the sections."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ... import phrases

FORBIDDEN_FG = QColor("#b71c1c")


FORBIDDEN_BG = QColor("#fdecea")


INSTEAD_FG = QColor("#1b5e20")


INSTEAD_BG = QColor("#e8f5e9")


CONTEXT_BG = QColor("#fff8e1")


def _shown(items) -> list[tuple]:
    """What a phrase row shows: two lists alike here look alike on screen."""
    return [(i.id, i.title, i.text, i.instead, i.note, i.forbidden) for i in items]


def _bold() -> QFont:
    f = QFont()
    f.setBold(True)
    return f


class PhraseTableModel(QAbstractTableModel):
    """Phrases as rows: the phrase (or rule) and what to say instead / the note."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[phrases.Item] = []
        self.highlight: set[str] = set()
        self._cells: dict[tuple[int, int], dict] = {}

    def set_items(self, items, highlight=()) -> bool:
        """Show ``items``; False (and no reset, so no re-layout) when they are what is
        shown already — each call of a ticket shows the same greeting section."""
        items, highlight = list(items), set(highlight)
        if highlight == self.highlight and _shown(items) == _shown(self.items):
            self.items = items
            return False
        self.beginResetModel()
        self.items = items
        self.highlight = highlight
        self._cells = {}
        self.endResetModel()
        return True

    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt name
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt name
        return 0 if parent.isValid() else 2

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return (self.tr("Phrase"), self.tr("Say instead / note"))[section]
        return None

    def item(self, row: int) -> phrases.Item | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def data(self, index, role=Qt.DisplayRole):
        # the view asks several roles of every visible cell on each repaint: answered
        # from one dict per cell, built the first time it is asked after set_items
        if not index.isValid():
            return None
        key = (index.row(), index.column())
        roles = self._cells.get(key)
        if roles is None:
            roles = self._cells[key] = self._cell_roles(*key)
        return roles.get(role)

    def _cell_roles(self, row: int, col: int) -> dict:
        it = self.items[row]
        out: dict = {Qt.UserRole: it}
        if col == 0:
            text = f"{it.title}：{it.text}" if it.title else it.text
            out[Qt.ToolTipRole] = text
            out[Qt.DisplayRole] = "✗ " + text if it.forbidden else text
        elif it.instead:
            out[Qt.DisplayRole], out[Qt.ToolTipRole] = "✓ " + it.instead, it.instead
        else:
            out[Qt.DisplayRole] = out[Qt.ToolTipRole] = it.note
        if it.forbidden:
            out[Qt.ForegroundRole] = FORBIDDEN_FG if col == 0 else INSTEAD_FG
            out[Qt.BackgroundRole] = FORBIDDEN_BG if col == 0 else INSTEAD_BG
        elif it.id in self.highlight:
            out[Qt.BackgroundRole] = CONTEXT_BG
        if col == 0 and (it.id in self.highlight or it.forbidden):
            out[Qt.FontRole] = _bold()
        return out


class SectionListModel(QAbstractTableModel):
    """The situations and groups (one column): 问候, 征询 … 禁忌用语, 六不准, 服务禁区."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sections: list[phrases.Section] = []
        self._roles: list[dict] = []

    def set_sections(self, sections) -> None:
        self.beginResetModel()
        self.sections = list(sections)
        self._roles = [{
            Qt.DisplayRole: sec.title,
            Qt.ToolTipRole: "\n".join(x for x in (sec.context, sec.note, sec.source) if x),
            Qt.UserRole: sec.key,
            **({Qt.ForegroundRole: FORBIDDEN_FG} if sec.kind == "forbidden" else {}),
        } for sec in self.sections]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.sections)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else 1

    def data(self, index, role=Qt.DisplayRole):
        # the list repaints every visible row on each call of a ticket, asking several
        # roles a row: answered from one dict per row, built when the sections change
        if not index.isValid():
            return None
        return self._roles[index.row()].get(role)

    def row_of(self, key: str) -> int:
        for n, sec in enumerate(self.sections):
            if sec.key == key:
                return n
        return -1
