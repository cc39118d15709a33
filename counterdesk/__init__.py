"""CounterDesk: the service-window application of a utility company's business hall.

Everything in this package outside ``counterdesk.ui`` is plain Python and never
imports Qt (``tests/test_layout.py`` enforces it).
"""

__version__ = "0.1.0"
APP_NAME = "CounterDesk"
APP_AUTHOR = "CounterDesk"
