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


def backup_dir() -> Path:
    return data_dir() / "backups"


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


def default_database_file() -> Path:
    return data_dir() / "counterdesk.sqlite3"
