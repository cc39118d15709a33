"""The Windows spooler logic with a fake ``win32print`` injected (runs on Linux)."""

from __future__ import annotations

import sys
import types

import pytest

from counterdesk.errors import PrinterError
from counterdesk.print import printers, win32spool
from counterdesk.print.printers import PrintUnconfirmed


class WinError(Exception):
    def __init__(self, winerror, func="", text=""):
        super().__init__(winerror, func, text)
        self.winerror = winerror


class FakeSpooler:
    """What win32print offers, with a scripted printer and queue."""

    PRINTER_ENUM_LOCAL, PRINTER_ENUM_CONNECTIONS = 2, 4

    def __init__(self, *, status=0, attributes=0, job_states=(), start_error=None,
                 printers=("POS-80",)):
        self.status, self.attributes = status, attributes
        self.job_states = list(job_states)   # Status values GetJob reports, then gone
        self.start_error = start_error
        self.names = list(printers)
        self.written = []
        self.docs = []
        self.deleted = []
        self.open_handles = 0

    def OpenPrinter(self, name):  # noqa: N802 - the pywin32 names
        if name not in self.names:
            raise WinError(1801, "OpenPrinter", "The printer name is invalid.")
        self.open_handles += 1
        return name

    def ClosePrinter(self, h):  # noqa: N802
        self.open_handles -= 1

    def GetPrinter(self, h, level):  # noqa: N802
        assert level == 2
        return {"Status": self.status, "Attributes": self.attributes, "DriverName": "ESC/POS"}

    def StartDocPrinter(self, h, level, doc):  # noqa: N802
        if self.start_error:
            raise WinError(self.start_error, "StartDocPrinter", "")
        self.docs.append(doc)
        return 42

    def StartPagePrinter(self, h):  # noqa: N802
        pass

    def WritePrinter(self, h, data):  # noqa: N802
        self.written.append(data)
        return len(data)

    def EndPagePrinter(self, h):  # noqa: N802
        pass

    def EndDocPrinter(self, h):  # noqa: N802
        pass

    def GetJob(self, h, job_id, level):  # noqa: N802
        if not self.job_states:
            raise WinError(87, "GetJob", "The parameter is incorrect.")   # left the queue
        return {"Status": self.job_states.pop(0), "JobId": job_id}

    def SetJob(self, h, job_id, level, info, command):  # noqa: N802
        self.deleted.append((job_id, command))

    def EnumPrinters(self, flags, name, level):  # noqa: N802
        return [(0, "", n, "") for n in self.names]


@pytest.fixture
def fake(monkeypatch):
    def install(**kw):
        f = FakeSpooler(**kw)
        mod = types.ModuleType("win32print")
        for attr in dir(f):
            if not attr.startswith("_"):
                setattr(mod, attr, getattr(f, attr))
        monkeypatch.setitem(sys.modules, "win32print", mod)
        monkeypatch.setattr(win32spool, "POLL_SECONDS", 0)
        return f
    return install


P = printers.parse("win32:POS-80")


def test_a_ready_printer_gets_one_raw_job_named_after_the_receipt(fake):
    f = fake(job_states=[0x0010, 0x0010])      # printing, printing, then gone
    printers.send(P, b"\x1b@receipt", job_name="HQ01-20261123-000042")
    assert f.docs == [("HQ01-20261123-000042", None, "RAW")]
    assert f.written == [b"\x1b@receipt"] and f.deleted == [] and f.open_handles == 0


@pytest.mark.parametrize("status,attributes,word", [
    (0x80, 0, "脱机"), (0x01, 0, "暂停"), (0x02, 0, "出错"), (0x10, 0, "缺纸"),
    (0, win32spool.PRINTER_ATTRIBUTE_WORK_OFFLINE, "脱机")])
def test_a_printer_not_ready_is_refused_before_sending(fake, status, attributes, word):
    f = fake(status=status, attributes=attributes)
    with pytest.raises(PrinterError) as e:
        printers.send(P, b"x")
    assert word in e.value.message and not isinstance(e.value, PrintUnconfirmed)
    assert f.written == [] and f.open_handles == 0


def test_raw_refused_by_the_driver_says_so(fake):
    fake(start_error=1804)
    with pytest.raises(PrinterError) as e:
        printers.send(P, b"x")
    assert "RAW" in e.value.message and "1804" in e.value.message


def test_unknown_printer_name(fake):
    fake()
    with pytest.raises(PrinterError) as e:
        printers.send(printers.parse("win32:Nope"), b"x")
    assert "Nope" in e.value.message


def test_a_job_that_errors_in_the_queue_is_cancelled_and_unconfirmed(fake):
    f = fake(job_states=[0x0010, 0x0040])     # printing, then paper out
    with pytest.raises(PrintUnconfirmed) as e:
        printers.send(P, b"x", job_name="R1")
    assert "缺纸" in e.value.message and f.deleted == [(42, win32spool.JOB_CONTROL_DELETE)]


def test_a_job_stuck_in_the_queue_is_cancelled_and_unconfirmed(fake, monkeypatch):
    f = fake(job_states=[0] * 10_000)
    monkeypatch.setattr(win32spool, "WATCH_SECONDS", 0)
    with pytest.raises(PrintUnconfirmed):
        printers.send(P, b"x")
    assert f.deleted and f.open_handles == 0


def test_backend_check_and_installed_printers(fake):
    fake(printers=("POS-80", "XP-58"))
    assert "ready" in printers.backend_check(P)
    assert win32spool.installed() == ["POS-80", "XP-58"]


def test_missing_pywin32_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "win32print", None)
    with pytest.raises(PrinterError) as e:
        printers.backend_check(P)
    assert "win32print" in e.value.message


def test_self_test_step_checks_the_chosen_backend(fake, monkeypatch, tmp_path):
    from counterdesk import selftest
    from counterdesk import settings as settings_mod

    f = fake(status=0x80)
    s = settings_mod.Settings()
    s.printer.uri = "win32:POS-80"
    monkeypatch.setattr(settings_mod, "load", lambda *a, **k: s)
    with pytest.raises(PrinterError) as e:       # installed, but offline
        selftest.step_printer(selftest.State(folder=tmp_path))
    assert "脱机" in e.value.message
    f.status = 0
    monkeypatch.setattr(sys.modules["win32print"], "GetPrinter", f.GetPrinter)
    assert "ready" in selftest.step_printer(selftest.State(folder=tmp_path))
