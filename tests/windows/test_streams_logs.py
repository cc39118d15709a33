"""Issue 17.5, 17.7, 17.12: piped output under a narrow code page, backups at odd paths,
one log file per program, Windows calls that are no-ops elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from counterdesk import logsetup
from counterdesk.cli import main
from counterdesk.platform import windows

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8",)}
    env.update({"COUNTERDESK_HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT),
                "QT_QPA_PLATFORM": "offscreen"}, **extra)
    return env


def test_piped_search_under_cp1252_does_not_crash(tmp_path, capsys):
    url = "sqlite:///" + (tmp_path / "pipe.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()
    out = tmp_path / "out.txt"
    with open(out, "wb") as fh:
        proc = subprocess.run(
            [sys.executable, "-m", "counterdesk", "--db", url, "account", "search", "𠮷",
             "--staff", "1001"], stdout=fh, stderr=subprocess.PIPE, cwd=ROOT,
            env=_env(tmp_path, PYTHONIOENCODING="cp1252", COUNTERDESK_PASSWORD="123456"),
            timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr
    assert out.read_bytes().strip()  # "没有找到" as "????" rather than a crash


def test_one_log_file_per_program(tmp_path):
    names = {p: logsetup.log_file(p, tmp_path).name for p in logsetup.PROGRAMS}
    assert names == {"workstation": "workstation.log", "kiosk": "kiosk.log",
                     "display": "display.log", "cli": "cli.log"}
    with pytest.raises(ValueError):
        logsetup.log_file("other", tmp_path)


def test_cli_logs_to_its_own_file(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "counterdesk", "--db",
                           "sqlite:///" + (tmp_path / "l.sqlite3").as_posix(), "init"],
                          capture_output=True, cwd=ROOT, env=_env(tmp_path), timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    logs = tmp_path / "home" / "logs"
    assert (logs / "cli.log").exists() and not (logs / "workstation.log").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="the no-op branch")
def test_windows_calls_are_noops_elsewhere():
    assert windows.keep_awake() is False and windows.allow_sleep() is False
    assert windows.create_mutex() is False and windows.NO_WINDOW == 0


@pytest.mark.skipif(sys.platform != "win32", reason="Windows only")
def test_windows_calls_on_windows():  # pragma: no cover - the Windows workflow runs it
    assert windows.keep_awake() is True
    assert windows.allow_sleep() is True
    assert windows.create_mutex("CounterDeskTest") is True
    assert windows.NO_WINDOW == 0x08000000
