"""Account verbs: ``account open|show|search|rename|transfer|close|retype|suspend|resume|
reveal``, ``bills import``.

ID numbers and phones are printed masked (text and JSON); ``account reveal`` shows one
in full to staff allowed to, and records who looked.
"""

from __future__ import annotations

import argparse

from .. import accounts, money
from ..accounts import bills_import
from ..errors import PrinterError, ValidationError
from .context import Context, add_staff_args

_DOCS_HELP = "已核验的资料（逗号分隔）：" + ", ".join(accounts.DOCUMENTS)


def _docs(value: str | None) -> list[str]:
    return [d.strip() for d in (value or "").replace("，", ",").split(",") if d.strip()]


def _print_opts(p) -> None:
    p.add_argument("--slip", action="store_true", help="在小票打印机上打印凭条（--printer 或设置）")
    p.add_argument("--pdf", metavar="FILE", help="生成确认单 PDF（供客户签字）")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("account", help="客户档案：开户、查询、更名、过户、销户")
    asub = p.add_subparsers(dest="account_verb", required=True)

    q = asub.add_parser("open", help="开户（立户）")
    add_staff_args(q, window=True)
    q.add_argument("--name", required=True, help="户主姓名或单位名称")
    q.add_argument("--kind", choices=["person", "organisation"], default="person")
    q.add_argument("--id-type", default=None,
                   choices=["resident_id", "uscc", "passport", "hk_macau_permit",
                            "taiwan_permit", "other"])
    q.add_argument("--id-number", required=True, help="证件号码")
    q.add_argument("--phone", required=True, help="手机或座机（0571-87654321）")
    q.add_argument("--customer-type", "--type", dest="customer_type", default="",
                   help="客户类型：本厅的名称或代码（默认 居民 商业 工业 公服 采暖，或 resident "
                        "commercial industrial public heating；见 policy accounts.customer_types）"
                        "；不填为本厅的第一种")
    q.add_argument("--special", default="", help="特殊群体：disabled,impaired,orphan,elderly,"
                   "low_income")
    for f in ("district", "street", "community", "building", "unit", "room"):
        q.add_argument(f"--{f}", default="", required=f in ("district", "street"))
    q.add_argument("--address-text", default="", help="地址补充")
    q.add_argument("--meter", required=True, help="表号")
    q.add_argument("--meter-type", default="", help="表型，如 膜式表 / IC卡表")
    q.add_argument("--meter-kind", choices=["plain", "ic", "iot"], default="plain",
                   help="表具类型：plain 普通表 / ic IC卡表 / iot 物联网表")
    q.add_argument("--supply-contract", default="", help="供用气合同编号")
    q.add_argument("--supply-date", default="", help="供用气合同签订日期 YYYY-MM-DD")
    q.add_argument("--safety-contract", default="", help="安全用气合同编号")
    q.add_argument("--safety-date", default="", help="安全用气合同签订日期 YYYY-MM-DD")
    q.add_argument("--docs", default="id_card,property", help=_DOCS_HELP)
    q.add_argument("--note", default="")
    _print_opts(q)
    q.set_defaults(handler=cmd_open)

    q = asub.add_parser("show", help="显示客户档案（证件号、电话已遮挡）")
    add_staff_args(q)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("--ledger", action="store_true", help="同时显示账单、缴费和余额")
    q.set_defaults(handler=cmd_show)

    q = asub.add_parser("search", help="按户号、姓名、拼音首字母、电话、证件尾号、地址、表号查询")
    add_staff_args(q)
    q.add_argument("query", metavar="关键字")
    q.add_argument("--by", choices=accounts.SEARCH_KEYS, help="只按这一项查询")
    q.add_argument("--limit", type=int, default=20)
    q.set_defaults(handler=cmd_search)

    q = asub.add_parser("rename", help="更名（同一户主更正姓名）")
    add_staff_args(q, window=True)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("--new-name", required=True)
    q.add_argument("--phone", default=None)
    q.add_argument("--docs", default="", help=_DOCS_HELP)
    q.add_argument("--note", default="")
    _print_opts(q)
    q.set_defaults(handler=cmd_rename)

    q = asub.add_parser("transfer", help="过户（新户主）")
    add_staff_args(q, window=True)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("--reason", required=True, choices=list(accounts.TRANSFER_REASONS))
    q.add_argument("--new-name", required=True)
    q.add_argument("--new-kind", choices=["person", "organisation"], default="person")
    q.add_argument("--new-id-type", default=None)
    q.add_argument("--new-id-number", required=True)
    q.add_argument("--new-phone", required=True)
    q.add_argument("--docs", default="", help=_DOCS_HELP)
    q.add_argument("--note", default="")
    _print_opts(q)
    q.set_defaults(handler=cmd_transfer)

    q = asub.add_parser("close", help="销户（结清后）")
    add_staff_args(q, window=True)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("--final-reading", required=True, help="终止读数")
    q.add_argument("--docs", default="id_card,final_reading", help=_DOCS_HELP)
    q.add_argument("--note", default="")
    _print_opts(q)
    q.set_defaults(handler=cmd_close)

    q = asub.add_parser("retype", help="用气性质变更（如 居民→商业）：须主任授权（--approver），"
                        "先结清欠费")
    add_staff_args(q, approver=True, window=True)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("--type", "--customer-type", dest="customer_type", required=True,
                   help="新的客户类型：本厅的名称或代码（见 policy accounts.customer_types）")
    q.add_argument("--reason", required=True, help="变更原因（40 字以内）")
    q.add_argument("--docs", default="id_card", help=_DOCS_HELP + "；改为非居民须含 business_licence")
    q.add_argument("--note", default="")
    _print_opts(q)
    q.set_defaults(handler=cmd_retype)

    for verb, help_ in (("suspend", "暂停（如安全原因停气），需填写原因"),
                        ("resume", "恢复供气：须主任授权（--approver）和安检合格单号（--inspection）")):
        q = asub.add_parser(verb, help=help_)
        add_staff_args(q, approver=verb == "resume")
        q.add_argument("account_no", metavar="户号")
        q.add_argument("--reason", required=True)
        if verb == "resume":
            q.add_argument("--inspection", default="", metavar="单号",
                           help="证明隐患已消除的安检单号")
        q.set_defaults(handler=cmd_suspend, suspend=verb == "suspend")

    q = asub.add_parser("reveal", help="查看完整证件号或电话（需权限，记入审计）")
    add_staff_args(q)
    q.add_argument("account_no", metavar="户号")
    q.add_argument("field", choices=["id_number", "phone"])
    q.set_defaults(handler=cmd_reveal)

    p = sub.add_parser("bills", help="账单")
    bsub = p.add_subparsers(dest="bills_verb", required=True)
    q = bsub.add_parser("import", help="导入账单 CSV（account,period,volume,amount,due_date），"
                        "有错则全部不导入")
    add_staff_args(q)
    q.add_argument("file", metavar="FILE.csv")
    q.set_defaults(handler=cmd_bills_import)


# -- output ----------------------------------------------------------------------------------
def _view_text(d: dict) -> str:
    h = d["holder"]
    lines = [f"户号 {d['account_no']}（{d['status_name']}，{d['customer_type_name']}）",
             f"户主 {h['name']}  {h['id_type_name']} {h['id_masked']}  电话 {h['phone_masked']}",
             f"地址 {d['address']}",
             f"表号 {d['meter_no']} {d['meter_type']}",
             f"合同 供用气 {d['supply_contract_no'] or '—'} {d['supply_contract_date'] or ''}；"
             f"安全用气 {d['safety_contract_no'] or '—'} {d['safety_contract_date'] or ''}",
             f"开户 {d['opened_at']} 柜员 {d['opened_by']}",
             f"欠费 {money.fmt_symbol(d['arrears_fen'])}"]
    if d.get("service_hint"):
        lines.append("提示：" + d["service_hint"])
    if d.get("history"):
        lines.append("户主变更记录：")
        names = {"open": "开户", "rename": "更名", "transfer": "过户", "close": "销户",
                 "retype": "用气性质变更"}
        for e in d["history"]:
            if e["change"] == "retype":
                lines.append(f"  {e['valid_from']}  用气性质变更 {accounts.retype_text(e)}  "
                             f"柜员 {e['staff_no']}  原因 {e['reason']}")
                continue
            lines.append(f"  {e['valid_from']} ~ {e['valid_to'] or '至今'}  "
                         f"{names.get(e['change'], e['change'])}  {e['holder']['name']} "
                         f"{e['holder']['id_masked']}  柜员 {e['staff_no']}"
                         + (f"  原因 {e['reason']}" if e["reason"] else ""))
    if d.get("suspensions"):
        lines.append("暂停供气记录：")
        for p in d["suspensions"]:
            lines.append(f"  {p['from']} ~ {p['until'] or '至今'}  {p['reason']}  柜员 {p['by']}"
                         + (f"  恢复：安检单 {p['inspection_ref']}，主任 {p['approved_by']}"
                            if p["until"] else ""))
    for w in d.get("warnings", []):
        lines.append("注意：" + w["message"])
    return "\n".join(lines)


def _paper(ctx: Context, args, actor, view, business: str) -> dict:
    out: dict = {}
    names = accounts.hall_names(ctx.db, actor)
    if getattr(args, "pdf", None):
        from ..print.account_docs import account_form_pdf

        out["pdf"] = str(account_form_pdf(view, names["hall_name"], names["company_name"],
                                          business, args.pdf, staff_no=actor.staff_no,
                                          staff_name=actor.name))
    if getattr(args, "slip", False):
        from ..print import printers
        from ..print.account_docs import account_slip

        if not ctx.settings.printer.uri:
            raise ValidationError("未配置小票打印机：用 --printer 指定", "No receipt printer: "
                                  "give --printer", field="printer")
        p = printers.from_settings(ctx.settings)
        try:
            printers.send(p, account_slip(view, names["hall_name"], business,
                                          staff_no=actor.staff_no, window=actor.window,
                                          columns=p.columns),
                          job_name=f"{business} {view.account_no}")
            out["slip"] = "printed"
        except PrinterError as exc:  # the business is committed: say so, exit non-zero
            out["slip"] = ("unconfirmed" if isinstance(exc, printers.PrintUnconfirmed)
                           else "error")
            out["slip_error"] = exc.message
    return out


def _done(ctx, args, actor, view, business: str, title: str):
    extra = _paper(ctx, args, actor, view, business)
    d = view.to_dict()
    d.update(extra)
    text = title + "\n" + _view_text(d)
    if extra.get("pdf"):
        text += f"\n确认单已生成：{extra['pdf']}"
    if extra.get("slip") == "printed":
        text += "\n凭条已打印"
    if extra.get("slip") == "error":
        text += f"\n凭条未打印（业务已保存）：{extra['slip_error']}"
        return ctx.result(d, text, exit_code=PrinterError.exit_code)
    return ctx.result(d, text)


# -- handlers ----------------------------------------------------------------------------------
def cmd_open(ctx: Context, args):
    actor = ctx.actor(args)
    data = {"kind": args.kind, "name": args.name, "id_type": args.id_type,
            "id_number": args.id_number, "phone": args.phone,
            "customer_type": args.customer_type, "special_groups": args.special,
            "district": args.district, "street": args.street, "community": args.community,
            "building": args.building, "unit": args.unit, "room": args.room,
            "address_text": args.address_text, "meter_no": args.meter,
            "meter_type": args.meter_type, "supply_contract_no": args.supply_contract,
            "supply_contract_date": args.supply_date,
            "safety_contract_no": args.safety_contract,
            "safety_contract_date": args.safety_date, "documents": _docs(args.docs),
            "note": args.note}
    view = accounts.open_account(ctx.db, actor, data)
    if args.meter_kind != "plain":
        from .. import cards

        cards.set_meter_kind(ctx.db, actor, view.account_no, args.meter_kind)
    return _done(ctx, args, actor, view, "open", f"已开户：{view.account_no}")


def cmd_show(ctx: Context, args):
    actor = ctx.actor(args)
    d = accounts.show(ctx.db, actor, args.account_no).to_dict()
    text = _view_text(d)
    if args.ledger:
        led = accounts.ledger(ctx.db, actor, args.account_no)
        d["ledger"] = led
        lines = ["账单：账期 用气量 金额 已缴 未缴 截止日"]
        for b in led["bills"]:
            lines.append(f"  {b['period']} {b['volume']} {money.fmt_symbol(b['amount_fen'])} "
                         f"{money.fmt_symbol(b['paid_fen'])} {money.fmt_symbol(b['open_fen'])} "
                         f"{b['due_date']}" + ("（逾期）" if b["overdue"] else ""))
        lines.append("缴费：")
        for p in led["payments"]:
            lines.append(f"  {p['at']} {p['receipt_no']} {money.fmt_symbol(p['total_fen'])} "
                         f"{p['kind']} {p['status']}")
        lines.append(f"余额 {money.fmt_symbol(led['balance_fen'])}")
        text += "\n" + "\n".join(lines)
    return ctx.result(d, text)


def cmd_search(ctx: Context, args):
    actor = ctx.actor(args)
    res = accounts.search(ctx.db, actor, args.query, key=args.by, limit=args.limit)
    d = res.to_dict()
    lines = [f"{h['account_no']}  {h['name']}  {h['id_masked']}  {h['phone_masked']}  "
             f"{h['address']}  表号 {h['meter_no']}  [{h['matched_name']}]"
             + ("" if h["status"] == "active" else f"（{h['status_name']}）")
             for h in d["hits"]]
    if not lines:
        lines = ["没有找到"]
    if res.more:
        lines.append(f"……结果多于 {args.limit} 条，请输入更多字符")
    return ctx.result(d, "\n".join(lines))


def cmd_rename(ctx: Context, args):
    actor = ctx.actor(args)
    view = accounts.rename(ctx.db, actor, args.account_no, args.new_name,
                           documents=_docs(args.docs), phone=args.phone, note=args.note)
    return _done(ctx, args, actor, view, "rename", f"已更名：{view.account_no}")


def cmd_transfer(ctx: Context, args):
    actor = ctx.actor(args)
    new = {"name": args.new_name, "kind": args.new_kind, "id_type": args.new_id_type,
           "id_number": args.new_id_number, "phone": args.new_phone}
    view = accounts.transfer(ctx.db, actor, args.account_no, new, reason=args.reason,
                             documents=_docs(args.docs), note=args.note)
    return _done(ctx, args, actor, view, "transfer", f"已过户：{view.account_no}")


def cmd_close(ctx: Context, args):
    actor = ctx.actor(args)
    view = accounts.close(ctx.db, actor, args.account_no, final_reading=args.final_reading,
                          documents=_docs(args.docs), note=args.note)
    return _done(ctx, args, actor, view, "close", f"已销户：{view.account_no}")


def cmd_retype(ctx: Context, args):
    actor = ctx.actor(args)
    view = accounts.change_type(ctx.db, actor, args.account_no, args.customer_type,
                                reason=args.reason, documents=_docs(args.docs), note=args.note,
                                approval=ctx.approval(args))
    return _done(ctx, args, actor, view, "retype",
                 f"已变更用气性质：{view.account_no} 现为{view.customer_type_names[0]}")


def cmd_suspend(ctx: Context, args):
    actor = ctx.actor(args)
    view = accounts.set_suspended(
        ctx.db, actor, args.account_no, args.suspend, reason=args.reason,
        approval=None if args.suspend else ctx.approval(args),
        inspection_ref=getattr(args, "inspection", ""))
    d = view.to_dict()
    return ctx.result(d, f"户号 {view.account_no}：{d['status_name']}")


def cmd_reveal(ctx: Context, args):
    actor = ctx.actor(args)
    value = accounts.reveal(ctx.db, actor, args.account_no, args.field)
    return ctx.result({"account_no": args.account_no, "field": args.field, "value": value},
                      value)


def cmd_bills_import(ctx: Context, args):
    actor = ctx.actor(args)
    try:
        res = bills_import.import_bills(ctx.db, actor, args.file)
    except ValidationError as e:
        errors = e.data.get("errors")
        if errors and not ctx.json:
            import sys

            for err in errors:
                print(f"第 {err['line']} 行 {err['column']}：{err['reason']}"
                      + (f"（{err['value']}）" if err["value"] else ""), file=sys.stderr)
        if errors and ctx.json:
            import json
            import sys

            print(json.dumps({"error": e.message, "errors": errors}, ensure_ascii=False,
                             indent=2), file=sys.stderr)
        raise
    return ctx.result(res.to_dict(), f"已导入 {res.rows} 张账单（{res.accounts} 户），"
                      f"合计 {money.fmt_symbol(res.total_fen)}，批次 {res.batch}")
