"""The accounts tab's business: open (Ctrl+N), rename (Ctrl+R), transfer (Ctrl+T), close,
the change of customer type (用气性质变更, Ctrl+Shift+Y), pay the arrears, show the full ID,
and the papers of each business (the form to sign as
a PDF, the slip on the receipt printer). A part of the controller
(:class:`~counterdesk.ui.accounts.panel.AccountPanel` inherits it).

Every service call goes through the tab's ``jobs``: never on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

from ... import accounts, i18n
from . import forms
from .dialogs import RetypeDialog


def make_papers(bench, view, business: str) -> dict:
    """Worker thread: the PDF form to sign and the slip; a failure is reported, never
    raised (the business is saved already)."""
    from ... import paths
    from ...print import printers
    from ...print.account_docs import papers

    try:
        names = accounts.hall_names(bench.db, bench.actor)
        settings = bench.settings
        printer = printers.from_settings(settings) if settings.printer.uri else ""
        return papers(view, names, business, folder=paths.data_dir() / "forms",
                      printer_uri=printer, staff_no=bench.actor.staff_no,
                      staff_name=bench.actor.name, window=bench.actor.window)
    except Exception as exc:  # noqa: BLE001 - reported to the clerk, never lost
        return {"pdf": "", "slip": "error", "error": str(exc)}


class BusinessActions:
    """Needs ``bench``, ``jobs``, ``paper_jobs``, ``current``, ``opener``, ``papers_done``,
    ``focus_search``, ``_say_error`` and ``show_account``."""

    # -- the forms ------------------------------------------------------------------------
    def _run(self, view, controller, business: str):
        controller.saved.connect(lambda v: self.show_account(v.account_no))
        controller.saved.connect(lambda v: self.print_papers(v, business))
        view.open()
        return view, controller

    def open_account(self):
        v = forms.OpeningFormView(self)
        return self._run(v, forms.OpeningController(self.bench, v), "open")

    def _need_current(self) -> bool:
        if self.current is None:
            self.bench.status_message.emit(self.tr("Find and select an account first"))
            self.focus_search()
            return False
        return True

    def _arrears_first(self, business: str) -> bool:
        """Refuse up front when the account owes money, offering payment."""
        cur = self.current
        if cur.arrears_fen <= 0:
            return False
        msg = self.tr("Account %1 owes %2: it must be paid before the %3.").replace(
            "%1", cur.account_no).replace("%2", accounts.fen_text(cur.arrears_fen)).replace(
            "%3", business)
        self.bench.rule_refused.emit("arrears", msg)
        box = QMessageBox(QMessageBox.Warning, self.tr("Arrears"), msg, parent=self)
        pay = box.addButton(self.tr("Go to payment"), QMessageBox.AcceptRole)
        box.addButton(QMessageBox.Cancel)
        box.setDefaultButton(pay)
        box.finished.connect(lambda _r: box.clickedButton() is pay and self.pay())
        box.open()
        self.arrears_box = box
        return True

    def rename(self):
        if not self._need_current() or self._arrears_first(self.tr("name change")):
            return None
        v = forms.RenameFormView(self.current.account_no, self)
        return self._run(v, forms.RenameController(self.bench, v), "rename")

    def transfer(self):
        if not self._need_current() or self._arrears_first(self.tr("transfer")):
            return None
        v = forms.TransferFormView(self.current.account_no, self)
        return self._run(v, forms.TransferController(self.bench, v), "transfer")

    def close_account(self):
        if not self._need_current() or self._arrears_first(self.tr("closing")):
            return None
        v = forms.CloseFormView(self.current.account_no, self)
        return self._run(v, forms.CloseController(self.bench, v), "close")

    def retype(self):
        """用气性质变更: bills first (the arrears box offers the payment); the hall's types
        are read off the GUI thread, then the dialog opens (``retype_dialog``)."""
        if not self._need_current() or self._arrears_first(self.tr("change of customer type")):
            return None
        cur = self.current
        return self.jobs.run(accounts.types.load, self.bench.db, self.bench.actor.hall_id,
                             on_done=lambda t: self._open_retype(cur, t),
                             on_error=self._say_error)

    def _open_retype(self, cur, types) -> RetypeDialog:
        dlg = RetypeDialog(cur.account_no, cur.customer_type, types.choices(), self)
        dlg.submitted.connect(lambda: self._submit_retype(dlg))
        dlg.open()
        self.retype_dialog = dlg
        return dlg

    def _submit_retype(self, dlg: RetypeDialog) -> None:
        v = dlg.values()

        def done(view) -> None:        # the form closes by itself (``follow``)
            self.bench.status_message.emit(
                self.tr("Customer type changed: %1 is now %2").replace(
                    "%1", view.account_no).replace("%2", i18n.pick(*view.customer_type_names)))
            self.show_account(view.account_no)
            self.print_papers(view, "retype")

        dlg.follow(self.jobs.run(accounts.change_type, self.bench.db, self.bench.actor,
                                 dlg.account_no, v["new_type"], reason=v["reason"],
                                 documents=v["documents"], approval=v["approval"],
                                 on_done=done, on_error=lambda _exc: None))  # in the form

    def pay(self) -> None:
        if self.current is not None:
            self.bench.open_payment.emit(self.current.account_no)

    # -- paper: the form to sign (PDF) and the slip ----------------------------------------
    def print_papers(self, view, business: str):
        """Make the papers of ``business`` off the GUI thread (their own jobs: a slow
        printer does not hold the tab); ``papers_done`` tells."""
        return self.paper_jobs.run(make_papers, self.bench, view, business,
                                   on_done=self._papers_done)

    def _papers_done(self, out: dict) -> None:
        self.last_papers = out
        if out.get("error"):
            self.bench.status_message.emit(
                self.tr("Slip not printed: %1 (the business is saved)").replace(
                    "%1", out["error"]))
        elif out.get("slip") == "printed":
            self.bench.status_message.emit(self.tr("Slip printed; form ready to sign"))
        if out.get("pdf"):
            self.opener(QUrl.fromLocalFile(out["pdf"]))
        self.papers_done.emit(out)

    # -- the full ID (recorded) -------------------------------------------------------------
    def reveal(self):
        if self.current is None:
            return None
        return self.jobs.run(accounts.reveal, self.bench.db, self.bench.actor,
                             self.current.account_no, "id_number", on_done=self._revealed,
                             on_error=self._say_error)

    def _revealed(self, value: str) -> None:
        box = QMessageBox(QMessageBox.Information, self.tr("Full ID number"),
                          self.tr("%1 (this look-up is recorded)").replace("%1", value),
                          parent=self)
        box.open()
        self.reveal_box = box
        self.revealed = value
