"""The first-run settings dialog: nobody edits a settings file by hand.

Shown by ``ui.app.run_workstation`` when this PC has no settings file yet (and no
``--db`` / ``--config`` was given), or when the settings file cannot be read — then it
says which file and why, and saving replaces it (the old one is kept as ``*.broken``).

* Database: this PC (the SQLite file in the data folder) or a PostgreSQL server URL,
  with a connection test that says which database answered, or which one did not and why.
* Hall code and this PC's window number (0 for a kiosk, display or office PC).
* Printer: type + address + paper width, with a test print that reports a refusal.

The checks live in :mod:`counterdesk.firstrun` (no Qt); they run on a worker thread so
a server that does not answer never freezes the dialog.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from ... import firstrun, paths
from ... import settings as settings_mod
from ...errors import CounterDeskError
from ...print import printers
from ..widgets.jobs import Jobs, message

log = logging.getLogger(__name__)

OK_STYLE = "color: #1e7e34;"
BAD_STYLE = "color: #c0392b;"


class FirstRunView(QDialog):
    """Widgets only."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("CounterDesk — set up this PC"))
        self.setMinimumWidth(560)
        self.intro = QLabel(self.tr(
            "This PC has no CounterDesk settings yet. Choose the database, this PC's "
            "window and its receipt printer; they are saved in %1."))
        self.intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(BAD_STYLE)
        self.problem.hide()

        # database
        self.db_local = QRadioButton(self.tr("This PC only (a database file on this PC)"))
        self.db_local.setObjectName("db_local")
        self.db_server = QRadioButton(self.tr("The hall's database server (PostgreSQL)"))
        self.db_server.setObjectName("db_server")
        self.db_group = QButtonGroup(self)
        self.db_group.addButton(self.db_local)
        self.db_group.addButton(self.db_server)
        self.db_local_path = QLabel()
        self.db_local_path.setStyleSheet("color: gray;")
        self.db_url = QLineEdit()
        self.db_url.setObjectName("db_url")
        self.db_url.setPlaceholderText("postgresql+psycopg://user:password@server/counterdesk")
        self.db_test = QPushButton(self.tr("Test connection"))
        self.db_test.setObjectName("db_test")
        self.db_message = QLabel()
        self.db_message.setObjectName("db_message")
        self.db_message.setWordWrap(True)
        db_box = QGroupBox(self.tr("Database"))
        lay = QVBoxLayout(db_box)
        lay.addWidget(self.db_local)
        lay.addWidget(self.db_local_path)
        lay.addWidget(self.db_server)
        row = QHBoxLayout()
        row.addWidget(self.db_url, 1)
        row.addWidget(self.db_test)
        lay.addLayout(row)
        lay.addWidget(self.db_message)

        # hall and window
        self.hall_code = QLineEdit()
        self.hall_code.setObjectName("hall_code")
        self.hall_code.setMaxLength(16)
        self.window_no = QSpinBox()
        self.window_no.setObjectName("window_no")
        self.window_no.setRange(0, 999)
        self.window_no.setSpecialValueText(self.tr("0 — kiosk, display or office PC"))
        place_box = QGroupBox(self.tr("This PC"))
        form = QFormLayout(place_box)
        form.addRow(self.tr("Hall code"), self.hall_code)
        form.addRow(self.tr("Window number"), self.window_no)

        # printer
        self.printer_type = QComboBox()
        self.printer_type.setObjectName("printer_type")
        for kind, label in (("none", self.tr("No receipt printer")),
                            ("tcp", self.tr("Network printer (IP address)")),
                            ("win32", self.tr("Windows printer (name)")),
                            ("usb", self.tr("USB printer (VID:PID)")),
                            ("serial", self.tr("Serial port (e.g. COM3)")),
                            ("file", self.tr("File (testing)"))):
            if kind == "usb" and not printers.usb_available():
                continue   # Windows: USB printers go through their driver (win32:)
            self.printer_type.addItem(label, kind)
        self.printer_address = QLineEdit()
        self.printer_address.setObjectName("printer_address")
        self.printer_installed = QComboBox()     # win32: the PC's installed printers
        self.printer_installed.setObjectName("printer_installed")
        self.printer_installed.setVisible(False)
        self.printer_width = QComboBox()
        self.printer_width.setObjectName("printer_width")
        self.printer_width.addItem(self.tr("80 mm paper"), 80)
        self.printer_width.addItem(self.tr("58 mm paper"), 58)
        self.printer_test = QPushButton(self.tr("Test print"))
        self.printer_test.setObjectName("printer_test")
        self.printer_message = QLabel()
        self.printer_message.setObjectName("printer_message")
        self.printer_message.setWordWrap(True)
        printer_box = QGroupBox(self.tr("Receipt printer"))
        pform = QFormLayout(printer_box)
        pform.addRow(self.tr("Type"), self.printer_type)
        prow = QHBoxLayout()
        prow.addWidget(self.printer_address, 1)
        prow.addWidget(self.printer_installed, 1)
        prow.addWidget(self.printer_width)
        prow.addWidget(self.printer_test)
        pform.addRow(self.tr("Address"), prow)
        pform.addRow(self.printer_message)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(BAD_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("Save and start"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Quit"))

        main = QVBoxLayout(self)
        main.addWidget(self.intro)
        main.addWidget(self.problem)
        main.addWidget(db_box)
        main.addWidget(place_box)
        main.addWidget(printer_box)
        main.addWidget(self.message)
        main.addWidget(self.buttons)


_PLACEHOLDERS = {
    "none": "", "tcp": "192.168.1.50:9100", "win32": "POS-80", "usb": "0416:5011",
    "serial": "COM3?baud=9600", "file": "C:/temp/receipt.bin",
}


class FirstRunDialog(FirstRunView):
    """Controller: fills the widgets from the settings, runs the checks, saves the file."""

    def __init__(self, settings: settings_mod.Settings | None = None, *,
                 target: Path | str | None = None, problem: str | None = None,
                 db_problem: str | None = None, parent=None):
        super().__init__(parent)
        self.base = settings or settings_mod.Settings()
        self.target = Path(target or self.base.source or paths.default_settings_file())
        self.saved: settings_mod.Settings | None = None
        self.jobs = Jobs(self)
        self._db_ok_url: str | None = None
        self._db_check: firstrun.DatabaseCheck | None = None
        self._save_after_check = False
        self.had_problem = bool(problem)

        self.intro.setText(self.intro.text().replace("%1", str(self.target)))
        if problem:
            self.problem.setText(self.tr("The settings file cannot be used: %1 Correct the "
                                         "settings below and save; the old file is kept "
                                         "next to it as .broken.").replace("%1", problem))
            self.problem.show()
        elif db_problem:
            self.intro.setText(self.tr("Check this PC's settings; they are saved in %1.")
                               .replace("%1", str(self.target)))
            self.problem.setText(self.tr("The database did not answer: %1 Correct the "
                                         "settings below, test and save.")
                                 .replace("%1", db_problem))
            self.problem.show()
        self.pc_wide = self.target == paths.machine_settings_file()  # issue 17.3
        self.db_local_path.setText(firstrun.local_database_file(self.pc_wide).as_posix())
        url = self.base.database.url
        local = not url or url == firstrun.database_url("local", pc_wide=True)
        (self.db_local if local else self.db_server).setChecked(True)
        self.db_url.setText("" if local else url)
        self.hall_code.setText(self.base.hall.code)
        self.window_no.setValue(self.base.window.number)
        kind, address = firstrun.split_printer_uri(self.base.printer.uri)
        self.printer_type.setCurrentIndex(max(0, self.printer_type.findData(kind)))
        self.printer_address.setText(address)
        self.printer_width.setCurrentIndex(max(0, self.printer_width.findData(
            self.base.printer.width)))

        self.db_group.buttonToggled.connect(lambda *_: self._db_choice_changed())
        self.db_url.textChanged.connect(lambda *_: self._db_changed())
        self.db_test.clicked.connect(self.test_database)
        self.printer_type.currentIndexChanged.connect(lambda *_: self._printer_type_changed())
        self.printer_installed.currentTextChanged.connect(self.printer_address.setText)
        self.printer_test.clicked.connect(self.test_printer)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._db_choice_changed()
        self._printer_type_changed()

    # -- state of the widgets ------------------------------------------------------------
    def database_url(self) -> str:
        choice = "server" if self.db_server.isChecked() else "local"
        return firstrun.database_url(choice, self.db_url.text(), pc_wide=self.pc_wide)

    def _db_choice_changed(self) -> None:
        server = self.db_server.isChecked()
        self.db_url.setEnabled(server)
        self.db_local_path.setEnabled(not server)
        self._db_changed()
        if server:
            self.db_url.setFocus()

    def _db_changed(self) -> None:
        self._db_ok_url = None
        self.db_message.clear()

    def _printer_type_changed(self) -> None:
        kind = self.printer_type.currentData()
        self.printer_address.setEnabled(kind != "none")
        self.printer_width.setEnabled(kind != "none")
        self.printer_test.setEnabled(kind != "none")
        self.printer_address.setPlaceholderText(_PLACEHOLDERS.get(kind, ""))
        self.printer_message.clear()
        names = QPrinterInfo.availablePrinterNames() if kind == "win32" else []
        self.printer_installed.setVisible(bool(names))
        self.printer_address.setVisible(not names)   # a name picked, not typed
        if names:
            current = self.printer_address.text()
            pick = current if current in names else QPrinterInfo.defaultPrinterName()
            self.printer_installed.clear()
            self.printer_installed.addItems(names)
            self.printer_installed.setCurrentIndex(names.index(pick) if pick in names else 0)
            self.printer_address.setText(self.printer_installed.currentText())

    def printer_uri(self) -> str:
        return firstrun.printer_uri(self.printer_type.currentData(), self.printer_address.text(),
                                    self.printer_width.currentData())

    def busy(self) -> bool:
        return self.jobs.busy

    def _start(self, fn, on_done) -> None:
        """Run one check off the UI thread; ``on_done(ok, value or message)`` back on it."""
        self.jobs.run(fn, on_done=lambda value: on_done(True, value),
                      on_error=lambda exc: on_done(False, message(exc)))

    def _show(self, label: QLabel, ok: bool, text: str) -> None:
        label.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        label.setText(text)
        self._fit()

    def _fit(self) -> None:
        """Grow the dialog so a wrapped message is never cut off."""
        lay = self.layout()
        lay.activate()
        need = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else \
            lay.totalSizeHint().height()
        if need > self.height():
            self.resize(self.width(), need)

    # -- database --------------------------------------------------------------------
    def test_database(self) -> None:
        url = self.database_url()
        if self.db_server.isChecked() and not url:
            self._show(self.db_message, False, self.tr(
                "Enter the server's database URL, e.g. "
                "postgresql+psycopg://user:password@server/counterdesk"))
            self.db_url.setFocus()
            self._save_after_check = False
            return
        self.db_test.setEnabled(False)
        self._show(self.db_message, True, self.tr("Connecting…"))
        self._start(lambda: firstrun.check_database(url),
                    lambda ok, value, u=url: self._database_checked(u, ok, value))

    def _database_checked(self, url: str, ok: bool, value) -> None:
        self.db_test.setEnabled(True)
        if ok:
            ok, text = value.ok, value.message
        else:
            text = str(value)
        self._show(self.db_message, ok, text)
        if ok and url == self.database_url():
            self._db_ok_url = url
            self._db_check = value
        save, self._save_after_check = self._save_after_check, False
        if not ok:
            self.message.setText(self.tr("The database did not answer; correct it or choose "
                                         "this PC, then save again."))
            self._fit()
        if save and ok:
            self.save()

    # -- printer -----------------------------------------------------------------------
    def test_printer(self) -> None:
        try:
            uri = self.printer_uri()
        except CounterDeskError as exc:
            self._show(self.printer_message, False, exc.message)
            self.printer_address.setFocus()
            return
        self.printer_test.setEnabled(False)
        self._show(self.printer_message, True, self.tr("Sending a test page to %1…")
                   .replace("%1", uri))
        width, hall, window = (self.printer_width.currentData(), self.hall_code.text().strip(),
                               self.window_no.value())
        self._start(lambda: firstrun.test_print(uri, hall_code=hall or "-", window=window,
                                                width=width,
                                                timeout=self.base.printer.timeout),
                    self._printer_tested)

    def _printer_tested(self, ok: bool, value) -> None:
        self.printer_test.setEnabled(True)
        self._show(self.printer_message, ok, str(value))

    # -- save ----------------------------------------------------------------------------
    def save(self) -> None:
        self.message.clear()
        try:
            uri = self.printer_uri()
        except CounterDeskError as exc:
            self._show(self.printer_message, False, exc.message)
            self.message.setText(self.tr("Correct the printer address, or choose "
                                         "“No receipt printer”."))
            self.printer_address.setFocus()
            return
        try:
            new = firstrun.make_settings(
                self.base, database_url=self.database_url(), hall_code=self.hall_code.text(),
                window=self.window_no.value(), printer_uri=uri,
                width=self.printer_width.currentData(), pc_wide=self.pc_wide)
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            if exc.field and exc.field.startswith("hall"):
                self.hall_code.setFocus()
            return
        if self._db_ok_url != self.database_url():
            self._save_after_check = True  # test the database first; saves when it answers
            self.test_database()
            return
        misfit = firstrun.check_place(self._db_check, new.hall.code, new.window.number)
        if misfit:  # the hall or window is not in the database that answered
            self.message.setText(misfit)
            (self.window_no if self._db_check.hall(new.hall.code) else self.hall_code).setFocus()
            return
        hall = self._db_check.hall(new.hall.code) if self._db_check else None
        if hall is not None:
            new.hall.code = hall["code"]  # as the database spells it
        try:
            if self.had_problem and self.target.exists():
                shutil.copy2(self.target, self.target.with_name(self.target.name + ".broken"))
            firstrun.move_password(new)
            new.save(self.target)
        except OSError as exc:
            self.message.setText(self.tr("The settings could not be saved to %1: %2")
                                 .replace("%1", str(self.target))
                                 .replace("%2", exc.strerror or str(exc)) + " " +
                                 self.tr("Only an administrator may change this PC's settings: "
                                         "start CounterDesk with “Run as administrator”, or "
                                         "ask IT."))
            return
        log.info("first-run settings saved to %s", self.target)
        self.saved = new
        self.accept()

    def done(self, result: int) -> None:  # accept / reject / close
        self.jobs.wait()  # a check never outlives the dialog (bounded by its timeout)
        super().done(result)


def database_problem(ctx, message: str, parent=None) -> str:
    """The database did not answer at start: Retry, Change settings… or Quit.

    Returns "retry" (also after the settings were changed and saved) or "quit".
    """
    box = QMessageBox(QMessageBox.Warning, QCoreApplication.translate("FirstRun", "Database"),
                      message, QMessageBox.Retry | QMessageBox.Close, parent)
    box.setObjectName("database_problem")
    box.button(QMessageBox.Retry).setText(QCoreApplication.translate("FirstRun", "Retry"))
    box.button(QMessageBox.Close).setText(QCoreApplication.translate("FirstRun", "Quit"))
    change = box.addButton(QCoreApplication.translate("FirstRun", "Change settings…"),
                           QMessageBox.ActionRole)
    box.setDefaultButton(QMessageBox.Retry)
    box.exec()
    clicked = box.clickedButton()
    if clicked is change:
        config = getattr(ctx.args, "config", None)
        target = Path(config) if config else paths.settings_file_to_write()
        dlg = FirstRunDialog(ctx.settings, target=target, db_problem=message, parent=parent)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.saved is not None:
            ctx.close()
            ctx.settings = dlg.saved
        return "retry"
    return "retry" if clicked is box.button(QMessageBox.Retry) else "quit"


# -- what ui.app.run_workstation calls --------------------------------------------------
def needed(ctx) -> bool:
    """True on a PC without a settings file (and no --db / --config), or a broken one."""
    if getattr(ctx, "settings_error", None) is not None:
        return True
    args = ctx.args
    if getattr(args, "db", None) or getattr(args, "config", None):
        return False
    return not settings_mod.exists()


def run(ctx) -> bool:
    """Show the dialog; on save the context uses the new settings. False = user quit."""
    problem = getattr(ctx, "settings_error", None)
    config = getattr(ctx.args, "config", None)
    target = Path(config) if config else paths.settings_file_to_write()
    dlg = FirstRunDialog(ctx.settings, target=target,
                         problem=problem.message if problem is not None else None)
    if dlg.exec() != QDialog.DialogCode.Accepted or dlg.saved is None:
        return False
    ctx.close()
    ctx.settings = dlg.saved
    ctx.settings_error = None
    return True
