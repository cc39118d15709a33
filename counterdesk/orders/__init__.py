"""Service work orders from the counter (工单): 报装 报修 报警 安检 换表 停气 复气 通气.

Public API (what the UI and the command line call):

* life: :func:`add_order`, :func:`dispatch`, :func:`arrive`, :func:`record_result`,
  :func:`close`, :func:`follow_up`; reading: :func:`get_order`, :func:`list_orders`;
* gates: :func:`check_gas_allowed` (the sale paths call it), :func:`account_flags`;
* inspections: :func:`record_inspection`, :func:`inspections_due`;
* supply notices: :func:`add_notice`, :func:`list_notices`, :func:`affected_accounts`;
* :func:`report`.
"""

from __future__ import annotations

from .board import get_order, hall_info, list_orders
from .gates import check_gas_allowed, gas_block_reason
from .inspections import due as inspections_due
from .inspections import record as record_inspection
from .kinds import KIND_LABELS, RESULT_LABELS, STATUS_LABELS, label
from .lifecycle import add_order, arrive, close, dispatch, follow_up, record_result
from .notices import account_flags, add_notice, affected_accounts, display_notices, list_notices
from .notices import write_csv as write_accounts_csv
from .report import report
from .views import STATE_LABELS, OrderView

__all__ = ["KIND_LABELS", "OrderView", "RESULT_LABELS", "STATE_LABELS", "STATUS_LABELS",
           "account_flags", "add_notice", "add_order", "affected_accounts", "arrive",
           "check_gas_allowed", "close", "dispatch", "display_notices", "follow_up", "gas_block_reason",
           "get_order", "hall_info", "inspections_due", "label", "list_notices", "list_orders",
           "record_inspection", "record_result", "report", "write_accounts_csv"]
