"""Work-order verbs: ``order add|dispatch|arrive|result|close|followup|list|show|report``,
``inspection due|record`` and ``notice add|list``."""

from __future__ import annotations

import argparse
import datetime as dt

from .. import clock, orders, policy, workdays
from .. import hall as halls
from ..errors import PrinterError, ValidationError
from .context import Context
from .records import add_report_files, listing, step_lines, verb, write_report

NUMBER = "工单号"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{value}") from exc


def _calendar(ctx: Context) -> workdays.Calendar:
    """The working-day calendar of this PC's hall (extra days from the hall policy)."""
    with ctx.db.read() as s:
        hall_id = halls.get(s, ctx.settings.hall.code).id
    q = policy.load_quality_rules(ctx.db, hall_id)
    return workdays.calendar(q.extra_holidays, q.extra_workdays)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("order", help="服务工单：报装 报修 报警 安检 换表 停气 复气 通气")
    osub = p.add_subparsers(dest="order_verb", required=True)

    q = verb(osub, "add", "登记工单（报警：立即派工，显示 24 小时抢修电话）", cmd_add,
             window=True)
    q.add_argument("--kind", required=True, help="install 报装 | repair 报修 | alarm 报警 | "
                   "inspection 安检 | meter_change 换表 | stop 停气 | restore 复气 | first_gas 通气")
    q.add_argument("--account", default="", help="户号（报装、报修、报警可只填地址）")
    q.add_argument("--address", default="", help="地址（无户号时必填）")
    q.add_argument("--phone", default="", help="联系电话（有户号时默认户主电话）")
    q.add_argument("--name", default="", help="联系人称呼")
    q.add_argument("--description", "-d", default="", help="事由（报修、报警必填）")
    q.add_argument("--channel", default="window", help="window 窗口 | hotline 热线")
    q.add_argument("--priority", default="", help="normal 普通 | urgent 紧急（报警默认紧急）")
    q.add_argument("--inspection-ref", default="", help="复气：整改后复检合格的安检工单号")
    q.add_argument("--parent", default="", help="由哪张工单引出（需另开工单时）")
    q.add_argument("--slip", action="store_true", help="在小票打印机上打印工单凭条")

    q = verb(osub, "dispatch", "派工给维修员（工号）或班组", cmd_dispatch, number=NUMBER)
    q.add_argument("--to", default="", metavar="工号", help="维修员工号")
    q.add_argument("--team", default="", help="班组")
    q.add_argument("--note", default="")

    q = verb(osub, "arrive", "登记到场", cmd_arrive, number=NUMBER)
    q.add_argument("--note", default="")

    q = verb(osub, "result", "反馈结果：完成 / 无法完成（写原因）/ 需另开工单", cmd_result,
             number=NUMBER)
    g = q.add_mutually_exclusive_group(required=True)
    for flag, value, help_ in (("--done", "done", "完成"), ("--failed", "failed", "无法完成"),
                               ("--referred", "referred", "需另开工单")):
        g.add_argument(flag, dest="result", action="store_const", const=value, help=help_)
    q.add_argument("--note", default="", help="结果说明（无法完成/另开工单必填）")
    q.add_argument("--outcome", default="", help="安检：passed 合格 | hazard 隐患 | not_home 到访不遇")
    q.add_argument("--hazard", default="", help="安检发现的隐患（将暂停供气）")
    q.add_argument("--next-attempt", type=_date, help="到访不遇：下次上门日期")
    q.add_argument("--new-meter", default="", help="换表：新表号")
    q.add_argument("--old-reading", default="", help="换表：旧表止码")
    q.add_argument("--new-reading", default="", help="换表：新表起码")
    q.add_argument("--account", default="", help="报装：开户后的户号")

    q = verb(osub, "close", "关闭（之后须由未参与施工的人员回访）", cmd_close, number=NUMBER)
    q.add_argument("--note", default="")

    q = verb(osub, "followup", "回访：满意办结，不满意重新处理", cmd_followup, number=NUMBER)
    q.add_argument("--verdict", required=True, help="satisfied 满意 | unsatisfied 不满意")
    q.add_argument("--note", default="")

    q = verb(osub, "list", "工单清单：超期在前", cmd_list)
    q.add_argument("--all", action="store_true", help="全厅（主任/值班长）")
    q.add_argument("--overdue", action="store_true", help="只列超期的")
    q.add_argument("--kind", action="append", default=[], help="只列某类，可重复")
    q.add_argument("--account", default="", help="某户的工单")
    q.add_argument("--done", action="store_true", help="包括已回访办结的")

    q = verb(osub, "show", "显示工单及全部步骤（电话已遮蔽）", cmd_show, number=NUMBER)
    q.add_argument("--slip", action="store_true", help="在小票打印机上打印工单凭条")

    q = verb(osub, "report", "工单报表：按时率、未办结与超期、回访结果", cmd_report)
    q.add_argument("--from", dest="date_from", type=_date, help="开始日期，默认本月 1 日")
    q.add_argument("--to", dest="date_to", type=_date, help="结束日期，默认今天")
    add_report_files(q)

    p = sub.add_parser("inspection", help="安检：到期与逾期清单、登记安检")
    isub = p.add_subparsers(dest="inspection_verb", required=True)
    q = verb(isub, "due", "按区域列出到期和逾期的安检（含到访不遇）", cmd_inspection_due)
    for a in ("district", "street", "community"):
        q.add_argument(f"--{a}", default="")
    q.add_argument("--days", type=int, default=30, help="列出多少天内到期的（默认 30）")
    q.add_argument("--overdue", action="store_true", help="只列逾期的")
    q = verb(isub, "record", "登记一次安检（隐患将暂停供气）", cmd_inspection_record)
    q.add_argument("account", metavar="户号")
    q.add_argument("--outcome", required=True, help="passed 合格 | hazard 隐患 | not_home 到访不遇")
    q.add_argument("--hazard", default="")
    q.add_argument("--note", default="")
    q.add_argument("--next-attempt", type=_date, help="到访不遇：下次上门日期")

    p = sub.add_parser("notice", help="停气通知：登记、列出、导出受影响用户")
    nsub = p.add_subparsers(dest="notice_verb", required=True)
    q = verb(nsub, "add", "登记区域停气通知（主任/值班长；柜员须 --approver 授权）", cmd_notice_add,
             approver=True)
    for a in ("district", "street", "community"):
        q.add_argument(f"--{a}", default="")
    q.add_argument("--from", dest="starts_at", required=True, help="开始 YYYY-MM-DD HH:MM")
    q.add_argument("--to", dest="ends_at", required=True, help="结束 YYYY-MM-DD HH:MM")
    q.add_argument("--reason", required=True)
    q = verb(nsub, "list", "当前和即将生效的停气通知", cmd_notice_list)
    q.add_argument("--all", action="store_true", help="包括已结束的")
    q.add_argument("--accounts", metavar="通知编号", help="列出该通知影响的用户")
    q.add_argument("--csv", metavar="FILE", help="受影响用户写出 CSV（短信/电话通知用）")
    q.add_argument("--full-phones", action="store_true", help="CSV 含完整电话（须有权限，留痕）")


def _hm(iso: str | None) -> str:
    return clock.minute(iso, "—")


def _line(v: orders.OrderView) -> str:
    mark = "【超期】" if v.overdue else ""
    who = v.assignee or v.team or "未派工"
    return (f"{v.number} {mark}{v.kind_label} {v.account_no or v.address} {v.contact_phone} "
            f"{who} 期限 {_hm(v.next_due_at)} {v.status_label}")


def _detail(v: orders.OrderView) -> str:
    lines = [_line(v), f"  事由：{v.description}", f"  地址：{v.address}"]
    if v.emergency_phone:
        lines.append(f"  24 小时抢修电话：{v.emergency_phone}（请客户关阀、开窗、勿动电器明火）")
    return "\n".join(lines + step_lines(v.steps, "to_staff_no", "note"))


def _print_slip(ctx: Context, actor, v: orders.OrderView) -> dict:
    from ..print import printers
    from ..print.order_slip import order_slip

    if not ctx.settings.printer.uri:
        raise ValidationError("未配置小票打印机：用 --printer 指定", "No receipt printer: "
                              "give --printer", field="printer")
    info = orders.hall_info(ctx.db, actor)
    p = printers.from_settings(ctx.settings)
    try:
        printers.send(p, order_slip(v, info["hall_name"], hotline=info["hotline"],
                                    staff_no=actor.staff_no, window=actor.window,
                                    columns=p.columns), job_name=f"工单 {v.number}")
        return {"slip": "printed"}
    except PrinterError as exc:  # the order is committed: say so, exit non-zero
        state = "unconfirmed" if isinstance(exc, printers.PrintUnconfirmed) else "error"
        return {"slip": state, "slip_error": exc.message}


def _with_slip(ctx: Context, args, actor, v: orders.OrderView, text: str):
    d = v.to_dict()
    if getattr(args, "slip", False):
        d.update(_print_slip(ctx, actor, v))
        if d["slip"] == "error":
            return ctx.result(d, text + f"\n凭条未打印（工单已保存）：{d['slip_error']}",
                              exit_code=PrinterError.exit_code)
        text += "\n工单凭条已打印"
    return ctx.result(d, text)


def cmd_add(ctx: Context, args):
    actor = ctx.actor(args)
    v = orders.add_order(ctx.db, actor, kind=args.kind, account_no=args.account,
                         address=args.address, contact_phone=args.phone,
                         contact_name=args.name, description=args.description,
                         channel=args.channel, priority=args.priority,
                         inspection_ref=args.inspection_ref, parent_number=args.parent,
                         calendar=_calendar(ctx))
    text = f"已登记 {v.kind_label}工单 {v.number}" + (
        f"，当前期限 {_hm(v.next_due_at)}" if v.next_due_at else "")
    if v.emergency_phone:
        text += f"\n请立即派工！24 小时抢修电话：{v.emergency_phone}"
    return _with_slip(ctx, args, actor, v, text)


def cmd_dispatch(ctx: Context, args):
    v = orders.dispatch(ctx.db, ctx.actor(args), args.number, to_staff_no=args.to,
                        team=args.team, note=args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已派工给 {v.assignee or v.team}")


def cmd_arrive(ctx: Context, args):
    v = orders.arrive(ctx.db, ctx.actor(args), args.number, note=args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已登记到场")


def cmd_result(ctx: Context, args):
    v = orders.record_result(ctx.db, ctx.actor(args), args.number, args.result,
                             note=args.note, outcome=args.outcome, hazard=args.hazard,
                             next_attempt=args.next_attempt, new_meter_no=args.new_meter,
                             old_reading=args.old_reading, new_reading=args.new_reading,
                             account_no=args.account)
    text = f"{v.number} 结果：{v.result_label}"
    if v.hazard:
        text += f"；发现隐患，户号 {v.account_no} 已暂停供气"
    return ctx.result(v.to_dict(), text)


def cmd_close(ctx: Context, args):
    v = orders.close(ctx.db, ctx.actor(args), args.number, note=args.note,
                     calendar=_calendar(ctx))
    return ctx.result(v.to_dict(), f"{v.number} 已关闭，请于 {_hm(v.followup_due_at)} 前回访")


def cmd_followup(ctx: Context, args):
    v = orders.follow_up(ctx.db, ctx.actor(args), args.number, args.verdict, note=args.note,
                         calendar=_calendar(ctx))
    text = (f"{v.number} 回访满意，已办结" if v.status == "followed_up" else
            f"{v.number} 回访不满意，已重新处理（第 {v.reopen_count} 次），请重新派工")
    return ctx.result(v.to_dict(), text)


def cmd_list(ctx: Context, args):
    items = orders.list_orders(ctx.db, ctx.actor(args), scope="all" if args.all else "mine",
                               kinds_=args.kind, overdue_only=args.overdue,
                               include_done=args.done, account_no=args.account)
    return listing(ctx, items, _line, "（没有工单）")


def cmd_show(ctx: Context, args):
    actor = ctx.actor(args)
    v = orders.get_order(ctx.db, actor, args.number)
    return _with_slip(ctx, args, actor, v, _detail(v))


def cmd_report(ctx: Context, args):
    from ..print import orders_report

    rep = orders.report(ctx.db, ctx.actor(args), date_from=args.date_from, date_to=args.date_to)
    written = write_report(args, orders_report, rep)
    lines = [orders_report.title(rep), f"受理 {rep['total']} 张，未办结 {len(rep['open'])}，"
             f"超期 {len(rep['overdue'])}"]
    for d in rep["by_kind"]:
        lines.append(f"  {d['kind_label']}：{d['total']} 张，到场按时 "
                     f"{d['onsite_on_time']}/{d['onsite_decided']}，回访满意 {d['satisfied']}")
    return ctx.result(rep, "\n".join(lines + written))


def cmd_inspection_due(ctx: Context, args):
    rows = orders.inspections_due(ctx.db, ctx.actor(args), district=args.district,
                                  street=args.street, community=args.community,
                                  within_days=args.days, only_overdue=args.overdue)
    return listing(ctx, rows, _due_line, "（没有到期的安检）")


def _due_line(r) -> str:
    return (f"{r.account_no} {r.holder} {r.address} 应检 {r.next_due}"
            + (f"【逾期 {r.days_overdue} 天】" if r.overdue else "")
            + (f" 到访不遇 {r.not_home_count} 次，下次 {r.next_attempt}" if r.not_home_count
               else ""))


def cmd_inspection_record(ctx: Context, args):
    out = orders.record_inspection(ctx.db, ctx.actor(args), args.account, args.outcome,
                                   note=args.note, hazard=args.hazard,
                                   next_attempt=args.next_attempt)
    text = f"户号 {out['account_no']} 安检：{out['outcome_label']}，下次应检 {out['next_due']}"
    if out["supply_stopped"]:
        text += "；已暂停供气，须复气工单恢复"
    return ctx.result(out, text)


def cmd_notice_add(ctx: Context, args):
    n = orders.add_notice(ctx.db, ctx.actor(args), district=args.district, street=args.street,
                          community=args.community, starts_at=args.starts_at,
                          ends_at=args.ends_at, reason=args.reason,
                          approval=ctx.approval(args))
    return ctx.result(n.to_dict(), f"已登记停气通知 {n.number}：{n.area} "
                                   f"{_hm(n.starts_at)} 至 {_hm(n.ends_at)}")


def cmd_notice_list(ctx: Context, args):
    actor = ctx.actor(args)
    if args.accounts:
        rows = orders.affected_accounts(ctx.db, actor, args.accounts,
                                        full_phones=args.full_phones)
        data: dict = {"accounts": rows}
        text = "\n".join(f"{r['account_no']} {r['holder']} {r['address']} {r['phone']}"
                         for r in rows) or "（该区域没有用户）"
        if args.csv:
            data["csv"] = str(orders.write_accounts_csv(rows, args.csv))
            text += f"\n已写出 CSV：{data['csv']}（{len(rows)} 户）"
        return ctx.result(data, text)
    items = orders.list_notices(ctx.db, actor, include_past=args.all)
    return listing(ctx, items, lambda n: f"{n.number} {'【进行中】' if n.active else ''}{n.area} "
                   f"{_hm(n.starts_at)} 至 {_hm(n.ends_at)} {n.reason}", "（没有停气通知）")
