"""Issue 17.3: one database per PC, not per Windows account; no SQLite over the network."""

from __future__ import annotations

import sys

import pytest

from counterdesk import firstrun, paths, settings, setup
from counterdesk.db import Database
from counterdesk.errors import SettingsError


@pytest.fixture
def shared(tmp_path, monkeypatch):
    """Two Windows accounts of one hall PC: own profiles, one PC-wide settings/data folder
    (on Linux platformdirs reads these from XDG_*; Windows: %LOCALAPPDATA% vs ProgramData)."""
    monkeypatch.delenv("COUNTERDESK_HOME", raising=False)
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "ProgramData" / "config"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "ProgramData" / "data"))
    paths.machine_settings_file().parent.mkdir(parents=True)  # what the installer makes

    def account(name: str) -> None:
        monkeypatch.setenv("HOME", str(tmp_path / "Users" / name))

    return account


@pytest.mark.skipif(sys.platform == "win32", reason="platformdirs reads XDG_* on Linux only")
def test_two_accounts_share_one_database(shared, tmp_path):
    shared("morning")
    target = paths.settings_file_to_write()
    assert target == paths.machine_settings_file()
    url = firstrun.database_url("local", pc_wide=True)
    new = firstrun.make_settings(None, database_url=url, hall_code="HQ01", window=3,
                                 printer_uri="", width=80, pc_wide=True)
    new.save(target)
    morning = settings.load()
    assert morning.database.url.startswith("sqlite:///") and str(tmp_path / "ProgramData") in url
    db = Database(morning.database.effective_url())
    setup.init(db)
    db.dispose()
    assert morning.backup.effective_dir() == paths.machine_data_dir() / "backups"

    shared("evening")
    evening = settings.load()
    assert evening.database.effective_url() == morning.database.effective_url()
    assert evening.backup.effective_dir() == morning.backup.effective_dir()
    assert str(tmp_path / "Users") not in evening.database.effective_url()
    assert firstrun.check_database(evening.database.url).state == "current"


@pytest.mark.skipif(sys.platform == "win32", reason="platformdirs reads XDG_* on Linux only")
def test_empty_url_in_pc_wide_settings_is_the_pc_wide_file(shared, tmp_path):
    shared("morning")
    settings.Settings().save(paths.machine_settings_file())
    first = settings.load().database.effective_url()
    shared("evening")
    assert settings.load().database.effective_url() == first
    assert paths.default_database_file().parent == paths.machine_data_dir()
    assert paths.backup_dir() == paths.machine_data_dir() / "backups"


def test_without_pc_wide_settings_each_account_has_its_own(tmp_path):
    assert not paths.pc_wide()
    assert paths.default_database_file().parent == paths.data_dir()


@pytest.mark.parametrize("url", [
    "sqlite:///\\\\nas\\hall\\counterdesk.sqlite3",
    "sqlite://///nas/hall/counterdesk.sqlite3",
    "sqlite:///\\\\?\\UNC\\nas\\hall\\counterdesk.sqlite3",
])
def test_sqlite_on_a_share_is_refused_with_the_reason(url):
    with pytest.raises(SettingsError) as exc:
        settings.from_dict({"database": {"url": url}})
    assert "PostgreSQL" in exc.value.zh and "网络" in exc.value.zh
    assert exc.value.field == "database.url"
    check = firstrun.check_database(url)
    assert not check.ok and "共享" in check.message
    with pytest.raises(SettingsError):
        Database(url)


def test_local_paths_are_not_network():
    assert not paths.is_network_path("C:/ProgramData/CounterDesk/data/counterdesk.sqlite3")
    assert not paths.is_network_path("\\\\?\\C:\\data\\counterdesk.sqlite3")
    assert paths.is_network_path("\\\\nas\\share\\x.sqlite3")


def test_first_run_dialog_saves_the_pc_wide_database(qtbot):
    """COUNTERDESK_HOME (conftest) stands for the PC: its machine/ folder is ProgramData."""
    from counterdesk.ui.shell.first_run import FirstRunDialog

    paths.machine_settings_file().parent.mkdir(parents=True)
    target = paths.settings_file_to_write()
    assert target == paths.machine_settings_file()
    dlg = FirstRunDialog(None, target=target)
    qtbot.addWidget(dlg)
    assert dlg.db_local.isChecked()
    assert dlg.db_local_path.text() == \
        (paths.machine_data_dir() / "counterdesk.sqlite3").as_posix()
    dlg.hall_code.setText("HQ01")
    dlg.window_no.setValue(2)
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.save()
    saved = settings.load(target)
    assert saved.database.url == "sqlite:///" + dlg.db_local_path.text()
    assert saved.backup.directory == str(paths.machine_data_dir() / "backups")
    again = FirstRunDialog(saved, target=target)  # reopened: still "this PC only"
    qtbot.addWidget(again)
    assert again.db_local.isChecked() and again.db_url.text() == ""


def test_an_older_installation_keeps_its_database():
    """PC-wide settings with an empty URL on a PC whose account already has a database
    (before issue 17.3): that file stays in use, nothing is silently started afresh."""
    user = paths.data_dir() / "counterdesk.sqlite3"
    user.parent.mkdir(parents=True)
    user.write_bytes(b"")
    settings.Settings().save(paths.machine_settings_file())
    assert paths.default_database_file() == user
    machine = paths.machine_data_dir() / "counterdesk.sqlite3"
    machine.parent.mkdir(parents=True)
    machine.write_bytes(b"")  # once the PC-wide file exists, it wins
    assert paths.default_database_file() == machine
