import json
import sqlite3
import subprocess
import sys

import pytest

from counterdesk.cli import main


def run(capsys, *args, env=None):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path):
    return "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()


def test_init_demo_users_json(capsys, url, monkeypatch):
    code, out, _ = run(capsys, "--db", url, "init")
    assert code == 0 and "已创建数据库" in out
    code, out, _ = run(capsys, "--db", url, "--json", "demo")
    data = json.loads(out)
    assert code == 0 and data["created"] and any(u["staff_no"] == "9001" for u in data["users"])
    monkeypatch.setenv("COUNTERDESK_NEW_PASSWORD", "s3cret!")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "888888")
    code, out, _ = run(capsys, "--db", url, "user", "add", "3001", "--name", "新人",
                       "--staff", "9001")
    assert code == 0
    code, out, _ = run(capsys, "--db", url, "--json", "user", "list", "--staff", "9001")
    assert "3001" in [u["staff_no"] for u in json.loads(out)]
    code, out, err = run(capsys, "--db", url, "user", "add", "3001", "--name", "重复",
                         "--staff", "9001")
    assert code != 0 and "已存在" in err and err.count("\n") == 1


def test_audit_verify_exit_code(capsys, url, tmp_path):
    run(capsys, "--db", url, "demo")
    code, out, _ = run(capsys, "--db", url, "audit", "verify")
    assert code == 0 and "完整" in out
    con = sqlite3.connect(tmp_path / "cli.sqlite3")
    con.execute("UPDATE audit_events SET staff_no='x' WHERE seq=2")
    con.commit()
    con.close()
    code, out, err = run(capsys, "--db", url, "audit", "verify")
    assert code != 0 and "第 2 号" in err


def test_backup_restore_cli(capsys, url, tmp_path, monkeypatch):
    run(capsys, "--db", url, "demo")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "admin123")
    code, out, _ = run(capsys, "--db", url, "--json", "backup", str(tmp_path / "b.sqlite3"),
                       "--staff", "admin")
    assert code == 0 and json.loads(out)["bytes"] > 0
    code, _, _ = run(capsys, "--db", url, "restore", str(tmp_path / "b.sqlite3"),
                     "--staff", "admin")
    assert code == 0
    (tmp_path / "x.txt").write_text("hello")
    code, _, err = run(capsys, "--db", url, "restore", str(tmp_path / "x.txt"),
                       "--staff", "admin")
    assert code != 0 and "不是 CounterDesk" in err


def test_bad_settings_file_names_key(capsys, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[window]\nnumber = -3\n", encoding="utf-8")
    code, _, err = run(capsys, "--config", str(cfg), "init")
    assert code != 0 and "window.number" in err


def test_english_messages(capsys, url):
    code, _, err = run(capsys, "--db", url, "--lang", "en", "restore", "/nonexistent/file")
    assert code != 0 and "not found" in err


def test_version_from_a_real_process():
    out = subprocess.run([sys.executable, "-m", "counterdesk", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("CounterDesk ")


def test_demo_tickets_only_when_the_queue_is_empty(capsys, url):
    code, out, _ = run(capsys, "--db", url, "--json", "demo", "--tickets")
    first = json.loads(out)["tickets"]
    assert code == 0 and first[:3] == ["A001", "A002", "B001"]
    code, out, _ = run(capsys, "--db", url, "--json", "demo", "--tickets")
    assert json.loads(out)["tickets"] == []


def test_queue_transfer_to_a_window_not_serving_it_is_one_line(capsys, url, monkeypatch):
    """Issue 18.1: `queue transfer B001 --to-window N` refuses in words, no traceback."""
    assert run(capsys, "--db", url, "demo")[0] == 0
    run(capsys, "--db", url, "queue", "issue", "B")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    assert run(capsys, "--db", url, "queue", "call", "--staff", "1002", "--window", "2")[0] == 0
    code, _, err = run(capsys, "--db", url, "queue", "transfer", "B001", "--to-window", "1",
                       "--note", "转", "--staff", "1002", "--window", "2")
    assert code != 0 and "不办理" in err and "Traceback" not in err and err.count("\n") == 1
    code, _, err = run(capsys, "--db", url, "queue", "transfer", "B001", "--to-window", "3",
                       "--note", "转", "--staff", "1002", "--window", "2")
    assert code != 0 and "无人签到" in err and "Traceback" not in err
