"""Entry point: ``counterdesk`` / ``python -m counterdesk`` (also the frozen executable)."""

from __future__ import annotations

import sys


def safe_streams() -> None:
    """Output to a pipe or a file never crashes on a character its code page lacks
    (issue 17.5: ``account search 𠮷 > out.txt`` on a cp1252/GBK Windows): a character
    that cannot be encoded becomes ``?``. A console keeps its own encoding (UTF-16 on
    Windows). The frozen executables also run in UTF-8 mode (build.spec)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # None in a windowed executable, or a test's capture
            continue
        try:
            if not stream.isatty():
                reconfigure(errors="replace")
        except (OSError, ValueError):
            continue


def main(argv: list[str] | None = None) -> int:
    safe_streams()
    from .cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
