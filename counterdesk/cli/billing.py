"""Fee collection verbs: ``pay``, ``receipt …``, ``prices …``.

::

    counterdesk pay --staff 1001 --window 1 --item HOSE:2.5 --item VALVE \
        [--account 0100012345 --bill 2026-10] --method cash --tendered 200
    counterdesk pay ... --split cash:50:100 --split card:rest:POS123
    counterdesk receipt reprint|show NO | void NO --approver 9001 --reason R
    counterdesk receipt refund NO --line 1:1.5 --approver 9001 --reason R
    counterdesk receipt pending | print-pending
    counterdesk prices list|export FILE|import FILE|set CODE ...|end CODE --on D|history|pdf FILE
"""

from __future__ import annotations

import argparse
import sys

from .. import billing, clock, money, textfiles, validators
from ..billing import LineInput, PriceInput, RefundLine, SaleRequest, TenderInput
from ..errors import CounterDeskError, ValidationError
from .context import Context, add_request_key_arg, add_staff_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pay", help="收费（项目只能取自公示价目表），提交后打印收据")
    add_staff_args(p, window=True)
    p.add_argument("--item", action="append", default=[], metavar="CODE[:QTY]",
                   help="收费项目代码和数量，可重复，如 HOSE:2.5")
    p.add_argument("--bill", action="append", default=[], metavar="YYYY-MM",
                   help="缴纳该户的账单（账期），可重复")
    p.add_argument("--account", metavar="户号")
    p.add_argument("--method", choices=["cash", "cheque", "card", "qr"],
                   help="付款方式：现金/支票/银行卡/扫码")
    p.add_argument("--tendered", metavar="元", help="现金实收金额（找零据此计算）")
    p.add_argument("--reference", default="", help="银行卡/扫码交易参考号")
    p.add_argument("--cheque-no", default="", help="支票号码")
    p.add_argument("--bank", default="", help="出票银行")
    p.add_argument("--split", action="append", default=[], metavar="METHOD:AMOUNT[:…]",
                   help="组合付款，可重复：cash:金额[:实收] card|qr:金额:参考号 "
                        "cheque:金额:支票号:银行；金额写 rest 表示余额")
    p.add_argument("--note", default="")
    p.add_argument("--no-print", action="store_true", help="只提交不打印（收据留在待打印队列）")
    add_request_key_arg(p)
    p.set_defaults(handler=cmd_pay)

    p = sub.add_parser("receipt", help="收据：补打、作废、退款、待打印")
    rsub = p.add_subparsers(dest="receipt_verb", required=True)
    q = rsub.add_parser("show", help="显示收据")
    q.add_argument("receipt_no", metavar="NO")
    add_staff_args(q)
    q.set_defaults(handler=cmd_receipt_show)
    q = rsub.add_parser("reprint", help="补打（收据标注“补打”和次数）")
    q.add_argument("receipt_no", metavar="NO")
    add_staff_args(q, window=True)
    q.add_argument("--no-print", action="store_true")
    q.set_defaults(handler=cmd_reprint)
    q = rsub.add_parser("void", help="作废当天收据（主任授权，冲正记录）")
    q.add_argument("receipt_no", metavar="NO")
    add_staff_args(q, approver=True, window=True)
    q.add_argument("--reason", default="")
    q.add_argument("--no-print", action="store_true")
    add_request_key_arg(q)
    q.set_defaults(handler=cmd_void)
    q = rsub.add_parser("refund", help="按行退款（主任授权，冲正记录）")
    q.add_argument("receipt_no", metavar="NO")
    q.add_argument("--line", action="append", required=True, metavar="N[:QTY]",
                   help="退款的行号和数量（不写数量为该行剩余全部），可重复")
    add_staff_args(q, approver=True, window=True)
    q.add_argument("--reason", default="")
    q.add_argument("--no-print", action="store_true")
    add_request_key_arg(q)
    q.set_defaults(handler=cmd_refund)
    q = rsub.add_parser("pending", help="列出待打印的收据")
    q.add_argument("--window", type=int, metavar="N")
    q.set_defaults(handler=cmd_pending)
    q = rsub.add_parser("print-pending", help="把待打印的收据发送到打印机")
    q.add_argument("--window", type=int, metavar="N")
    q.set_defaults(handler=cmd_print_pending)

    p = sub.add_parser("prices", help="公示价目表")
    psub = p.add_subparsers(dest="prices_verb", required=True)
    q = psub.add_parser("list", help="列出某日执行的价格")
    q.add_argument("--date", help="YYYY-MM-DD，默认今天")
    q.add_argument("--all", action="store_true", help="包括所有历史和将来的版本")
    q.set_defaults(handler=cmd_prices_list)
    q = psub.add_parser("export", help="导出 CSV（- 为标准输出）")
    q.add_argument("file")
    q.add_argument("--current", action="store_true", help="只导出今天执行的价格")
    q.set_defaults(handler=cmd_prices_export)
    q = psub.add_parser("import", help="导入 CSV（全部成功或全部不变；仅主任）")
    q.add_argument("file")
    q.add_argument("--reason", default="")
    add_staff_args(q)
    q.set_defaults(handler=cmd_prices_import)
    q = psub.add_parser("set", help="新增或调整一个收费项目（仅主任）")
    q.add_argument("code")
    q.add_argument("--name", required=True)
    q.add_argument("--price", required=True, metavar="元", help="单价（阶梯项目为第一档单价）")
    q.add_argument("--unit", default=None, help="单位（不填：沿用该项目最近一个版本，新项目为“项”）")
    q.add_argument("--category", default=None,
                   choices=["gas", "service", "material", "meter", "other"],
                   help="类别（不填：沿用该项目最近一个版本，新项目为 other）")
    q.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    q.add_argument("--tiers", default="", help="阶梯：起点用量:单价;…，如 0:2.80;400:3.36;1200:4.20")
    q.add_argument("--note", default="")
    q.add_argument("--types", default=None, metavar="类型,…",
                   help="适用客户类型（本厅的名称或代码，逗号分隔，如 商业,工业；--types \"\" 为全部类型；"
                        "不填：沿用该项目最近一个版本，新项目为全部类型；见 policy accounts.customer_types）")
    q.add_argument("--reason", default="")
    add_staff_args(q)
    q.set_defaults(handler=cmd_prices_set)
    q = psub.add_parser("end", help="停止执行一个收费项目（仅主任）")
    q.add_argument("code")
    q.add_argument("--on", required=True, metavar="YYYY-MM-DD")
    q.add_argument("--reason", default="")
    add_staff_args(q)
    q.set_defaults(handler=cmd_prices_end)
    q = psub.add_parser("history", help="价目表调整记录")
    q.add_argument("code", nargs="?")
    q.set_defaults(handler=cmd_prices_history)
    q = psub.add_parser("pdf", help="生成公示用价目表 PDF")
    q.add_argument("file")
    q.add_argument("--date", help="YYYY-MM-DD，默认今天")
    q.set_defaults(handler=cmd_prices_pdf)


# -- helpers -----------------------------------------------------------------------------
def _hall_id(ctx: Context) -> int:
    from ..models import Hall
    with ctx.db.read() as s:
        from sqlalchemy import select

        h = s.execute(select(Hall).where(Hall.code == ctx.settings.hall.code)).scalar()
        if h is None:
            h = s.execute(select(Hall).order_by(Hall.id)).scalars().first()
        if h is None:
            raise CounterDeskError("数据库中没有营业厅，请先运行 counterdesk init",
                                   "No hall in the database; run counterdesk init first")
        return h.id


def _printer(ctx: Context):
    from ..print.spooler import PrinterConfig

    return PrinterConfig.from_settings(ctx.settings)


def _print_now(ctx: Context, hall_id: int, window: int | None) -> tuple[bool, str]:
    """Send this window's pending jobs now; (all printed, message)."""
    if not ctx.settings.printer.uri:
        return False, ctx.t("未设置打印机，收据在待打印队列中（receipt print-pending）",
                            "no printer set; the receipt waits (receipt print-pending)")
    from ..print.spooler import print_pending

    printed, failed, err = print_pending(ctx.db, hall_id, _printer(ctx), window=window)
    if failed:
        return False, err
    return True, ctx.t(f"已打印 {printed} 张", f"{printed} printed")


def parse_item(text: str) -> LineInput:
    code, _, qty = text.partition(":")
    return LineInput(code.strip().upper(), qty.strip() or "1")


def parse_split(text: str) -> TenderInput:
    parts = text.split(":")
    method = parts[0].strip().lower()
    amount = parts[1].strip() if len(parts) > 1 else ""
    amount_fen = None if amount in ("", "rest") else money.parse_yuan(amount, field="split")
    t = TenderInput(method, amount_fen)
    if method == "cash" and len(parts) > 2 and parts[2].strip():
        t.tendered_fen = money.parse_yuan(parts[2], field="tendered")
    elif method in ("card", "qr") and len(parts) > 2:
        t.reference = ":".join(parts[2:]).strip()
    elif method == "cheque":
        t.cheque_no = parts[2].strip() if len(parts) > 2 else ""
        t.bank = ":".join(parts[3:]).strip() if len(parts) > 3 else ""
    return t


def _receipt_text(ctx: Context, res: billing.PaymentResult, head: str) -> list[str]:
    out = [f"{head} {res.receipt_no}"]
    for ln in res.lines:
        out.append(f"  {ln['line_no']}. {ln['name']} {ln['qty']} × {money.fmt(ln['unit_price_fen'])}"
                   f" = {money.fmt(ln['amount_fen'])}")
    out.append(ctx.t(f"合计 {money.fmt_symbol(res.total_fen)}（{money.capitals(res.total_fen)}）",
                     f"Total {money.fmt(res.total_fen)}"))
    for t in res.tenders:
        line = f"  {billing.method_name(t['method'])} {money.fmt_symbol(t['amount_fen'])}"
        if t["method"] == "cash" and res.kind == "sale":
            line += ctx.t(f" 实收 {money.fmt_symbol(t['tendered_fen'])} 找零 "
                          f"{money.fmt_symbol(t['change_fen'])}",
                          f" tendered {money.fmt(t['tendered_fen'])} change "
                          f"{money.fmt(t['change_fen'])}")
        if t["reference"]:
            line += f" {t['reference']}"
        if t["cheque_no"]:
            line += f" {t['cheque_no']} {t['bank']}"
        out.append(line)
    return out


def _finish(ctx: Context, args, actor, res: billing.PaymentResult, head: str):
    printed, msg = (False, ctx.t("未打印（--no-print）", "not printed (--no-print)")) \
        if args.no_print else _print_now(ctx, actor.hall_id, actor.window)
    data = res.to_dict()
    data["printed"] = printed
    data["print_message"] = msg
    if res.replayed:   # taken before (a retry, or a reply lost after COMMIT)
        head = ctx.t("已收费（此请求已办理，未重复收取），票据号",
                     "Already taken (this request was done before; not taken again), receipt")
    lines = _receipt_text(ctx, res, head)
    lines.append(ctx.t("收据：", "receipt: ") + msg)
    return ctx.result(data, "\n".join(lines))


# -- pay / receipt -----------------------------------------------------------------------
def cmd_pay(ctx: Context, args):
    tenders: list[TenderInput] = [parse_split(s) for s in args.split]
    if not tenders:
        if not args.method:
            raise ValidationError("请用 --method 指定付款方式（cash/cheque/card/qr）或用 --split",
                                  "Give --method (cash/cheque/card/qr) or --split", field="method")
        tendered = money.parse_yuan(args.tendered, field="tendered") if args.tendered else None
        tenders = [TenderInput(args.method, None, tendered if args.method == "cash" else None,
                               args.reference, args.cheque_no, args.bank)]
    req = SaleRequest(items=[parse_item(i) for i in args.item], bills=args.bill,
                      account_no=args.account, tenders=tenders, note=args.note)
    actor = ctx.actor(args)
    res = billing.pay(ctx.db, actor, req,
                      printer_uri=ctx.settings.printer.uri, request_key=args.request_key)
    return _finish(ctx, args, actor, res, ctx.t("收费成功，票据号", "Paid, receipt"))


def cmd_receipt_show(ctx: Context, args):
    actor = ctx.actor(args)
    info = billing.get_receipt(ctx.db, actor.hall_id, args.receipt_no)
    text = [f"{info['receipt_no']} {info['kind']} {info['status']} {info['business_day']} "
            f"{money.fmt_symbol(info['total_fen'])} ×{info['print_count']}"]
    for ln in info["lines"]:
        text.append(f"  {ln['line_no']}. {ln['name']} {ln['qty']} × "
                    f"{money.fmt(ln['unit_price_fen'])} = {money.fmt(ln['amount_fen'])}")
    if info["reversals"]:
        text.append(ctx.t("冲正：", "reversals: ") + ", ".join(info["reversals"]))
    return ctx.result(info, "\n".join(text))


def cmd_reprint(ctx: Context, args):
    actor = ctx.actor(args)
    job = billing.reprint(ctx.db, actor, args.receipt_no, printer_uri=ctx.settings.printer.uri)
    printed, msg = (False, "--no-print") if args.no_print else \
        _print_now(ctx, actor.hall_id, actor.window)
    data = {**job.to_dict(), "printed": printed, "print_message": msg}
    return ctx.result(data, ctx.t(f"补打 {args.receipt_no}（第 {job.reprint_no} 次）：{msg}",
                                  f"Reprint {args.receipt_no} (#{job.reprint_no}): {msg}"))


def cmd_void(ctx: Context, args):
    actor = ctx.actor(args)
    res = billing.void(ctx.db, actor, args.receipt_no, ctx.approval(args), reason=args.reason,
                       printer_uri=ctx.settings.printer.uri, request_key=args.request_key)
    return _finish(ctx, args, actor, res, ctx.t(f"已作废 {args.receipt_no}，冲正票据号",
                                                f"Voided {args.receipt_no}, reversal"))


def cmd_refund(ctx: Context, args):
    sel = []
    for item in args.line:
        n, _, q = item.partition(":")
        if not n.strip().isdigit():
            raise ValidationError(f"--line {item!r} 应为 行号[:数量]", f"--line {item!r} must be "
                                  "N[:QTY]", field="line")
        sel.append(RefundLine(int(n), q.strip() or None))
    actor = ctx.actor(args)
    res = billing.refund(ctx.db, actor, args.receipt_no, sel, ctx.approval(args),
                         reason=args.reason, printer_uri=ctx.settings.printer.uri,
                         request_key=args.request_key)
    return _finish(ctx, args, actor, res, ctx.t(f"已退款（{args.receipt_no}），退款票据号",
                                                f"Refunded ({args.receipt_no}), receipt"))


def cmd_pending(ctx: Context, args):
    window = billing.ALL_WINDOWS if args.window is None else args.window
    jobs = billing.pending_jobs(ctx.db, _hall_id(ctx), window=window)
    sent = billing.unconfirmed_jobs(ctx.db, _hall_id(ctx), window=window)
    text = [f"{j.id} {j.receipt_no or j.kind} {ctx.t('窗口', 'window')} {j.window} "
            f"{ctx.t('尝试', 'attempts')} {j.attempts} {j.last_error}" for j in jobs]
    # sent but not confirmed: never resent by itself; 补打 (receipt reprint) if no paper came
    text += [f"{j.id} {j.receipt_no or j.kind} {ctx.t('窗口', 'window')} {j.window} "
             f"{ctx.t('已发送未确认，未出纸请补打', 'sent, unconfirmed: reprint if no paper')}"
             for j in sent]
    return ctx.result([j.to_dict() for j in jobs + sent],
                      "\n".join(text) or ctx.t("没有待打印的收据", "nothing waiting"))


def cmd_print_pending(ctx: Context, args):
    from ..print.spooler import print_pending

    printed, failed, err = print_pending(ctx.db, _hall_id(ctx), _printer(ctx),
                                         window=billing.ALL_WINDOWS if args.window is None
                                         else args.window)
    data = {"printed": printed, "failed": failed, "error": err}
    text = ctx.t(f"已打印 {printed} 张", f"{printed} printed") + (f"；{err}" if err else "")
    return ctx.result(data, text, exit_code=5 if failed else 0)


# -- prices ------------------------------------------------------------------------------
def cmd_prices_list(ctx: Context, args):
    items = billing.list_prices(ctx.db, ctx.settings.hall.code, day=validators.date(args.date, "date"),
                                history=args.all)
    text = [f"{i.code:<12} {i.name} {i.price_text}/{i.unit} {i.effective_from}~{i.effective_to}"
            + (f"  适用：{i.customer_type_names}" if i.customer_type_names else "")
            for i in items]
    return ctx.result([i.to_dict() for i in items], "\n".join(text))


def cmd_prices_export(ctx: Context, args):
    text = billing.export_csv(ctx.db, ctx.settings.hall.code, history=not args.current)
    if args.file == "-":
        sys.stdout.write(text)
        return ctx.result({"rows": text.count("\n") - 1}, "")
    textfiles.write_text(args.file, text)
    return ctx.result({"file": args.file, "rows": text.count("\n") - 1},
                      ctx.t(f"已导出到 {args.file}", f"exported to {args.file}"))


def cmd_prices_import(ctx: Context, args):
    try:
        text = textfiles.read_text(args.file)  # UTF-8 (BOM) or Excel's GBK
    except OSError as exc:
        raise ValidationError(f"无法读取 {args.file}：{exc.strerror or exc}",
                              f"Cannot read {args.file}: {exc.strerror or exc}",
                              field="file") from exc
    counts = billing.import_csv(ctx.db, ctx.actor(args), text, reason=args.reason)
    return ctx.result(counts, ctx.t(f"新增 {counts['add']}，调整 {counts['change']}，未变 "
                                    f"{counts['unchanged']}", str(counts)))


def cmd_prices_set(ctx: Context, args):
    # A new version of an item keeps what is not given (category, unit, customer types, gas
    # supply) from the item's latest version: leaving an option out never lifts a control
    # (a gas item stays gas supply, so a safety stop still refuses it; GAS-R stays resident).
    actor = ctx.actor(args)
    code = (args.code or "").strip().upper()
    prev = next((p for p in reversed(billing.list_prices(ctx.db, actor.hall_id, history=True))
                 if p.code == code), None)
    category = args.category or (prev.category if prev else "other")
    types = args.types if args.types is not None else (prev.customer_types if prev else "")
    gas_supply = prev.gas_supply if prev is not None and category == prev.category else None
    inp = PriceInput(args.code, args.name, money.parse_yuan(args.price, field="price"),
                     validators.date(args.date_from, "from", required=True), category,
                     args.unit or (prev.unit if prev else "项"),
                     validators.date(args.date_to, "to"), billing.parse_tiers(args.tiers), args.note,
                     gas_supply=gas_supply, customer_types=types)
    info = billing.set_price(ctx.db, actor, inp, reason=args.reason)
    return ctx.result(info.to_dict(), f"{info.code} {info.name} {info.price_text}/{info.unit} "
                                      f"{info.effective_from}~{info.effective_to}")


def cmd_prices_end(ctx: Context, args):
    info = billing.end_price(ctx.db, ctx.actor(args), args.code, validators.date(args.on, "on", required=True),
                             reason=args.reason)
    return ctx.result(info.to_dict(), ctx.t(f"{info.code} 自 {info.effective_to} 起停止执行",
                                            f"{info.code} ends on {info.effective_to}"))


def cmd_prices_history(ctx: Context, args):
    rows = billing.price_history(ctx.db, ctx.settings.hall.code, args.code)
    text = [f"{r['at']} {r['staff_no']} {r['code']} {r['action']} "
            f"{r['old'].get('unit_price_fen', '')}→{r['new'].get('unit_price_fen', '')} {r['reason']}"
            for r in rows]
    return ctx.result(rows, "\n".join(text))


def cmd_prices_pdf(ctx: Context, args):
    from ..print.pricelist_pdf import write_pdf

    day = validators.date(args.date, "date") or clock.today()
    path = write_pdf(ctx.db, ctx.settings.hall.code, args.file, day=day)
    return ctx.result({"file": str(path)}, ctx.t(f"价目表已生成：{path}", f"written: {path}"))
