"""Queue verbs: ``queue issue|call|recall|start|noshow|requeue|transfer|hold|resume|finish|
list|show|stats`` and ``window pause|resume|status``.

``--json`` prints the ticket (number, service, window, status, times) or the pause.
"""

from __future__ import annotations

import argparse

from .. import clock, queue, textfiles
from .. import validators as V
from .context import Context, add_staff_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="排队叫号：取号、叫号、重呼、过号、转办、办结、统计")
    q = p.add_subparsers(dest="queue_verb", required=True)

    a = q.add_parser("issue", help="取号（不指定 --staff 时以取号机身份）")
    a.add_argument("service", metavar="SERVICE", help="业务字母，如 A")
    a.add_argument("--priority", action="store_true", help="绿色通道（老人、残障、孕妇等）")
    a.add_argument("--staff", metavar="工号", help="代客取号的员工（可选）")
    a.set_defaults(handler=cmd_issue)

    a = q.add_parser("call", help="本窗口叫下一位")
    add_staff_args(a, window=True)
    a.set_defaults(handler=cmd_call)

    for name, help_, fn in (("recall", "重呼当前号码", cmd_recall),
                            ("start", "客户已到，开始办理", cmd_start),
                            ("noshow", "过号", cmd_noshow),
                            ("finish", "办结", cmd_finish),
                            ("hold", "挂起当前号码", cmd_hold)):
        a = q.add_parser(name, help=help_)
        a.add_argument("ticket", nargs="?", metavar="TICKET", help="号码，默认本窗口当前号码")
        add_staff_args(a, window=True)
        a.set_defaults(handler=fn)

    a = q.add_parser("resume", help="恢复办理挂起的号码")
    a.add_argument("ticket", metavar="TICKET")
    add_staff_args(a, window=True)
    a.set_defaults(handler=cmd_resume)

    a = q.add_parser("requeue", help="过号客户返回：重新排队（规则见 README）")
    a.add_argument("ticket", metavar="TICKET")
    add_staff_args(a, window=True)
    a.set_defaults(handler=cmd_requeue)

    a = q.add_parser("transfer", help="转办到其他业务或指定窗口（须填交接说明）")
    a.add_argument("ticket", nargs="?", metavar="TICKET", help="号码，默认本窗口当前号码")
    a.add_argument("--to-service", metavar="LETTER", help="转往的业务字母")
    a.add_argument("--to-window", type=int, metavar="N", help="转往的窗口号")
    a.add_argument("--note", required=True, help="交接说明")
    add_staff_args(a, window=True)
    a.set_defaults(handler=cmd_transfer)

    a = q.add_parser("list", help="列出某日号码")
    a.add_argument("--date", help="日期 YYYY-MM-DD，默认今天")
    a.add_argument("--status", choices=list(queue.STATUS_ZH))
    a.set_defaults(handler=cmd_list)

    a = q.add_parser("show", help="显示一个号码的详情")
    a.add_argument("ticket", metavar="TICKET")
    a.set_defaults(handler=cmd_show)

    a = q.add_parser("stats", help="排队统计（业务、窗口、柜员）")
    a.add_argument("--date", help="某日 YYYY-MM-DD（默认今天）")
    a.add_argument("--from", dest="date_from", help="起始日期")
    a.add_argument("--to", dest="date_to", help="结束日期")
    a.add_argument("--csv", metavar="FILE", help="导出 CSV")
    a.set_defaults(handler=cmd_stats)

    p = sub.add_parser("window", help="窗口暂停服务 / 恢复服务 / 状态")
    w = p.add_subparsers(dest="window_verb", required=True)
    a = w.add_parser("pause", help="暂停服务（此窗口暂停服务）")
    a.add_argument("--reason", default="",
                   help="原因：" + "、".join(f"{k}={v[0]}" for k, v in
                                           queue.PAUSE_REASONS.items()))
    a.add_argument("--text", default="", help="原因说明（原因为 other 时必填）")
    a.add_argument("--until", required=True, metavar="HH:MM", help="预计返回时间")
    a.add_argument("--cover", default="", metavar="工号", help="顶岗同事工号（长时间离开时必填）")
    add_staff_args(a, approver=True, window=True)
    a.set_defaults(handler=cmd_pause)
    a = w.add_parser("resume", help="恢复服务")
    add_staff_args(a, window=True)
    a.set_defaults(handler=cmd_unpause)
    a = w.add_parser("status", help="各窗口状态、暂停与等候人数")
    a.set_defaults(handler=cmd_status)


def _fmt(t: queue.TicketInfo) -> str:
    parts = [f"{t.number}", f"{t.service} {t.service_name}",
             ("绿色通道" if t.priority else ""),
             queue.STATUS_ZH.get(t.status, t.status),
             (f"{t.window} 号窗口" if t.window else ""),
             f"取号 {t.issued_at[11:19]}",
             (f"叫号 {t.called_at[11:19]}" if t.called_at else ""),
             (f"等候 {t.waited_seconds // 60} 分 {t.waited_seconds % 60} 秒")]
    return "  ".join(p for p in parts if p)


def _ticket_result(ctx: Context, t: queue.TicketInfo, head: str):
    return ctx.result(t.to_dict(), f"{head}：{_fmt(t)}")


def _hall_id(ctx: Context) -> int:
    return queue.hall_id_for(ctx.db, ctx.settings.hall.code)


def cmd_issue(ctx: Context, args):
    actor = ctx.actor(args, window=None) if args.staff else \
        queue.kiosk_actor(ctx.db, ctx.settings.hall.code, device="cli")
    t = queue.issue(ctx.db, actor, args.service, priority=args.priority)
    return ctx.result(t.to_dict(), f"取号成功：{t.number}（{t.service_name}"
                      f"{'，绿色通道' if t.priority else ''}），前面还有 {t.ahead} 人")


def cmd_call(ctx: Context, args):
    actor = ctx.actor(args)
    t = queue.call_next(ctx.db, actor)
    return ctx.result(t.to_dict(), f"请 {t.number} 号到 {t.window} 号窗口办理"
                      f"（{t.service_name}，等候 {t.waited_seconds // 60} 分钟）")


def cmd_recall(ctx: Context, args):
    t = queue.recall(ctx.db, ctx.actor(args), args.ticket)
    return _ticket_result(ctx, t, f"重呼（第 {t.recall_count} 次）")


def cmd_start(ctx: Context, args):
    return _ticket_result(ctx, queue.start(ctx.db, ctx.actor(args), args.ticket), "开始办理")


def cmd_noshow(ctx: Context, args):
    return _ticket_result(ctx, queue.no_show(ctx.db, ctx.actor(args), args.ticket), "已过号")


def cmd_finish(ctx: Context, args):
    t = queue.finish(ctx.db, ctx.actor(args), args.ticket)
    return _ticket_result(ctx, t, "已办结")


def cmd_hold(ctx: Context, args):
    return _ticket_result(ctx, queue.hold(ctx.db, ctx.actor(args), args.ticket), "已挂起")


def cmd_resume(ctx: Context, args):
    return _ticket_result(ctx, queue.resume(ctx.db, ctx.actor(args), args.ticket), "恢复办理")


def cmd_requeue(ctx: Context, args):
    t = queue.requeue(ctx.db, ctx.actor(args), args.ticket)
    return _ticket_result(ctx, t, "已重新排队")


def cmd_transfer(ctx: Context, args):
    t = queue.transfer(ctx.db, ctx.actor(args), args.ticket, service=args.to_service,
                       to_window=args.to_window, note=args.note)
    where = f"{args.to_window} 号窗口" if args.to_window else f"{t.service} {t.service_name}"
    return _ticket_result(ctx, t, f"已转办到 {where}")


def cmd_list(ctx: Context, args):
    rows = queue.list_tickets(ctx.db, _hall_id(ctx), day=V.date(args.date, "date"),
                              status=args.status)
    text = "\n".join(_fmt(t) for t in rows) or "没有号码"
    return ctx.result([t.to_dict() for t in rows], text)


def cmd_show(ctx: Context, args):
    actor = queue.kiosk_actor(ctx.db, ctx.settings.hall.code, device="cli")
    t = queue.get_ticket(ctx.db, actor, args.ticket)
    return _ticket_result(ctx, t, "号码")


def _secs(v) -> str:
    return "-" if v is None else f"{v // 60}:{v % 60:02d}"


def cmd_stats(ctx: Context, args):
    d_from = V.date(args.date_from or args.date, "from") or clock.today()
    d_to = V.date(args.date_to, "to") or (d_from if not args.date_from else clock.today())
    stats = queue.statistics(ctx.db, _hall_id(ctx), d_from, d_to)
    if args.csv:
        textfiles.write_text(args.csv, queue.statistics_csv(stats))
    lines = [f"排队统计 {stats['from']} ～ {stats['to']}（等候/办理：分:秒，平均 / P90）"]
    for r in stats["rows"]:
        lines.append(f"{r['group']:<8}{r['key']:<6}{r['name']:<10}取号 {r['tickets']:>4}  "
                     f"办结 {r['finished']:>4}  过号 {r['no_shows']:>3}  "
                     f"等候 {_secs(r['avg_wait'])} / {_secs(r['p90_wait'])}  "
                     f"办理 {_secs(r['avg_service'])} / {_secs(r['p90_service'])}")
    lines.append("最忙时段：" + ("、".join(stats["busiest_hours"]) or "-"))
    if args.csv:
        lines.append(f"已导出 {args.csv}")
    return ctx.result(stats, "\n".join(lines))


def cmd_pause(ctx: Context, args):
    actor = ctx.actor(args)
    p = queue.pause_window(ctx.db, actor, reason=args.reason, reason_text=args.text,
                           until=args.until, approval=ctx.approval(args), cover=args.cover)
    extra = (f"，授权 {p.approved_by}" if p.approved_by else "") + \
        (f"，顶岗 {p.cover_staff_no}" if p.cover_staff_no else "")
    return ctx.result(p.to_dict(), f"{p.window} 号窗口暂停服务：{p.reason}，预计 "
                      f"{p.expected_until[11:16]} 返回{extra}")


def cmd_unpause(ctx: Context, args):
    p = queue.resume_window(ctx.db, ctx.actor(args))
    return ctx.result(p.to_dict(), f"{p.window} 号窗口已恢复服务")


def cmd_status(ctx: Context, args):
    snap = queue.snapshot(ctx.db, _hall_id(ctx))
    lines = []
    for w in snap["windows"]:
        state = "空闲"
        if w["pause"]:
            p = w["pause"]
            state = f"暂停服务（{p['reason']}，至 {p['expected_until'][11:16]}）"
        elif w["current"]:
            c = w["current"]
            state = f"{c['number']} {queue.STATUS_ZH[c['status']]}"
        lines.append(f"{w['number']:>2} 号窗口 [{''.join(w['services'])}]  {state}")
    lines.append("等候：" + "  ".join(f"{s['letter']} {s['name']} {s['waiting']} 人"
                                     for s in snap["services"]))
    return ctx.result(snap, "\n".join(lines))
