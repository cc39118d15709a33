"""The database password lives in the credential store, never in the settings file or in
any output (issue 23)."""

from __future__ import annotations

import json
import logging
import os

import pytest

from counterdesk import credentials, selftest
from counterdesk.cli import main
from counterdesk.settings import Settings

PASSWORD = "Pa55-w0rd-xyz"
URL = f"postgresql+psycopg://cduser:{PASSWORD}@127.0.0.1:1/hall"


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_store_password_moves_it_out_of_the_settings(capsys, tmp_path, caplog):
    cfg = tmp_path / "counterdesk.toml"
    s = Settings()
    s.database.url = URL
    s.save(cfg)
    caplog.set_level(logging.DEBUG)
    code, out, err = run(capsys, "--config", str(cfg), "--json", "db", "status")
    assert code != 0  # nobody listens on port 1
    assert err.count("db store-password") == 1 and PASSWORD not in out + err
    code, out, err = run(capsys, "--config", str(cfg), "db", "store-password")
    assert code == 0, err
    text = cfg.read_text(encoding="utf-8")
    assert PASSWORD not in text and "cduser@127.0.0.1" in text
    assert credentials.get(credentials.db_key(URL)) == PASSWORD
    if os.name != "nt":
        assert cfg.stat().st_mode & 0o777 == 0o644
        store = credentials._file()  # noqa: SLF001 - the test's owner-only file store
        assert store.stat().st_mode & 0o777 == 0o600
    # the program still reaches the server with the stored password, and says it nowhere
    from counterdesk.settings import load

    assert PASSWORD in load(cfg).database.effective_url()
    code, out, err = run(capsys, "--config", str(cfg), "db", "status")
    assert "store-password" not in err and PASSWORD not in out + err
    assert PASSWORD not in caplog.text
    lines = []
    report = selftest.run(lines.append, steps=[("settings-file", selftest.step_settings_file,
                                                ())])
    assert report.ok and PASSWORD not in "\n".join(lines)


def test_self_test_warns_about_a_settings_file_users_can_write(tmp_path, monkeypatch):
    if os.name == "nt":
        pytest.skip("Windows: the installer's ACL, checked in the workflow")
    from counterdesk import paths

    cfg = paths.machine_settings_file()
    s = Settings()
    s.database.url = URL
    s.save(cfg)
    os.chmod(cfg, 0o666)
    detail = selftest.step_settings_file(selftest.State(folder=tmp_path))
    assert "writable by other users" in detail and "contains the database password" in detail
    assert PASSWORD not in detail


def test_backup_key_sheet_and_import(capsys, tmp_path, monkeypatch):
    url = "sqlite:///" + (tmp_path / "k.sqlite3").as_posix()
    run(capsys, "--db", url, "demo")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "admin123")
    pdf = tmp_path / "sheet.pdf"
    code, out, err = run(capsys, "--db", url, "--json", "backup", "key-sheet", "--out", str(pdf),
                         "--staff", "admin")
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    key_id = json.loads(out)["key_id"]
    from counterdesk.backup import hallkey

    text = hallkey.recovery_text(hallkey.load("HQ01"))
    code, out, err = run(capsys, "--db", url, "--json", "backup", "--staff", "admin")
    made = json.loads(out)["file"]
    credentials.delete("backup-key:HQ01")  # a new PC: the sheet brings the key back
    code, _, err = run(capsys, "--db", url, "restore", made, "--staff", "admin")
    assert code != 0 and "key-import" in err
    monkeypatch.setenv("COUNTERDESK_BACKUP_KEY", text.lower().replace("-", " "))
    code, out, err = run(capsys, "--db", url, "--json", "backup", "key-import", "--staff", "admin")
    assert code == 0 and json.loads(out)["key_id"] == key_id
    code, out, err = run(capsys, "--db", url, "restore", made, "--staff", "admin")
    assert code == 0, err


def test_first_run_keeps_the_password_out_of_the_file(tmp_path):
    from counterdesk import firstrun

    new = firstrun.make_settings(None, database_url=URL, hall_code="HQ01", window=1,
                                 printer_uri="", width=80)
    firstrun.move_password(new)
    path = new.save(tmp_path / "machine" / "counterdesk.toml")
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert credentials.with_password(new.database.url) == URL


def test_new_pc_imports_the_key_then_restores(capsys, tmp_path, monkeypatch):
    old = "sqlite:///" + (tmp_path / "old.sqlite3").as_posix()
    run(capsys, "--db", old, "demo")
    monkeypatch.setenv("COUNTERDESK_PASSWORD", "admin123")
    code, out, err = run(capsys, "--db", old, "--json", "backup", "--staff", "admin")
    made = json.loads(out)["file"]
    from counterdesk.backup import hallkey

    text = hallkey.recovery_text(hallkey.load("HQ01"))
    credentials.delete("backup-key:HQ01")
    new = "sqlite:///" + (tmp_path / "new" / "new.sqlite3").as_posix()
    monkeypatch.setenv("COUNTERDESK_BACKUP_KEY", text)
    code, _, err = run(capsys, "--db", new, "backup", "key-import")
    assert code == 0, err
    code, _, err = run(capsys, "--db", new, "restore", made, "--last-receipt", "0")
    assert code == 0, err
    code, out, err = run(capsys, "--db", new, "--json", "user", "list", "--staff", "admin")
    assert code == 0 and "admin" in out
