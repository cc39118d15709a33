"""The prompt panel (服务用语): the right phrase in front of the clerk at the right moment.

It listens to the workbench: a called ticket shows the greeting (and the apology when
the customer waited too long), a transfer the hand-over phrase, a refusal the
explanation, the finish the farewell. F11 searches (characters or pinyin initials),
Ctrl+Shift+C copies the selected phrase (for a forbidden phrase: what to say instead).
The phrases come from :mod:`counterdesk.phrases`; which phrase fits which moment is
decided there, not here.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ... import i18n, phrases
from ...errors import CounterDeskError

log = logging.getLogger(__name__)

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


class PromptPanelView(QWidget):
    """Widgets only: the context card, the search box, the groups and the phrase table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("prompt_panel")
        self.heading = QLabel(self.tr("Service phrases"))
        self.heading.setObjectName("prompt_heading")
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.context_card = QFrame()
        self.context_card.setObjectName("context_card")
        self.context_card.setFrameShape(QFrame.StyledPanel)
        self.apply_contrast(False)
        self.context_text = QTextBrowser()
        self.context_text.setObjectName("context_text")
        self.context_text.setFrameShape(QFrame.NoFrame)
        self.context_text.setFocusPolicy(Qt.NoFocus)
        self.context_text.setMinimumHeight(96)
        self.context_text.setMaximumHeight(220)
        self.context_text.setStyleSheet("background: transparent;")
        big = self.context_text.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self.context_text.setFont(big)
        card = QVBoxLayout(self.context_card)
        card.setContentsMargins(8, 6, 8, 6)
        card.addWidget(self.context_text)
        self.search = QLineEdit()
        self.search.setObjectName("phrase_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search phrases (F11): characters or pinyin "
                                               "initials"))
        self.sections = QListView()
        self.sections.setObjectName("phrase_sections")
        self.sections.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.sections.setUniformItemSizes(True)  # one line each: no per-row size queries
        self.table = QTableView()
        self.table.setObjectName("phrase_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.voice = QLabel()
        self.voice.setObjectName("voice_hint")
        self.voice.setWordWrap(True)
        self.voice.setStyleSheet("color: #555;")
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.sections)
        split.addWidget(self.table)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.heading)
        lay.addWidget(self.context_card)
        lay.addWidget(self.search)
        lay.addWidget(split, 1)
        lay.addWidget(self.voice)


    def apply_contrast(self, high: bool) -> None:
        """The context card: warm yellow normally, yellow on black in high contrast."""
        self.context_card.setStyleSheet(
            "#context_card { background: black; border: 2px solid yellow; }"
            "#context_card QTextBrowser { color: yellow; }" if high else
            "#context_card { background: #fff8e1; }"
            "#context_card QTextBrowser { color: #3e2723; }")


class PromptPanel(PromptPanelView):
    """Controller: loads the hall's phrases, follows the workbench, searches, copies."""

    POLL_MS = 30_000

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.tab_title = self.tr("Phrases")
        self.catalogue: phrases.Catalogue | None = None
        self.prompt: phrases.Prompt | None = None
        self.section_model = SectionListModel(self)
        self.phrase_model = PhraseTableModel(self)
        self.sections.setModel(self.section_model)
        self.table.setModel(self.phrase_model)
        self.sections.selectionModel().currentChanged.connect(self._section_changed)
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _i: self.copy_current())
        bench.ticket_called.connect(self.on_ticket_called)
        bench.ticket_transferred.connect(self.on_ticket_transferred)
        bench.ticket_finished.connect(self.on_ticket_finished)
        bench.payment_committed.connect(self.on_payment_committed)
        bench.account_selected.connect(self.on_account_selected)
        bench.rule_refused.connect(self.on_rule_refused)
        bench.prompt_context.connect(self.on_prompt_context)
        self.apply_contrast(bool(bench.settings.ui.high_contrast))
        self.reload()
        self.set_context(self.tr("Waiting for the next customer"), [])
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.check_for_edits)
        self._poll.start()

    # -- data --------------------------------------------------------------------
    def reload(self) -> None:
        try:
            self.catalogue = phrases.load(self.bench.db, self.bench.actor.hall_code,
                                          i18n.current())
        except CounterDeskError as exc:
            self.bench.status_message.emit(exc.message)
            if self.catalogue is None:
                self.catalogue = phrases.defaults(i18n.current())
        cat = self.catalogue
        current = self.current_section()
        self.section_model.set_sections(cat.sections)
        self.voice.setText(self.tr("Voice: moderate volume, warm tone, %1–%2 characters a "
                                   "minute.").replace("%1", str(cat.rate_min))
                           .replace("%2", str(cat.rate_max)))
        if self.search.text().strip():
            self._search_changed(self.search.text())
        else:
            self.show_section(current or "greeting")

    def check_for_edits(self) -> None:
        """Reload when a manager changed the phrases (on any PC of the hall)."""
        try:
            rev = phrases.revision(self.bench.db, self.bench.actor.hall_code, i18n.current())
        except CounterDeskError:
            return
        if self.catalogue is not None and rev != self.catalogue.revision:
            self.reload()

    def current_section(self) -> str | None:
        idx = self.sections.currentIndex()
        return idx.data(Qt.UserRole) if idx.isValid() else None

    def show_section(self, key: str, highlight=()) -> None:
        row = self.section_model.row_of(key)
        if row < 0:
            return
        self._choosing = True  # the table is filled below, once, with the highlight
        try:
            self.sections.setCurrentIndex(self.section_model.index(row, 0))
        finally:
            self._choosing = False
        sec = self.catalogue.section(key)
        self._show_items(sec.items, highlight, sec.note)

    def _show_items(self, items, highlight=(), tooltip: str = "") -> None:
        """Fill the table; the second column only when some row has something for it."""
        changed = self.phrase_model.set_items(items, highlight)
        if changed:
            self.table.setColumnHidden(1, not any(i.instead or i.note for i in items))
            self.table.setToolTip(tooltip)
        if self.phrase_model.rowCount() and (changed or self.table.currentIndex().row() != 0):
            self.table.selectRow(0)

    def _section_changed(self, current, _previous) -> None:
        if getattr(self, "_choosing", False):
            return
        if current.isValid() and self.catalogue is not None:
            sec = self.catalogue.section(current.data(Qt.UserRole))
            if sec is not None:
                hl = {i.id for i in self.prompt.items} if self.prompt else set()
                self._show_items(sec.items, hl, sec.note)

    # -- search ------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def _search_changed(self, text: str) -> None:
        if not text.strip():
            self.show_section(self.current_section() or "greeting")
            return
        self._show_items(self.catalogue.search(text))

    def eventFilter(self, obj, event):  # noqa: N802 - Qt name
        if event.type() == QEvent.KeyPress:
            key = event.key()
            if obj is self.search:
                if key in (Qt.Key_Down, Qt.Key_Return, Qt.Key_Enter) and \
                        self.phrase_model.rowCount():
                    self.table.setFocus(Qt.OtherFocusReason)
                    if not self.table.currentIndex().isValid():
                        self.table.selectRow(0)
                    return True
                if key == Qt.Key_Escape:
                    self.search.clear()
                    self.focusNextPrevChild(True)
                    return True
            elif obj is self.table and key in (Qt.Key_Return, Qt.Key_Enter):
                self.copy_current()
                return True
        return super().eventFilter(obj, event)

    # -- copy --------------------------------------------------------------------
    def selected_item(self) -> phrases.Item | None:
        idx = self.table.currentIndex()
        item = self.phrase_model.item(idx.row()) if idx.isValid() else None
        if item is None and self.prompt and self.prompt.items:
            item = self.prompt.items[0]
        return item

    def copy_current(self) -> str:
        """Copy the selected phrase; for a forbidden phrase, what to say instead."""
        item = self.selected_item()
        if item is None:
            return ""
        text = item.instead if item.forbidden and item.instead else item.text
        QGuiApplication.clipboard().setText(text)
        self.bench.status_message.emit(self.tr("Copied: %1").replace("%1", text))
        return text

    # -- context -----------------------------------------------------------------
    def _wait_minutes(self) -> int:
        return int(self.bench.settings.queue.wait_apology_minutes)

    def show_prompt(self, prompt: phrases.Prompt, title: str) -> None:
        self.prompt = prompt
        self.set_context(title, [f"“{it.text}”" if it.kind != "guidance" else it.text
                                 for it in prompt.items])
        self.context_card.setToolTip(prompt.message)
        if prompt.situations and not self.search.text().strip():
            self.show_section(prompt.situations[0], {i.id for i in prompt.items})
            # a filled-in phrase (hand-over target, amounts) is not in the section as such:
            # list the prompt itself so the first line is selected and one key copies it
            first = prompt.items[0] if prompt.items else None
            known = self.catalogue.get(first.id) if first else None
            if first is not None and (known is None or known.text != first.text):
                self._show_items(prompt.items, {i.id for i in prompt.items})

    def set_context(self, title: str, lines: list[str]) -> None:
        """The card: a small heading (what happened) and the phrases to say, large."""
        self.context_title = title
        body = "".join(f"<p style='margin:2px 0'>{html.escape(x)}</p>" for x in lines)
        self.context_text.setHtml(f"<p style='font-size:small; font-weight:bold; margin:0'>"
                                  f"{html.escape(title)}</p>{body}")

    @property
    def context_phrases(self) -> list[str]:
        return [x.strip("“”") for x in self.context_text.toPlainText().split("\n")[1:] if x]

    def on_ticket_called(self, ticket: dict) -> None:
        p = phrases.contextual(self.catalogue, "ticket_called", ticket,
                               wait_apology_minutes=self._wait_minutes())
        number = str(ticket.get("number", ""))
        if p.apology:
            title = self.tr("Ticket %1 called — waited %2 min: apologise first").replace(
                "%1", number).replace("%2", str(int(ticket.get("waited_seconds", 0)) // 60))
        else:
            title = self.tr("Ticket %1 called — greet the customer").replace("%1", number)
        self.show_prompt(p, title)

    def on_ticket_transferred(self, ticket: dict) -> None:
        p = phrases.contextual(self.catalogue, "ticket_transferred", ticket)
        self.show_prompt(p, self.tr("Ticket %1 transferred — hand the customer over").replace(
            "%1", str(ticket.get("number", ""))))

    def on_ticket_finished(self, ticket: dict) -> None:
        p = phrases.contextual(self.catalogue, "ticket_finished", ticket)
        if not p.items:  # a no-show: nobody to see off
            self.prompt = None
            self.set_context(self.tr("Waiting for the next customer"), [])
            return
        self.show_prompt(p, self.tr("Ticket %1 finished — see the customer off").replace(
            "%1", str(ticket.get("number", ""))))

    def on_account_selected(self, account_no: str) -> None:
        """The customer's file is open: how to address the holder (by surname)."""
        try:
            p = phrases.for_account(self.bench.db, self.bench.actor, self.catalogue, account_no)
        except (CounterDeskError, ImportError):
            return
        if p.items:
            self.show_prompt(p, self.tr("Account %1 — address the customer").replace(
                "%1", account_no))

    def on_payment_committed(self, receipt: dict) -> None:
        p = phrases.contextual(self.catalogue, "payment_committed", receipt)
        self.show_prompt(p, self.tr("Payment recorded, receipt %1 — say the amounts, thank "
                                    "the customer").replace("%1", str(receipt.get("receipt_no",
                                                                                  ""))))

    def on_rule_refused(self, kind: str, message: str) -> None:
        p = phrases.contextual(self.catalogue, "rule_refused", {"kind": kind, "message": message})
        title = self.tr("Not possible: %1 — explain patiently").replace("%1", message) \
            if message else self.tr("Not possible — explain patiently")
        self.show_prompt(p, title)

    def on_prompt_context(self, situation: str, data: dict) -> None:
        p = phrases.contextual(self.catalogue, situation, data,
                               wait_apology_minutes=self._wait_minutes())
        if not p.items:
            return
        sec = self.catalogue.section(p.situations[0]) if p.situations else None
        title = data.get("title") or (
            self.tr("Elderly or disabled customer — help, louder and slower")
            if situation == "special_group" else (sec.title if sec else situation))
        self.show_prompt(p, title)

    # -- main window -------------------------------------------------------------
    def install_actions(self, mw) -> None:
        self.action_search = QAction(self.tr("Search service phrases"), mw)
        self.action_search.setObjectName("action_phrase_search")
        self.action_search.setShortcut(QKeySequence(Qt.Key_F11))
        self.action_search.triggered.connect(self.focus_search)
        self.action_copy = QAction(self.tr("Copy the selected phrase"), mw)
        self.action_copy.setObjectName("action_phrase_copy")
        self.action_copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.action_copy.triggered.connect(self.copy_current)
        menu = getattr(mw, "menu_view", None)
        for a in (self.action_search, self.action_copy):
            a.setShortcutContext(Qt.WindowShortcut)  # not while a dialog has the keys
            if menu is not None:
                menu.addAction(a)
            else:
                mw.addAction(a)
        if self.bench.actor.is_manager:
            self.action_edit = QAction(self.tr("Edit service phrases…"), mw)
            self.action_edit.setObjectName("action_phrase_edit")
            self.action_edit.triggered.connect(self.open_editor)
            target = getattr(mw, "menu_manage", None)
            (target or mw).addAction(self.action_edit)

    def open_editor(self):
        from .editor import PhraseEditor

        dlg = PhraseEditor(self.bench.db, self.bench.actor, self)
        dlg.exec()
        self.reload()
        return dlg

    def shutdown(self) -> None:
        self._poll.stop()


def create(bench, parent=None) -> PromptPanel:
    return PromptPanel(bench, parent)
