"""Secrets of this PC: the database password and the hall's backup key (issue 23).

They are kept in the operating system's credential store through ``keyring`` (Windows
Credential Manager, macOS Keychain, the Secret Service on Linux). Where no store answers
(a Linux PC without a desktop session, a portable install, the tests), a small file
store is used instead: ``secrets.json`` in this user's config folder, readable only by
its owner (mode 0600). ``COUNTERDESK_SECRET_STORE=file`` selects the file store;
``COUNTERDESK_SECRET_STORE=keyring`` insists on the OS store.

The settings refer to the password without containing it: ``database.url`` names the
user, host and database, and the password is looked up here under ``db:USER@HOST:PORT/DB``.
No function of this module logs or returns a secret in a message.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from . import paths
from .errors import CounterDeskError

log = logging.getLogger(__name__)

SERVICE = "CounterDesk"


class SecretStoreError(CounterDeskError):
    pass


def _file() -> Path:
    return paths.config_dir() / "secrets.json"


def _mode() -> str:
    return os.environ.get("COUNTERDESK_SECRET_STORE", "").strip().lower()


def _read_file() -> dict[str, str]:
    path = _file()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SecretStoreError(f"无法读取本机凭据文件 {path}", f"Cannot read the secrets file {path}") \
            from exc
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(data: dict[str, str]) -> None:
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    os.chmod(path, 0o600)


def _keyring():
    """The OS store, or ``None`` when none answers (then the file store is used)."""
    if _mode() == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        ring = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken store configuration: fall back to the file
        return None
    if isinstance(ring, fail.Keyring) or getattr(ring, "priority", 1) < 1:
        return None if _mode() != "keyring" else ring
    return ring


def store_name() -> str:
    """Where secrets are kept on this PC, for messages and the self-test."""
    ring = _keyring()
    if ring is None:
        return f"本机凭据文件 {_file()}"
    return f"系统凭据库（{type(ring).__module__.rsplit('.', 1)[-1]}）"


def get(name: str) -> str | None:
    ring = _keyring()
    if ring is not None:
        try:
            return ring.get_password(SERVICE, name)
        except Exception as exc:  # noqa: BLE001 - a locked or absent store
            log.warning("credential store unavailable (%s); using the secrets file",
                        type(exc).__name__)
    return _read_file().get(name)


def put(name: str, value: str) -> None:
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, name, value)
            return
        except Exception as exc:  # noqa: BLE001 - fall back to the owner-only file
            log.warning("credential store refused a secret (%s); using the secrets file",
                        type(exc).__name__)
    data = _read_file()
    data[name] = value
    _write_file(data)


def delete(name: str) -> None:
    ring = _keyring()
    if ring is not None:
        try:
            ring.delete_password(SERVICE, name)
        except Exception:  # noqa: BLE001 - not there
            pass
    data = _read_file()
    if name in data:
        del data[name]
        _write_file(data)


# -- the database password ---------------------------------------------------------------
def db_key(url: str) -> str | None:
    """The store's name for the password of ``url`` (``None`` for SQLite)."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception:  # noqa: BLE001 - not a URL: nothing to look up
        return None
    if u.get_backend_name() != "postgresql":
        return None
    return f"db:{u.username or ''}@{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}"


def has_password(url: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        return bool(make_url(url).password)
    except Exception:  # noqa: BLE001
        return False


def strip_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    bare = u._replace(password=None)  # noqa: SLF001 - URL.set(password=None) keeps it
    return bare.render_as_string(hide_password=False)


def with_password(url: str) -> str:
    """``url`` with the stored password filled in (unchanged if it has one or none is kept)."""
    if not url or has_password(url):
        return url
    key = db_key(url)
    if key is None:
        return url
    password = get(key)
    if not password:
        return url
    from sqlalchemy.engine import make_url

    return make_url(url).set(password=password).render_as_string(hide_password=False)


def store_db_password(url: str, password: str) -> str:
    """Keep ``password`` for ``url``'s server; return the URL without a password."""
    key = db_key(url)
    if key is None:
        raise CounterDeskError("只有 PostgreSQL 数据库需要密码", "Only a PostgreSQL database has a password")
    put(key, password)
    return strip_password(url)


__all__ = ["SERVICE", "SecretStoreError", "db_key", "delete", "get", "has_password", "put",
           "store_db_password", "store_name", "strip_password", "with_password"]


def settings_file_warnings(path: Path | None) -> list[str]:
    """What is wrong with how the settings file is kept (for the self-test): ordinary users
    may write it (Linux/macOS: its mode; Windows: the installer's ACL, checked in the
    workflow), or it holds the database password."""
    if path is None or not Path(path).exists():
        return []
    out: list[str] = []
    if os.name != "nt":
        mode = Path(path).stat().st_mode
        if mode & 0o022:
            out.append(f"WARNING: settings file {path} is writable by other users "
                       f"(mode {mode & 0o777:o}); make it writable only by administrators")
    try:
        import tomllib

        url = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("database", {}).get("url")
    except (OSError, ValueError):
        url = None
    if url and has_password(str(url)):
        out.append(f"WARNING: settings file {path} contains the database password; run "
                   "counterdesk db store-password")
    return out
