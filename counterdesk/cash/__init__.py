"""Cash tills and the end-of-day close (日清日结) [seed 004 第二十二条(四), 第二十五条(四)].

The clerk's day with the till (``till``): open with the float counted by denomination
(``denominations``), cash in / out with a manager's authorisation, the blind count, close;
a manager countersigns or reopens a count (``countersign``). The X report and the till
report are in ``till_reports``; the figures a till should hold in ``figures``.

The manager's day close (``dayclose``) computes the day report (``dayreport``), stores it,
locks the day and backs up the database. Its CSV / Excel files are written by
:mod:`counterdesk.print.dayclose_export`.

This package's names are its public API; callers import them from ``counterdesk.cash``.
"""

from ..models.cash import DIRECTION_NAMES
from ..print.dayclose_export import export_csv, report_sections, write_csv, write_xlsx
from .countersign import countersign, reopen_till
from .dayclose import (
    DayCloseResult,
    close_day,
    close_history,
    day_report,
    preclose_check,
    reopen_day,
)
from .denominations import (
    DENOMINATIONS,
    Denomination,
    counts_total,
    denomination_code,
    denominations,
    parse_count_args,
    parse_counts,
)
from .figures import METHOD_NAMES, NONCASH_METHODS, STATUS_NAMES, parse_noncash
from .till import (
    CountResult,
    MovementInfo,
    TillInfo,
    close_till,
    count_till,
    move_cash,
    open_till,
    till_status,
)
from .till_reports import till_report_data, tills_for_day, x_report

__all__ = [
    "DENOMINATIONS", "DIRECTION_NAMES", "METHOD_NAMES", "NONCASH_METHODS", "STATUS_NAMES",
    "CountResult", "DayCloseResult", "Denomination", "MovementInfo", "TillInfo",
    "close_day", "close_history", "close_till", "count_till", "countersign", "counts_total",
    "day_report", "denomination_code", "denominations", "export_csv", "move_cash",
    "open_till", "parse_count_args", "parse_counts", "parse_noncash", "preclose_check",
    "reopen_day", "reopen_till", "report_sections", "till_report_data", "till_status",
    "tills_for_day", "write_csv", "write_xlsx", "x_report",
]
