"""Backup verbs: backup, backup key-sheet / key-import, restore; db store-password."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import backup, credentials, schema, staff
from ..errors import CounterDeskError
from .context import Context

KEY_VERBS = ("key-sheet", "key-import")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="备份业务数据（用营业厅密钥加密）；"
                       "backup key-sheet 打印密钥恢复单，backup key-import 在新电脑上输入密钥")
    p.add_argument("file", nargs="?", metavar="FILE|key-sheet|key-import",
                   help="备份文件，默认写入备份目录的 营业厅/manual 文件夹")
    p.add_argument("--unencrypted", action="store_true",
                   help="不加密（仅供迁移；文件含全部客户个人信息，用后立即删除）")
    p.add_argument("--out", metavar="PDF", help="key-sheet：恢复单 PDF 的文件名")
    p.add_argument("--replace", action="store_true", help="key-import：替换本机已有的另一把密钥")
    p.add_argument("--staff", metavar="工号",
                   help="办理人（管理员）工号，密码取自 COUNTERDESK_PASSWORD 或提示输入；"
                        "key-import 到还没有员工的新电脑时可省略")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复：先完整检查文件、另存当前数据库，再整体恢复")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--last-receipt", metavar="年-序号",
                   help="客户手中最后一张票据的号码（如 2026-000123；没有开出过填 0）；"
                        "缺省取被替换的数据库的票据计数")
    p.add_argument("--unencrypted", action="store_true", help="允许恢复未加密的备份")
    p.add_argument("--staff", metavar="工号",
                   help="办理人（管理员）工号；恢复到空数据库时可省略")
    p.set_defaults(handler=cmd_restore)


def register_db(dsub: argparse._SubParsersAction) -> None:
    q = dsub.add_parser("store-password", help="把数据库密码存入系统凭据库，设置文件中只留不含密码的 URL"
                        "（密码取自设置文件中的 URL、COUNTERDESK_DB_PASSWORD 或提示输入）")
    q.set_defaults(handler=cmd_store_password)


def _admin(ctx: Context, args) -> staff.Actor:
    actor = ctx.actor(args)
    staff.require_admin(actor)
    return actor


def _no_staff(ctx: Context) -> bool:
    db = ctx.raw_database()
    if schema.is_empty(db):
        return True
    return not staff.list_users(ctx.db)


def cmd_backup(ctx: Context, args):
    if args.file == "key-import" and not args.staff and _no_staff(ctx):
        return _key_import(ctx, args)  # a new PC: the key first, then restore into it
    if not args.staff:
        raise CounterDeskError("此操作须由管理员办理：请用 --staff 指定管理员工号",
                               "An administrator must do this: name them with --staff")
    actor = _admin(ctx, args)
    if args.file in KEY_VERBS:
        return _key_sheet(ctx, actor, args) if args.file == "key-sheet" else _key_import(ctx, args)
    db = ctx.db
    had_key = backup.hallkey.load(actor.hall_code) is not None
    days = backup.keep_days(db, actor.hall_code)
    path = backup.backup(db, args.file, directory=ctx.settings.backup.effective_dir(),
                         hall_code=actor.hall_code, encrypt=not args.unencrypted,
                         keep_days=None if args.file else days, keep_min=ctx.settings.backup.keep)
    with db.write() as s:
        actor.audit(s, "backup.written", {"reason": "manual", "file": Path(path).name,
                                          "encrypted": not args.unencrypted})
    msg = f"已备份到 {path}"
    if args.unencrypted:
        msg += ("\n警告：这份备份没有加密，含全部客户的姓名、证件号和电话；"
                "迁移完成后请立即删除，不得拷贝或外传")
    elif not had_key:
        msg += "\n已为本营业厅生成备份密钥：请立即用 counterdesk backup key-sheet 打印密钥恢复单交主任保管"
    return ctx.result({"file": str(path), "bytes": Path(path).stat().st_size,
                       "encrypted": not args.unencrypted}, msg)


def _key_sheet(ctx: Context, actor: staff.Actor, args):
    from ..hall import get as get_hall
    from ..print import keysheet

    key, created = backup.hallkey.ensure(actor.hall_code)
    with ctx.db.read() as s:
        name = get_hall(s, actor.hall_code).name
    out = Path(args.out or f"备份密钥恢复单-{actor.hall_code}.pdf")
    keysheet.write_pdf(out, hall_code=actor.hall_code, hall_name=name,
                       key_text=backup.hallkey.recovery_text(key),
                       fingerprint=backup.hallkey.fingerprint(key))
    with ctx.db.write() as s:
        actor.audit(s, "backup.key_sheet", {"key_id": backup.hallkey.fingerprint(key),
                                            "created": created})
    return ctx.result({"file": str(out), "key_id": backup.hallkey.fingerprint(key),
                       "created": created},
                      f"密钥恢复单已写入 {out}（密钥编号 {backup.hallkey.fingerprint(key)}）："
                      "打印后删除此 PDF，纸单交主任锁入保险柜")


def _key_import(ctx: Context, args):
    text = ctx._password("COUNTERDESK_BACKUP_KEY", "密钥恢复单上的 14 组字母数字：")  # noqa: SLF001 - the one env-or-prompt reader
    key = backup.hallkey.install(ctx.settings.hall.code, text, replace=args.replace)
    return ctx.result({"key_id": backup.hallkey.fingerprint(key)},
                      f"已保存营业厅 {ctx.settings.hall.code} 的备份密钥（编号 "
                      f"{backup.hallkey.fingerprint(key)}）")


def cmd_restore(ctx: Context, args):
    staff_no = ""
    if args.staff or not _no_staff(ctx):  # an empty database holds nothing to protect
        if not args.staff:
            raise CounterDeskError("此操作须由管理员办理：请用 --staff 指定管理员工号",
                                   "An administrator must do this: name them with --staff")
        staff_no = _admin(ctx, args).staff_no  # signed in on the database as it is now
    ctx.close()
    db = ctx.raw_database()
    res = backup.restore(db, args.file, hall_code=ctx.settings.hall.code, staff_no=staff_no,
                         last_receipt=args.last_receipt, allow_unencrypted=args.unencrypted,
                         backup_dir=ctx.settings.backup.effective_dir())
    ctx.close()
    msg = f"已从 {args.file} 恢复"
    if res.previous:
        msg += f"；恢复前的数据库已另存为 {res.previous}"
    for sk in res.skipped:
        msg += f"\n票据号 {sk['first']} 至 {sk['last']}（{sk['count']} 张）已在客户手中，" \
               "今后不再使用，下次日结将列为“恢复中丢失”"
    return ctx.result(res.to_dict(), msg)


def cmd_store_password(ctx: Context, args):
    path = ctx.settings.source
    url = ctx.settings.database.url
    if not url or credentials.db_key(url) is None:
        raise CounterDeskError("设置文件中的数据库不是 PostgreSQL，无需密码",
                               "The settings name no PostgreSQL database; no password needed")
    if credentials.has_password(url):
        from sqlalchemy.engine import make_url

        password = make_url(url).password
    else:
        password = ctx._password("COUNTERDESK_DB_PASSWORD", "数据库密码：")  # noqa: SLF001
    bare = credentials.store_db_password(url, str(password))
    if not ctx.args.db:  # a URL given on the command line is not the settings file's
        from ..settings import load

        saved = load(path)
        saved.database.url = bare
        try:
            saved.save(path)
        except OSError as exc:
            raise CounterDeskError(
                f"密码已存入{credentials.store_name()}，但无法改写设置文件 {path}：须以管理员身份运行",
                f"The password is stored, but the settings file {path} cannot be written: "
                "run as an administrator") from exc
    return ctx.result({"settings": str(path), "store": credentials.store_name()},
                      f"数据库密码已存入{credentials.store_name()}；设置文件只保留 "
                      f"{bare}")
