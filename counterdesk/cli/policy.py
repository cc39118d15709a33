"""Hall policy verbs: ``policy show [--json]`` and ``policy set KEY VALUE --staff NO``."""

from __future__ import annotations

import argparse

from .. import policy
from .context import Context, add_staff_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("policy", help="营业厅规则（存于数据库，全厅各机一致）")
    psub = p.add_subparsers(dest="policy_verb", required=True)
    q = psub.add_parser("show", help="列出全部规则：当前值、单位、默认值")
    q.add_argument("--hall", help="营业厅代码（默认本机设置）")
    q.set_defaults(handler=cmd_show)
    q = psub.add_parser("set", help="修改一项规则（主任，记入审计）")
    q.add_argument("key", metavar="KEY")
    q.add_argument("value", metavar="VALUE")
    add_staff_args(q)
    q.set_defaults(handler=cmd_set)


def _hall_id(ctx: Context, code: str) -> int:
    from sqlalchemy import select

    from ..errors import NotFound
    from ..models import Hall

    with ctx.db.read() as s:
        hall_id = s.execute(select(Hall.id).where(Hall.code == code)).scalar()
    if hall_id is None:
        raise NotFound(f"营业厅 {code} 不存在", f"Hall {code} not found", field="hall")
    return hall_id


def _line(r: policy.PolicyRow) -> str:
    value = policy.to_text(policy.BY_KEY[r.key], r.value)
    default = policy.to_text(policy.BY_KEY[r.key], r.default)
    mark = "" if r.is_default else f"（默认 {default}；{r.changed_by} 修改）"
    return f"{r.key:<36} {value} {r.unit}  {r.zh}{mark}"


def cmd_show(ctx: Context, args):
    rows = policy.rows(ctx.db, _hall_id(ctx, args.hall or ctx.settings.hall.code))
    return ctx.result([r.to_dict() for r in rows], "\n".join(_line(r) for r in rows))


def cmd_set(ctx: Context, args):
    actor = ctx.actor(args)
    row = policy.set(ctx.db, actor, args.key, args.value)
    return ctx.result(row.to_dict(), "已修改：" + _line(row))
