"""pytest-qt: the card reader in the settings dialog of this PC — the URI checked and saved,
the PC/SC readers listed and the reader tested as background jobs (no translator is
installed in the tests: the dialog speaks its English source text)."""

from __future__ import annotations

import threading

from counterdesk.cards import drivers
from counterdesk.cards.drivers import ReaderMissing
from counterdesk.cards.drivers.sim import SimReader
from counterdesk.settings import Settings
from counterdesk.settings import load as load_settings
from counterdesk.ui.shell.settings_dialog import SettingsDialog


def dialog(qtbot, tmp_path, reader: str = "") -> SettingsDialog:
    s = Settings()
    s.source = tmp_path / "counterdesk.toml"
    s.card.reader = reader
    dlg = SettingsDialog(s)
    qtbot.addWidget(dlg)
    return dlg


def finish(qtbot, job):
    assert job is not None
    if not job.done:
        qtbot.waitSignal(job.finished, timeout=10000).wait()
    return job


def test_card_reader_is_checked_then_saved(qtbot, tmp_path):
    folder = tmp_path / "reader"
    folder.mkdir()
    dlg = dialog(qtbot, tmp_path)
    for bad in ("COM3", "sim:", "usb:1234", "pcs:Reader"):
        dlg.card_reader.setText(bad)
        assert not dlg.save(), bad
        assert "card.reader" in dlg.message.text() or "sim:" in dlg.message.text(), bad
        assert not dlg.settings.source.exists() and dlg.settings.card.reader == ""
    dlg.card_reader.setText(f"  sim:{folder}  ")
    assert dlg.save()
    assert load_settings(dlg.settings.source).card.reader == f"sim:{folder}"
    dlg2 = dialog(qtbot, tmp_path, "pcsc:")
    assert dlg2.card_reader.text() == "pcsc:"
    dlg2.card_reader.setText("")                       # '' = no reader at this PC
    assert dlg2.save() and load_settings(dlg2.settings.source).card.reader == ""


def test_the_reader_test_runs_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    threads = []
    real = SimReader.read

    def read(reader):
        threads.append(threading.current_thread())
        return real(reader)

    monkeypatch.setattr(SimReader, "read", read)
    folder = tmp_path / "reader"
    folder.mkdir()
    sim = SimReader(folder)
    dlg = dialog(qtbot, tmp_path, f"sim:{folder}")
    sim.eject()
    finish(qtbot, dlg.try_reader())
    assert "no card" in dlg.reader_result.text()
    sim.insert("")
    finish(qtbot, dlg.try_reader())
    assert "blank card" in dlg.reader_result.text()
    assert len(threads) == 2 and threading.main_thread() not in threads
    dlg.card_reader.setText(f"sim:{tmp_path / 'unplugged'}")
    job = finish(qtbot, dlg.try_reader())
    assert not job.ok and "unplugged" in dlg.reader_result.text()
    assert "c0392b" in dlg.reader_result.styleSheet()
    dlg.card_reader.setText("COM3")                   # refused before any job
    assert dlg.try_reader() is None and "card.reader" in dlg.reader_result.text()


def test_pcsc_readers_are_listed_and_chosen(qtbot, tmp_path, monkeypatch):
    calls = []

    def present():
        calls.append(threading.current_thread())
        return ["Virtual PCD 00 00", "Virtual PCD 00 01"]

    monkeypatch.setattr(drivers, "pcsc_readers", present)
    dlg = dialog(qtbot, tmp_path)
    dlg.show()                                        # listed once it is on screen
    qtbot.waitUntil(lambda: dlg.pcsc_readers.count() == 3)
    assert calls and threading.main_thread() not in calls
    dlg.pcsc_readers.setCurrentIndex(2)
    dlg.pcsc_readers.activated.emit(2)
    assert dlg.card_reader.text() == "pcsc:Virtual PCD 00 01"
    assert dlg.save() and load_settings(dlg.settings.source).card.reader == \
        "pcsc:Virtual PCD 00 01"


def test_no_pcsc_service_is_said_in_the_list(qtbot, tmp_path, monkeypatch):
    def missing():
        raise ReaderMissing("PC/SC 服务不可用（智能卡服务未启动）", "The PC/SC service is not available")

    monkeypatch.setattr(drivers, "pcsc_readers", missing)
    dlg = dialog(qtbot, tmp_path)
    finish(qtbot, dlg.list_readers())
    assert dlg.pcsc_readers.count() == 1
    assert dlg.pcsc_readers.itemText(0) == "No PC/SC reader found"
    assert "PC/SC 服务不可用" in dlg.reader_result.text()
    monkeypatch.setattr(drivers, "pcsc_readers", lambda: [])
    finish(qtbot, dlg.list_readers())
    assert [dlg.pcsc_readers.itemText(i) for i in range(dlg.pcsc_readers.count())] == \
        ["No PC/SC reader found"]
