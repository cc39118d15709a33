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


def default_settings_file() -> Path:
    return config_dir() / "counterdesk.toml"


def default_database_file() -> Path:
    return data_dir() / "counterdesk.sqlite3"
