"""pytest-qt: the card panel and the settings dialog through the real PC/SC stack (pcscd +
vsmartcard-vpcd + the virtual card of tests/helpers/pcsc.py): pyscard called on the
background job's thread — read, pay and write, the PC/SC reader list. Skipped with the
reason when the stack cannot be started."""

from __future__ import annotations

import pytest

from counterdesk import cards, clock
from counterdesk.settings import Settings
from counterdesk.ui.card.panel import CardPanel
from counterdesk.ui.shell.bus import Workbench
from counterdesk.ui.shell.settings_dialog import SettingsDialog
from tests.helpers.billing_helpers import DAY
from tests.helpers.cards import cash, ic_account, purchases
from tests.helpers.pcsc import VirtualCard, pcsc_stack

SQLITE_ONLY = pytest.mark.parametrize("db_kind", ["sqlite"])


@pytest.fixture(scope="module")
def stack():
    st, reason = pcsc_stack()
    if st is None:
        pytest.skip(reason)
    yield st
    st.close()


def finish(qtbot, job):
    assert job is not None
    if not job.done:
        qtbot.waitSignal(job.finished, timeout=15000).wait()
    return job


@SQLITE_ONLY
def test_panel_reads_and_sells_through_pcsc_on_a_worker(qtbot, stack, demo_db, clerk):
    clock.set_now(DAY)
    stack.pull()
    stack.insert(VirtualCard())
    uri = f"pcsc:{stack.reader_name()}"
    acc = ic_account(demo_db)
    assert cards.issue(demo_db, clerk, cards.open_reader(uri), acc, tenders=cash())["written"]
    settings = Settings()
    settings.card.reader = uri
    panel = CardPanel(Workbench(demo_db, clerk, settings))
    qtbot.addWidget(panel)
    try:
        job = finish(qtbot, panel.read())
        assert job.ok, panel.message.text()
        assert acc in panel.state.text() and panel.buy_button.isEnabled()
        panel.volume.setText("20")
        panel.tendered.setText("100")
        with qtbot.waitSignal(panel.bench.payment_committed, timeout=15000):
            job = panel.buy()
        finish(qtbot, job)
        assert job.ok and "已写卡" in panel.message.text()
        assert [p.state for p in purchases(demo_db)] == ["written"]
        assert "尚未输入表具" in panel.state.text() and not panel.buy_button.isEnabled()
    finally:
        stack.pull()


def test_settings_dialog_lists_the_pcsc_reader(qtbot, stack, tmp_path):
    s = Settings()
    s.source = tmp_path / "counterdesk.toml"
    dlg = SettingsDialog(s)
    qtbot.addWidget(dlg)
    finish(qtbot, dlg.list_readers())
    names = [dlg.pcsc_readers.itemData(i) for i in range(dlg.pcsc_readers.count())]
    assert stack.reader_name() in names
    i = names.index(stack.reader_name())
    dlg.pcsc_readers.activated.emit(i)
    assert dlg.card_reader.text() == f"pcsc:{stack.reader_name()}"
    stack.pull()
    finish(qtbot, dlg.try_reader())
    assert "no card" in dlg.reader_result.text()
