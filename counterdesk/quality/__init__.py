"""Service quality: customer ratings at the window, complaints with deadlines, follow-ups.

Rules (seeds in brackets):

* Ratings (服务评价) [000 5.3]: 非常满意 / 满意 / 基本满意 / 不满意, given by the customer on
  the customer screen of the window; no answer is stored as ``none``, never as
  satisfied. Only a :class:`CustomerScreenSource` issued by :func:`open_customer_screen`
  may record a rating; a clerk's :class:`~counterdesk.staff.Actor` is refused.
* Complaints, enquiries, help requests (投诉 / 咨询 / 求助) [004 第二十条, 001 一.5]:
  recorded with the customer's contact and a description; the first clerk owns the
  item (首问负责制, 000 5.1.4, 001 二.1) until handed over with a record; a reply
  deadline from the settings (48 hours for complaints), optionally counting working
  days only; every step is kept with time and staff (事事有结果，件件有答复, 002).
* Follow-up (回访) [004 第二十一条, 002]: closes the item with the customer's verdict;
  an unsatisfied verdict reopens it. Follow-ups only between ``followup_start`` and
  ``followup_end`` (08:30–17:00); a reply given in the evening is followed up before
  10:00 the next day.

Modules: :mod:`.labels`, :mod:`.deadlines`, :mod:`.views`, :mod:`.complaints`,
:mod:`.worklist` (to-do lists and follow-up reminders), :mod:`.ratings`, :mod:`.report`.
Demo data is made in :mod:`counterdesk.demo.quality`.
"""

from ..models.quality import RATING_VALUES
from .complaints import (
    close,
    contact,
    follow_up,
    forward,
    get_complaint,
    hand_over,
    promises_work,
    record_complaint,
    reply,
    reveal_phone,
    work_done,
)
from .deadlines import (
    add_hours,
    deadline_hours,
    followup_allowed,
    followup_due,
    next_followup_slot,
    reply_deadline,
)
from .labels import (
    CATEGORIES,
    CHANNELS,
    FOLLOWUP_METHODS,
    KIND_LABELS,
    RATING_CHOICES,
    RATING_LABELS,
    RATING_SCORES,
    STATUS_LABELS,
    STEP_LABELS,
    VERDICT_LABELS,
    category_label,
    category_of,
    label,
)
from .ratings import (
    CustomerScreenSource,
    RatingView,
    list_ratings,
    open_customer_screen,
    record_rating,
)
from .report import report
from .views import ComplaintView, StepView
from .worklist import Reminder, followup_reminders, list_complaints, overdue

__all__ = [
    "CATEGORIES", "CHANNELS", "FOLLOWUP_METHODS", "KIND_LABELS", "RATING_CHOICES",
    "RATING_LABELS", "RATING_SCORES", "RATING_VALUES", "STATUS_LABELS", "STEP_LABELS",
    "VERDICT_LABELS", "ComplaintView", "CustomerScreenSource", "RatingView", "Reminder",
    "StepView", "add_hours", "category_label", "category_of", "close", "contact", "deadline_hours", "follow_up",
    "followup_allowed", "followup_due", "followup_reminders", "forward", "get_complaint",
    "hand_over", "label", "list_complaints", "list_ratings", "next_followup_slot",
    "open_customer_screen", "overdue", "promises_work", "record_complaint",
    "record_rating", "reply", "work_done",
    "reply_deadline", "report", "reveal_phone", "seed_demo",
]


def seed_demo(db, hall_code: str) -> dict:
    """The demo hall's complaints and ratings: :func:`counterdesk.demo.quality.seed_demo`."""
    from ..demo import quality as demo  # at call time: the demo module imports this package

    return demo.seed_demo(db, hall_code)
