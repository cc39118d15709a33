"""The command line: every service without the GUI.

``counterdesk [--config F] [--db URL] [--printer URI] [--json] [--lang L] VERB ...``

Each capability registers its verbs in its own module (``cli/<capability>.py``,
function ``register(subparsers)``, listed in ``_verb_modules``); a verb's handler takes the :class:`Context` and
the parsed arguments and returns ``ctx.result(data, text)``. Output is Chinese text by
default, JSON with ``--json``. Exit status 0 on success; otherwise one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from .. import __version__, i18n
from ..errors import CounterDeskError, SettingsError
from .context import Context, Result

log = logging.getLogger(__name__)


def _verb_modules() -> tuple:
    """The modules that register verbs, in help order (imported only when a verb is given,
    so the workstation starts without them)."""
    from . import (
        accounts,
        backup,
        billing,
        bundle,
        cards,
        cash,
        core,
        orders,
        phrases,
        policy,
        quality,
        queue,
    )

    return (core, backup, queue, accounts, billing, cards, cash, quality, orders, phrases,
            policy, bundle)


# Global options that take a value (to tell "no verb: open the GUI" without loading verbs).
_VALUED = ("--config", "--db", "--printer", "--lang", "--window")


def has_verb(argv: list[str]) -> bool:
    """True if ``argv`` names a verb (or asks for help/version); False opens the GUI."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _VALUED:
            skip = True
            continue
        if arg.startswith("--") and "=" in arg and arg.split("=", 1)[0] in _VALUED:
            continue
        if arg in ("-h", "--help") or not arg.startswith("-"):
            return True
    return False


def build_parser(verbs: bool = True) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="counterdesk",
        description="CounterDesk 营业厅窗口服务系统。不带命令时打开柜员工作台（登录）。",
    )
    p.add_argument("--version", action="version", version=f"CounterDesk {__version__}")
    p.add_argument("--config", metavar="FILE", help="设置文件（TOML），默认在本机配置目录")
    p.add_argument("--db", metavar="URL", help="数据库 URL（覆盖设置文件）")
    p.add_argument("--printer", metavar="URI",
                   help="打印机：tcp://主机[:9100] | win32:名称 | usb:VID:PID | serial:端口 | file:路径，可加 ?width=58")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="界面与消息语言")
    p.add_argument("--window", dest="global_window", type=int, metavar="N",
                   help="本机窗口号（覆盖设置文件）")
    sub = p.add_subparsers(dest="verb", metavar="VERB")
    for mod in _verb_modules() if verbs else ():
        mod.register(sub)
    return p


def _emit(ctx: Context, result: Result | None) -> None:
    if result is None:
        return
    if ctx.json:
        print(json.dumps(result.data, ensure_ascii=False, indent=2, default=str))
    elif result.text:
        print(result.text)


def _log_to_file() -> None:
    """Verbs log to the rotating file like the GUI; stderr keeps only the one-line reason
    of the command-line contract (no logging warnings on it)."""
    from .. import logsetup

    try:
        logsetup.setup("cli")
    except OSError:
        logging.getLogger().addHandler(logging.NullHandler())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = ["self-test" if a == "--self-test" else a for a in argv]  # STYLE.md 10 spelling
    # The workstation (no verb) starts without importing every capability's verbs.
    parser = build_parser(verbs=has_verb(argv))
    args = parser.parse_args(argv)
    ctx = Context(args)
    try:
        try:
            ctx.load_settings()
        except SettingsError as exc:  # issue 9: the GUI's first-run dialog says why, fixes it
            if getattr(args, "handler", None) is not None:
                raise
            ctx.settings_error = exc
        i18n.set_language(args.lang or ctx.settings.ui.language)
        handler = getattr(args, "handler", None)
        if handler is None:
            from ..ui.shell.app import run_workstation

            return run_workstation(ctx)
        _log_to_file()
        result = handler(ctx, args)
        _emit(ctx, result)
        return result.exit_code if result is not None else 0
    except CounterDeskError as exc:
        print(("错误：" if i18n.current() != "en" else "error: ") + exc.message, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消" if i18n.current() != "en" else "cancelled", file=sys.stderr)
        return 130
    finally:
        ctx.close()
