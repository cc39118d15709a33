"""``counterdesk self-test``: one pass through the whole product on a throw-away database.

It proves that *this* program — from source or the frozen bundle on a hall's PC — has
everything it needs: resources, database drivers, migrations, the demo hall, sign-in,
a ticket issued and called, its kiosk ticket and voice announcement, a payment, its
receipt rendered to ESC/POS bytes and sent to a file printer, the day report as a PDF,
and an intact audit chain. Each step prints one line; the exit status is 0 only if
every step passed.

A step whose capability is not in this build FAILS with "not available in this build"
(never silently passes); a step whose prerequisite failed fails with "skipped".

The database is a new SQLite file in a temporary folder, removed afterwards unless
``keep`` is given. Nothing of the PC's own settings or database is touched.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__

DEMO_CLERK = ("1001", "123456")
DEMO_MANAGER = ("9001", "888888")
DEMO_WINDOW = 1


class Unavailable(Exception):
    """The capability behind a step is not in this build."""


class Skipped(Exception):
    """A step's prerequisite failed."""


@dataclass
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        mark = "[ OK ]" if self.ok else "[FAIL]"
        return f"{mark} {self.name:<12} {self.seconds * 1000:7.0f} ms  {self.detail}"

    def to_dict(self) -> dict:
        return {"step": self.name, "ok": self.ok, "detail": self.detail,
                "ms": round(self.seconds * 1000, 1)}


@dataclass
class Report:
    steps: list[StepResult] = field(default_factory=list)
    folder: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(s.ok for s in self.steps)

    def summary(self) -> str:
        bad = [s.name for s in self.steps if not s.ok]
        if not bad:
            return f"self-test passed: {len(self.steps)}/{len(self.steps)} steps " \
                   f"(CounterDesk {__version__})"
        return (f"self-test FAILED: {len(bad)} of {len(self.steps)} steps "
                f"({', '.join(bad)}) (CounterDesk {__version__})")

    def to_dict(self) -> dict:
        return {"ok": self.ok, "version": __version__, "steps": [s.to_dict() for s in self.steps],
                "folder": self.folder}


@dataclass
class State:
    """What the steps hand on to each other."""

    folder: Path
    db: Any = None
    hall_code: str = ""
    actor: Any = None
    ticket: Any = None
    payment: Any = None
    receipt_bytes: bytes = b""
    done: set = field(default_factory=set)


def _get(obj, *names: str, default=None):
    """Read a field from a dataclass/dict/object by the first name present."""
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return default


# -- the steps ---------------------------------------------------------------------------
def step_resources(st: State) -> str:
    from . import resources_access

    tr = [e.name for e in resources_access.path("translations").iterdir()
          if e.name.endswith(".qm")]
    if not tr:
        raise RuntimeError("no compiled translations (.qm) in the resources")
    fonts = [e for e in resources_access.path("fonts").iterdir()
             if e.name.lower().endswith((".ttf", ".otf", ".ttc"))]
    if not fonts or fonts[0].read_bytes()[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"ttcf",
                                                      b"true"):
        raise RuntimeError("the bundled CJK font is missing or unreadable")
    resources_access.read_toml("demo", "hall.toml")
    icon = resources_access.path("icons", "counterdesk.png")
    if not icon.is_file():
        raise RuntimeError("the application icon is missing")
    # find_spec: whether the resources are the bundled package or the source tree (a check)
    where = ("counterdesk.resources" if importlib.util.find_spec("counterdesk.resources")
             else "source tree")
    return f"{len(tr)} translations, font {fonts[0].name} ({where})"


def step_drivers(st: State) -> str:
    """The database dialects and their drivers load (SQLite, PostgreSQL via psycopg)."""
    from sqlalchemy import create_engine

    names = []
    for url in ("sqlite://", "postgresql+psycopg://check@127.0.0.1:1/none"):
        eng = create_engine(url)  # loads the dialect and imports the DBAPI; no connection
        names.append(f"{eng.dialect.name}+{eng.dialect.driver}")
        eng.dispose()
    import argon2  # noqa: F401 - password hashing
    import psycopg

    return ", ".join(names) + f" (psycopg {psycopg.__version__})"


def step_libraries(st: State) -> str:
    """Libraries loaded lazily by the services, with their data files."""
    import cn2an
    from pypinyin import Style, lazy_pinyin

    capitals = cn2an.an2cn("123.45", "rmb")
    if capitals != "壹佰贰拾叁元肆角伍分":
        raise RuntimeError(f"amount in capitals came out as {capitals!r}")
    initials = "".join(lazy_pinyin("张小明", style=Style.FIRST_LETTER))
    if initials != "zxm":
        raise RuntimeError(f"pinyin initials came out as {initials!r}")
    return f"cn2an {capitals}, pypinyin {initials}"


def step_escpos(st: State) -> str:
    """An ESC/POS document with Chinese, ￥, big text, a QR code and a cut."""
    from .print import escpos_doc

    doc = escpos_doc.Doc(48)
    doc.center().big("A001").normal().line("自检 ￥123.45 壹佰贰拾叁元肆角伍分")
    doc.qr("CounterDesk self-test").cut()
    data = doc.bytes()
    if "壹佰贰拾叁元肆角伍分" not in escpos_doc.decode(data) or b"\x1dV" not in data:
        raise RuntimeError("the ESC/POS document did not round-trip")
    return f"{len(data)} bytes with QR and cut"


def step_pdf(st: State) -> str:
    """A PDF with the embedded CJK font (reportlab)."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from .print import pdf

    sheet = pdf.styles()
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph("营业厅日结报表 自检", sheet["Title"])])
    data = buf.getvalue()
    if not data.startswith(b"%PDF") or b"FontFile2" not in data:
        raise RuntimeError("the PDF has no embedded TrueType font")
    return f"{len(data)} bytes, CJK font embedded"


def step_migrate(st: State) -> str:
    from . import schema, setup
    from .db import Database

    url = "sqlite:///" + (st.folder / "selftest.sqlite3").as_posix()
    st.db = Database(url)
    before = setup.init(st.db)
    if schema.check(st.db) != "current":
        raise RuntimeError("the schema is not at this program's version after the upgrade")
    return f"{before} → {schema.head()}"


def step_demo(st: State) -> str:
    from . import setup

    res = setup.demo(st.db)
    st.hall_code = res.hall_code
    extras = ", ".join(sorted(k for k, v in res.extras.items() if v)) or "core only"
    return f"hall {res.hall_code} with {len(res.users)} staff ({extras})"


def step_sign_in(st: State) -> str:
    from . import staff

    st.actor = staff.sign_in(st.db, *DEMO_CLERK, window=DEMO_WINDOW, hall_code=st.hall_code)
    return f"clerk {st.actor.staff_no} at window {st.actor.window}"


def step_ticket(st: State) -> str:
    """A kiosk issues an A ticket; the clerk's window calls it."""
    from . import queue

    ticket = queue.issue(st.db, queue.kiosk_actor(st.db, st.hall_code), "A")
    called = queue.call_next(st.db, st.actor)
    if called is None or called.number != ticket.number:
        raise RuntimeError(f"issued {ticket.number} but window {st.actor.window} called "
                           f"{getattr(called, 'number', None)}")
    st.ticket = called
    return f"issued and called {ticket.number} at window {called.window}"


def step_kiosk_ticket(st: State) -> str:
    """The kiosk's paper ticket for the issued number, as ESC/POS bytes."""
    from .print import escpos_doc
    from .print.ticket import ticket_bytes

    data = ticket_bytes(st.ticket.to_dict(), hall_name=st.ticket.hall_name or st.hall_code)
    text = escpos_doc.decode(data)
    if st.ticket.number not in text:
        raise RuntimeError(f"{st.ticket.number} is not on the kiosk ticket")
    return f"{len(data)} bytes for {st.ticket.number}"


def step_voice(st: State) -> str:
    """The hall display's announcement from the bundled clips (offline Mandarin)."""
    from . import resources_access, voice

    window = st.ticket.window or DEMO_WINDOW
    missing = [n for n in voice.phrase(st.ticket.number, window)
               if not resources_access.path("sounds", f"{n}.wav").is_file()]
    if missing:
        raise RuntimeError(f"voice clips missing: {', '.join(missing)}")
    wav = voice.announcement(st.ticket.number, window)
    seconds = voice.duration_s(wav)
    if not wav.startswith(b"RIFF") or seconds < 1:
        raise RuntimeError("the announcement is not a WAV of at least a second")
    return f"“{voice.text(st.ticket.number, window)}” {seconds:.1f} s"


def step_payment(st: State) -> str:
    """The clerk takes a walk-in payment (the billing service's self-test sale)."""
    from . import billing

    st.payment = billing.take_payment(st.db, st.actor)
    if not st.payment.receipt_no or st.payment.total_fen <= 0:
        raise RuntimeError("the payment has no receipt number or no amount")
    return f"receipt {st.payment.receipt_no}, {st.payment.total_fen / 100:.2f} yuan"


def step_receipt(st: State) -> str:
    from .print import receipt

    data = receipt.render(st.payment)
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise RuntimeError("the receipt did not render to bytes")
    st.receipt_bytes = bytes(data)
    from .print import escpos_doc, printers

    text = escpos_doc.decode(st.receipt_bytes)
    no = str(_get(st.payment, "receipt_no", default=""))
    if no and no not in text:
        raise RuntimeError(f"receipt {no} is not on the rendered receipt")
    out = st.folder / "receipt.bin"
    printers.send("file:" + out.as_posix(), st.receipt_bytes)
    if out.read_bytes() != st.receipt_bytes:
        raise RuntimeError("the file printer did not receive the receipt")
    return f"{len(st.receipt_bytes)} bytes, sent to a file printer"


def step_day_report(st: State) -> str:
    """The manager's day report (without closing the day) as a PDF with the CJK font."""
    from . import cash, staff
    from .print import dayclose_pdf

    manager = staff.sign_in(st.db, *DEMO_MANAGER, hall_code=st.hall_code)
    rep = cash.day_report(st.db, manager)
    net = rep.get("totals", {}).get("net_fen")
    if net != st.payment.total_fen:
        raise RuntimeError(f"the day report's net total {net} is not the payment's "
                           f"{st.payment.total_fen}")
    data = dayclose_pdf.to_pdf(rep)
    if not data.startswith(b"%PDF") or b"FontFile2" not in data:
        raise RuntimeError("the day report is not a PDF with an embedded font")
    (st.folder / "day-report.pdf").write_bytes(data)
    return f"{len(data)} bytes PDF, net {net / 100:.2f} yuan"


def step_audit(st: State) -> str:
    from . import audit

    res = audit.verify(st.db)
    if not res.ok:
        raise RuntimeError(f"audit chain broken: {res.problem_en}")
    return f"chain intact, {res.count} events"


def step_workstation(st: State) -> str:
    """(--gui) The clerk's main window opens with every panel of this build."""
    from .ui.shell import selfcheck  # Qt only when asked
    return selfcheck.check_workstation(st.db, st.actor)


def step_settings_file(st: State) -> str:
    """The settings file in force: only administrators may write it, no password in it."""
    from . import credentials, paths

    warnings = credentials.settings_file_warnings(paths.default_settings_file())
    return "; ".join(warnings) or "settings file kept safely"


def step_printer(st: State) -> str:
    """The printer backend this PC is set up for can be used (issue 17.1): its module is
    in this build (win32print, serial), and a win32: printer is installed and ready.
    Without a printer set up, a Windows build must still carry win32print."""
    import sys

    from . import settings as settings_mod
    from .print import printers

    settings = settings_mod.load()
    if settings.printer.uri:
        return printers.backend_check(printers.from_settings(settings))
    if sys.platform == "win32":
        return _need_module("win32print")
    return "no printer set up on this PC"


def _need_module(name: str) -> str:
    if importlib.util.find_spec(name) is None:
        raise Unavailable(f"{name} is not available in this build")
    return f"{name} available (no printer set up)"


# name, function, prerequisites
STEPS: list[tuple[str, Callable[[State], str], tuple[str, ...]]] = [
    ("resources", step_resources, ()),
    ("settings-file", step_settings_file, ()),
    ("drivers", step_drivers, ()),
    ("libraries", step_libraries, ()),
    ("escpos", step_escpos, ()),
    ("printer", step_printer, ()),
    ("pdf", step_pdf, ()),
    ("migrate", step_migrate, ()),
    ("demo", step_demo, ("migrate",)),
    ("sign-in", step_sign_in, ("demo",)),
    ("ticket", step_ticket, ("sign-in",)),
    ("kiosk-ticket", step_kiosk_ticket, ("ticket",)),
    ("voice", step_voice, ("ticket",)),
    ("payment", step_payment, ("sign-in",)),
    ("receipt", step_receipt, ("payment",)),
    ("day-report", step_day_report, ("payment",)),
    ("audit", step_audit, ("demo",)),
]
GUI_STEPS = [("workstation", step_workstation, ("ticket", "payment"))]


def _describe(exc: BaseException) -> str:
    from .errors import CounterDeskError

    if isinstance(exc, (Unavailable, Skipped)):
        return str(exc)
    if isinstance(exc, CounterDeskError):
        return f"{type(exc).__name__}: {exc.en}" if getattr(exc, "en", None) else str(exc)
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def run(emit: Callable[[str], None] | None = print, *, keep: str | Path | None = None,
        steps: list | None = None, gui: bool = False) -> Report:
    """Run the steps; ``emit`` gets one line per step (None: silent). ``gui`` adds the
    workstation window (needs a Qt platform; ``QT_QPA_PLATFORM=offscreen`` on servers)."""
    if steps is None:  # the GUI step before the audit chain's check, which comes last
        steps = STEPS[:-1] + (GUI_STEPS if gui else []) + STEPS[-1:]
    from . import clock

    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="counterdesk-selftest-"))
    folder.mkdir(parents=True, exist_ok=True)
    st = State(folder=folder)
    report = Report(folder=str(folder) if keep else "")
    previous = clock._now
    if previous is None:
        # Run inside opening hours of today (10:00 on), with time moving on as it does:
        # a self-test at night must not be refused by "the hall is closed" rules.
        base = dt.datetime.combine(clock.today(), dt.time(10, 0))
        t_start = time.perf_counter()
        clock.set_now(lambda: base + dt.timedelta(seconds=time.perf_counter() - t_start))
    try:
        for name, fn, needs in steps:
            t0 = time.perf_counter()
            try:
                missing = [n for n in needs if n not in st.done]
                if missing:
                    raise Skipped(f"skipped: needs {', '.join(missing)}")
                detail = fn(st)
                ok = True
                st.done.add(name)
            except Exception as exc:  # noqa: BLE001 - every failure is reported as a line
                ok, detail = False, _describe(exc)
            result = StepResult(name, ok, detail, time.perf_counter() - t0)
            report.steps.append(result)
            if emit:
                emit(result.line())
    finally:
        clock.set_now(previous)
        if st.db is not None:
            st.db.dispose()
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    if emit:
        emit(report.summary())
    return report
