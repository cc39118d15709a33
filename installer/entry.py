"""Entry script of the frozen executables (``counterdesk.exe`` and ``counterdesk-cli.exe``).

``counterdesk/__main__.py`` uses a relative import, so PyInstaller gets this file as
its top-level script instead. It is the same ``counterdesk`` command as from source.
"""

import sys

from counterdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
