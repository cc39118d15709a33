"""Core verbs: init, demo, db upgrade/status, user, audit verify, kiosk, display."""

from __future__ import annotations

import argparse
import os

from .. import audit, schema, setup, staff
from ..errors import CounterDeskError
from .context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="创建或升级数据库，建立营业厅")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="创建演示营业厅（演示账号、价目表、客户）")
    p.add_argument("--tickets", action="store_true",
                   help="若今天还没有排队号，取几张演示号（A 缴费、B 开户…）以便叫号")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("db", help="数据库结构")
    dsub = p.add_subparsers(dest="db_verb", required=True)
    q = dsub.add_parser("upgrade", help="升级到本程序的数据库结构（SQLite 先备份）")
    q.set_defaults(handler=cmd_db_upgrade)
    q = dsub.add_parser("status", help="显示数据库结构版本")
    q.set_defaults(handler=cmd_db_status)
    from .backup import register_db

    register_db(dsub)

    p = sub.add_parser("user", help="员工账号（管理员，或管理柜员的主任，须 --staff 登录）")
    usub = p.add_subparsers(dest="user_verb", required=True)
    q = usub.add_parser("add", help="新增员工（新密码取自 COUNTERDESK_NEW_PASSWORD 或提示输入）；"
                        "空数据库的第一个管理员无需 --staff")
    q.add_argument("staff_no", metavar="工号")
    q.add_argument("--name", required=True)
    q.add_argument("--role", choices=["clerk", "manager", "admin"], default="clerk")
    q.add_argument("--hall", help="营业厅代码")
    q.add_argument("--can-reveal", action="store_true", help="允许查看完整证件号和电话（仅管理员可授予）")
    _staff_arg(q, required=False)
    q.set_defaults(handler=cmd_user_add)
    q = usub.add_parser("passwd", help="重置密码并解除锁定（COUNTERDESK_NEW_PASSWORD 或提示）")
    q.add_argument("staff_no", metavar="工号")
    _staff_arg(q)
    q.set_defaults(handler=cmd_user_passwd)
    q = usub.add_parser("disable", help="停用员工")
    q.add_argument("staff_no", metavar="工号")
    q.add_argument("--enable", action="store_true", help="重新启用")
    _staff_arg(q)
    q.set_defaults(handler=cmd_user_disable)
    q = usub.add_parser("unlock", help="解除锁定（登录和授权）")
    q.add_argument("staff_no", metavar="工号")
    _staff_arg(q)
    q.set_defaults(handler=cmd_user_unlock)
    q = usub.add_parser("list", help="列出员工")
    _staff_arg(q)
    q.set_defaults(handler=cmd_user_list)

    p = sub.add_parser("audit", help="审计日志")
    asub = p.add_subparsers(dest="audit_verb", required=True)
    q = asub.add_parser("verify", help="校验审计哈希链和它担保的业务数据，指出每条被改动、缺失或没有审计事件的记录")
    q.add_argument("--anchor", action="append", default=[], metavar="HALL:SEQ:HASH",
                   help="日结报表上印的锚点（营业厅:序号:哈希），证明该营业厅的审计链到该点为止未被"
                        "改写；旧报表上的“序号:哈希”指首个营业厅的审计链；可多次给出")
    q.add_argument("--against", metavar="BACKUP",
                   help="备份文件：以备份时各营业厅审计链的末端为锚点")
    q.set_defaults(handler=cmd_audit_verify)

    for mode, help_ in (("kiosk", "取号机（全屏）"), ("display", "叫号屏（全屏）")):
        p = sub.add_parser(mode, help=help_)
        p.add_argument("--windowed", action="store_true", help="不全屏（调试）")
        p.set_defaults(handler=_gui_mode(mode))


def _staff_arg(parser, *, required: bool = True, who: str = "管理员或主任") -> None:
    parser.add_argument("--staff", required=required, metavar="工号",
                        help=f"办理人（{who}）工号，密码取自 COUNTERDESK_PASSWORD 或提示输入")


def _gui_mode(mode: str):
    def handler(ctx: Context, args):
        from ..ui.hall import display, kiosk  # Qt only when a hall screen is asked for

        code = {"kiosk": kiosk, "display": display}[mode].run(ctx, windowed=args.windowed)
        return ctx.result(None, "", code or 0)
    return handler


def cmd_init(ctx: Context, args):
    db = ctx.raw_database()
    state = setup.init(db)
    text = {"empty": "已创建数据库", "outdated": "已升级数据库", "current": "数据库已是最新"}[state]
    return ctx.result({"state": state, "database": db.display_url, "revision": schema.head()},
                      f"{text}：{db.display_url}（结构版本 {schema.head()}）")


def cmd_demo(ctx: Context, args):
    db = ctx.raw_database()
    res = setup.demo(db)
    lines = [("已创建演示营业厅 " if res.created else "演示营业厅已存在 ") + res.hall_code +
             f"（{db.display_url}）"]
    if res.created:
        lines.append("演示账号（只显示这一次，请在正式使用前修改密码）：")
        for u in res.users:
            lines.append(f"  {u['staff_no']:<6} {u['name']:<6} {u['role']:<8} 密码 {u['password']}")
    for key, value in res.extras.items():
        if value:
            lines.append(f"  {key}: {value}")
    issued = _demo_tickets(db, res.hall_code) if getattr(args, "tickets", False) else []
    if issued:
        lines.append("今天的演示排队号：" + " ".join(issued))
    return ctx.result({"created": res.created, "hall": res.hall_code,
                       "users": res.users if res.created else [], "extras": res.extras,
                       "tickets": issued},
                      "\n".join(lines))


DEMO_TICKETS = (("A", False), ("A", False), ("B", False), ("A", True), ("C", False),
                ("D", False), ("A", False))


def _demo_tickets(db, hall_code: str) -> list[str]:
    """A few waiting tickets for today, so a demo clerk has someone to call (only if the
    queue is empty today)."""
    from .. import queue

    actor = queue.kiosk_actor(db, hall_code, device="demo")
    if queue.list_tickets(db, actor.hall_id):
        return []
    return [queue.issue(db, actor, letter, priority=prio).number
            for letter, prio in DEMO_TICKETS]


def cmd_db_upgrade(ctx: Context, args):
    db = ctx.raw_database()
    state = schema.upgrade(db)
    setup.mark_database(db)
    return ctx.result({"state": state, "revision": schema.head()},
                      f"数据库结构：{state} → {schema.head()}")


def cmd_db_status(ctx: Context, args):
    db = ctx.raw_database()
    with db._guard():  # an unreachable server is one line naming it (no password), not a trace
        state = schema.check(db)
        rev = schema.current(db)
    return ctx.result({"state": state, "revision": rev, "head": schema.head(),
                       "database": db.display_url},
                      f"{db.display_url}：结构版本 {rev or '无'}，本程序 {schema.head()}（{state}）")


def _new_password(prompt: str) -> str:
    value = os.environ.get("COUNTERDESK_NEW_PASSWORD")
    if value is not None:
        return value
    import getpass
    import sys

    if not sys.stdin or not sys.stdin.isatty():
        raise CounterDeskError("未提供新密码：请设置环境变量 COUNTERDESK_NEW_PASSWORD",
                               "No new password: set COUNTERDESK_NEW_PASSWORD")
    first = getpass.getpass(prompt)
    if getpass.getpass("再输入一次：") != first:
        raise CounterDeskError("两次输入的密码不一致", "The passwords do not match")
    return first


def cmd_user_add(ctx: Context, args):
    password = None
    if not args.staff:  # only the very first administrator of an empty database
        if args.role != "admin":
            raise CounterDeskError("请用 --staff 指定办理人（管理员或主任）工号",
                                   "Name the administrator or manager with --staff")
        password = _new_password(f"工号 {args.staff_no} 的新密码：")
        info = staff.create_first_admin(ctx.db, args.staff_no, args.name, password,
                                        hall_code=args.hall or ctx.settings.hall.code)
    else:
        actor = ctx.actor(args)
        info = staff.create_staff(ctx.db, actor, args.staff_no, args.name, args.role,
                                  _new_password(f"工号 {args.staff_no} 的新密码："),
                                  hall_code=args.hall, can_reveal=args.can_reveal)
    return ctx.result(info.to_dict(), f"已新增员工 {info.staff_no} {info.name}（{info.role}）")


def cmd_user_passwd(ctx: Context, args):
    actor = ctx.actor(args)
    staff.reset_password(ctx.db, actor, args.staff_no,
                         _new_password(f"工号 {args.staff_no} 的新密码："))
    return ctx.result({"staff_no": args.staff_no}, f"已为 {args.staff_no} 设置新密码并解除锁定")


def cmd_user_disable(ctx: Context, args):
    actor = ctx.actor(args)
    info = staff.set_account_enabled(ctx.db, actor, args.staff_no, args.enable)
    return ctx.result({"staff_no": info.staff_no, "disabled": info.disabled},
                      f"已{'启用' if args.enable else '停用'} {info.staff_no}")


def cmd_user_unlock(ctx: Context, args):
    actor = ctx.actor(args)
    info = staff.unlock(ctx.db, actor, args.staff_no)
    return ctx.result(info.to_dict(), f"已解除 {info.staff_no} 的锁定")


def cmd_user_list(ctx: Context, args):
    users = staff.hall_staff(ctx.db, ctx.actor(args))
    roles = {"clerk": "柜员", "manager": "主任", "admin": "管理员"}
    lines = [f"{u.staff_no:<8} {u.name:<8} {roles.get(u.role, u.role):<8}"
             f"{' 已停用' if u.disabled else ''}{' 已锁定' if u.locked else ''}"
             f"{' 授权已锁定' if u.approvals_locked else ''}" for u in users]
    return ctx.result([u.to_dict() for u in users], "\n".join(lines) or "（无员工）")


def cmd_audit_verify(ctx: Context, args):
    anchors = [audit.parse_anchor(a) for a in getattr(args, "anchor", None) or []]
    if getattr(args, "against", None):
        anchors += audit.backup_heads(args.against)
    res = audit.verify(ctx.db, anchors=anchors)
    en = ctx.json
    heads = {hall: audit.anchor_text(hall, q, h) for hall, (q, h) in res.heads.items()}
    data = {"ok": res.ok, "events": res.count, "rows": res.rows_checked,
            "head": heads.get(res.home, f"{res.head_seq}:{res.head_hash}"), "heads": heads,
            "anchors": [str(a) for a in anchors], "first_bad_seq": res.first_bad_seq,
            "first_bad_hall": res.first_bad_hall,
            "problem": res.problem_en if en else res.problem,
            "problems": [{"what": p.what, "hall": p.hall, "seq": p.seq, "table": p.table,
                          "row_id": p.row_id, "text": p.en if en else p.zh}
                         for p in res.problems],
            "more_problems": res.more_problems}
    if res.ok:
        extra = f"，{len(anchors)} 个锚点相符" if anchors else ""
        ends = "；".join(heads.values())
        return ctx.result(data, f"审计链完整：{len(heads)} 个营业厅的审计链共 {res.count} 条事件，"
                                f"{res.rows_checked} 行业务数据与审计记录相符{extra}；"
                                f"各链末端 {ends}")
    if ctx.json:
        return ctx.result(data, "", 6)
    lines = [p.zh for p in res.problems]
    if res.more_problems:
        lines.append(f"……另有 {res.more_problems} 处问题未列出")
    raise _AuditBroken(f"审计校验发现 {len(res.problems) + res.more_problems} 处问题：\n"
                       + "\n".join(lines),
                       f"audit verify found {len(res.problems) + res.more_problems} problems: "
                       + "; ".join(p.en for p in res.problems[:20]))


class _AuditBroken(CounterDeskError):
    exit_code = 6
