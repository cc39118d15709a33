"""The registry of hall policy keys: type, default, range, labels, unit.

Defaults are those of the settings file (``counterdesk/settings.py``) where a key came from
there, so a hall that never edits its policy behaves as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import i18n

KINDS = ("int", "bool", "str", "time", "dates", "pattern", "types")


@dataclass(frozen=True)
class PolicyKey:
    key: str
    kind: str  # one of KINDS
    default: int | bool | str
    minimum: int | None = None  # int: smallest value
    maximum: int | None = None  # int: largest value; str: longest text
    zh: str = ""
    en: str = ""
    unit: str = ""  # shown after the value ("分钟", "分", "m³")


def _k(key, kind, default, minimum=None, maximum=None, zh="", en="", unit=""):
    return PolicyKey(key, kind, default, minimum, maximum, zh, en, unit)


KEYS: tuple[PolicyKey, ...] = (
    # queue
    _k("queue.priority_cap", "int", 3, 0, 20, "优先号连续叫号上限", "Priority calls in a row", "个"),
    _k("queue.recall_limit", "int", 3, 0, 10, "重复呼叫次数上限", "Recall limit", "次"),
    _k("queue.pause_limit_minutes", "int", 15, 1, 480, "窗口暂停时长上限（超过须授权）",
       "Window pause limit (longer needs approval)", "分钟"),
    _k("queue.noshow_requeue_minutes", "int", 30, 0, 480, "过号后可重新排队的时限",
       "No-show re-queue window", "分钟"),
    _k("queue.wait_apology_minutes", "int", 15, 0, 240, "等候超过此时长须致歉",
       "Apologise after waiting", "分钟"),
    # money (integer fen)
    _k("billing.single_payment_limit_fen", "int", 5_000_000, 100, 100_000_000,
       "单笔收款上限", "Single payment limit", "分"),
    # the plausible form of a non-cash reference (a regular expression matched in full)
    _k("billing.card_reference_pattern", "pattern", r"[0-9A-Za-z]{6,24}", None, 120,
       "银行卡交易参考号格式（正则表达式）", "Card transaction reference format (regex)"),
    _k("billing.qr_reference_pattern", "pattern", r"[0-9A-Za-z]{10,40}", None, 120,
       "扫码支付订单号格式（正则表达式）", "QR payment order number format (regex)"),
    _k("billing.cheque_number_pattern", "pattern", r"[0-9]{8,10}", None, 120,
       "支票号码格式（正则表达式）", "Cheque number format (regex)"),
    _k("cash.difference_threshold_fen", "int", 1000, 0, 1_000_000,
       "现金差异须说明的阈值", "Cash difference needing an explanation", "分"),
    _k("cash.require_open_till", "bool", False, zh="收现金须先开钱箱（否则只提醒）",
       en="Cash needs an open till (else a warning)"),
    # quality
    _k("quality.complaint_deadline_hours", "int", 48, 1, 720, "投诉办结时限",
       "Complaint deadline", "小时"),
    _k("quality.enquiry_deadline_hours", "int", 24, 1, 720, "咨询答复时限",
       "Enquiry deadline", "小时"),
    _k("quality.rating_seconds", "int", 15, 1, 120, "评价器等待时长", "Rating wait", "秒"),
    _k("quality.working_days_only", "bool", False, zh="时限只计工作日",
       en="Deadlines count working days only"),
    _k("quality.followup_start", "time", "08:30", zh="回访开始时间", en="Follow-up from"),
    _k("quality.followup_end", "time", "17:00", zh="回访结束时间", en="Follow-up until"),
    _k("quality.due_soon_hours", "int", 4, 0, 72, "即将到期提示提前", "Due-soon warning",
       "小时"),
    _k("quality.extra_holidays", "dates", "", zh="额外节假日（官方日历之外）",
       en="Extra holidays"),
    _k("quality.extra_workdays", "dates", "", zh="额外调休上班日", en="Extra working days"),
    # IC cards
    _k("card.max_volume_per_purchase", "int", 500, 1, 100_000, "单次购气量上限",
       "Max volume per purchase", "m³"),
    _k("card.max_volume_per_year", "int", 5000, 1, 1_000_000, "年度购气量上限",
       "Max volume per year", "m³"),
    _k("card.volume_decimals", "int", 0, 0, 3, "购气量小数位数", "Volume decimals", "位"),
    # work orders
    _k("order.alarm_onsite_minutes", "int", 30, 5, 480, "报警到场时限", "Alarm on-site time",
       "分钟"),
    _k("order.repair_handle_hours", "int", 6, 1, 168, "报修受理处理时限",
       "Repair handling time", "小时"),
    _k("order.repair_fix_hours", "int", 24, 1, 720, "报修修复时限", "Repair fix time", "小时"),
    _k("order.survey_workdays", "int", 2, 1, 30, "报装勘查时限", "Survey time", "个工作日"),
    _k("order.followup_hours", "int", 48, 1, 720, "工单回访时限", "Work order follow-up",
       "小时"),
    # safety inspection
    _k("inspection.resident_months", "int", 6, 1, 60, "居民用户安检周期",
       "Resident inspection interval", "个月"),
    _k("inspection.nonresident_months", "int", 3, 1, 60, "非居民用户安检周期",
       "Non-resident inspection interval", "个月"),
    # accounts: the hall's customer types, code=name (counterdesk/accounts/types.py)
    _k("accounts.customer_types", "types",
       "resident=居民, commercial=商业, industrial=工业, public=公服, heating=采暖", None, 300,
       "客户类型（代码=名称，逗号分隔）", "Customer types (code=name, comma-separated)"),
    # hall
    _k("hall.emergency_phone", "str", "24小时抢修电话：（请填写本地抢修电话）", None, 60,
       "抢修电话（印在票据和屏幕上）", "Emergency phone line"),
    _k("backup.keep_days", "int", 90, 7, 3650, "备份保留天数（过期自动删除，最新几份始终保留）",
       "Keep backups for", "天"),
    _k("clock.max_skew_seconds", "int", 120, 5, 3600, "本机与数据库时钟允许偏差",
       "Allowed clock skew", "秒"),
)

BY_KEY: dict[str, PolicyKey] = {k.key: k for k in KEYS}

# the units above in English ("" where English says none: "3" priority calls in a row)
UNITS_EN = {"个": "", "次": "times", "分钟": "min", "分": "fen", "小时": "h", "秒": "s",
            "m³": "m³", "位": "decimal places", "个工作日": "working days", "个月": "months",
            "天": "days"}


def unit_label(unit: str) -> str:
    """A registry unit in the user's language (issue 18.22)."""
    return i18n.pick(unit, UNITS_EN.get(unit, unit))
