"""What the verbs of numbered case records share (work orders ``order …``, complaints
``complaint …``): a verb's parser, a list printed one line a record, a record's steps
under its detail, a period report written to PDF and CSV."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import clock
from .context import Context, Result, add_staff_args


def verb(sub: argparse._SubParsersAction, name: str, help_: str, handler: Callable, *,
         number: str = "", approver: bool = False, window: bool = False
         ) -> argparse.ArgumentParser:
    """A verb acting as ``--staff`` (see :func:`add_staff_args`); ``number`` names the
    record it takes as its first argument (e.g. "工单号")."""
    q = sub.add_parser(name, help=help_)
    add_staff_args(q, approver=approver, window=window)
    if number:
        q.add_argument("number", metavar=number)
    q.set_defaults(handler=handler)
    return q


def add_report_files(q: argparse.ArgumentParser) -> None:
    """``--pdf FILE`` and ``--csv FILE`` of a report verb (see :func:`write_report`)."""
    q.add_argument("--pdf", metavar="FILE", help="写出 PDF")
    q.add_argument("--csv", metavar="FILE", help="写出 CSV（UTF-8 BOM，Excel 可直接打开）")


def listing(ctx: Context, items: Sequence[Any], line: Callable[[Any], str],
            empty: str) -> Result:
    """Records as JSON (their ``to_dict``) or one line each; ``empty`` when there are none."""
    return ctx.result([v.to_dict() for v in items], "\n".join(line(v) for v in items) or empty)


def step_lines(steps: Iterable[Any], *extras: str) -> list[str]:
    """A record's steps, indented under it: when, what, who, and the ``extras`` fields
    of the step that are set (joined by ·)."""
    out = []
    for s in steps:
        extra = "·".join(x for x in (getattr(s, a) for a in extras) if x)
        out.append(f"  {clock.minute(s.at, '—')} {s.kind_label} {s.staff_no} {s.staff_name}"
                   + (f"：{extra}" if extra else ""))
    return out


def write_report(args, writer, rep: dict) -> list[str]:
    """Write ``rep`` where ``--pdf`` / ``--csv`` say with the report module ``writer``
    (``write_pdf`` / ``write_csv``); records the files in ``rep["files"]`` and returns
    the lines that say so."""
    files = {}
    if args.pdf:
        files["pdf"] = str(writer.write_pdf(rep, args.pdf))
    if args.csv:
        files["csv"] = str(writer.write_csv(rep, args.csv))
    rep["files"] = files
    return [f"已写出 {k.upper()}：{v}" for k, v in files.items()]


__all__ = ["add_report_files", "listing", "step_lines", "verb", "write_report"]
