"""The prompt panel (服务用语): the right phrase in front of the clerk at the right moment.

It listens to the workbench: a called ticket shows the greeting (and the apology when
the customer waited too long), a transfer the hand-over phrase, a refusal the
explanation, the finish the farewell. F11 searches (characters or pinyin initials),
Ctrl+Shift+C copies the selected phrase (for a forbidden phrase: what to say instead).
The phrases come from :mod:`counterdesk.phrases`; which phrase fits which moment is
decided there, not here.

Every database read runs off the GUI thread (``widgets.jobs``): the hall's phrases and
the apology threshold (at start, after the editor, and when the 30-second poll finds
an edit; until the first answer the shipped phrases are shown and the heading says
"loading…"), and the holder's form of address. An address that arrives after a newer
moment was shown is dropped.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence

from ... import i18n, phrases, policy
from ...errors import CounterDeskError
from ..widgets.jobs import Job, Jobs, message
from .models import (
    PhraseTableModel,
    SectionListModel,
)
from .view import PromptPanelView

log = logging.getLogger(__name__)


def load_hall(db, actor, lang: str) -> tuple:
    """Worker thread: the hall's phrases and its apology threshold (None: unreadable)."""
    cat = phrases.load(db, actor.hall_code, lang)
    return cat, wait_minutes(db, actor)


def poll_hall(db, actor, lang: str) -> tuple:
    """Worker thread: the phrases' revision and the apology threshold."""
    return phrases.revision(db, actor.hall_code, lang), wait_minutes(db, actor)


def wait_minutes(db, actor) -> int | None:
    try:
        return policy.load_queue_rules(db, actor.hall_id).wait_apology_minutes
    except CounterDeskError:
        return None


class PromptPanel(PromptPanelView):
    """Controller: loads the hall's phrases, follows the workbench, searches, copies."""

    POLL_MS = 30_000

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.tab_title = self.tr("Phrases")
        self.catalogue: phrases.Catalogue = phrases.defaults(i18n.current())  # until loaded
        self.loaded = False            # the hall's own phrases have arrived
        self.apology_minutes = policy.QueueRules().wait_apology_minutes
        self.prompt: phrases.Prompt | None = None
        self._context_seq = 0          # bumped by every moment shown
        self.jobs = Jobs(self)
        self.jobs.busy_changed.connect(self._busy_changed)
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
        self._show_catalogue()
        self.reload()
        self.set_context(self.tr("Waiting for the next customer"), [])
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.check_for_edits)
        self._poll.start()

    # -- data --------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        self.heading.setText(self.tr("Service phrases (loading…)") if busy and not self.loaded
                             else self.tr("Service phrases"))

    def reload(self) -> Job:
        """Read the hall's phrases again (off the GUI thread); returns the job."""
        return self.jobs.run(load_hall, self.bench.db, self.bench.actor, i18n.current(),
                             on_done=self._loaded,
                             on_error=lambda exc: self.bench.status_message.emit(message(exc)))

    def _loaded(self, out: tuple) -> None:
        cat, minutes = out
        self.catalogue, self.loaded = cat, True
        if minutes is not None:
            self.apology_minutes = minutes
        self._busy_changed(self.jobs.busy)
        self._show_catalogue()

    def _show_catalogue(self) -> None:
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

    def check_for_edits(self) -> Job | None:
        """Reload when a manager changed the phrases (on any PC of the hall); the apology
        threshold is read again too. Returns the job (None while another runs)."""
        if self.jobs.busy:
            return None
        return self.jobs.run(poll_hall, self.bench.db, self.bench.actor, i18n.current(),
                             on_done=self._polled, on_error=lambda _exc: None)

    def _polled(self, out: tuple) -> None:
        rev, minutes = out
        if minutes is not None:
            self.apology_minutes = minutes
        if rev != self.catalogue.revision:
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
    def show_prompt(self, prompt: phrases.Prompt, title: str) -> None:
        self._context_seq += 1
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
                               wait_apology_minutes=self.apology_minutes)
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
            self._context_seq += 1
            self.prompt = None
            self.set_context(self.tr("Waiting for the next customer"), [])
            return
        self.show_prompt(p, self.tr("Ticket %1 finished — see the customer off").replace(
            "%1", str(ticket.get("number", ""))))

    def on_account_selected(self, account_no: str) -> Job:
        """The customer's file is open: how to address the holder (by surname), read off
        the GUI thread; dropped if another moment was shown meanwhile."""
        seq = self._context_seq
        return self.jobs.run(phrases.for_account, self.bench.db, self.bench.actor,
                             self.catalogue, account_no,
                             on_done=lambda p: seq == self._context_seq and self._address(
                                 p, account_no),
                             on_error=lambda _exc: None)

    def _address(self, p: phrases.Prompt, account_no: str) -> None:
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
                               wait_apology_minutes=self.apology_minutes)
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
        self.jobs.wait(5.0)


def create(bench, parent=None) -> PromptPanel:
    return PromptPanel(bench, parent)
