"""``counterdesk self-test`` (also ``counterdesk --self-test``): is this program complete?

Runs :mod:`counterdesk.selftest` on a throw-away SQLite database — never the PC's own
settings or database — printing one line per step; exit status 0 only if every step
passed. ``--report FILE`` also writes the result as JSON (the windowed Windows
executable has no console; ``counterdesk-cli.exe`` has one).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("self-test",
                       help="自检：在临时数据库上走一遍迁移、演示数据、登录、取号叫号、收费、"
                            "票据、日结报表和审计链，全部通过才返回 0")
    p.add_argument("--keep", metavar="DIR",
                   help="把临时数据库和生成的票据、PDF 留在此目录（排查问题用）")
    p.add_argument("--report", metavar="FILE", help="另把结果写成 JSON 文件")
    p.add_argument("--gui", action="store_true",
                   help="再打开一次柜员工作台主窗口（无显示器时设 QT_QPA_PLATFORM=offscreen）")
    p.set_defaults(handler=cmd_self_test)


def cmd_self_test(ctx: Context, args):
    from .. import selftest

    report = selftest.run(None if ctx.json else _print, keep=args.keep, gui=args.gui)
    if args.report:
        Path(args.report).write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2),
                                     encoding="utf-8")
    return ctx.result(report.to_dict(), "", 0 if report.ok else 1)


def _print(line: str) -> None:
    print(line, flush=True)
