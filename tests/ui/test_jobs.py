"""The background-job helper: off the GUI thread, results back on it, a visible busy state."""

import threading

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from counterdesk.errors import CounterDeskError
from counterdesk.ui.widgets.jobs import Jobs, message


def test_a_job_runs_off_the_gui_thread_and_reports_on_it(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    button = QPushButton(owner)
    jobs = Jobs(owner, busy=[button])
    release = threading.Event()
    seen = {}

    def work(a, b=0):
        seen["worker"] = QThread.currentThread()
        assert release.wait(30)
        return a + b

    def done(value):
        seen["value"], seen["done_on"] = value, QThread.currentThread()

    with qtbot.waitSignal(jobs.busy_changed) as busy:
        jobs.run(work, 40, b=2, on_done=done)
    assert busy.args == [True] and jobs.busy and not button.isEnabled()
    # the GUI thread keeps running while the job waits: a timer fires
    ticked = []
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: ticked == [True])
    assert "value" not in seen
    with qtbot.waitSignal(jobs.busy_changed) as idle:
        release.set()
    assert idle.args == [False] and not jobs.busy and button.isEnabled()
    assert seen["value"] == 42
    assert seen["done_on"] is owner.thread() and seen["worker"] is not owner.thread()


def test_an_error_goes_to_on_error_with_its_message(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    jobs = Jobs(owner)
    errors = []

    def refuse():
        raise CounterDeskError("金额：不能为负数", "amount: negative")

    job = jobs.run(refuse, on_done=lambda v: errors.append("done?"),
                   on_error=lambda exc: errors.append(message(exc)))
    with qtbot.waitSignal(job.finished):
        pass
    assert errors == ["金额：不能为负数"] and job.ok is False


def test_a_bug_is_named_and_logged(qtbot, caplog):
    owner = QWidget()
    qtbot.addWidget(owner)
    jobs = Jobs(owner)
    shown = []
    job = jobs.run(lambda: 1 / 0, on_error=lambda exc: shown.append(message(exc)))
    qtbot.waitUntil(lambda: shown != [])
    assert shown == ["ZeroDivisionError: division by zero"] and job.done
    assert "background job failed" in caplog.text
