"""Typed settings of one PC, kept in a TOML file.

The file lives in the platform's config directory (``paths.default_settings_file``)
or wherever ``--config`` points. Every key has a default; a wrong value or an
unknown key is refused with a message that names the key and the expected form.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import tomli_w

from . import paths
from .errors import SettingsError

log = logging.getLogger(__name__)

# Hall rules that moved to the hall policy in the database (issue 15): a settings file of an
# older version that still has them is read with a warning naming them (never refused: an
# upgrade must not lock a PC out); the database's values apply.
MOVED_TO_POLICY: dict[str, str] = {
    "queue.priority_cap": "queue.priority_cap", "queue.recall_limit": "queue.recall_limit",
    "queue.pause_limit_minutes": "queue.pause_limit_minutes",
    "queue.noshow_requeue_minutes": "queue.noshow_requeue_minutes",
    "queue.wait_apology_minutes": "queue.wait_apology_minutes",
    "billing.single_payment_limit_fen": "billing.single_payment_limit_fen",
    "cash.difference_threshold_fen": "cash.difference_threshold_fen",
    **{f"quality.{k}": f"quality.{k}" for k in (
        "complaint_deadline_hours", "enquiry_deadline_hours", "rating_seconds",
        "working_days_only", "followup_start", "followup_end", "due_soon_hours",
        "extra_holidays", "extra_workdays")},
}
_warned: set[str] = set()


def _warn_moved(keys: list[str], source: Path | None) -> None:
    """One warning per process naming the keys now ignored (not their values)."""
    fresh = [k for k in keys if k not in _warned]
    if fresh:
        _warned.update(fresh)
        log.warning("settings file %s: %s now belong to the hall policy in the database "
                    "(counterdesk policy show); ignored here", source or "-", ", ".join(fresh))


@dataclass
class DatabaseSettings:
    # empty: the SQLite file in the data directory. A PostgreSQL URL names no password:
    # it is kept in the OS credential store (``counterdesk db store-password``)
    url: str = ""

    def effective_url(self) -> str:
        if self.url:
            from .credentials import with_password

            return with_password(self.url)
        return "sqlite:///" + paths.default_database_file().as_posix()


@dataclass
class HallSettings:
    code: str = "HQ01"  # which hall of the company this PC belongs to


@dataclass
class WindowSettings:
    number: int = 1  # 0: not a window PC (kiosk, display, manager office)


@dataclass
class PrinterSettings:
    uri: str = ""  # tcp://HOST[:9100] | win32:NAME | usb:VID:PID | serial:PORT | file:PATH; '' = none
    width: int = 80  # paper width in mm: 58 or 80
    dots: int = 576  # printable dots per line on 80 mm (576 → 48 columns, 512 → 42)
    timeout: float = 3.0  # seconds to wait for the printer
    cash_drawer: bool = True


@dataclass
class CardSettings:
    reader: str = ""  # IC card reader: sim:FOLDER | pcsc:[READER NAME]; '' = none


@dataclass
class UISettings:
    language: str = "zh_CN"
    font_scale: float = 1.0
    high_contrast: bool = False
    customer_screen: bool = False  # show amounts / rating on a second monitor


@dataclass
class QueueSettings:
    voice: bool = True  # hall display: spoken announcements (offline clips)


@dataclass
class BackupSettings:
    directory: str = ""  # empty: <data>/backups
    keep: int = 30

    def effective_dir(self) -> Path:
        return Path(self.directory) if self.directory else paths.backup_dir()


@dataclass
class Settings:
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    hall: HallSettings = field(default_factory=HallSettings)
    window: WindowSettings = field(default_factory=WindowSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    card: CardSettings = field(default_factory=CardSettings)
    ui: UISettings = field(default_factory=UISettings)
    queue: QueueSettings = field(default_factory=QueueSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)

    source: Path | None = field(default=None, compare=False, repr=False)
    # keys of the file that moved to the hall policy (ignored; see MOVED_TO_POLICY)
    ignored: ClassVar[tuple[str, ...]] = ()

    def override(self, key: str, value: Any) -> None:
        """Use ``value`` for this run only (``--db``, ``--printer``, ``--window``,
        ``--lang``): saving writes the file's own value back unless the user changed the
        setting since (issue 18.17: a view toggle saves only what the user changed)."""
        section, name = key.split(".", 1)
        obj = getattr(self, section)
        # "section.key" -> (the file's value, this run's value); not a dataclass field
        overrides = self.__dict__.setdefault("_overrides", {})
        original = overrides[key][0] if key in overrides else getattr(obj, name)
        overrides[key] = (original, value)
        setattr(obj, name, value)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name == "source":
                continue
            out[f.name] = dataclasses.asdict(getattr(self, f.name))
        return out

    def _saved_dict(self) -> dict[str, Any]:
        out = self.to_dict()
        for key, (original, value) in self.__dict__.get("_overrides", {}).items():
            section, name = key.split(".", 1)
            if out[section].get(name) == value:   # still this run's value: not the user's
                out[section][name] = original
        return out

    def save(self, path: Path | None = None) -> Path:
        path = Path(path or self.source or paths.default_settings_file())
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(tomli_w.dumps(self._saved_dict()).encode("utf-8"))
        tmp.replace(path)
        if os.name != "nt":  # readable by the PC's users, writable only by its owner
            os.chmod(path, 0o644)
        self.source = path
        return path


# Extra checks beyond the type: key -> (predicate, expected form zh, expected form en)
_CHECKS: dict[str, tuple] = {
    "window.number": (lambda v: 0 <= v <= 999, "0 到 999 的整数", "an integer 0..999"),
    "printer.width": (lambda v: v in (58, 80), "58 或 80", "58 or 80"),
    "printer.dots": (lambda v: v in (384, 512, 576), "384、512 或 576", "384, 512 or 576"),
    "printer.timeout": (lambda v: 0 < v <= 30, "0 到 30 秒", "0 to 30 seconds"),
    "printer.uri": (lambda v: v == "" or re.match(r"^(tcp|win32|usb|serial|file|dummy):", v),
                     "tcp://主机[:9100]、win32:打印机名、usb:VID:PID、serial:端口 或 file:路径",
                     "tcp://HOST[:9100], win32:NAME, usb:VID:PID, serial:PORT or file:PATH"),
    "card.reader": (lambda v: v == "" or re.match(r"^(sim:.+|pcsc:)", v),
                    "sim:文件夹 或 pcsc:[读卡器名称]", "sim:FOLDER or pcsc:[READER NAME]"),
    "ui.language": (lambda v: v in ("zh_CN", "en"), "zh_CN 或 en", "zh_CN or en"),
    "ui.font_scale": (lambda v: 0.5 <= v <= 3.0, "0.5 到 3.0", "0.5 to 3.0"),
    "database.url": (lambda v: v == "" or re.match(r"^(sqlite|postgresql)(\+\w+)?://", v),
                      "sqlite:///路径 或 postgresql+psycopg://用户@主机/库",
                      "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"),
    "hall.code": (lambda v: bool(re.match(r"^[A-Za-z0-9_-]{1,16}$", v)), "1–16 位字母数字",
                  "1-16 letters or digits"),
}


def _type_name(tp: Any) -> tuple[str, str]:
    return {
        int: ("整数", "an integer"),
        float: ("数字", "a number"),
        bool: ("true 或 false", "true or false"),
        str: ("文本", "a string"),
    }.get(tp, (str(tp), str(tp)))


def _coerce(section: str, key: str, value: Any, tp: Any) -> Any:
    full = f"{section}.{key}"
    ok = False
    if tp is bool:
        ok = isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif tp is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif tp is str:
        ok = isinstance(value, str)
    if not ok:
        zh, en = _type_name(tp)
        raise SettingsError(f"设置项 {full} 的值 {value!r} 无效：应为{zh}",
                            f"Setting {full} = {value!r} is invalid: expected {en}", field=full)
    check = _CHECKS.get(full)
    if check and not check[0](value):
        raise SettingsError(f"设置项 {full} 的值 {value!r} 无效：应为 {check[1]}",
                            f"Setting {full} = {value!r} is invalid: expected {check[2]}",
                            field=full)
    if full == "database.url":
        refuse_network_sqlite(value)
    return value


def check(key: str, value: Any) -> Any:
    """One setting ``section.key`` checked as the file's loader checks it (for a form):
    the value, or :class:`SettingsError` naming the key and the expected form."""
    section, name = key.split(".", 1)
    hints = {f.name: f for f in dataclasses.fields(getattr(Settings(), section))}
    tp = {"int": int, "float": float, "bool": bool, "str": str}[str(hints[name].type)]
    return _coerce(section, name, value, tp)


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("://", 1)[1] if "://" in url else ""
    path = path[1:] if path.startswith("/") else path  # sqlite:///C:/x → C:/x, ////nas → //nas
    path = path.split("?", 1)[0]
    return path if path and path != ":memory:" else None


def refuse_network_sqlite(url: str) -> None:
    """Issue 17.3: a SQLite file on a network drive or a UNC path is refused, with why."""
    path = sqlite_file(url)
    if path is not None and paths.is_network_path(path):
        raise SettingsError(
            f"数据库文件 {path} 在网络驱动器或共享文件夹上，不能使用：多台电脑通过网络共用一个 SQLite "
            "文件会损坏数据。本机数据库请放在本机磁盘；多台电脑共用请使用 PostgreSQL 服务器",
            f"The database file {path} is on a network drive or share and cannot be used: "
            "several PCs sharing one SQLite file over the network corrupt it. Keep this PC's "
            "database on a local disk; for several PCs use a PostgreSQL server",
            field="database.url")


def from_dict(data: dict[str, Any], source: Path | None = None) -> Settings:
    settings = Settings()
    types = {f.name: f for f in dataclasses.fields(Settings) if f.name != "source"}
    moved = []
    for section, values in data.items():
        if isinstance(values, dict):
            moved += [f"{section}.{k}" for k in values if f"{section}.{k}" in MOVED_TO_POLICY]
            values = {k: v for k, v in values.items() if f"{section}.{k}" not in MOVED_TO_POLICY}
            if not values and section not in types:
                continue
        if section not in types:
            raise SettingsError(
                f"未知的设置节 [{section}]；可用的节：{', '.join(types)}",
                f"Unknown settings section [{section}]; known: {', '.join(types)}",
                field=section)
        if not isinstance(values, dict):
            raise SettingsError(f"设置节 [{section}] 应为一个表", f"[{section}] must be a table",
                                field=section)
        target = getattr(settings, section)
        hints = {f.name: f for f in dataclasses.fields(target)}
        for key, value in values.items():
            if key not in hints:
                raise SettingsError(
                    f"未知的设置项 {section}.{key}；[{section}] 可用的项：{', '.join(hints)}",
                    f"Unknown setting {section}.{key}; known in [{section}]: {', '.join(hints)}",
                    field=f"{section}.{key}")
            tp = {"int": int, "float": float, "bool": bool, "str": str}[str(hints[key].type)]
            setattr(target, key, _coerce(section, key, value, tp))
    if moved:
        _warn_moved(moved, source)
    settings.ignored = tuple(moved)  # type: ignore[misc]  # per load, not a dataclass field
    settings.source = source
    return settings


def load(path: Path | str | None = None, *, must_exist: bool = False) -> Settings:
    """Load the settings file; a missing default file gives the defaults."""
    explicit = path is not None
    path = Path(path) if path else paths.default_settings_file()
    if not path.exists():
        if explicit and must_exist:
            raise SettingsError(f"设置文件不存在：{path}", f"Settings file not found: {path}")
        s = Settings()
        s.source = path
        return s
    from . import textfiles
    from .errors import ValidationError

    try:
        data = tomllib.loads(textfiles.read_text(path))  # Notepad: BOM or GBK (issue 17.6)
    except OSError as exc:
        raise SettingsError(f"无法读取设置文件 {path}：{exc}",
                            f"Cannot read settings file {path}: {exc}") from exc
    except ValidationError as exc:
        raise SettingsError(f"无法读取设置文件 {path}：{exc.zh}",
                            f"Cannot read settings file {path}: {exc.en}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"设置文件 {path} 格式错误（TOML）：{exc}",
                            f"Settings file {path} is not valid TOML: {exc}") from exc
    return from_dict(data, source=path)


def exists(path: Path | str | None = None) -> bool:
    return Path(path or paths.default_settings_file()).exists()
