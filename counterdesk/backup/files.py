"""Where backups go, what they are called, and how long they are kept.

``<backup folder>/<hall>/<kind>/counterdesk-<hall>-<kind>-<YYYYMMDD-HHMMSS>.cdbak``, kind
``dayclose`` (after every day close), ``manual``, ``pre-restore`` (the database as it was
before a restore), and ``UNENCRYPTED`` in the name of a file made without the hall key.
Each kind's folder has a ``说明.txt`` saying what the files are, that they are encrypted
with the hall key, and how long they are kept (hall policy ``backup.keep_days``; the newest
few are always kept).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .. import clock

SUFFIX = ".cdbak"
KINDS = {
    "dayclose": ("日结后自动备份", "automatic backup after each day close"),
    "manual": ("管理员手工备份", "manual backup by an administrator"),
    "pre-restore": ("恢复前自动另存的数据库（恢复之前的原样）",
                    "the database as it was just before a restore"),
    "pre-upgrade": ("升级前自动另存的数据库", "the database before a program upgrade"),
}
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-UNENCRYPTED)?\.cdbak$")


def folder(base: Path, hall_code: str, reason: str) -> Path:
    return Path(base) / hall_code / reason


def name(hall_code: str, reason: str, *, encrypted: bool = True) -> str:
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    return f"counterdesk-{hall_code}-{reason}-{stamp}{'' if encrypted else '-UNENCRYPTED'}{SUFFIX}"


def unique(path: Path) -> Path:
    """``path``, or ``path`` with ``-2``, ``-3``… when a backup of the same second exists."""
    n, candidate = 1, path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name[:-len(SUFFIX)]}-{n}{SUFFIX}")
    return candidate


def write_readme(where: Path, hall_code: str, reason: str, keep_days: int, keep_min: int) -> None:
    zh, en = KINDS.get(reason, (reason, reason))
    text = (f"CounterDesk 营业厅 {hall_code}：{zh}。\r\n"
            "文件用营业厅备份密钥加密（AES-256-GCM），没有密钥无法读取；文件名含 UNENCRYPTED 的"
            "是管理员为迁移特意做的未加密备份，含全部客户个人信息，用完请立即删除。\r\n"
            f"保留 {keep_days} 天（营业厅规则 backup.keep_days），过期自动删除，"
            f"最新的 {keep_min} 份始终保留。\r\n"
            "恢复：counterdesk restore 文件 --staff 管理员工号（须营业厅备份密钥，见密钥恢复单）。\r\n"
            f"\r\nCounterDesk hall {hall_code}: {en}. Encrypted with the hall backup key; "
            f"kept {keep_days} days (newest {keep_min} always kept).\r\n")
    target = where / "说明.txt"
    try:
        if not target.exists() or target.read_text(encoding="utf-8-sig") != text:
            target.write_text(text, encoding="utf-8-sig", newline="")
    except OSError:
        pass  # a read-only note is no reason to fail a backup


def _stamp_of(path: Path) -> dt.datetime | None:
    m = _STAMP.search(path.name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def prune(where: Path, keep_days: int, keep_min: int = 3) -> list[Path]:
    """Delete the backups in ``where`` older than ``keep_days``, keeping the newest
    ``keep_min`` whatever their age. Returns what was deleted."""
    files = sorted((stamp, p.name, p) for p in where.glob(f"counterdesk-*{SUFFIX}")
                   if (stamp := _stamp_of(p)) is not None)
    limit = clock.now().replace(tzinfo=None) - dt.timedelta(days=keep_days)
    old = [p for stamp, _, p in files[:max(len(files) - keep_min, 0)] if stamp < limit]
    for p in old:
        p.unlink(missing_ok=True)
    return old
