"""Sign-in window (controller): 工号, password, window number (preset from the settings).
The widgets are :class:`~.signin_view.SignInView`'s. The password is checked off the GUI
thread (``widgets.jobs``): meanwhile the fields and the button are disabled and the line
says "Signing in…" (a slow or unreachable database never freezes the window)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ..widgets.jobs import Job, Jobs, message
from .signin_view import SignInView

__all__ = ["SignInDialog", "SignInView"]


def sign_in(db, staff_no: str, password: str, *, window, hall_code):
    """Worker thread: the staff service's check (imported here: the window shows first)."""
    from ... import staff

    return staff.sign_in(db, staff_no, password, window=window, hall_code=hall_code)


class SignInDialog(SignInView):
    """Controller: checks the password through the staff service."""

    def __init__(self, db, settings, parent=None):
        """``db`` may be None while the database is still opening (:meth:`set_database`)."""
        super().__init__(parent)
        self.db = None
        self.settings = settings
        self.actor = None  # staff.Actor once signed in
        self.jobs = Jobs(self, busy=[self.staff_no, self.password, self.window_no])
        self.jobs.busy_changed.connect(lambda _b: self._enable_ok())
        self.window_no.setValue(settings.window.number)
        self.set_database(db)
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        # Return signs in and never quits: the check disables the fields, and the focus
        # leaving the password landed on 退出, which a dialog presses on Return when it is
        # an auto-default button (the program quit on Return after a good password)
        ok = self.buttons.button(QDialogButtonBox.Ok)
        ok.setDefault(True)
        for b in self.buttons.buttons():
            if b is not ok:
                b.setAutoDefault(False)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_sign_in)
        self.staff_no.setFocus()

    def set_database(self, db) -> None:
        self.db = db
        self._enable_ok()
        self.database.setText(self.tr("Database: %1").replace("%1", db.display_url)
                              if db is not None else self.tr("Connecting to the database…"))

    def _enable_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(
            self.db is not None and not self.jobs.busy)

    def try_sign_in(self) -> Job | None:
        """Check the password off the GUI thread; returns the job (None: refused at once
        or a check already on its way)."""
        if self.jobs.busy:
            return None
        no = self.staff_no.text().strip()
        if not no:
            self.message.setText(self.tr("Enter your staff number."))
            self.staff_no.setFocus()
            return None
        if self.db is None:
            self.message.setText(self.tr("Still connecting to the database; a moment please."))
            return None
        if not self.password.text():   # Return in the staff number: no attempt counted
            self.password.setFocus()
            return None
        self.message.setText(self.tr("Signing in…"))
        return self.jobs.run(sign_in, self.db, no, self.password.text(),
                             window=self.window_no.value() or None,
                             hall_code=self.settings.hall.code,
                             on_done=self._signed_in, on_error=self._refused)

    def _signed_in(self, actor) -> None:
        self.actor = actor
        self.message.clear()
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.message.setText(message(exc))
        self.password.clear()
        self.password.setFocus()

    def done(self, result: int) -> None:   # Quit while a check runs: let it end first
        self.jobs.wait(5.0)
        super().done(result)
