"""Issue 15, part A, through the command line: staff administration needs a signed-in
administrator (or, for clerks, a manager); backup/restore need an administrator; the
approver is never the actor; unlock; hall policy show/set."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from counterdesk import clock
from counterdesk.cli import main
from counterdesk.db import Database
from counterdesk.models import AuditEvent, Staff
from tests.helpers.billing_helpers import DAY


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path, capsys, monkeypatch):
    clock.set_now(DAY)
    u = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", u, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_NEW_PASSWORD", "s3cret!")
    return u


def _as(monkeypatch, password: str) -> None:
    monkeypatch.setenv("COUNTERDESK_PASSWORD", password)


def _db(url) -> Database:
    return Database(url)


def _staff(url, no):
    db = _db(url)
    try:
        with db.read() as s:
            return s.execute(select(Staff).where(Staff.staff_no == no)).scalar()
    finally:
        db.dispose()


def _events(url, kind):
    db = _db(url)
    try:
        with db.read() as s:
            return list(s.execute(select(AuditEvent).where(AuditEvent.kind == kind)).scalars())
    finally:
        db.dispose()


def test_staff_verbs_refused_without_sign_in(capsys, url):
    code, _, err = run(capsys, "--db", url, "user", "add", "7777", "--name", "内鬼",
                       "--role", "admin")
    assert code != 0 and "已有员工账号" in err and _staff(url, "7777") is None
    for verb in (["passwd", "9001"], ["disable", "9002"], ["unlock", "1001"], ["list"]):
        with pytest.raises(SystemExit):  # --staff is required
            main(["--db", url, "user", *verb])
        capsys.readouterr()
    code, _, err = run(capsys, "--db", url, "user", "add", "7777", "--name", "内鬼")
    assert code != 0 and "--staff" in err and _staff(url, "7777") is None


def test_a_manager_manages_clerks_only_and_not_themself(capsys, url, monkeypatch):
    _as(monkeypatch, "888888")
    code, _, err = run(capsys, "--db", url, "user", "add", "7777", "--name", "内鬼",
                       "--role", "admin", "--staff", "9001")
    assert code != 0 and "只能管理柜员" in err and _staff(url, "7777") is None
    code, _, err = run(capsys, "--db", url, "user", "passwd", "9001", "--staff", "9001")
    assert code != 0 and "自己的账号" in err
    code, _, err = run(capsys, "--db", url, "user", "disable", "9002", "--staff", "9001")
    assert code != 0 and "只能管理柜员" in err and not _staff(url, "9002").disabled
    code, _, err = run(capsys, "--db", url, "user", "add", "1107", "--name", "新柜员",
                       "--staff", "9001")
    assert code == 0, err
    code, _, err = run(capsys, "--db", url, "user", "passwd", "1001", "--staff", "9001")
    assert code == 0, err
    ev = _events(url, "staff.password_reset")[-1]
    assert ev.staff_no == "9001" and json.loads(ev.payload) == {"staff_no": "1001"}
    assert _events(url, "staff.added")[-1].staff_no == "9001"
    _as(monkeypatch, "123456")
    code, _, err = run(capsys, "--db", url, "user", "disable", "1002", "--staff", "1003")
    assert code != 0 and "仅限" in err and not _staff(url, "1002").disabled


def test_an_administrator_manages_managers(capsys, url, monkeypatch):
    _as(monkeypatch, "admin123")
    code, out, err = run(capsys, "--db", url, "--json", "user", "add", "9102", "--name", "赵经理",
                         "--role", "manager", "--staff", "admin")
    assert code == 0 and json.loads(out)["role"] == "manager", err
    code, _, err = run(capsys, "--db", url, "user", "disable", "9102", "--staff", "admin")
    assert code == 0 and _staff(url, "9102").disabled
    assert _events(url, "staff.disabled")[-1].staff_no == "admin"


def test_unlock_from_the_command_line(capsys, url, monkeypatch):
    _as(monkeypatch, "wrong!")
    for _ in range(5):
        code, _, _ = run(capsys, "--db", url, "user", "list", "--staff", "1001")
        assert code != 0
    _as(monkeypatch, "123456")
    code, _, err = run(capsys, "--db", url, "user", "list", "--staff", "1001")
    assert code != 0 and "锁定" in err  # the right password is refused while locked
    _as(monkeypatch, "888888")
    code, out, _ = run(capsys, "--db", url, "user", "list", "--staff", "9001")
    assert code == 0 and "1001" in out and "已锁定" in out
    code, _, err = run(capsys, "--db", url, "user", "unlock", "1001", "--staff", "9001")
    assert code == 0, err
    assert _staff(url, "1001").locked_until is None


def test_backup_and_restore_need_an_administrator(capsys, url, monkeypatch, tmp_path):
    target = tmp_path / "b.sqlite3"
    code, _, err = run(capsys, "--db", url, "backup", str(target))
    assert code != 0 and "管理员" in err and not target.exists()
    _as(monkeypatch, "888888")
    code, _, err = run(capsys, "--db", url, "backup", str(target), "--staff", "9001")
    assert code != 0 and "仅限管理员" in err and not target.exists()
    _as(monkeypatch, "admin123")
    code, _, err = run(capsys, "--db", url, "backup", str(target), "--staff", "admin")
    assert code == 0 and target.exists(), err
    monkeypatch.delenv("COUNTERDESK_PASSWORD")
    code, _, err = run(capsys, "--db", url, "restore", str(target))
    assert code != 0 and "管理员" in err
    _as(monkeypatch, "123456")
    code, _, err = run(capsys, "--db", url, "restore", str(target), "--staff", "1001")
    assert code != 0 and "仅限管理员" in err


def test_first_admin_on_an_empty_database(capsys, tmp_path, monkeypatch):
    u = "sqlite:///" + (tmp_path / "new.sqlite3").as_posix()
    assert main(["--db", u, "init"]) == 0
    monkeypatch.setenv("COUNTERDESK_NEW_PASSWORD", "s3cret!")
    code, _, err = run(capsys, "--db", u, "user", "add", "root", "--name", "根",
                       "--role", "admin")
    assert code == 0, err
    code, _, err = run(capsys, "--db", u, "user", "add", "root2", "--name", "第二",
                       "--role", "admin")
    assert code != 0 and "已有员工账号" in err


def test_manager_cannot_approve_own_void(capsys, url, monkeypatch):
    _as(monkeypatch, "123456")
    code, _, err = run(capsys, "--db", url, "pay", "--staff", "1001", "--item", "HOSE:3",
                       "--method", "cash", "--no-print")
    assert code == 0, err
    _as(monkeypatch, "888888")
    monkeypatch.setenv("COUNTERDESK_APPROVER_PASSWORD", "888888")
    code, _, err = run(capsys, "--db", url, "receipt", "void", "2026-000001", "--staff", "9001",
                       "--approver", "9001", "--reason", "收错", "--no-print")
    assert code != 0 and "授权人不能是操作人本人" in err
    assert not _events(url, "authorisation.granted")


def test_policy_show_and_set(capsys, url, monkeypatch):
    code, out, _ = run(capsys, "--db", url, "--json", "policy", "show")
    rows = {r["key"]: r for r in json.loads(out)}
    assert code == 0 and rows["queue.recall_limit"]["value"] == 3
    assert rows["card.max_volume_per_purchase"]["unit"] == "m³"
    _as(monkeypatch, "123456")
    code, _, err = run(capsys, "--db", url, "policy", "set", "queue.recall_limit", "5",
                       "--staff", "1001")
    assert code != 0 and "仅限" in err
    _as(monkeypatch, "888888")
    code, _, err = run(capsys, "--db", url, "policy", "set", "queue.recall_limit", "50",
                       "--staff", "9001")
    assert code != 0 and "queue.recall_limit" in err and "0 到 10" in err
    code, out, err = run(capsys, "--db", url, "policy", "set", "queue.recall_limit", "5",
                         "--staff", "9001")
    assert code == 0 and "已修改" in out, err
    code, out, _ = run(capsys, "--db", url, "policy", "show")
    assert "queue.recall_limit" in out and "默认 3" in out
    assert json.loads(_events(url, "policy.changed")[-1].payload) == \
        {"key": "queue.recall_limit", "old": 3, "new": 5}
