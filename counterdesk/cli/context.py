"""What a command-line verb gets: settings, the database, the acting staff member."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import i18n
from .. import settings as settings_mod
from ..errors import CounterDeskError, SettingsError

if TYPE_CHECKING:  # imported when used: the workstation shows its sign-in window first
    from ..db import Database
    from ..staff import Actor, Approval


@dataclass
class Result:
    data: Any = None
    text: str = ""
    exit_code: int = 0


def add_staff_args(parser, *, approver: bool = False, window: bool = False) -> None:
    """Add ``--staff`` (and ``--approver`` / ``--window``) to a verb's parser."""
    parser.add_argument("--staff", required=True, metavar="工号",
                        help="办理人工号（密码取自 COUNTERDESK_PASSWORD 或提示输入）")
    if approver:
        parser.add_argument("--approver", metavar="工号",
                            help="授权的主任工号（密码取自 COUNTERDESK_APPROVER_PASSWORD）")
    if window:
        parser.add_argument("--window", type=int, metavar="N", help="窗口号")


_warned: set[str] = set()


def _warn_password_in_settings(settings: settings_mod.Settings) -> None:
    """A password written in the settings file still works (scripts) but is said once."""
    from ..credentials import has_password

    where = str(settings.source)
    if not settings.database.url or not has_password(settings.database.url) or where in _warned:
        return
    _warned.add(where)
    print(i18n.pick(f"警告：设置文件 {where} 中的数据库 URL 含有密码，本机所有用户都能看到；"
                    "请以管理员身份运行 counterdesk db store-password 把它移入系统凭据库",
                    f"warning: the database URL in {where} contains a password; run "
                    "counterdesk db store-password as an administrator to move it to the "
                    "credential store"), file=sys.stderr)


def add_request_key_arg(parser) -> None:
    """``--request-key UUID``: a retry with the same key returns the first outcome."""
    parser.add_argument("--request-key", metavar="UUID",
                        help="请求号（省略时自动生成）；用同一请求号重试不会重复办理，只返回第一次的结果")


class Context:
    def __init__(self, args):
        self.args = args
        self.json: bool = bool(getattr(args, "json", False))
        self.settings: settings_mod.Settings = settings_mod.Settings()
        self._db: Database | None = None
        # a settings file that could not be read, for the workstation's first-run dialog
        self.settings_error: SettingsError | None = None

    # -- settings and database -------------------------------------------------------
    def load_settings(self) -> None:
        self.settings = settings_mod.load(self.args.config,
                                          must_exist=bool(self.args.config) and
                                          getattr(self.args, "verb", None) is not None)
        _warn_password_in_settings(self.settings)
        if self.args.db:  # this run only: never written back to the settings file
            self.settings.override("database.url", self.args.db)
        if getattr(self.args, "printer", None):
            self.settings.override("printer.uri", self.args.printer)
        if getattr(self.args, "global_window", None) is not None:
            self.settings.override("window.number", self.args.global_window)

    @property
    def url(self) -> str:
        return self.settings.database.effective_url()

    def database(self, *, upgrade: bool = True) -> Database:
        """The database, migrated to this program's schema (refused if newer)."""
        if self._db is None:
            from .. import schema
            from ..db import Database

            db = Database(self.url)
            try:
                # a server that does not answer is a known fault (Retry / Change settings…),
                # not a crash: the driver's error is translated like every other access
                with db._guard():
                    state = schema.check(db) if not upgrade else schema.upgrade(db)
            except Exception:
                db.dispose()
                raise
            if state == "empty" and upgrade:
                from ..setup import mark_database

                mark_database(db)
            self._db = db
        return self._db

    @property
    def db(self) -> Database:
        return self.database()

    def raw_database(self) -> Database:
        if self._db is None:
            from ..db import Database

            self._db = Database(self.url)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None

    # -- who acts ---------------------------------------------------------------------
    def _password(self, env: str, prompt: str) -> str:
        value = os.environ.get(env)
        if value is not None:
            return value
        if not sys.stdin or not sys.stdin.isatty():
            raise CounterDeskError(f"未提供密码：请设置环境变量 {env}",
                                   f"No password: set the environment variable {env}")
        return getpass.getpass(prompt)

    def window_number(self, args=None) -> int | None:
        args = args or self.args
        w = getattr(args, "window", None)
        if w is None:
            w = self.settings.window.number or None
        return w

    def actor(self, args=None, *, window: int | None = None) -> Actor:
        args = args or self.args
        staff_no = getattr(args, "staff", None)
        if not staff_no:
            raise CounterDeskError("请用 --staff 指定办理人工号", "Name the staff member with --staff")
        password = self._password("COUNTERDESK_PASSWORD", f"工号 {staff_no} 的密码：")
        from ..staff import sign_in

        return sign_in(self.db, staff_no, password,
                       window=window if window is not None else self.window_number(args),
                       hall_code=self.settings.hall.code)

    def approval(self, args=None) -> Approval | None:
        args = args or self.args
        no = getattr(args, "approver", None)
        if not no:
            return None
        from ..staff import Approval

        return Approval(no, self._password("COUNTERDESK_APPROVER_PASSWORD",
                                           f"授权人 {no} 的密码："))

    def result(self, data: Any = None, text: str = "", exit_code: int = 0) -> Result:
        return Result(data, text, exit_code)

    @staticmethod
    def t(zh: str, en: str) -> str:
        return i18n.pick(zh, en)


__all__ = ["Context", "Result", "add_request_key_arg", "add_staff_args"]
