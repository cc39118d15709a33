"""The hall's queue (排队叫号), correct across every PC sharing one database.

* :mod:`.tickets` — issuing numbers, looking tickets up, the window helpers;
* :mod:`.calling` — call next, recall, start, no-show, re-queue, transfer, hold, resume,
  finish (the order of eligible tickets and the re-queue rule are in its doc);
* :mod:`.pauses` — a window's pause (此窗口暂停服务) and who must approve it;
* :mod:`.snapshot` — what displays and windows poll (change counter, events, snapshot);
* :mod:`.stats` — statistics per service, window and clerk, and their CSV.

Every step stores its time and staff, writes a ``TicketEvent`` (the propagation feed:
``change_version`` is ``max(id)`` through the ``(hall_id, id)`` index) and an audit
event in the same transaction. This package's names are the public API.
"""

from __future__ import annotations

from .calling import (
    call_next,
    finish,
    hold,
    no_show,
    recall,
    requeue,
    resume,
    sign_off,
    sign_on,
    start,
    transfer,
)
from .pauses import (
    PAUSE_REASONS,
    PauseInfo,
    open_pauses,
    parse_until,
    pause_needs,
    pause_window,
    reason_label,
    resume_window,
)
from .snapshot import (
    CALL_KINDS,
    ServiceInfo,
    calls_to_announce,
    change_version,
    events_since,
    services,
    snapshot,
)
from .stats import CSV_HEADER, StatRow, statistics, statistics_csv
from .tickets import (
    STATUS_ZH,
    TicketInfo,
    WindowInfo,
    current,
    get_ticket,
    hall_id_for,
    held_tickets,
    issue,
    kiosk_actor,
    list_tickets,
    service_label,
)

__all__ = [
    "CALL_KINDS", "CSV_HEADER", "PAUSE_REASONS", "STATUS_ZH", "PauseInfo", "ServiceInfo",
    "StatRow", "TicketInfo", "WindowInfo", "call_next", "calls_to_announce", "change_version",
    "current", "events_since", "finish", "get_ticket", "hall_id_for", "held_tickets", "hold",
    "issue", "kiosk_actor", "list_tickets", "no_show", "open_pauses", "parse_until",
    "pause_needs", "pause_window", "reason_label", "recall", "requeue", "resume",
    "resume_window", "service_label", "services", "sign_off", "sign_on", "snapshot", "start", "statistics",
    "statistics_csv", "transfer",
]
