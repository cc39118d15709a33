"""Issue 16.6: each mode runs once per PC and user; a crashed copy never locks it out."""

from __future__ import annotations

import subprocess
import sys

from counterdesk.ui.shell import instance

HOLD = """
import sys
from counterdesk.ui.shell import instance
lock = instance.acquire(sys.argv[1])
print("held" if lock else "busy", flush=True)
sys.stdin.readline()
"""


def test_a_second_copy_of_a_mode_is_refused(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERDESK_HOME", str(tmp_path))
    other = subprocess.Popen([sys.executable, "-c", HOLD, "kiosk"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "held"
        assert instance.acquire("kiosk") is None          # the kiosk runs already
        display = instance.acquire("display")             # another mode may run
        assert display is not None
        display.unlock()
    finally:
        other.stdin.close()
        other.wait(timeout=30)
        other.stdout.close()
    mine = instance.acquire("kiosk")                      # free once that copy ended
    assert mine is not None
    mine.unlock()


def test_a_copy_that_died_does_not_lock_the_mode_out(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("COUNTERDESK_HOME", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c",
                           "import os, sys\nfrom counterdesk.ui.shell import instance\n"
                           "lock = instance.acquire('workstation')\nassert lock\nos._exit(0)"],
                          timeout=60)
    assert dead.returncode == 0 and instance.lock_path("workstation").exists()
    lock = instance.acquire("workstation")
    assert lock is not None
    lock.unlock()
