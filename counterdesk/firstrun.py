"""What the first-run settings dialog checks, without Qt (``ui/first_run.py`` is the screen).

* :func:`check_database` — can this PC use that database? Which one it is (this PC's
  SQLite file or a PostgreSQL server), and on failure *why* in plain words (server not
  running, host unknown, wrong password, no such database, timeout, file not writable,
  a database of another program or a newer CounterDesk).
* :func:`printer_uri` / :func:`test_print` — the printer address from a type and an
  address, and a test page sent through :func:`counterdesk.print.printers.send`.
* :func:`make_settings` — the new settings, validated by the settings' own checks.

Nothing here writes to the database; the connection test only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, clock, i18n, paths
from . import settings as settings_mod
from .errors import CounterDeskError, PrinterError, SchemaError, ValidationError

PRINTER_TYPES = ("none", "tcp", "win32", "usb", "serial", "file")
PRINTER_PREFIX = {"tcp": "tcp://", "win32": "win32:", "usb": "usb:", "serial": "serial:",
                  "file": "file:"}


@dataclass
class DatabaseCheck:
    ok: bool
    kind: str            # "sqlite" | "postgresql" | "" (URL not understood)
    where: str           # the URL without password, or the file
    state: str = ""      # "empty" | "current" | "outdated" when ok
    message: str = ""    # what to tell the user (current language)
    halls: list = field(default_factory=list)  # [{code, name, windows: [n…]}] when current

    def hall(self, code: str) -> dict | None:
        return next((h for h in self.halls if h["code"].lower() == code.strip().lower()), None)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# why a PostgreSQL connection failed: pattern in the driver's text → (zh, en)
_PG_REASONS = [
    (r"password authentication failed|authentication failed|no password supplied",
     "用户名或密码不对", "the user name or password is wrong"),
    (r"database \".*\" does not exist",
     "服务器上没有这个数据库（先在服务器上 createdb）",
     "the database does not exist on the server (createdb it first)"),
    (r"role \".*\" does not exist", "服务器上没有这个用户", "the user does not exist on the server"),
    (r"could not translate host name|Name or service not known|nodename nor servname|"
     r"No such host|getaddrinfo failed|failed to resolve host",
     "找不到这个服务器名（检查拼写或 DNS）", "the server name is unknown (check its spelling or DNS)"),
    (r"Connection refused|actively refused",
     "服务器拒绝连接：数据库服务未运行、端口不对或被防火墙挡住",
     "the server refused the connection: PostgreSQL is not running there, the port is "
     "wrong, or a firewall blocks it"),
    (r"timeout expired|timed out|Connection timed out",
     "连接超时：服务器不可达（网络或防火墙）",
     "the connection timed out: the server cannot be reached (network or firewall)"),
    (r"no pg_hba.conf entry", "服务器不允许本机连接（pg_hba.conf）",
     "the server does not allow this PC to connect (pg_hba.conf)"),
    (r"SSL", "SSL 设置不符", "the SSL settings do not match"),
]


def _pg_reason(text: str) -> tuple[str, str]:
    for pattern, zh, en in _PG_REASONS:
        if re.search(pattern, text, re.I):
            return zh, en
    first = text.strip().splitlines()[0] if text.strip() else "unknown"
    first = re.sub(r"password=\S+", "password=***", first)
    return f"数据库驱动报告：{first}", f"the driver said: {first}"


def local_database_file(pc_wide: bool) -> Path:
    """Where "this PC only" keeps the SQLite file: the PC-wide data folder when the settings
    are PC-wide (every Windows account of the PC, issue 17.3), else this account's."""
    if pc_wide:
        return paths.machine_data_dir() / "counterdesk.sqlite3"
    return paths.default_database_file()


def database_url(choice: str, server_url: str = "", *, pc_wide: bool = False) -> str:
    """The settings' ``database.url``: for this PC's SQLite file "" (this account's) or,
    with PC-wide settings, the absolute URL of the file in the PC-wide data folder; else
    the server URL."""
    if choice == "local":
        return "sqlite:///" + local_database_file(True).as_posix() if pc_wide else ""
    url = server_url.strip()
    if url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _validate_url(url: str) -> None:
    settings_mod.from_dict({"database": {"url": url}})  # the settings' own check


def check_database(url: str) -> DatabaseCheck:
    """Connect to ``url`` ("" = this PC's SQLite file) and say what is there, or why not."""
    from .db import Database, display_url

    pick = i18n.pick
    effective = url or "sqlite:///" + paths.default_database_file().as_posix()
    try:
        _validate_url(url)
    except CounterDeskError as exc:
        return DatabaseCheck(False, "", url, message=exc.message)
    kind = "sqlite" if effective.startswith("sqlite") else "postgresql"
    where = display_url(effective)
    if kind == "sqlite":
        folder = Path(where).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / ".counterdesk-write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return DatabaseCheck(False, kind, where, message=pick(
                f"本机数据库文件夹 {folder} 不能写入（{exc.strerror or exc}）：请换一个位置或请管理员授权",
                f"The folder of this PC's database, {folder}, is not writable "
                f"({exc.strerror or exc}): choose another place or ask IT for access"))
    db = None
    try:
        from . import schema

        db = Database(effective, pool_size=1)
        state = schema.check(db)
        halls = _halls(db) if state == "current" else []
    except SchemaError as exc:
        return DatabaseCheck(False, kind, where, message=exc.message)
    except CounterDeskError as exc:
        cause = exc.__cause__ or exc.__context__
        return _failed(kind, where, str(getattr(cause, "orig", None) or cause or exc))
    except Exception as exc:  # noqa: BLE001 - driver faults: explained, never a traceback
        return _failed(kind, where, str(getattr(exc, "orig", None) or exc))
    finally:
        if db is not None:
            db.dispose()
    label = pick("本机数据库" if kind == "sqlite" else "PostgreSQL 服务器",
                 "this PC's database" if kind == "sqlite" else "the PostgreSQL server")
    text = {
        "empty": pick("连接成功：{0} {1} 是空的，首次启动时会建好表结构",
                      "Connected: {0} {1} is empty; its tables are created on first start"),
        "current": pick("连接成功：{0} {1} 是 CounterDesk 数据库，结构版本与本程序一致",
                        "Connected: {0} {1} is a CounterDesk database of this version"),
        "outdated": pick("连接成功：{0} {1} 是较旧版本的 CounterDesk 数据库，启动时会先备份再升级",
                         "Connected: {0} {1} is an older CounterDesk database; it is backed "
                         "up and upgraded on start"),
    }[state].format(label, where)
    if halls:
        text += pick("；营业厅：", "; halls: ") + pick("，", ", ").join(
            f"{h['code']} {h['name']}" + (pick(f"（窗口 {_ranges(h['windows'])}）",
                                                f" (windows {_ranges(h['windows'])})")
                                          if h["windows"] else "") for h in halls)
    return DatabaseCheck(True, kind, where, state, text, halls)


def _halls(db) -> list[dict]:
    from sqlalchemy import select

    from .models import Hall, Window

    with db.read() as s:
        rows = s.execute(select(Hall.id, Hall.code, Hall.name).order_by(Hall.code)).all()
        wins = s.execute(select(Window.hall_id, Window.number).where(Window.active.is_(True))
                         .order_by(Window.number)).all()
    return [{"code": code, "name": name,
             "windows": [n for hid, n in wins if hid == hall_id]} for hall_id, code, name in rows]


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → "1–3, 5"."""
    spans: list[list[int]] = []  # [first, last]
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def check_place(check: DatabaseCheck | None, hall_code: str, window: int) -> str | None:
    """Why this hall code / window number does not fit the database that answered, or None."""
    if check is None or not check.ok or not check.halls:
        return None  # an empty or older database: nothing to compare with yet
    hall = check.hall(hall_code)
    if hall is None:
        codes = ", ".join(h["code"] for h in check.halls)
        return i18n.pick(f"这个数据库里没有营业厅 {hall_code.strip()}；有：{codes}",
                         f"This database has no hall {hall_code.strip()}; it has: {codes}")
    if window and hall["windows"] and window not in hall["windows"]:
        return i18n.pick(
            f"营业厅 {hall['code']} 没有 {window} 号窗口；有：{_ranges(hall['windows'])}"
            "（取号机、叫号屏、办公电脑填 0）",
            f"Hall {hall['code']} has no window {window}; it has: {_ranges(hall['windows'])} "
            "(0 for a kiosk, display or office PC)")
    return None


def _failed(kind: str, where: str, driver_text: str) -> DatabaseCheck:
    if kind == "postgresql":
        zh, en = _pg_reason(driver_text)
        return DatabaseCheck(False, kind, where, message=i18n.pick(
            f"无法连接 PostgreSQL 服务器 {where}：{zh}。", f"Cannot connect to the PostgreSQL "
            f"server {where}: {en}."))
    first = driver_text.strip().splitlines()[0] if driver_text.strip() else "unknown"
    return DatabaseCheck(False, kind, where, message=i18n.pick(
        f"无法打开本机数据库文件 {where}：{first}。", f"Cannot open this PC's database file "
        f"{where}: {first}."))


def printer_uri(kind: str, address: str, width: int = 80) -> str:
    """The printer URI of the settings from a type and an address ("" = no printer)."""
    address = address.strip()
    if kind == "none":
        return ""
    if kind not in PRINTER_PREFIX:
        raise ValidationError(f"未知的打印机类型 {kind}", f"Unknown printer type {kind}",
                              field="printer")
    if not address:
        raise ValidationError("请填写打印机地址", "Enter the printer's address", field="printer")
    prefix = PRINTER_PREFIX[kind]
    if address.lower().startswith(prefix) or (kind == "tcp" and address.lower().startswith("tcp:")):
        uri = address
    else:
        uri = prefix + address
    from .print import printers

    printers.parse(uri, width_mm=width)  # refuses a malformed address with the expected forms
    return uri


def split_printer_uri(uri: str) -> tuple[str, str]:
    """(type, address) for the dialog from a settings URI."""
    if not uri:
        return "none", ""
    for kind, prefix in PRINTER_PREFIX.items():
        if uri.lower().startswith(prefix):
            return kind, uri[len(prefix):]
    return "none", ""


def test_page(*, hall_code: str, window: int, width: int = 80, dots: int | None = None) -> bytes:
    """A short test page in Chinese (proves the GB18030 mode and the paper width)."""
    from .print.escpos_doc import Doc, columns_for

    cols = columns_for(width, dots or (384 if width == 58 else 576))
    doc = Doc(cols)
    doc.center().big("打印测试").normal().line("CounterDesk 营业厅窗口服务系统")
    doc.left().rule()
    doc.pair("营业厅", hall_code).pair("窗口", str(window) if window else "—")
    doc.pair("纸宽", f"{width} mm / {cols} 列").pair("时间", clock.now().strftime("%Y-%m-%d %H:%M"))
    doc.pair("版本", __version__).rule().line("看到这一页，打印机设置正确。").feed(2).cut()
    return doc.bytes()


def test_print(uri: str, *, hall_code: str, window: int, width: int = 80,
               timeout: float = 3.0) -> str:
    """Send the test page; returns what to tell the user. Raises PrinterError/ValidationError."""
    from .print import printers

    if not uri:
        raise ValidationError("未设置打印机：请先选择类型并填写地址",
                              "No printer set: choose a type and enter its address",
                              field="printer")
    p = printers.parse(uri, width_mm=width, timeout=timeout)
    try:
        printers.send(p, test_page(hall_code=hall_code, window=window, width=p.width_mm,
                                   dots=p.dots), job_name="打印测试")
    except printers.PrintUnconfirmed as exc:   # the bytes went: whether paper came out is open
        hint_zh = hint_en = ""
        if not p.ask_status and printers.answers_status(p):
            hint_zh = "该打印机能回答状态查询：请在地址后加 ?status=1。"
            hint_en = " This printer answers status queries: add ?status=1 to its address."
        raise PrinterError(f"测试页已发送，但打印机 {uri} 未确认打出：请看是否出纸。{hint_zh}",
                           f"The test page was sent but printer {uri} did not confirm it: "
                           f"check the paper.{hint_en}") from exc
    except PrinterError as exc:
        raise _test_print_failed(uri, exc) from exc
    return i18n.pick(f"测试页已发送到 {uri}，请看打印机是否打出。",
                     f"The test page was sent to {uri}; check that it came out.")


def _test_print_failed(uri: str, exc: PrinterError) -> PrinterError:
    """The refusal in the words of a test print (no receipt is waiting here)."""
    cause = exc.__cause__
    if isinstance(cause, ConnectionRefusedError):
        zh, en = ("打印机拒绝连接：地址或端口不对，或打印机未开机",
                  "the printer refused the connection: wrong address or port, or it is off")
    elif isinstance(cause, (TimeoutError,)) or "timeout" in type(cause).__name__.lower():
        zh, en = ("打印机无响应（超时）：检查网线、IP 地址和电源",
                  "the printer did not answer (timeout): check the cable, IP address and power")
    elif isinstance(cause, (BrokenPipeError, ConnectionResetError)):
        zh, en = "打印过程中连接中断", "the connection broke while printing"
    elif isinstance(cause, (FileNotFoundError, PermissionError)):
        zh, en = (f"打不开 {cause.filename or uri}（{cause.strerror}）",
                  f"cannot open {cause.filename or uri} ({cause.strerror})")
    elif cause is not None:
        zh = en = f"{type(cause).__name__}: {cause}"
    else:
        return PrinterError(f"测试页没有打出：{exc.zh}", f"The test page did not print: {exc.en}")
    return PrinterError(f"测试页没有打出，打印机 {uri} 不可用：{zh}。",
                        f"The test page did not print; printer {uri} is unavailable: {en}.")


def make_settings(base: settings_mod.Settings | None, *, database_url: str, hall_code: str,
                  window: int, printer_uri: str, width: int,
                  pc_wide: bool = False) -> settings_mod.Settings:
    """The new settings (other sections kept from ``base``), checked like a loaded file.
    With PC-wide settings and this PC's SQLite file, the backups folder is written too
    (beside the file, unless one was set: another disk or a share)."""
    data = (base or settings_mod.Settings()).to_dict()
    data["database"]["url"] = database_url
    local = settings_mod.sqlite_file(database_url)
    if pc_wide and local and not data["backup"]["directory"]:
        data["backup"]["directory"] = str(Path(local).parent / "backups")
    data["hall"]["code"] = hall_code.strip()
    data["window"]["number"] = int(window)
    data["printer"]["uri"] = printer_uri
    data["printer"]["width"] = int(width)
    dots = data["printer"]["dots"]
    data["printer"]["dots"] = 384 if width == 58 else (576 if dots == 384 else dots)
    new = settings_mod.from_dict(data)
    new.source = base.source if base is not None else None
    return new


def move_password(settings: settings_mod.Settings) -> None:
    """A password typed into the dialog goes to the OS credential store; the settings
    file (read by every user of the PC) keeps the URL without it (issue 23)."""
    from sqlalchemy.engine import make_url

    from . import credentials

    url = settings.database.url
    if url and credentials.has_password(url):
        settings.database.url = credentials.store_db_password(url, str(make_url(url).password))


__all__ = ["DatabaseCheck", "move_password", "check_database", "check_place", "database_url", "printer_uri",
           "split_printer_uri", "test_page", "test_print", "make_settings", "PrinterError",
           "PRINTER_TYPES"]
