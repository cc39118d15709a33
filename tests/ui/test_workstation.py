"""The clerk workstation: prompt panel (context, search, copy), phrase editor, F1 cheat sheet,
display settings, status figures, the paused banner. Offscreen, keyboard first."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from counterdesk import i18n, phrases, workstation
from counterdesk.settings import Settings
from counterdesk.settings import load as load_settings
from counterdesk.ui.prompts.editor import PhraseEditor
from counterdesk.ui.prompts.models import PhraseTableModel, SectionListModel
from counterdesk.ui.prompts.panel import PromptPanel
from counterdesk.ui.shell import cheatsheet
from counterdesk.ui.shell.app import apply_theme, load_translations
from counterdesk.ui.shell.bus import Workbench
from counterdesk.ui.shell.settings_dialog import SettingsDialog
from counterdesk.ui.shell.workstation import splitter_sizes


@pytest.fixture
def demo_db(sqlite_db):
    """The UI tests run on SQLite only: the services they call are tested on both engines."""
    from counterdesk import setup

    setup.demo(sqlite_db)
    return sqlite_db


@pytest.fixture
def bench(qtbot, demo_db, clerk):
    return Workbench(demo_db, clerk, Settings())


def settled(qtbot, panel):
    """Wait for the prompt panel's reads (the hall's phrases, an address)."""
    qtbot.waitUntil(lambda: panel.loaded and not panel.jobs.busy, timeout=10_000)


@pytest.fixture
def panel(qtbot, bench):
    p = PromptPanel(bench)
    qtbot.addWidget(p)
    p.show()
    settled(qtbot, p)
    yield p
    p.shutdown()


@pytest.fixture
def window(qtbot, demo_db, clerk):
    from counterdesk.ui.shell.mainwindow import MainWindow

    win = MainWindow(demo_db, clerk, Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


# ------------------------------------------------------------------ models, no window
def test_models_without_a_window(qtmodeltester):
    cat = phrases.defaults("zh_CN")
    m = PhraseTableModel()
    m.set_items(cat.section("forbidden").items, {"forbidden.1"})
    qtmodeltester.check(m)
    assert m.rowCount() == 15 and m.columnCount() == 2
    assert m.index(0, 0).data().startswith("✗ ") and m.index(0, 1).data().startswith("✓ ")
    assert m.index(0, 0).data(Qt.ForegroundRole).name() == "#b71c1c"
    assert m.index(0, 1).data(Qt.BackgroundRole).name() == "#e8f5e9"
    s = SectionListModel()
    s.set_sections(cat.sections)
    qtmodeltester.check(s)
    assert s.index(s.row_of("prohibitions"), 0).data() == "燃气服务“六不准”"
    assert s.row_of("danger_points") >= 0 and s.row_of("nope") == -1


def test_models_answer_from_their_cache_until_the_items_change():
    """The models keep each cell's roles between repaints; an edit that changes only a
    title or a kind (the phrase editor) must still show, and new sections replace old."""
    import dataclasses

    cat = phrases.defaults("zh_CN")
    items = cat.section("forbidden").items
    m = PhraseTableModel()
    m.set_items(items)
    assert m.index(0, 0).data().startswith("✗ ")
    assert m.set_items(list(items)) is False  # same content: no reset
    edited = [dataclasses.replace(items[0], kind="phrase", title="新标题")] + list(items[1:])
    assert m.set_items(edited) is True
    assert m.index(0, 0).data() == f"新标题：{items[0].text}"
    assert m.index(0, 0).data(Qt.ForegroundRole) is None
    s = SectionListModel()
    s.set_sections(cat.sections)
    first = s.index(0, 0).data()
    s.set_sections(list(reversed(cat.sections)))
    assert s.index(0, 0).data() == cat.sections[-1].title != first


# ------------------------------------------------------------------ context
def test_contextual_phrases_follow_the_workbench(qtbot, panel, bench):
    bench.ticket_called.emit({"number": "A001", "waited_seconds": 120})
    assert panel.context_phrases[0] == "您好" and "对不起，让您久等了" not in panel.context_phrases
    assert "A001" in panel.context_title and panel.current_section() == "greeting"
    bench.ticket_called.emit({"number": "A002", "waited_seconds": 16 * 60})
    assert panel.context_phrases[:2] == ["对不起，让您久等了", "您好"]
    assert "16" in panel.context_title
    bench.ticket_transferred.emit({"number": "A002", "target_window": 4})
    assert panel.context_phrases == ["请稍等！我将与4号窗口联系，由他为您进行解释（答复）"]
    assert panel.copy_current() == "请稍等！我将与4号窗口联系，由他为您进行解释（答复）"
    bench.rule_refused.emit("arrears", "该户有欠费 ￥35.00，请先缴清")
    assert "结清欠费" in panel.context_phrases[0] and "我能做到的是……" in panel.context_phrases
    assert "有欠费" in panel.context_title
    bench.payment_committed.emit({"receipt_no": "R0001", "change_fen": 300, "tenders": [
        {"method": "cash", "amount_fen": 9700, "tendered_fen": 10000}]})
    assert panel.context_phrases[0] == "收您 100.00 元，找您 3.00 元，请您收好。"
    assert "R0001" in panel.context_title
    assert panel.copy_current() == "收您 100.00 元，找您 3.00 元，请您收好。"
    bench.ticket_finished.emit({"number": "A002"})
    assert panel.context_phrases == ["再见，欢迎下次再来。"]
    bench.account_selected.emit("0100000033")
    settled(qtbot, panel)
    assert "先生／小姐／女士" in panel.context_phrases[2] and "××" not in panel.context_phrases[2]
    assert "0100000033" in panel.context_title
    bench.prompt_context.emit("special_group", {"account_no": "0100000017", "groups": ["old"]})
    assert "搀扶" in panel.context_phrases[0]
    bench.prompt_context.emit("when_thanked", {})
    assert panel.context_phrases[0] == "请别客气" and panel.current_section() == "when_thanked"


def test_apology_threshold_comes_from_the_hall_policy(qtbot, panel, bench):
    from tests.helpers.hall_policy import set_rule

    set_rule(bench.db, "queue.wait_apology_minutes", 5)
    panel.check_for_edits()   # what the 30-second poll does
    settled(qtbot, panel)
    bench.ticket_called.emit({"number": "B003", "waited_seconds": 5 * 60 + 1})
    assert "对不起，让您久等了" in panel.context_phrases


def test_prompt_reads_run_off_the_gui_thread(qtbot, bench, monkeypatch):
    """Issue 16.2: the hall's phrases and the holder's address are read on a worker
    thread; the heading says so until the phrases arrive; an address that arrives after
    a newer moment was shown is dropped."""
    import threading

    threads, gate = [], threading.Event()
    real_load, real_address = phrases.load, phrases.for_account

    def load(*a, **k):
        threads.append(threading.current_thread())
        gate.wait(10)
        return real_load(*a, **k)

    def address(*a, **k):
        threads.append(threading.current_thread())
        return real_address(*a, **k)

    monkeypatch.setattr(phrases, "load", load)
    monkeypatch.setattr(phrases, "for_account", address)
    p = PromptPanel(bench)
    qtbot.addWidget(p)
    assert not p.loaded and "…" in p.heading.text()
    assert p.phrase_model.rowCount() > 0            # the shipped phrases meanwhile
    gate.set()
    settled(qtbot, p)
    assert "…" not in p.heading.text()
    job = p.on_account_selected("0100000033")
    bench.ticket_finished.emit({"number": "A002"})  # a newer moment
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert job.ok and p.context_phrases == ["再见，欢迎下次再来。"]
    assert len(threads) == 2 and threading.main_thread() not in threads
    p.shutdown()


def test_editor_changes_run_off_the_gui_thread(qtbot, editor, monkeypatch):
    import threading

    threads = []
    real = phrases.edit_item
    monkeypatch.setattr(phrases, "edit_item", lambda *a, **k: threads.append(
        threading.current_thread()) or real(*a, **k))
    _choose(editor, "greeting")
    editor.text.setText("您好，请坐")
    assert editor.save() is not None
    assert not editor.save_button.isEnabled() and editor.save() is None   # one at a time
    idle(qtbot, editor)
    assert editor.save_button.isEnabled() and threads[0] is not threading.main_thread()
    assert editor.message.text().startswith(("Saved", "已保存"))


def test_search_copy_by_keyboard(qtbot, window):
    panel = window.panels["prompts"]
    qtbot.keyClick(window, Qt.Key_F11)
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "dbq")
    assert panel.phrase_model.item(0).text == "对不起，让您久等了"
    qtbot.keyClick(panel.search, Qt.Key_Down)
    assert panel.table.hasFocus()
    qtbot.keyClick(panel.table, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "对不起，让您久等了"
    # a forbidden phrase copies what to say instead
    qtbot.keyClick(window, Qt.Key_F11)
    qtbot.keyClicks(panel.search, "bzd")
    assert panel.phrase_model.item(0).forbidden
    qtbot.keyClick(panel.search, Qt.Key_Return)
    qtbot.keyClick(panel.table, Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
    assert QGuiApplication.clipboard().text() == "请您稍等，我帮您查询一下。"
    qtbot.keyClick(window, Qt.Key_F11)
    qtbot.keyClick(panel.search, Qt.Key_Escape)
    assert panel.search.text() == "" and panel.phrase_model.rowCount() > 0


def test_sections_include_the_rules(panel):
    panel.show_section("prohibitions")
    texts = [panel.phrase_model.index(r, 0).data() for r in range(panel.phrase_model.rowCount())]
    assert texts[0].startswith("不准乱收费：")
    panel.show_section("danger_points")
    assert panel.phrase_model.rowCount() == 11
    assert "120" in panel.voice.text() and "140" in panel.voice.text()


# ------------------------------------------------------------------ editor
def idle(qtbot, dlg):
    """Wait for the phrase editor's change and the list read after it."""
    qtbot.waitUntil(lambda: not dlg.jobs.busy, timeout=10_000)


@pytest.fixture
def editor(qtbot, demo_db, manager):
    dlg = PhraseEditor(demo_db, manager)
    qtbot.addWidget(dlg)
    dlg.show()
    idle(qtbot, dlg)
    return dlg


def _choose(dlg, key):
    dlg.section.setCurrentIndex(dlg.section.findData(key))


def _enter(qtbot, dlg, field):
    """Return in a field saves (off the GUI thread): wait for it."""
    qtbot.keyClick(field, Qt.Key_Return)
    idle(qtbot, dlg)


def test_editor_validation_messages(qtbot, editor, demo_db, manager):
    _choose(editor, "farewell")
    editor.new_item()
    _enter(qtbot, editor, editor.text)
    assert "不能为空" in editor.message.text() and editor.text.hasFocus()
    editor.text.insert("快下班了，明天再来吧")  # typed through the IME
    _enter(qtbot, editor, editor.text)
    assert "禁忌用语" in editor.message.text()
    _choose(editor, "forbidden")
    editor.new_item()
    editor.text.insert("“自己排队去”")
    _enter(qtbot, editor, editor.text)
    assert "应说" in editor.message.text() and editor.instead.hasFocus()
    assert phrases.revision(demo_db, manager.hall_code) == 0
    editor.instead.insert("请您稍等，我帮您取号。")
    _enter(qtbot, editor, editor.instead)
    assert editor.message.text().startswith(("Saved", "已保存"))
    assert "forbidden.u1" not in editor.state.text()        # a human title (issue 18.18)
    editor.details.setChecked(True)                          # the manager's details view
    assert "forbidden.u1" in editor.state.text()
    cat = phrases.load(demo_db, manager.hall_code)
    assert cat.get("forbidden.u1").instead == "请您稍等，我帮您取号。"


def test_editor_edit_and_restore(qtbot, editor, demo_db, manager, bench):
    other_window = PromptPanel(bench)
    qtbot.addWidget(other_window)
    settled(qtbot, other_window)
    _choose(editor, "greeting")
    assert editor.text.text() == "您好"
    editor.text.setText("您好，请坐")
    assert editor.save() is not None
    idle(qtbot, editor)
    assert "changed" in editor.state.text() or "修改" in editor.state.text()
    other_window.check_for_edits()  # what the 30-second poll does
    qtbot.waitUntil(lambda: other_window.catalogue.get("greeting.1").text == "您好，请坐",
                    timeout=10_000)
    other_window.show_section("greeting")
    assert other_window.phrase_model.item(0).text == "您好，请坐"
    editor.confirm = lambda text: False
    assert editor.restore_all() is None
    editor.confirm = lambda text: True
    assert editor.restore_all() is not None
    idle(qtbot, editor)
    assert phrases.load(demo_db, manager.hall_code).get("greeting.1").text == "您好"
    assert editor.text.text() == "您好"
    other_window.shutdown()


def test_clerk_gets_no_editor_and_a_refusal(qtbot, demo_db, clerk):
    dlg = PhraseEditor(demo_db, clerk)
    qtbot.addWidget(dlg)
    idle(qtbot, dlg)
    dlg.text.setText("您好呀")
    job = dlg.save()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert not job.ok
    assert "主任" in dlg.message.text() and "Traceback" not in dlg.message.text()


def test_manager_menu_has_the_editor(qtbot, demo_db, manager):
    from counterdesk.ui.shell.mainwindow import MainWindow

    win = MainWindow(demo_db, manager, Settings())
    qtbot.addWidget(win)
    assert win.panels["prompts"].action_edit in win.menu_manage.actions()
    win.close()


# ------------------------------------------------------------------ cheat sheet, layout, settings
def test_cheatsheet_lists_the_installed_actions(qtbot, window):
    extra = QAction("Imaginary late action", window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+Y"))
    window.menu_business.addAction(extra)
    qtbot.keyClick(window, Qt.Key_F1)
    dlg = window.workstation.cheatsheet_dialog
    qtbot.waitUntil(dlg.isVisible)
    rows = [(r.keys, r.text) for r in dlg.model.rows]
    keys = [k for k, _ in rows]
    for k in ("F1", "F11", "Ctrl+Shift+C", "Ctrl+Alt+Y"):
        assert k in keys, k
    assert len(keys) == len(set(rows))
    assert all(r.where for r in dlg.model.rows if r.keys in ("F1", "F11"))
    dlg.close()
    tips = {a.objectName(): a.toolTip() for a in window.findChildren(QAction)}
    assert "F11" in tips["action_phrase_search"]


def test_cheatsheet_collect_counts_buttons(qtbot):
    from PySide6.QtWidgets import QMainWindow, QPushButton

    w = QMainWindow()
    qtbot.addWidget(w)
    b = QPushButton("Go", w)
    b.setShortcut(QKeySequence("Ctrl+G"))
    assert [(s.keys, s.text) for s in cheatsheet.collect(w)] == [("Ctrl+G", "Go")]


@pytest.mark.parametrize("width", [1366, 1920])
def test_layout_fits_common_screens(qtbot, window, width):
    sizes = splitter_sizes(width)
    assert sum(sizes) == width and sizes[2] >= 260 and sizes[1] >= 600
    window.resize(width, 768 if width == 1366 else 1080)
    qtbot.waitUntil(lambda: window.splitter.sizes()[2] >= 240)
    assert window.prompt_area.width() >= 240
    assert window.minimumSizeHint().width() <= 1366


def test_display_settings_save_and_apply(qtbot, tmp_path):
    s = Settings()
    s.source = tmp_path / "counterdesk.toml"
    dlg = SettingsDialog(s)
    qtbot.addWidget(dlg)
    app = QApplication.instance()
    try:
        dlg.language.setCurrentIndex(dlg.language.findData("en"))
        dlg.font_scale.setValue(1.5)
        dlg.high_contrast.setChecked(True)
        assert dlg.save()
        saved = load_settings(s.source)
        assert (saved.ui.language, saved.ui.font_scale, saved.ui.high_contrast) == \
            ("en", 1.5, True)
        assert abs(app.font().pointSizeF() - 10.5 * 1.5) < 0.01
        assert app.palette().color(app.palette().ColorRole.Window).name() == "#000000"
    finally:
        apply_theme(app)


def test_high_contrast_from_the_view_menu(qtbot, window, tmp_path):
    window.bench.settings.source = tmp_path / "s.toml"
    card = window.panels["prompts"].context_card
    try:
        window.workstation.action_contrast.setChecked(True)
        assert "yellow" in card.styleSheet() and load_settings(tmp_path / "s.toml").ui.high_contrast
        window.workstation.action_contrast.setChecked(False)
        assert "#fff8e1" in card.styleSheet()
    finally:
        apply_theme(QApplication.instance())


def test_view_menu_font_steps(qtbot, window, tmp_path):
    window.bench.settings.source = tmp_path / "s.toml"
    try:
        window.workstation.action_larger.trigger()
        assert window.bench.settings.ui.font_scale == 1.1
        window.workstation.action_smaller.trigger()
        window.workstation.action_smaller.trigger()
        assert window.bench.settings.ui.font_scale == 0.9
        assert load_settings(tmp_path / "s.toml").ui.font_scale == 0.9
    finally:
        apply_theme(QApplication.instance())


# ------------------------------------------------------------------ status bar, paused banner
def test_today_figures_service(demo_db, clerk):
    f = workstation.today_figures(demo_db, clerk)
    assert f.to_dict()["day"] and (f.takings_fen in (None, 0))
    assert workstation.yuan(123456) == "1,234.56" and workstation.yuan(-5) == "-0.05"


def test_status_bar_shows_today(qtbot, window):
    qtbot.waitUntil(lambda: window.workstation.figures is not None, timeout=10_000)
    assert "0" in window.status_today.text()


def test_only_a_shown_window_polls_the_figures(qtbot, window):
    """A closed window's timer stops: nothing outlives it to query a database later."""
    timer = window.workstation._timer
    assert timer.isActive()
    window.close()
    assert not timer.isActive()
    window.show()
    qtbot.waitUntil(timer.isActive)


def test_paused_banner(qtbot, window):
    ws = window.workstation
    window.bench.window_paused.emit({"window": 1, "reason": "用餐", "expected_until":
                                     "2026-11-22T12:30:00"})
    assert ws.banner.isVisible() and "12:30" in ws.paused_text and "用餐" in ws.paused_text
    window.bench.window_resumed.emit({"window": 1})
    assert not ws.banner.isVisible()


def test_chinese_translation_is_used(qtbot, demo_db, clerk):
    app = QApplication.instance()
    try:
        assert load_translations(app, "zh_CN") > 0
        b = Workbench(demo_db, clerk, Settings())
        p = PromptPanel(b)
        qtbot.addWidget(p)
        assert p.tab_title == "服务用语" and "拼音" in p.search.placeholderText()
        i18n.set_language("en")
        en = PromptPanel(b)
        qtbot.addWidget(en)
        assert en.catalogue.lang == "en" and en.catalogue.section("greeting").items[0].text \
            == "Hello"
        p.shutdown()
        en.shutdown()
    finally:
        load_translations(app, "en")


# ------------------------------------------------------------------ benchmark
def test_bench_script_runs_at_a_tiny_size(capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_workstation.py"
    spec = importlib.util.spec_from_file_location("bench_workstation", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(["2", "--no-flow"])
    captured = capsys.readouterr()
    out = captured.out
    assert "search" in out and "ratio" in out
    # the F2 figure includes Qt painting what changed, and says how much was painted
    assert "widgets painted" in out and "no widget was painted" not in captured.err


def test_editor_shows_titles_and_sources_only_in_the_details(qtbot, editor):
    """Issue 18.18: no internal ids or seed references unless the details are asked for."""
    _choose(editor, "greeting")
    assert "greeting." not in editor.state.text() and not editor.source.isVisible()
    editor.details.setChecked(True)
    assert "greeting.1" in editor.state.text()
    assert editor.source.isVisible() == bool(editor.source.text())
    editor.details.setChecked(False)
    assert "greeting." not in editor.state.text()
