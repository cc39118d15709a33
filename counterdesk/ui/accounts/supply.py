"""The accounts tab's 暂停供气 / 恢复供气 (Ctrl+Shift+S / Ctrl+Shift+U): a part of the
controller (:class:`~counterdesk.ui.accounts.panel.AccountPanel` inherits it).

Both call :func:`counterdesk.accounts.set_suspended`, the service behind
``counterdesk account suspend|resume``: it refuses a closed account, a missing reason or
inspection reference, and an approval that is missing, wrong or the clerk's own. The
refusal is shown in the dialog, next to what the clerk typed.
"""

from __future__ import annotations

from ... import accounts
from .dialogs import ResumeDialog, SuspendDialog


class SupplyActions:
    """Needs ``bench``, ``jobs``, ``current``, ``_need_current`` and ``show_account``."""

    def suspend(self) -> SuspendDialog | None:
        if not self._need_current():
            return None
        if self.current.status != "active":
            self.bench.status_message.emit(self.tr("Only an active account can be stopped"))
            return None
        return self._supply_dialog(SuspendDialog(self.current.account_no, self), True)

    def resume(self) -> ResumeDialog | None:
        if not self._need_current():
            return None
        if self.current.status != "suspended":
            self.bench.status_message.emit(self.tr("The supply of this account is not "
                                                   "stopped"))
            return None
        return self._supply_dialog(ResumeDialog(self.current.account_no, self), False)

    def _supply_dialog(self, dlg, suspended: bool):
        dlg.submitted.connect(lambda: self._submit_supply(dlg, suspended))
        dlg.open()
        self.supply_dialog = dlg
        return dlg

    def _submit_supply(self, dlg, suspended: bool):
        v = dlg.values()

        def done(view) -> None:        # the form closes by itself (``follow``)
            self.bench.status_message.emit(
                (self.tr("Supply stopped: %1") if suspended
                 else self.tr("Supply resumed: %1")).replace("%1", view.account_no))
            self.show_account(view.account_no)

        dlg.follow(self.jobs.run(accounts.set_suspended, self.bench.db, self.bench.actor,
                                 dlg.account_no, suspended, reason=v["reason"],
                                 approval=v.get("approval"),
                                 inspection_ref=v.get("inspection_ref", ""), on_done=done,
                                 on_error=lambda _exc: None))   # said in the form
