"""Where CounterDesk keeps its files on this PC (platformdirs; Windows first).

``COUNTERDESK_HOME`` moves everything under one folder (portable install, tests).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from . import APP_AUTHOR, APP_NAME


def _home() -> Path | None:
    value = os.environ.get("COUNTERDESK_HOME")
    return Path(value) if value else None


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def machine_data_dir() -> Path:
    """The PC-wide data folder (``C:\\ProgramData\\CounterDesk\\CounterDesk\\data`` on
    Windows; the installer lets every user of the PC write there): with PC-wide settings the
    hall's SQLite file and its backups live here, not in one Windows account's profile."""
    home = _home()
    if home:
        return home / "machine" / "data"
    return Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR)) / "data"


def pc_wide() -> bool:
    """True when IT placed the PC-wide settings file: one database for every account."""
    return machine_settings_file().exists()


def backup_dir() -> Path:
    """Backups beside the database file (PC-wide folder with PC-wide settings)."""
    return default_database_file().parent / "backups"


def machine_settings_file() -> Path:
    """The PC-wide settings file (``C:\\ProgramData\\CounterDesk\\CounterDesk\\counterdesk.toml`` on
    Windows), written by IT for every Windows account of a hall PC."""
    home = _home()
    if home:
        return home / "machine" / "counterdesk.toml"
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR)) / "counterdesk.toml"


def default_settings_file() -> Path:
    """The settings file in force: the PC-wide one if IT placed it, else this user's."""
    machine = machine_settings_file()
    if machine.exists():
        return machine
    return config_dir() / "counterdesk.toml"


def _dir_writable(folder: Path) -> bool:
    """True if this Windows user may create a file in ``folder`` (tried, not guessed:
    ACLs decide on Windows)."""
    if not folder.is_dir():
        return False
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def settings_file_to_write() -> Path:
    """Where the first-run dialog saves: the PC-wide file when it exists or its folder is
    writable (the installer creates it for every user of the hall PC: clerks of several
    shifts share one window's settings), else this Windows user's file."""
    machine = machine_settings_file()
    if machine.exists() or _dir_writable(machine.parent):
        return machine
    return config_dir() / "counterdesk.toml"


def default_database_file() -> Path:
    """This PC's SQLite file when the settings name none: the PC-wide folder with PC-wide
    settings (issue 17.3; an older installation that already has a file in this account
    keeps it), else this Windows account's data folder."""
    user = data_dir() / "counterdesk.sqlite3"
    if pc_wide():
        machine = machine_data_dir() / "counterdesk.sqlite3"
        if machine.exists() or not user.exists():
            return machine
    return user


def is_network_path(path: str | Path) -> bool:
    """True for a UNC path (``\\\\nas\\share\\…``) or, on Windows, a mapped network
    drive: a SQLite file there is refused (several PCs on one SQLite file over SMB corrupt
    it; a hall of several PCs uses PostgreSQL)."""
    text = str(path)
    if text.upper().startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return True
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "//?/")):
        return True
    from .platform import windows

    return windows.is_remote_drive(text)
