"""``counterdesk phrases list|search|export|import|reset``: the prompt panel's phrases.

The language is the global ``--lang`` (default: the settings'); the hall is the settings'.
Changing phrases (import, reset) needs a manager: ``--staff 工号``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import i18n, phrases, textfiles
from ..errors import CounterDeskError
from .context import Context, add_staff_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("phrases", help="服务用语（提示栏）：查看、搜索、导出、导入、恢复默认")
    psub = p.add_subparsers(dest="phrases_verb", required=True)

    q = psub.add_parser("list", help="列出服务用语（可按情境/分组）")
    q.add_argument("--section", metavar="KEY", help="只列出一个情境/分组，如 greeting、forbidden")
    q.set_defaults(handler=cmd_list)

    q = psub.add_parser("search", help="按汉字或拼音首字母搜索（如 dbq → 对不起）")
    q.add_argument("query", metavar="文字或拼音首字母")
    q.set_defaults(handler=cmd_search)

    q = psub.add_parser("export", help="导出当前生效的用语（TOML，含编号），可修改后再导入")
    q.add_argument("file", nargs="?", metavar="FILE", help="输出文件，默认打印到屏幕")
    q.set_defaults(handler=cmd_export)

    q = psub.add_parser("import", help="导入用语文件（主任）：与默认不同的内容存入数据库")
    q.add_argument("file", metavar="FILE")
    add_staff_args(q)
    q.set_defaults(handler=cmd_import)

    q = psub.add_parser("reset", help="恢复默认用语（主任）：全部，或指定编号的一条")
    q.add_argument("id", nargs="?", metavar="ID", help="用语编号，如 greeting.1；不写则全部恢复")
    add_staff_args(q)
    q.set_defaults(handler=cmd_reset)


def _lang(ctx: Context) -> str:
    return i18n.current()


def _catalogue(ctx: Context) -> phrases.Catalogue:
    return phrases.load(ctx.db, ctx.settings.hall.code, _lang(ctx))


def _line(item: phrases.Item) -> str:
    head = f"{item.title}：" if item.title else ""
    text = f"  {item.id:<16} {head}{item.text}"
    if item.instead:
        text += ("  → 应说：" if i18n.current() != "en" else "  → say instead: ") + item.instead
    if item.note and item.kind == "situation":
        text += f"（{item.note}）" if i18n.current() != "en" else f" ({item.note})"
    if item.state != "default":
        text += " *"
    return text


def cmd_list(ctx: Context, args):
    cat = _catalogue(ctx)
    sections = cat.sections
    if args.section:
        sec = cat.section(args.section)
        if sec is None:
            known = ", ".join(s.key for s in cat.sections)
            raise CounterDeskError(f"没有情境/分组 {args.section}；可用：{known}",
                                   f"No situation/group {args.section}; known: {known}")
        sections = [sec]
    lines = []
    for sec in sections:
        lines.append(f"[{sec.key}] {sec.title}" + (f"  ({sec.source})" if sec.source else ""))
        lines.extend(_line(i) for i in sec.items)
    data = {"lang": cat.lang, "revision": cat.revision,
            "sections": [s.to_dict() for s in sections]}
    return ctx.result(data, "\n".join(lines))


def cmd_search(ctx: Context, args):
    cat = _catalogue(ctx)
    found = cat.search(args.query)
    if not found:
        text = ctx.t(f"没有找到“{args.query}”", f"Nothing found for {args.query!r}")
    else:
        text = "\n".join(_line(i) for i in found)
    return ctx.result([i.to_dict() for i in found], text, 0 if found else 1)


def cmd_export(ctx: Context, args):
    cat = _catalogue(ctx)
    toml = phrases.export_toml(cat)
    if args.file:
        try:
            Path(args.file).write_text(toml, encoding="utf-8")
        except OSError as exc:
            raise CounterDeskError(f"无法写入 {args.file}：{exc.strerror}",
                                   f"Cannot write {args.file}: {exc.strerror}") from exc
        n = sum(1 for _ in cat.items())
        return ctx.result({"file": args.file, "items": n, "lang": cat.lang},
                          ctx.t(f"已导出 {n} 条用语到 {args.file}",
                                f"Exported {n} phrases to {args.file}"))
    return ctx.result(phrases.export_data(cat), toml.rstrip("\n"))


def cmd_import(ctx: Context, args):
    try:
        content = textfiles.read_text(args.file)  # Notepad: BOM or GBK (issue 17.6)
    except OSError as exc:
        raise CounterDeskError(f"无法读取 {args.file}：{exc}", f"Cannot read {args.file}: {exc}") \
            from exc
    actor = ctx.actor(args)
    summary = phrases.import_data(ctx.db, actor, content, _lang(ctx))
    return ctx.result(summary, ctx.t(
        f"已导入：修改 {summary['set']} 条，新增 {summary['add']} 条，删除 {summary['hide']} 条",
        f"Imported: {summary['set']} changed, {summary['add']} added, {summary['hide']} removed"))


def cmd_reset(ctx: Context, args):
    actor = ctx.actor(args)
    n = phrases.restore_defaults(ctx.db, actor, args.id, _lang(ctx))
    return ctx.result({"restored": n, "id": args.id or "*"},
                      ctx.t(f"已恢复默认（撤销 {n} 处修改）", f"Defaults restored ({n} edits undone)"))
