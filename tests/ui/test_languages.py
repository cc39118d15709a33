"""Both languages are complete (issue 18.22): every screen in English shows no Chinese and
every screen in Chinese no untranslated English, but data (names, addresses, the hall's
and the company's names, phrases of the data) and what is the same in both languages
(codes, numbers, units, key names: ``tests/helpers/screen_text.py``).

Walked, once per language: the workstation (a clerk after a call with an account open, a
manager with the board and the safety tab), every dialog of ``counterdesk.ui`` (built by the
fit test's factories, then with their OK/Save pressed on empty fields so the refusals show),
the status bar's messages and the message boxes of the workstation (Qt's own buttons
too), the kiosk, the hall display and the customer screen.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from counterdesk import clock, i18n, queue, staff
from counterdesk.settings import Settings
from counterdesk.ui.shell.app import load_translations
from counterdesk.ui.widgets.jobs import Jobs
from tests.helpers.screen_text import CJK, chinese_in, english_in, screen_texts

ACCOUNT = "0100000033"


@pytest.fixture
def db_kind() -> str:
    return "sqlite"  # the language of a screen does not depend on the database


@pytest.fixture(params=["en", "zh_CN"], ids=["en", "zh"])
def lang(request, qapp):
    i18n.set_language(request.param)
    load_translations(qapp, request.param)
    yield request.param
    load_translations(qapp, "en")  # no translator installed, as the other tests expect


def leaks(lang: str, texts, data) -> list[str]:
    return chinese_in(texts, data) if lang == "en" else english_in(texts, data)


def _report(lang: str, found: list[str]) -> str:
    other = "Chinese on the English screen" if lang == "en" else "English on the Chinese screen"
    return f"{other}:\n" + "\n".join(found)


@pytest.mark.parametrize("who", ["clerk", "manager"])
def test_workstation_speaks_one_language(qtbot, lang, demo_db, who):
    from counterdesk.ui.shell.mainwindow import MainWindow

    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    kiosk = queue.kiosk_actor(demo_db, "HQ01")
    queue.issue(demo_db, kiosk, "A")
    clock.set_now(dt.datetime(2026, 11, 23, 10, 20))
    no, password = ("1001", "123456") if who == "clerk" else ("9001", "888888")
    actor = staff.sign_in(demo_db, no, password, window=1 if who == "clerk" else None)
    settings = Settings()
    settings.window.number = 1
    settings.ui.language = lang
    win = MainWindow(demo_db, actor, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    try:
        if who == "clerk":
            win.panels["queue"].call_next()
        with qtbot.waitSignal(win.panels["accounts"].show_account(ACCOUNT).finished, timeout=5000):
            pass
        # the tabs read their data off the GUI thread: the answers are on screen too
        qtbot.waitUntil(lambda: not any(j.busy for j in win.findChildren(Jobs)), timeout=15000)
        QApplication.processEvents()
        found = leaks(lang, screen_texts(win), _data_texts(demo_db))
        assert not found, _report(lang, found)
    finally:
        for p in win.panels.values():
            getattr(p, "shutdown", lambda: None)()
        win.close()


def test_messages_and_pop_ups_speak_one_language(qtbot, lang, demo_db):
    """What the workstation says on its status bar and in its message boxes: a business
    with no account chosen, the arrears box (its amount and the business named), resuming
    an account that is not stopped, the text size, the language choice, and the question
    when the clerk leaves with a customer at the window."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox
    from sqlalchemy import select

    from counterdesk.models.accounts import Account, Bill
    from counterdesk.ui.shell.mainwindow import MainWindow

    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    queue.issue(demo_db, queue.kiosk_actor(demo_db, "HQ01"), "A")
    with demo_db.write() as s:
        acc = s.execute(select(Account).where(Account.account_no == ACCOUNT)).scalar_one()
        s.add(Bill(account_id=acc.id, period="2025-12", volume=1, amount_fen=5000, paid_fen=0,
                   due_date=dt.date(2026, 1, 20)))
    settings = Settings()
    settings.window.number = 1
    settings.ui.language = lang
    win = MainWindow(demo_db, staff.sign_in(demo_db, "1001", "123456", window=1), settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    said: list[str] = []
    win.bench.status_message.connect(said.append)
    texts: list[tuple[str, str]] = []
    panel = win.panels["accounts"]
    try:
        assert panel.rename() is None                         # no account chosen yet
        with qtbot.waitSignal(panel.show_account(ACCOUNT).finished, timeout=5000):
            pass
        assert panel.rename() is None                         # it owes: the arrears box
        texts += [("arrears box " + k, v) for k, v in screen_texts(panel.arrears_box)]
        assert any(ACCOUNT in v for _k, v in texts), texts
        panel.arrears_box.reject()
        assert panel.resume() is None                         # not stopped
        win.workstation.step_font(0.5)
        win.workstation.step_font(-0.5)
        other = next(a for a in win.workstation.language_group.actions() if not a.isChecked())
        other.trigger()                                       # saved for the next sign-in
        win.panels["queue"].call_next()
        qtbot.waitUntil(lambda: bool(win.customer_at_window()), timeout=5000)
        asked: list[tuple[str, str]] = []

        def answer_no():
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox)
            asked.extend(("leave box " + k, v) for k, v in screen_texts(box))
            box.button(QMessageBox.No).click()
        QTimer.singleShot(0, answer_no)
        assert not win.leave(switch=True)                     # the clerk stays
        assert asked and any(win.customer_at_window() in v for _k, v in asked), asked
        texts += asked
        texts += [("status bar", m) for m in said]
        assert len(said) >= 5, said                            # every step said something
        found = sorted(set(leaks(lang, texts, _data_texts(demo_db))))
        assert not found, _report(lang, found)
    finally:
        for p in win.panels.values():
            getattr(p, "shutdown", lambda: None)()
        win.close()


def _accept_buttons(dlg):
    """The OK / Save / Yes of the dialog's button boxes (what says "do it")."""
    roles = (QDialogButtonBox.AcceptRole, QDialogButtonBox.YesRole)
    for box in dlg.findChildren(QDialogButtonBox):
        for b in box.buttons():
            if box.buttonRole(b) in roles and b.isVisible() and b.isEnabled():
                yield b
    save = getattr(dlg, "save_button", None)
    if save is not None and save.isVisible() and save.isEnabled():
        yield save


def test_every_dialog_speaks_one_language(qtbot, lang, demo_db, clerk, manager):
    from counterdesk.ui.accounts import forms
    from counterdesk.ui.shell.bus import Workbench
    from tests.ui.test_fits_screen import LONG_NAME, _dialog_classes, _factories

    factories, host = _factories(demo_db, clerk, manager)
    qtbot.addWidget(host)
    built = {c.__qualname__ for c in factories}
    assert {c.__qualname__ for c in _dialog_classes()} <= built  # every dialog is walked
    bench = Workbench(demo_db, clerk, Settings())
    controllers = {forms.OpeningFormView: forms.OpeningController,  # the refusals they show
                   forms.TransferFormView: forms.TransferController,
                   forms.RenameFormView: forms.RenameController,
                   forms.CloseFormView: forms.CloseController}
    data = [*_data_texts(demo_db), LONG_NAME, LONG_NAME[:4]]
    found = []
    for cls, make in factories.items():
        dlg = make()
        qtbot.addWidget(dlg)
        keep = controllers[cls](bench, dlg) if cls in controllers else None
        dlg.show()
        QApplication.processEvents()
        found += [f"{cls.__qualname__} {x}" for x in leaks(lang, screen_texts(dlg), data)]
        for button in list(_accept_buttons(dlg)):  # empty fields: the refusals show
            button.click()
            QApplication.processEvents()
            # a form's save (or a dialog's own check) runs as a job: its answer comes back
            for owner in (keep, dlg):
                jobs = getattr(owner, "jobs", None)
                if jobs is not None:
                    qtbot.waitUntil(lambda j=jobs: not j.busy, timeout=10000)
        dlg.show()
        QApplication.processEvents()
        found += [f"{cls.__qualname__} (pressed OK) {x}"
                  for x in leaks(lang, screen_texts(dlg), data)]
        dlg.close()
        del keep
    found = sorted(set(found))
    assert not found, _report(lang, found)


@pytest.mark.parametrize("screen", ["kiosk", "display", "customer"])
def test_hall_screens_speak_one_language(qtbot, lang, demo_db, clerk, printer, screen):
    """The kiosk after a ticket is taken; the display with a call and a paused window."""
    from counterdesk.ui.hall.display import Display
    from counterdesk.ui.hall.kiosk import Kiosk
    from counterdesk.ui.hall.voice_player import VoicePlayer
    from counterdesk.ui.payment.customer_screen import CustomerScreen
    from counterdesk.ui.shell.bus import Workbench

    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    hall = queue.hall_id_for(demo_db, "HQ01")
    settings = Settings()
    settings.printer.uri = printer.uri
    if screen == "kiosk":
        w = Kiosk(demo_db, settings, poll=False, threaded=False)
    elif screen == "display":
        w = Display(demo_db, settings, player=VoicePlayer(lambda data: None),
                    threaded=False, hold_ms=0)
    else:
        w = CustomerScreen(Workbench(demo_db, clerk, settings))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    if screen in ("kiosk", "display"):
        qtbot.waitUntil(lambda: w.is_ready, timeout=10000)  # the hall found in the background
    if screen == "kiosk":
        w.apply_snapshot(queue.snapshot(demo_db, hall))
        with qtbot.waitSignal(w.printed, timeout=5000):
            w.take("A")
    elif screen == "display":
        queue.issue(demo_db, queue.kiosk_actor(demo_db, "HQ01"), "A")
        queue.pause_window(demo_db, staff.sign_in(demo_db, "1003", "123456", window=3),
                           reason="meal", until="10:10")
        queue.call_next(demo_db, clerk)
        qtbot.waitUntil(lambda: "A001" in w.current.text()
                        and any(r["pause"] for r in w.windows.rows), timeout=5000)
    QApplication.processEvents()
    found = leaks(lang, screen_texts(w), _data_texts(demo_db))
    assert not found, _report(lang, found)
    getattr(w, "shutdown", lambda: None)()
    w.close()


def test_card_panel_speaks_one_language(qtbot, lang, demo_db, clerk, tmp_path):
    """The IC card panel through a purchase whose write fails and is written again: the
    card's state, the ledger and the messages the card services give."""
    from counterdesk import cards
    from counterdesk.ui.card.panel import CardPanel
    from counterdesk.ui.shell.bus import Workbench
    from tests.helpers.billing_helpers import DAY
    from tests.helpers.cards import cash, ic_account, sim_reader

    clock.set_now(DAY)
    reader = sim_reader(tmp_path)
    cards.issue(demo_db, clerk, reader, ic_account(demo_db), tenders=cash())
    settings = Settings()
    settings.card.reader = reader.uri
    panel = CardPanel(Workbench(demo_db, clerk, settings))
    qtbot.addWidget(panel)
    panel.show()
    data = [*_data_texts(demo_db), "张小明", "张*明"]
    found, said = [], []

    def walk():
        qtbot.waitUntil(lambda: not panel.jobs.busy and not panel.quotes.busy, timeout=10000)
        said.append(panel.message.text())
        found.extend(leaks(lang, screen_texts(panel), data))

    panel.read()
    walk()
    panel.volume.setText("20")
    walk()                             # the price of 20 m³
    reader.set_fault("pull")
    panel.buy()
    walk()                             # paid, not written
    reader.insert("HQ0100000001")
    panel.write()
    walk()                             # written again
    panel.write()
    walk()                             # nothing to write
    assert all(said[2:]), said         # every step said something
    found = sorted(set(found))
    assert not found, _report(lang, found)


def test_what_the_services_name_follows_the_language(demo_db):
    """Words the services hand to a screen: the statistics' total, windows and services,
    complaint categories (stored in Chinese; named and typed in English too), rule units."""
    from counterdesk import policy, quality

    clock.set_now(dt.datetime(2026, 11, 23, 10, 0))
    queue.issue(demo_db, queue.kiosk_actor(demo_db, "HQ01"), "A")
    clerk = staff.sign_in(demo_db, "1001", "123456", window=1)
    queue.call_next(demo_db, clerk)
    hall = clerk.hall_id
    i18n.set_language("en")
    names = {r["group"]: r["name"] for r in queue.statistics(demo_db, hall, clock.today())["rows"]}
    assert (names["total"], names["window"]) == ("Total", "Window 1")
    assert not CJK.search(names["service"])
    assert quality.category_label("燃气质量") == "Gas quality"
    assert quality.category_label("漏收") == "漏收"          # one a clerk typed: as typed
    c = quality.record_complaint(demo_db, clerk, contact_phone="13812345678",
                                 description="燃气压力不稳定", category="Gas quality")
    assert c.category == "燃气质量"                          # stored as the reports group it
    assert policy.unit_label("分钟") == "min" and policy.unit_label("个工作日") == "working days"
    i18n.set_language("zh_CN")
    names = {r["group"]: r["name"] for r in queue.statistics(demo_db, hall, clock.today())["rows"]}
    assert (names["total"], names["window"]) == ("合计", "1号窗口")
    assert quality.category_label("燃气质量") == "燃气质量" and policy.unit_label("分钟") == "分钟"


def test_the_walk_finds_the_other_language():
    """The checks themselves: a Chinese word on an English screen and an English word on a
    Chinese one are found; data, codes, units and the language switch are not."""
    assert chinese_in([("QLabel", "Account 户号")], [])
    assert not chinese_in([("QLabel", "Holder: 刘先生"), ("QAction", "简体中文")], ["刘先生"])
    assert english_in([("QLabel", "户主 Approved by")], [])
    assert english_in([("QLabel", "Manager's password")], [])
    assert not english_in([("QLabel", "A001 号 3 m³ 12.5 kWh Ctrl+Shift+D F12 R00012"),
                           ("QAction", "English"), ("QLabel", "Acme 燃气")], ["Acme"])


def _data_texts(db) -> list[str]:
    """Data, shown as stored in either language: staff names and numbers, the hall and
    company, and every text column of accounts, holders, complaints (not their category: the
    screen names it), work orders and supply notices (names, addresses, what the customer
    said); holders' names masked as lists show them."""
    from sqlalchemy import String, select

    from counterdesk.models import Hall, Staff
    from counterdesk.models.accounts import Account, Holder
    from counterdesk.models.orders import SupplyNotice, WorkOrder
    from counterdesk.models.quality import Complaint
    from counterdesk.privacy import mask_name

    out: list[str] = []
    with db.read() as s:
        out += list(s.execute(select(Staff.name)).scalars())
        for h in s.execute(select(Hall)).scalars():
            out += [h.name, h.company_name, h.company_short, h.address]
        for model in (Account, Holder, Complaint, WorkOrder, SupplyNotice):
            cols = [c for c in model.__table__.columns
                    if isinstance(c.type, String) and (model, c.name) != (Complaint, "category")]
            for row in s.execute(select(*cols)).all():
                out += [str(v) for v in row if v]
        out += [mask_name(n, k) for n, k in s.execute(select(Holder.name, Holder.kind))]
        staff_nos = list(s.execute(select(Staff.staff_no)).scalars())
    out += [x for v in out for x in v.split()]   # parts shown apart (刘先生 139****1111)
    out = sorted({x for x in out if x and CJK.search(x)}, key=len, reverse=True)
    return out + [*staff_nos, "system"]  # the demo's accounts were opened by "system"
