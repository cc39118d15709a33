"""IC card verbs: ``card read|issue|buy|write|cancel|reissue|meter-change|ledger|to-write``
and ``card meter-insert`` (the simulator's meter).

::

    counterdesk card issue 0100088801 --staff 1001 --window 1 --reader sim:DIR --method cash --tendered 100
    counterdesk card buy --staff 1001 --window 1 --reader sim:DIR --volume 20 --method cash --tendered 100
    counterdesk card buy ... --amount 100 --method qr --reference WX123 [--request-key UUID]
    counterdesk card read --staff 1001 --reader sim:DIR --json
    counterdesk card cancel --staff 1001 --reader sim:DIR --approver 9001 --reason R
    counterdesk card reissue ACCOUNT --staff 1001 --reader sim:DIR --reason lost [--meter-seq N | --approver 9001] --method cash
    counterdesk card meter-change NEW_METER --staff 1001 --reader sim:DIR --remaining 12.5 --approver 9001
    counterdesk card meter-change --order WO… --staff 1001 --reader sim:DIR --remaining 12.5 --approver 9001
    counterdesk card ledger ACCOUNT --staff 1001        counterdesk card to-write --staff 9001
    counterdesk card meter-insert --reader sim:DIR [--use 3]
"""

from __future__ import annotations

import argparse

from .. import cards, clock, money
from ..billing import TenderInput
from ..errors import ValidationError
from . import billing as billing_cli
from .context import Context, add_request_key_arg, add_staff_args


def _reader_arg(p) -> None:
    p.add_argument("--reader", metavar="URI",
                   help="读卡器：sim:文件夹 | pcsc:[读卡器名称]（默认取设置文件 card.reader）")


def _pay_args(p) -> None:
    p.add_argument("--method", choices=["cash", "cheque", "card", "qr"], help="付款方式")
    p.add_argument("--tendered", metavar="元", help="现金实收金额")
    p.add_argument("--reference", default="", help="银行卡/扫码交易参考号")
    p.add_argument("--cheque-no", default="")
    p.add_argument("--bank", default="")
    p.add_argument("--split", action="append", default=[], metavar="METHOD:AMOUNT[:…]",
                   help="组合付款，同 pay --split")
    p.add_argument("--no-print", action="store_true", help="只提交不打印")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("card", help="IC卡购气：读卡、发卡、购气写卡、退购、补卡、换表、台账")
    csub = p.add_subparsers(dest="card_verb", required=True)
    q = csub.add_parser("read", help="读卡（回抄表具数据；有未写入的购气时补写）")
    add_staff_args(q, window=True)
    _reader_arg(q)
    q.add_argument("--account", metavar="户号", help="正在办理的户号（他户的卡拒绝）")
    q.set_defaults(handler=cmd_read)
    q = csub.add_parser("issue", help="开户发卡（收取发卡工本费）")
    q.add_argument("account_no", metavar="户号")
    add_staff_args(q, window=True)
    _reader_arg(q)
    _pay_args(q)
    q.set_defaults(handler=cmd_issue)
    q = csub.add_parser("buy", help="购气：先收款，后写卡（户号取自卡）")
    add_staff_args(q, window=True)
    _reader_arg(q)
    q.add_argument("--volume", metavar="立方米", help="购气量")
    q.add_argument("--amount", metavar="元", help="购气金额（按阶梯价折算气量，向下取整）")
    q.add_argument("--account", metavar="户号", help="正在办理的户号（他户的卡拒绝）")
    q.add_argument("--note", default="")
    _pay_args(q)
    add_request_key_arg(q)
    q.set_defaults(handler=cmd_buy)
    q = csub.add_parser("write", help="写卡 / 补写尚未写入的购气（重复按不会重复写）")
    add_staff_args(q, window=True)
    _reader_arg(q)
    q.set_defaults(handler=cmd_write)
    q = csub.add_parser("cancel", help="退购：卡内未输入表具的购气，主任授权，冲正")
    add_staff_args(q, approver=True, window=True)
    _reader_arg(q)
    q.add_argument("--reason", default="")
    q.add_argument("--no-print", action="store_true")
    q.set_defaults(handler=cmd_cancel)
    q = csub.add_parser("reissue", help="补卡：新卡号，购气次数接续")
    q.add_argument("account_no", metavar="户号")
    add_staff_args(q, approver=True, window=True)
    _reader_arg(q)
    q.add_argument("--reason", choices=["lost", "broken"], default="lost")
    q.add_argument("--meter-seq", type=int, help="上门抄表：表具已输入的最后购气次数")
    q.add_argument("--remaining", help="上门抄表：表内剩余气量")
    q.add_argument("--cumulative", help="上门抄表：累计用气量")
    _pay_args(q)
    q.set_defaults(handler=cmd_reissue)
    q = csub.add_parser("meter-change", help="换表：旧表剩余气量零价转入新表（主任授权）")
    q.add_argument("new_meter_no", metavar="新表号", nargs="?",
                   help="新表号（按换表工单办理时可省略：取工单的新表号）")
    add_staff_args(q, approver=True, window=True)
    _reader_arg(q)
    q.add_argument("--order", metavar="工单号",
                   help="已完成的换表工单（读卡时提示的工单；省略时自动关联该工单）")
    q.add_argument("--remaining", required=True, help="旧表剩余气量（技术员读数）")
    q.add_argument("--cumulative", help="旧表累计用气量（省略时取换表工单的旧表止码，或 0）")
    q.add_argument("--reason", default="")
    q.set_defaults(handler=cmd_meter_change)
    q = csub.add_parser("ledger", help="该户的 IC 卡台账（每次购气、状态、表具回抄）")
    q.add_argument("account_no", metavar="户号")
    add_staff_args(q)
    q.set_defaults(handler=cmd_ledger)
    q = csub.add_parser("to-write", help="已收款尚未写卡的购气（日终交主任）")
    add_staff_args(q)
    q.set_defaults(handler=cmd_to_write)
    q = csub.add_parser("meter-insert", help="模拟器：客户把卡插入表具")
    _reader_arg(q)
    q.add_argument("--use", default="0", help="插卡前表具已用气量（立方米）")
    q.set_defaults(handler=cmd_meter_insert)


def _reader(ctx: Context, args):
    uri = args.reader or ctx.settings.card.reader
    if not uri:
        raise ValidationError("未设置读卡器：请用 --reader sim:文件夹 或 pcsc:[读卡器名称]",
                              "No card reader: give --reader", field="reader")
    return cards.open_reader(uri)


def _tenders(args) -> list[TenderInput]:
    tenders = [billing_cli.parse_split(s) for s in args.split]
    if tenders:
        return tenders
    if not args.method:
        raise ValidationError("请用 --method 指定付款方式（cash/cheque/card/qr）或用 --split",
                              "Give --method (cash/cheque/card/qr) or --split", field="method")
    tendered = money.parse_yuan(args.tendered, field="tendered") if args.tendered else None
    return [TenderInput(args.method, None, tendered if args.method == "cash" else None,
                        args.reference, args.cheque_no, args.bank)]


def _printed(ctx: Context, args, actor) -> str:
    if getattr(args, "no_print", False):
        return ctx.t("未打印（--no-print）", "not printed (--no-print)")
    return billing_cli._print_now(ctx, actor.hall_id, actor.window)[1]


def _state_text(st: cards.CardState) -> str:
    if st.blank:
        return "空白卡（未发卡）"
    lines = [f"卡号 {st.card_no}  户号 {st.account_no} {st.holder}  表号 {st.meter_no}",
             f"购气次数 {st.purchase_seq}  卡内未输表气量 {st.pending_volume} 立方米  "
             f"{'表具已输入' if st.meter_taken else '尚未输入表具'}  累计购气 {st.total_bought}",
             f"表具回抄：剩余 {st.remaining}  累计用气 {st.cumulative}  报警 {st.alarms}"]
    return "\n".join(lines + st.messages)


def cmd_read(ctx: Context, args):
    actor = ctx.actor(args)
    st = cards.read_card(ctx.db, actor, _reader(ctx, args), expect_account=args.account)
    return ctx.result(st.to_dict(), _state_text(st))


def cmd_write(ctx: Context, args):
    actor = ctx.actor(args)
    st = cards.write(ctx.db, actor, _reader(ctx, args))
    return ctx.result(st.to_dict(), _state_text(st), exit_code=5 if st.to_write_id else 0)


def cmd_issue(ctx: Context, args):
    tenders = _tenders(args)
    actor = ctx.actor(args)
    out = cards.issue(ctx.db, actor, _reader(ctx, args), args.account_no, tenders=tenders,
                      printer_uri=ctx.settings.printer.uri)
    out["print_message"] = _printed(ctx, args, actor)
    text = out["message"] + (f"\n工本费票据 {out['payment']['receipt_no']}" if out["payment"]
                             else "") + "\n收据：" + out["print_message"]
    return ctx.result(out, text, exit_code=0 if out["written"] else 5)


def cmd_buy(ctx: Context, args):
    tenders = _tenders(args)
    amount = money.parse_yuan(args.amount, field="amount") if args.amount else None
    actor = ctx.actor(args)
    res = cards.buy(ctx.db, actor, _reader(ctx, args), volume=args.volume, amount_fen=amount,
                    tenders=tenders, printer_uri=ctx.settings.printer.uri, note=args.note,
                    expect_account=args.account, request_key=args.request_key)
    data = res.to_dict()
    data["print_message"] = _printed(ctx, args, actor)   # a receipt still waiting, too
    p = res.payment
    text = [f"购气 {res.volume} 立方米 {money.fmt_symbol(res.amount_fen)}  票据号 {p['receipt_no']}",
            f"卡号 {res.card_no} 户号 {res.account_no} 第 {res.seq} 次购气"]
    if res.replayed:
        text.insert(0, "已购气（此请求已办理，未重复购气）")
    for t in p["tenders"]:
        if t["method"] == "cash":
            text.append(f"实收 {money.fmt_symbol(t['tendered_fen'])} 找零 "
                        f"{money.fmt_symbol(t['change_fen'])}")
    text += [res.message, "收据：" + data["print_message"]]
    return ctx.result(data, "\n".join(text), exit_code=0 if res.written else 5)


def cmd_cancel(ctx: Context, args):
    actor = ctx.actor(args)
    out = cards.cancel(ctx.db, actor, _reader(ctx, args), ctx.approval(args), reason=args.reason,
                       printer_uri=ctx.settings.printer.uri)
    out["print_message"] = _printed(ctx, args, actor)
    return ctx.result(out, out["message"] + f"\n冲正票据 {out['receipt_no']}")


def cmd_reissue(ctx: Context, args):
    tenders = _tenders(args)
    actor = ctx.actor(args)
    out = cards.reissue(ctx.db, actor, _reader(ctx, args), args.account_no, tenders=tenders,
                        reason=args.reason, approval=ctx.approval(args),
                        meter_seq=args.meter_seq, remaining=args.remaining,
                        cumulative=args.cumulative, printer_uri=ctx.settings.printer.uri)
    out["print_message"] = _printed(ctx, args, actor)
    text = f"补卡：旧卡 {out['old_card_no']} 作废，新卡 {out['card_no']}\n{out['message']}"
    if out["carried_seq"]:
        text += f"\n第 {out['carried_seq']} 次购气已带到新卡（{out['pending_volume']} 立方米）"
    return ctx.result(out, text, exit_code=0 if out["written"] else 5)


def cmd_meter_change(ctx: Context, args):
    actor = ctx.actor(args)
    out = cards.meter_change(ctx.db, actor, _reader(ctx, args), args.new_meter_no,
                             remaining=args.remaining, cumulative=args.cumulative,
                             approval=ctx.approval(args), reason=args.reason,
                             order_no=args.order)
    return ctx.result(out, out["message"], exit_code=0 if out["written"] else 5)


def cmd_ledger(ctx: Context, args):
    actor = ctx.actor(args)
    led = cards.ledger(ctx.db, actor.hall_id, args.account_no)
    lines = [f"户号 {led['account_no']} {led['holder']} 表号 {led['meter_no']}"]
    lines += [f"  卡 {c['card_no']} {c['status']} 起始次数 {c['start_seq']}" for c in led["cards"]]
    lines += [f"  第{p['seq']}次 {p['business_day']} {p['volume']} 立方米 "
              f"{money.fmt_symbol(p['amount_fen'])} {p['state_zh']} {p['receipt_no'] or ''}"
              for p in led["purchases"]]
    lines += [f"  回抄 {r['at']} 剩余 {r['remaining']} 累计 {r['cumulative']} ({r['source']})"
              for r in led["readings"]]
    return ctx.result(led, "\n".join(lines))


def cmd_to_write(ctx: Context, args):
    actor = ctx.actor(args)
    rows = cards.to_write(ctx.db, actor.hall_id, clock.today())
    text = [f"{r['business_day']} 卡 {r['card_no']} 户号 {r['account_no']} 第{r['seq']}次 "
            f"{r['volume']} 立方米 窗口 {r['window']} 工号 {r['staff_no']} {r['last_error']}"
            for r in rows]
    return ctx.result(rows, "\n".join(text) or "没有待写卡的购气")


def cmd_meter_insert(ctx: Context, args):
    from ..cards.drivers.sim import SimReader, meter_insert

    reader = _reader(ctx, args)
    if not isinstance(reader, SimReader):
        raise ValidationError("meter-insert 只用于模拟读卡器（sim:文件夹）",
                              "meter-insert works with the simulated reader only",
                              field="reader")
    out = meter_insert(reader, use=args.use)
    text = (f"表具已输入 {out['volume']} 立方米" if out["taken"] else
            f"表具未输入：{out['reason'] or '卡内没有待输入的气量'}")
    text += f"；表内剩余 {out['meter']['remaining']} 立方米"
    return ctx.result(out, text)
