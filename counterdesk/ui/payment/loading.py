"""The payment tab's reads, off the GUI thread: the price list behind the item completer,
the account with its open bills, and the quote (the amount due). A part of the controller
(:class:`~counterdesk.ui.payment.panel.PaymentPanel` inherits it).

Every read runs through ``self.data_jobs`` (``widgets.jobs``); while one runs the tab
shows "Working…" and the take button is disabled. An account or a quote that arrives
after a newer one was asked for is dropped (a sequence number per kind, as in the
accounts tab), so the screen always shows the last thing the clerk typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from ... import billing, money
from ...errors import CounterDeskError
from ..widgets.jobs import Job, message
from . import assist


class LoadingActions:
    """Needs ``bench``, ``actor``, ``data_jobs``, the view's widgets and the models."""

    _account_seq = 0
    _asked_account: str | None = None    # the account last asked for (maybe on its way)
    _quote_seq = 0
    _accepted_entries: list[dict] = []   # the item lines of the last quote taken

    @property
    def loading(self) -> bool:
        """A read (price list, account, quote) is on its way: tests wait on this."""
        return self.data_jobs.busy

    # -- the price list -------------------------------------------------------------------
    def _load_catalogue(self) -> Job:
        return self.data_jobs.run(billing.list_prices, self.bench.db, self.actor.hall_id,
                                  on_done=self._catalogue_loaded,
                                  on_error=lambda exc: self.message.setText(message(exc)))

    def _catalogue_loaded(self, items) -> None:
        comp = QCompleter(self.catalogue.load(items), self)
        comp.setCaseSensitivity(Qt.CaseInsensitive)
        comp.setFilterMode(Qt.MatchContains)
        self.item.setCompleter(comp)

    def refresh_catalogue(self, force: bool = False) -> Job | None:
        """Re-read the price list if it may have changed (or ``force``: after a price
        change made on this PC)."""
        if force or self.catalogue.stale():
            return self._load_catalogue()
        return None

    # -- the account ----------------------------------------------------------------------
    def load_account(self, *, focus_next: bool = False) -> Job | None:
        """Show the holder and the open bills of the typed account (off the GUI thread).
        A newly loaded account has all its open bills ticked (the common case: paying
        them). With ``focus_next`` the focus goes where the next key goes: the tendered
        amount when there is something to pay, else the item field."""
        no = self.account.text().strip()
        self._account_seq += 1
        seq = self._account_seq
        self._asked_account = no
        if not no:
            self._loaded_account = None
            self.holder.setText("")
            self.bills_model.set_bills([])
            self.refresh_quote()
            return None
        return self.data_jobs.run(
            billing.account_summary, self.bench.db, no,
            on_done=lambda info: seq == self._account_seq and self._show_account(
                no, info, focus_next),
            on_error=lambda exc: seq == self._account_seq and self._account_refused(
                exc, focus_next))

    def _account_refused(self, exc: BaseException, focus_next: bool) -> None:
        self._loaded_account = None
        self.holder.setText("")
        self.bills_model.set_bills([])
        self.message.setText(message(exc))
        self.refresh_quote(keep_message=True)
        if focus_next:
            self.account.setFocus()
            self.account.selectAll()

    def _show_account(self, no: str, info: dict, focus_next: bool,
                      keep_message: bool = False) -> None:
        extra = [x for x in (info.get("address"), self.tr("meter %1").replace(
            "%1", info["meter_no"]) if info.get("meter_no") else "") if x]
        self.holder.setText(" · ".join([info["holder"] + (
            "" if info["status"] != "closed" else self.tr(" (closed)"))] + extra))
        new = no != self._loaded_account
        self._loaded_account = no
        if self._pending_account == no:
            self._pending_account = None
        self.bills_model.set_bills(info["bills"], tick_all=new)
        self.refresh_quote(keep_message, focus_next=focus_next)

    def _focus_next(self) -> None:
        if self.due_fen() > 0:
            target = self.tendered if self.tendered.isEnabled() else self.method
            target.setFocus()
            if isinstance(target, QLineEdit):
                target.selectAll()
        else:
            self.item.setFocus()

    # -- an item line ---------------------------------------------------------------------
    def add_item(self) -> None:
        """Add the typed item and quantity; the line stays only if the service prices it
        (a retired item or a bad quantity is refused and the line dropped)."""
        text = self.item.text().strip()
        code = self.catalogue.code_for(text)
        qty = self.qty.text().strip() or "1"
        if not code:
            self.item.setFocus()
            return
        try:
            money.parse_qty(qty)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.qty.setFocus()
            return
        if assist.may_be_account(self, text):   # issue 18.8: the service says which
            self.data_jobs.run(billing.account_summary, self.bench.db, text,
                               on_done=lambda info: self._typed_account(text, info),
                               on_error=lambda _exc: self._add_line(code, qty))
            return
        self._add_line(code, qty)

    def _typed_account(self, text: str, info: dict) -> None:
        self.item.clear()
        self.account.setText(text)
        self._account_seq += 1
        self._asked_account = text
        self._show_account(text, info, True, keep_message=True)
        self.message.setText(self.tr("%1 is an account number: loaded as the account")
                             .replace("%1", text))

    def _add_line(self, code: str, qty: str) -> None:
        self.lines_model.add(code, qty)
        self.refresh_quote(revert=True)
        self.item.clear()
        self.qty.setText("1")
        self.item.setFocus()

    # -- the quote ------------------------------------------------------------------------
    def refresh_quote(self, keep_message: bool = False, *, revert: bool = False,
                      focus_next: bool = False) -> Job | None:
        """Ask the service for the amount due of what is entered. With ``revert`` a
        refusal drops the item lines added since the last quote taken."""
        self._quote_seq += 1
        seq = self._quote_seq
        req = self.request()
        if not req.items and not req.bills:
            self._accepted_entries = []
            self.quote = None
            self.lines_model.set_lines([])
            self.update_amounts()
            if focus_next:
                self._focus_next()
            return None
        entries = [dict(e) for e in self.lines_model.entries]
        return self.data_jobs.run(
            billing.quote, self.bench.db, self.actor, req,
            on_done=lambda q: seq == self._quote_seq and self._quoted(
                q, entries, keep_message, focus_next),
            on_error=lambda exc: seq == self._quote_seq and self._quote_refused(
                exc, revert))

    def _quoted(self, quote, entries: list[dict], keep_message: bool, focus_next: bool) -> None:
        self.quote = quote
        self._accepted_entries = entries
        if not keep_message:
            self.message.setText("")
        self.lines_model.set_lines([ln.__dict__ for ln in quote.lines])
        self.update_amounts()
        if focus_next:
            self._focus_next()

    def _quote_refused(self, exc: BaseException, revert: bool) -> None:
        text = message(exc)
        self.message.setText(text)
        if assist.is_rule(exc):
            self.bench.rule_refused.emit("billing", text)
        if revert and self.lines_model.entries != self._accepted_entries:
            self.lines_model.entries = [dict(e) for e in self._accepted_entries]
            self.refresh_quote(keep_message=True)   # the refused line is not kept
