"""Till and day-close verbs.

``till open|movement|xreport|count|close|countersign|reopen|status|list`` and
``day close|reopen|report|check``. Counts are ``--count 面额=张数`` (notes ``100 50 20 10
5 1 0.5 0.1``, coins ``c1 c0.5 c0.1 c0.05 c0.02 c0.01``), amounts in 元.
"""

from __future__ import annotations

import argparse

from .. import cash, money, validators
from ..errors import CounterDeskError, ValidationError
from .context import Context, add_request_key_arg, add_staff_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("till", help="钱箱：开箱点备用金、现金存取、X报表、盲点交款、复核")
    tsub = p.add_subparsers(dest="till_verb", required=True)

    q = tsub.add_parser("open", help="开箱：按面额清点备用金")
    add_staff_args(q, window=True)
    q.add_argument("--count", action="append", metavar="面额=张数",
                   help="如 100=2 c0.5=10（可重复）")
    q.set_defaults(handler=cmd_open)

    q = tsub.add_parser("movement", help="现金存入/取出（须主任授权）")
    add_staff_args(q, approver=True, window=True)
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("--in", dest="amount_in", metavar="元", help="存入金额")
    g.add_argument("--out", dest="amount_out", metavar="元", help="取出金额")
    q.add_argument("--reason", required=True, help="原因")
    add_request_key_arg(q)
    q.set_defaults(handler=cmd_movement)

    q = tsub.add_parser("xreport", help="X报表（中途报表）；柜员本人未点钞前不显示现金金额")
    add_staff_args(q, window=True)
    q.add_argument("--clerk", metavar="工号", help="主任查看某柜员的X报表")
    q.add_argument("--date", help="营业日 YYYY-MM-DD（默认今天）")
    q.add_argument("--print", dest="do_print", action="store_true", help="打印到小票打印机")
    q.add_argument("--pdf", metavar="FILE", help="同时写钱箱报表 PDF")
    q.set_defaults(handler=cmd_xreport)

    q = tsub.add_parser("count", help="交款盲点：按面额点钞并确认非现金合计，提交后才显示应有金额")
    add_staff_args(q, window=True)
    q.add_argument("--count", action="append", metavar="面额=张数")
    q.add_argument("--noncash", action="append", metavar="方式=元",
                   help="非现金确认合计：card=68.00 qr=22.50 cheque=150（可重复）")
    q.set_defaults(handler=cmd_count)

    q = tsub.add_parser("close", help="交款：长短款超过限额须写情况说明")
    add_staff_args(q, window=True)
    q.add_argument("--explanation", default="", help="情况说明")
    q.set_defaults(handler=cmd_close)

    q = tsub.add_parser("countersign", help="主任复核签字")
    add_staff_args(q, approver=True, window=True)
    q.add_argument("--clerk", metavar="工号", help="复核哪位柜员的钱箱（默认 --staff 本人）")
    q.set_defaults(handler=cmd_countersign)

    q = tsub.add_parser("reopen", help="主任授权重新点钞（写明原因）")
    add_staff_args(q, approver=True, window=True)
    q.add_argument("--clerk", metavar="工号")
    q.add_argument("--reason", required=True)
    q.set_defaults(handler=cmd_reopen_till)

    q = tsub.add_parser("status", help="钱箱状态")
    add_staff_args(q, window=True)
    q.add_argument("--clerk", metavar="工号")
    q.add_argument("--date")
    q.add_argument("--pdf", metavar="FILE", help="写钱箱报表 PDF")
    q.set_defaults(handler=cmd_status)

    q = tsub.add_parser("list", help="当天全部钱箱（主任）")
    add_staff_args(q)
    q.add_argument("--date")
    q.set_defaults(handler=cmd_list)

    p = sub.add_parser("day", help="日清日结：日结、重新开启、日报")
    dsub = p.add_subparsers(dest="day_verb", required=True)
    q = dsub.add_parser("close", help="日结并锁定该日（主任），随后备份数据库")
    add_staff_args(q)
    q.add_argument("--date", required=True, help="营业日 YYYY-MM-DD")
    _report_files(q)
    q.add_argument("--no-backup", action="store_true", help="不备份（不建议）")
    q.set_defaults(handler=cmd_day_close)
    q = dsub.add_parser("reopen", help="重新开启已日结的日期（主任，须写原因，另一位主任授权）")
    add_staff_args(q, approver=True)
    q.add_argument("--date", required=True)
    q.add_argument("--reason", required=True)
    q.set_defaults(handler=cmd_day_reopen)
    q = dsub.add_parser("report", help="日报（未日结为预览，已日结为存档）")
    add_staff_args(q)
    q.add_argument("--date", help="默认今天")
    _report_files(q)
    q.set_defaults(handler=cmd_day_report)
    q = dsub.add_parser("check", help="日结前检查")
    add_staff_args(q)
    q.add_argument("--date", help="默认今天")
    q.set_defaults(handler=cmd_day_check)


def _report_files(q) -> None:
    q.add_argument("--print", dest="do_print", action="store_true",
                   help="在小票打印机上打印 Z 报表（含审计锚点）")
    q.add_argument("--pdf", metavar="FILE", help="日结报表 PDF")
    q.add_argument("--csv", metavar="FILE", help="CSV（UTF-8 BOM，Excel 可直接打开）")
    q.add_argument("--xlsx", metavar="FILE", help="Excel 工作簿")


def _noncash(values) -> dict[str, int]:
    out = {}
    for v in values or []:
        if "=" not in v:
            raise ValidationError(f"{v!r} 应为 方式=金额，如 card=68.00",
                                  f"{v!r}: use METHOD=AMOUNT, e.g. card=68.00", field="noncash")
        m, amount = v.split("=", 1)
        out[m.strip()] = money.parse_yuan(amount, field=m.strip())
    return out


def _y(fen) -> str:
    return "（盲点后显示）" if fen is None else money.fmt_symbol(fen)


def _till_text(t: cash.TillInfo) -> str:
    lines = [f"钱箱 {t.business_day} 柜员 {t.staff_no} {t.name} 窗口 {t.window or '-'}：{t.status_name}",
             f"  备用金 {money.fmt_symbol(t.float_fen)}"]
    for m in t.movements:
        lines.append(f"  {cash.DIRECTION_NAMES[m.direction]} {money.fmt_symbol(m.amount_fen)}"
                     f" {m.reason}（授权 {m.approved_by}）")
    if t.status != "open":
        lines.append(f"  实点 {_y(t.counted_fen)}  应有 {_y(t.expected_fen)}  "
                     f"长短款 {_y(t.difference_fen)}")
    if t.explanation:
        lines.append(f"  说明：{t.explanation}")
    if t.countersigned_by:
        lines.append(f"  复核：{t.countersigned_by}")
    return "\n".join(lines)


def cmd_open(ctx: Context, args):
    counts = cash.parse_count_args(args.count)
    cash.parse_counts(counts)           # refuse bad counts before the password
    actor = ctx.actor(args)
    t = cash.open_till(ctx.db, actor, counts)
    return ctx.result(t.to_dict(), f"已开箱，备用金 {money.fmt_symbol(t.float_fen)}")


def cmd_movement(ctx: Context, args):
    direction = "in" if args.amount_in is not None else "out"
    amount = money.parse_yuan(args.amount_in if direction == "in" else args.amount_out,
                              field="amount", allow_zero=False)
    actor = ctx.actor(args)
    m = cash.move_cash(ctx.db, actor, direction, amount, args.reason, ctx.approval(args),
                       request_key=args.request_key)
    return ctx.result(m.to_dict(), f"已{cash.DIRECTION_NAMES[direction]} "
                                   f"{money.fmt_symbol(amount)}（授权 {m.approved_by}）")


def cmd_xreport(ctx: Context, args):
    actor = ctx.actor(args)
    day = validators.date(args.date, "date")
    x = cash.x_report(ctx.db, actor, staff_no=args.clerk, day=day)
    from ..print import escpos_doc, printers, till_report

    if args.do_print and not ctx.settings.printer.uri:
        raise ValidationError("未设置小票打印机：用 --printer 或设置文件 printer.uri",
                              "No receipt printer: use --printer or printer.uri",
                              field="printer")
    if ctx.settings.printer.uri:   # the paper of the printer it would go to
        columns = printers.from_settings(ctx.settings).columns
    else:
        columns = escpos_doc.columns_for(ctx.settings.printer.width, ctx.settings.printer.dots)
    data = till_report.x_escpos(x, columns)
    if args.do_print:
        printers.send(printers.from_settings(ctx.settings), data, job_name="X 报表")
    if args.pdf:
        till_report.write_pdf(cash.till_report_data(ctx.db, actor, staff_no=args.clerk, day=day),
                              args.pdf)
    return ctx.result(x, escpos_doc.decode(data).strip())


def cmd_count(ctx: Context, args):
    counts = cash.parse_count_args(args.count)
    cash.parse_counts(counts)
    noncash = _noncash(args.noncash)
    cash.parse_noncash(noncash)
    actor = ctx.actor(args)
    r = cash.count_till(ctx.db, actor, counts, noncash=noncash)
    text = (f"实点 {money.fmt_symbol(r.counted_fen)}，应有 {money.fmt_symbol(r.expected_fen)}，"
            f"{'长款' if r.difference_fen > 0 else '短款' if r.difference_fen < 0 else '无长短款'}"
            f" {money.fmt_symbol(abs(r.difference_fen))}")
    for m, v in r.noncash.items():
        if v["difference_fen"]:
            text += (f"\n{cash.METHOD_NAMES[m]}：系统 {money.fmt_symbol(v['expected_fen'])}，"
                     f"确认 {money.fmt_symbol(v['confirmed_fen'])}")
    if r.explanation_required:
        text += "\n须写情况说明：counterdesk till close --explanation \"…\""
    return ctx.result(r.to_dict(), text)


def cmd_close(ctx: Context, args):
    actor = ctx.actor(args)
    t = cash.close_till(ctx.db, actor, args.explanation)
    return ctx.result(t.to_dict(), "已交款，待主任复核\n" + _till_text(t))


def cmd_countersign(ctx: Context, args):
    actor = ctx.actor(args)
    t = cash.countersign(ctx.db, actor, ctx.approval(args), staff_no=args.clerk)
    return ctx.result(t.to_dict(), "已复核\n" + _till_text(t))


def cmd_reopen_till(ctx: Context, args):
    actor = ctx.actor(args)
    t = cash.reopen_till(ctx.db, actor, ctx.approval(args), args.reason, staff_no=args.clerk)
    return ctx.result(t.to_dict(), "已重新开启点钞\n" + _till_text(t))


def cmd_status(ctx: Context, args):
    actor = ctx.actor(args)
    day = validators.date(args.date, "date")
    t = cash.till_status(ctx.db, actor, staff_no=args.clerk, day=day)
    if t is None:
        return ctx.result(None, "今天还没有开箱", exit_code=0)
    if args.pdf:
        from ..print import till_report

        till_report.write_pdf(cash.till_report_data(ctx.db, actor, staff_no=args.clerk, day=day),
                              args.pdf)
    return ctx.result(t.to_dict(), _till_text(t))


def cmd_list(ctx: Context, args):
    actor = ctx.actor(args)
    tills = cash.tills_for_day(ctx.db, actor, validators.date(args.date, "date"))
    return ctx.result([t.to_dict() for t in tills],
                      "\n".join(_till_text(t) for t in tills) or "当天没有钱箱")


def _write_files(rep: dict, args) -> list[str]:
    out = []

    if getattr(args, "pdf", None):
        from ..print import dayclose_pdf

        out.append(str(dayclose_pdf.write_pdf(rep, args.pdf)))
    if getattr(args, "csv", None):
        out.append(str(cash.write_csv(rep, args.csv)))
    if getattr(args, "xlsx", None):
        out.append(str(cash.write_xlsx(rep, args.xlsx)))
    return out


def _print_z(ctx: Context, rep: dict) -> None:
    from ..print import escpos_doc, printers, till_report

    uri = ctx.settings.printer.uri
    if not uri:
        raise ValidationError("未设置小票打印机：用 --printer 或设置文件 printer.uri",
                              "No receipt printer: use --printer or printer.uri", field="printer")
    if rep.get("status") != "closed":
        raise ValidationError("Z 报表只打印已日结的日期", "The Z report is for closed days only",
                              field="date")
    width = ctx.settings.printer.width
    data = till_report.z_escpos(rep, escpos_doc.columns_for(width, ctx.settings.printer.dots))
    printers.send(uri, data, timeout=ctx.settings.printer.timeout)


def _report_text(rep: dict) -> str:
    t = rep["totals"]
    rc = rep["receipts"]
    run = rep.get("running") or {}
    lines = [f"{rep['hall']['name']} {rep['business_day']} 日结报表（{rep.get('status')}）",
             f"收费 {t['sales']} 笔 {money.fmt_symbol(t['sales_fen'])}；作废 {t['voids']} 笔 "
             f"{money.fmt_symbol(t['voids_fen'])}；退款 {t['refunds']} 笔 "
             f"{money.fmt_symbol(t['refunds_fen'])}；净额 {money.fmt_symbol(t['net_fen'])}"]
    for r in rep["by_method"]:
        lines.append(f"  {r['name']} {money.fmt_symbol(r['net_fen'])}")
    lines.append(f"票据 {rc['first'] or '-'} — {rc['last'] or '-'}（{rc['count']} 张）"
                 + ("，连续" if rc["gapless"] else "，缺号：" + "、".join(rc["gaps"][:10])))
    lines.append(f"现金 应有 {money.fmt_symbol(rep['cash']['expected_fen'])} 实点 "
                 f"{money.fmt_symbol(rep['cash']['counted_fen'])} 长短款 "
                 f"{money.fmt_symbol(rep['cash']['difference_fen'])}")
    if run:
        lines.append(f"累计：本月 {money.fmt_symbol(run['month_net_fen'])}，本年 "
                     f"{money.fmt_symbol(run['year_net_fen'])}")
    if rep["unprinted"]["count"]:
        lines.append(f"未打印票据 {rep['unprinted']['count']} 张")
    for b in rep.get("blockers") or []:
        lines.append("尚不能日结：" + b["zh"])
    if rep.get("anchor"):
        lines.append(f"审计锚点（请留存）：{rep['anchor']}")
    return "\n".join(lines)


def cmd_day_close(ctx: Context, args):
    day = validators.date(args.date, "date")
    actor = ctx.actor(args)
    res = cash.close_day(ctx.db, actor, day, backup_settings=ctx.settings.backup,
                         backup=not args.no_backup)
    files = _write_files(res.report, args)
    text = "已日结并锁定\n" + _report_text(res.report)
    if res.backup_file:
        text += f"\n已备份：{res.backup_file}"
    elif res.backup_error:
        text += f"\n备份未完成：{res.backup_error}"
    for f in files:
        text += f"\n已写入 {f}"
    if args.do_print:   # the day is closed whatever the printer does: say what happened
        try:
            _print_z(ctx, res.report)
            text += "\n已打印 Z 报表"
        except CounterDeskError as exc:
            text += f"\nZ 报表未打印：{getattr(exc, 'zh', exc)}"
    data = res.to_dict()
    data["files"] = files
    return ctx.result(data, text)


def cmd_day_reopen(ctx: Context, args):
    actor = ctx.actor(args)
    r = cash.reopen_day(ctx.db, actor, validators.date(args.date, "date"), args.reason,
                        ctx.approval(args))
    return ctx.result(r, f"{r['business_day']} 已重新开启（原因：{r['reason']}）")


def cmd_day_report(ctx: Context, args):
    actor = ctx.actor(args)
    rep = cash.day_report(ctx.db, actor, validators.date(args.date, "date"))
    files = _write_files(rep, args)
    if args.do_print:
        _print_z(ctx, rep)
    return ctx.result(rep, _report_text(rep) + "".join(f"\n已写入 {f}" for f in files)
                      + ("\n已打印 Z 报表" if args.do_print else ""))


def cmd_day_check(ctx: Context, args):
    actor = ctx.actor(args)
    c = cash.preclose_check(ctx.db, actor, validators.date(args.date, "date"))
    lines = [f"{c['business_day']}：" + ("已日结" if c["closed"] else
                                         "可以日结" if c["can_close"] else "还不能日结")]
    lines += ["  " + b["zh"] for b in c["blockers"]]
    lines.append(f"  未打印票据 {c['unprinted']} 张；票据号"
                 + ("连续" if c["receipts"]["gapless"] else "有缺号"))
    return ctx.result(c, "\n".join(lines))


__all__ = ["register"]
