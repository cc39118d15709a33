"""Issue 17.1 in the first-run dialog: the PC's installed printers are offered for win32:,
and usb: is not offered where it cannot work (Windows)."""

from __future__ import annotations

from counterdesk.print import printers
from counterdesk.settings import Settings
from counterdesk.ui.shell import first_run
from counterdesk.ui.shell.first_run import FirstRunDialog


class FakePrinterInfo:
    @staticmethod
    def availablePrinterNames():  # noqa: N802 - Qt's name
        return ["Microsoft Print to PDF", "POS-80", "XP-58"]

    @staticmethod
    def defaultPrinterName():  # noqa: N802
        return "POS-80"


def _dialog(qtbot, tmp_path, settings=None):
    dlg = FirstRunDialog(settings, target=tmp_path / "cfg" / "counterdesk.toml")
    qtbot.addWidget(dlg)
    return dlg


def test_windows_printers_are_picked_from_the_installed_ones(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(first_run, "QPrinterInfo", FakePrinterInfo)
    dlg = _dialog(qtbot, tmp_path)
    dlg.show()
    dlg.printer_type.setCurrentIndex(dlg.printer_type.findData("win32"))
    assert dlg.printer_installed.isVisible() and not dlg.printer_address.isVisible()
    assert dlg.printer_installed.currentText() == "POS-80"          # the default printer
    assert dlg.printer_uri() == "win32:POS-80"
    dlg.printer_installed.setCurrentText("XP-58")
    assert dlg.printer_uri() == "win32:XP-58"
    dlg.printer_type.setCurrentIndex(dlg.printer_type.findData("tcp"))
    assert dlg.printer_address.isVisible() and not dlg.printer_installed.isVisible()


def test_the_configured_windows_printer_stays_chosen(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(first_run, "QPrinterInfo", FakePrinterInfo)
    s = Settings()
    s.printer.uri = "win32:XP-58"
    dlg = _dialog(qtbot, tmp_path, s)
    assert dlg.printer_type.currentData() == "win32"
    assert dlg.printer_installed.currentText() == "XP-58" and dlg.printer_uri() == "win32:XP-58"


def test_usb_is_not_offered_on_windows(qtbot, tmp_path, monkeypatch):
    assert _dialog(qtbot, tmp_path).printer_type.findData("usb") >= 0   # Linux: offered
    monkeypatch.setattr(printers, "usb_available", lambda: False)
    assert _dialog(qtbot, tmp_path).printer_type.findData("usb") == -1
