"""Issue 16 point 7: a bad database or printer address gives one line naming the cause
and what to do (never a traceback, never "check the network" for a local file), and a
bad printer address is refused before any money is taken."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select

from counterdesk import clock
from counterdesk.cli import main
from counterdesk.db import Database, check_url, translate
from counterdesk.errors import DiskFull, SettingsError, from_os_error
from counterdesk.models.billing import Payment
from tests.helpers.billing_helpers import DAY


def one_line(capsys, *args) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return code, err.strip()


@pytest.mark.parametrize(("address", "says"), [
    ("mysql://u@host/hall", "不支持的数据库类型 mysql"),
    (":::: not a url", "无法识别"),
    ("postgresql://postgres@127.0.0.1:54x3/hall", "端口 '54x3' 不是数字"),
    ("postgresql://u:secret@h:5x/hall", "端口 '5x' 不是数字"),
])
def test_bad_database_urls_name_the_cause(capsys, address, says):
    code, err = one_line(capsys, "--db", address, "queue", "list")
    assert code == 3 and says in err and "secret" not in err
    assert "网络" not in err


def test_local_files_that_are_not_databases(capsys, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    code, err = one_line(capsys, "--db", "sqlite:///" + text.as_posix(), "queue", "list")
    assert code == 3 and "不是数据库文件" in err and "网络" not in err
    code, err = one_line(capsys, "--db", "sqlite:///" + tmp_path.as_posix(), "queue", "list")
    assert code == 3 and "是一个文件夹" in err and "counterdesk.sqlite3" in err
    code, err = one_line(capsys, "--db", str(text), "queue", "list")
    assert code == 3 and "sqlite:///" in err and "文件路径" in err


def test_read_only_and_full_disk_are_named(tmp_path, monkeypatch):
    """Translations of what the file system and SQLite say (as root nothing is read-only,
    and a tiny file system needs mount rights: the translations are checked directly)."""
    db = tmp_path / "hall.sqlite3"
    sqlite3.connect(db).close()
    monkeypatch.setattr("os.access", lambda *_a, **_k: False)
    with pytest.raises(SettingsError) as err:
        check_url("sqlite:///" + db.as_posix())
    assert "只读" in err.value.message
    for text, kind, says in [
        ("attempt to write a readonly database", SettingsError, "只读"),
        ("database or disk is full", DiskFull, "磁盘已满"),
        ("unable to open database file", SettingsError, "文件夹是否存在"),
        ("file is not a database", SettingsError, "不是数据库文件"),
    ]:
        got = translate(sa_exc.OperationalError("x", {}, sqlite3.OperationalError(text)),
                        "sqlite:///C:/hall/hall.sqlite3")
        assert isinstance(got, kind) and says in got.message and "网络" not in got.message
    full = from_os_error(OSError(errno.ENOSPC, "No space left on device", "D:/backup/x.bak"))
    assert isinstance(full, DiskFull) and "D:/backup/x.bak" in full.message
    ro = from_os_error(OSError(errno.EROFS, "Read-only file system", "E:/x.bak"))
    assert "只读" in ro.message
    missing = from_os_error(FileNotFoundError(errno.ENOENT, "No such file", "Z:/none/x.bak"))
    assert "不存在" in missing.message and "Z:/none/x.bak" in missing.message


def test_a_file_verb_into_a_missing_folder_is_one_line(capsys, tmp_path, monkeypatch):
    clock.set_now(DAY)
    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    code, err = one_line(capsys, "--db", url, "prices", "export",
                         (blocker / "sub" / "prices.csv").as_posix())
    assert code == 1 and "file-not-folder" in err, err


def test_printer_lpt1_is_refused_before_the_payment(capsys, tmp_path, monkeypatch):
    clock.set_now(DAY)
    url = "sqlite:///" + (tmp_path / "cli.sqlite3").as_posix()
    assert main(["--db", url, "demo"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "123456")
    code, err = one_line(capsys, "--db", url, "--printer", "lpt1", "pay", "--staff", "1001",
                         "--item", "HOSE", "--method", "cash")
    assert code == 1 and "打印机地址 'lpt1' 无效" in err
    db = Database(url)
    try:
        with db.read() as s:                        # nothing was taken
            assert s.execute(select(func.count()).select_from(Payment)).scalar_one() == 0
    finally:
        db.dispose()
