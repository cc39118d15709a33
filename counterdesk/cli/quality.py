"""Service-quality verbs.

``complaint add|forward|handover|reply|done|contact|followup|close|show|list|report`` and
``rating list``. Ratings cannot be given here: only the customer screen records them.
"""

from __future__ import annotations

import argparse

from .. import clock, quality
from .. import validators as V
from ..errors import ValidationError
from ..print.tabular_report import pct
from .context import Context
from .records import add_report_files, listing, step_lines, verb, write_report

NUMBER = "编号"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("complaint", help="投诉、咨询、求助：登记、转办、移交、答复、回访、报表")
    csub = p.add_subparsers(dest="complaint_verb", required=True)

    q = verb(csub, "add", "登记投诉/咨询/求助（登记人即首问负责人）", cmd_add, window=True)
    q.add_argument("--kind", default="complaint",
                   help="complaint 投诉 | enquiry 咨询 | help 求助（默认投诉）")
    q.add_argument("--phone", required=True, help="客户联系电话（必填）")
    q.add_argument("--name", default="", help="客户称呼，如 张先生")
    q.add_argument("--account", default="", help="户号（如有）")
    q.add_argument("--category", default="其他",
                   help="类别，如 " + "、".join(quality.CATEGORIES))
    q.add_argument("--description", "-d", required=True, help="客户反映的问题")
    q.add_argument("--channel", default="window", help="window 窗口 | hotline 热线")
    q.add_argument("--ticket", default="", help="排队号（如有）")

    q = verb(csub, "forward", "转交相关部门处理（负责人不变）", cmd_forward, number=NUMBER)
    q.add_argument("--department", required=True, help="部门，如 维修部、客服调度中心")
    q.add_argument("--note", default="")

    q = verb(csub, "handover", "移交给同事负责（须写明移交说明）", cmd_handover, number=NUMBER)
    q.add_argument("--to", required=True, metavar="工号", help="接手人工号")
    q.add_argument("--note", required=True, help="移交说明")

    q = verb(csub, "reply", "登记对客户的答复", cmd_reply, number=NUMBER)
    q.add_argument("--text", required=True, help="答复内容")
    q.add_argument("--work", action="store_true",
                   help="答复承诺了维修或上门（回访前须登记完成，见 done）")

    q = verb(csub, "done", "登记答复中承诺的维修/上门已完成（回访前须登记）", cmd_done,
             number=NUMBER)
    q.add_argument("--note", required=True, help="完成情况")

    q = verb(csub, "contact", "登记联系客户（告知进度、预约等）", cmd_contact, number=NUMBER)
    q.add_argument("--note", required=True)

    for name, help_ in (("followup", "回访：满意则关闭，不满意则重新处理"),
                        ("close", "以回访结果关闭（同 followup）")):
        q = verb(csub, name, help_ + "；仅限回访时段（默认 08:30–17:00）", cmd_followup,
                 number=NUMBER)
        q.add_argument("--verdict", required=True,
                       help="satisfied 满意 | unsatisfied 不满意（不满意须写 --note）")
        q.add_argument("--method", default="phone", help="phone 电话 | visit 上门")
        q.add_argument("--note", default="")

    verb(csub, "show", "显示一件的全部处理步骤（电话已遮蔽）", cmd_show, number=NUMBER)

    q = verb(csub, "list", "待办清单：超期（红）、将到期、待回访", cmd_list)
    q.add_argument("--all", action="store_true", help="全部人员的（主任）")
    q.add_argument("--overdue", action="store_true", help="只列超期未答复的")
    q.add_argument("--followups", action="store_true", help="回访提醒清单")
    q.add_argument("--closed", action="store_true", help="包括已关闭的")

    q = verb(csub, "report", "服务质量报表：满意度、投诉分类、按时答复率、超期清单", cmd_report)
    q.add_argument("--from", dest="date_from", help="开始日期，默认本月 1 日")
    q.add_argument("--to", dest="date_to", help="结束日期，默认今天")
    add_report_files(q)

    p = sub.add_parser("rating", help="服务评价（只能由客户在评价屏上作出；这里只能查看）")
    rsub = p.add_subparsers(dest="rating_verb", required=True)
    q = verb(rsub, "list", "列出评价；柜员只看到自己的", cmd_rating_list)
    q.add_argument("--from", dest="date_from")
    q.add_argument("--to", dest="date_to")
    q.add_argument("--clerk", metavar="工号", help="只看某位柜员（主任）")


def _line(v: quality.ComplaintView) -> str:
    state = {"overdue": "【超期】", "due_soon": "【将到期】", "pending": "",
             "awaiting_followup": "【待回访】", "closed": "【已关闭】"}[v.state]
    return (f"{v.number} {state}{v.kind_label}·{v.category} {v.contact_name} {v.contact_phone} "
            f"负责 {v.owner_staff_no} {v.owner_name} 期限 {clock.minute(v.due_at)} "
            f"{v.status_label}")


def _detail(v: quality.ComplaintView) -> str:
    lines = [_line(v), f"  事由：{v.description}"]
    if v.account_no:
        lines.append(f"  户号：{v.account_no}")
    if v.department:
        lines.append(f"  转交：{v.department}")
    if v.reply:
        lines.append(f"  答复：{v.reply}")
    return "\n".join(lines + step_lines(v.steps, "department", "note"))


def _reminder_line(r) -> str:
    return (f"{r.number} {r.kind_label} {r.contact_name} {r.contact_phone} 负责 "
            f"{r.owner_staff_no} 请于 {clock.minute(r.followup_by)} 前回访"
            + ("【已逾时】" if r.late else "")
            + ("" if r.callable_now else f"（{clock.minute(r.next_slot)} 起可回访）"))


def cmd_add(ctx: Context, args):
    actor = ctx.actor(args)
    v = quality.record_complaint(ctx.db, actor, kind=args.kind, contact_phone=args.phone,
                                 contact_name=args.name, account_no=args.account,
                                 category=args.category, description=args.description,
                                 channel=args.channel, ticket_number=args.ticket)
    return ctx.result(v.to_dict(), f"已登记 {v.number}，由 {v.owner_staff_no} {v.owner_name} 负责，"
                                   f"请于 {clock.minute(v.due_at)} 前答复客户")


def cmd_forward(ctx: Context, args):
    v = quality.forward(ctx.db, ctx.actor(args), args.number, args.department, args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已转交 {v.department}")


def cmd_handover(ctx: Context, args):
    v = quality.hand_over(ctx.db, ctx.actor(args), args.number, args.to, args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已移交 {v.owner_staff_no} {v.owner_name}")


def cmd_reply(ctx: Context, args):
    v = quality.reply(ctx.db, ctx.actor(args), args.number, args.text, work=args.work)
    return ctx.result(v.to_dict(), f"{v.number} 已登记答复"
                                   f"（{'按时' if v.on_time else '超期'}），待回访")


def cmd_done(ctx: Context, args):
    v = quality.work_done(ctx.db, ctx.actor(args), args.number, args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已登记维修/上门完成，可以回访")


def cmd_contact(ctx: Context, args):
    v = quality.contact(ctx.db, ctx.actor(args), args.number, args.note)
    return ctx.result(v.to_dict(), f"{v.number} 已登记联系客户")


def cmd_followup(ctx: Context, args):
    v = quality.follow_up(ctx.db, ctx.actor(args), args.number, args.verdict,
                          method=args.method, note=args.note)
    if v.status == "closed":
        text = f"{v.number} 回访满意，已关闭"
    else:
        text = (f"{v.number} 回访不满意，已重新处理（第 {v.reopen_count} 次），"
                f"新的答复期限 {clock.minute(v.due_at)}")
    return ctx.result(v.to_dict(), text)


def cmd_show(ctx: Context, args):
    v = quality.get_complaint(ctx.db, ctx.actor(args), args.number)
    return ctx.result(v.to_dict(), _detail(v))


def cmd_list(ctx: Context, args):
    actor = ctx.actor(args)
    scope = "all" if args.all else "mine"
    if args.followups:
        rems = quality.followup_reminders(ctx.db, actor, scope=scope)
        return listing(ctx, rems, _reminder_line, "（没有待回访的）")
    if args.overdue:
        items = quality.overdue(ctx.db, actor, scope=scope)
    else:
        items = quality.list_complaints(ctx.db, actor, scope=scope, include_closed=args.closed)
    return listing(ctx, items, _line, "（没有待办事项）")


def cmd_report(ctx: Context, args):
    from ..print import quality_report

    rep = quality.report(ctx.db, ctx.actor(args), date_from=V.date(args.date_from, "date_from"),
                         date_to=V.date(args.date_to, "date_to"))
    written = write_report(args, quality_report, rep)
    total = rep["satisfaction"]["total"]
    c = rep["complaints"]
    lines = [quality_report.title(rep),
             f"评价 {total['asked']} 次，有效 {total['rated']}，未评价 {total['none']}，"
             f"满意率 {pct(total['satisfaction_rate'])}",
             f"投诉/咨询/求助 {c['total']} 件，按时答复率 {pct(c['on_time_rate'])}，"
             f"当前超期 {len(rep['overdue'])} 件"]
    for r in rep["satisfaction"]["by_clerk"]:
        lines.append(f"  {r['key']} {r['name']}：有效 {r['rated']}，满意率 "
                     f"{pct(r['satisfaction_rate'])}")
    for d in c["by_category"]:
        lines.append(f"  {d['category']}：{d['total']} 件（超期 {d['overdue']}）")
    return ctx.result(rep, "\n".join(lines + written))


def cmd_rating_list(ctx: Context, args):
    actor = ctx.actor(args)
    if args.clerk and not actor.is_manager:
        raise ValidationError("柜员只能查看自己的评价", "Clerks see their own ratings only",
                              field="clerk")
    items = quality.list_ratings(ctx.db, actor, date_from=V.date(args.date_from, "date_from"),
                                 date_to=V.date(args.date_to, "date_to"), staff_no=args.clerk)
    return listing(ctx, items, lambda r: f"{r.business_day} {r.ticket_number:<5} "
                   f"{r.window or '-'}号窗口 {r.staff_no} {r.staff_name} {r.value_label}",
                   "（无评价）")
