"""The words of service quality on screen and paper, and what a clerk may type for them
(Chinese or English: ``满意`` or ``satisfied``)."""

from __future__ import annotations

from .. import i18n

# -- labels -------------------------------------------------------------------------------
RATING_LABELS = {"very_satisfied": ("非常满意", "Very satisfied"),
                 "satisfied": ("满意", "Satisfied"),
                 "basic": ("基本满意", "Fairly satisfied"),
                 "unsatisfied": ("不满意", "Unsatisfied"),
                 "none": ("未评价", "No answer")}
RATING_SCORES = {"very_satisfied": 4, "satisfied": 3, "basic": 2, "unsatisfied": 1}
# The buttons of the customer screen, in order (never "none": that is the timeout).
RATING_CHOICES = ("very_satisfied", "satisfied", "basic", "unsatisfied")
KIND_LABELS = {"complaint": ("投诉", "Complaint"), "enquiry": ("咨询", "Enquiry"),
               "help": ("求助", "Help request")}
STATUS_LABELS = {"open": ("待处理", "Open"), "forwarded": ("已转办", "Forwarded"),
                 "replied": ("已答复待回访", "Replied, awaiting follow-up"),
                 "closed": ("已关闭", "Closed")}
STEP_LABELS = {"recorded": ("受理登记", "Recorded"), "forwarded": ("转交部门", "Forwarded"),
               "handed_over": ("移交", "Handed over"), "replied": ("答复客户", "Replied"),
               "contacted": ("联系客户", "Customer contacted"),
               "followed_up": ("回访", "Follow-up"), "reopened": ("重新处理", "Reopened"),
               "closed": ("关闭", "Closed"), "work_done": ("完成维修/上门", "Work done")}
VERDICT_LABELS = {"satisfied": ("满意", "Satisfied"), "unsatisfied": ("不满意", "Unsatisfied")}
CHANNELS = ("window", "hotline")
CATEGORIES = ("服务态度", "收费争议", "办事效率", "燃气质量", "维修报修", "安检", "表具",
              "开户报装", "其他")
# a category is stored in Chinese (the hall's reports group by it); English on screen
CATEGORY_EN = {"服务态度": "Service attitude", "收费争议": "Billing dispute",
               "办事效率": "Efficiency", "燃气质量": "Gas quality", "维修报修": "Repairs",
               "安检": "Safety inspection", "表具": "Meters", "开户报装": "New connection",
               "其他": "Other"}
FOLLOWUP_METHODS = ("phone", "visit")
PENDING = ("open", "forwarded")  # waiting for a reply: these have a deadline
_ALIASES = {"非常满意": "very_satisfied", "满意": "satisfied", "基本满意": "basic",
            "不满意": "unsatisfied", "未评价": "none", "投诉": "complaint", "咨询": "enquiry",
            "求助": "help", "窗口": "window", "热线": "hotline", "电话": "phone", "上门": "visit"}


def label(table: dict, key: str) -> str:
    pair = table.get(key)
    return i18n.pick(*pair) if pair else key


def category_label(category: str) -> str:
    """A complaint category in the interface language (one typed by a clerk as it is)."""
    return i18n.pick(category, CATEGORY_EN.get(category, category))


def category_of(text: str) -> str:
    """The stored category for ``text`` as shown or typed: ``Gas quality`` → ``燃气质量``."""
    text = (text or "").strip()
    return next((zh for zh, en in CATEGORY_EN.items() if en.lower() == text.lower()), text)


def canonical(value: str) -> str:
    value = (value or "").strip()
    return _ALIASES.get(value, value.lower())

