"""The service-quality report on paper (PDF, CJK font embedded) and as CSV.

Input is the dict of :func:`counterdesk.quality.report`: customer names and phones
are already masked there; nothing here unmasks them.
"""

from __future__ import annotations

from pathlib import Path

from .. import clock
from . import tabular_report
from .tabular_report import TabularReport
from .tabular_report import pct as _pct

RATING_COLS = ("very_satisfied", "satisfied", "basic", "unsatisfied", "none")
RATING_HEAD = ["非常满意", "满意", "基本满意", "不满意", "未评价", "评价数", "满意率", "平均分"]


def _num(v) -> str:
    return "—" if v is None else f"{v:.2f}"


def _sat_rows(rows: list[dict], first: str) -> list[list[str]]:
    out = [[first, "名称", *RATING_HEAD]]
    for r in rows:
        out.append([r["key"], r["name"], *[str(r[c]) for c in RATING_COLS], str(r["rated"]),
                    _pct(r["satisfaction_rate"]), _num(r["average_score"])])
    return out


def _item_rows(items: list[dict]) -> list[list[str]]:
    out = [["编号", "类型", "类别", "客户", "电话", "负责人", "登记时间", "答复期限", "状态"]]
    for d in items:
        out.append([d["number"], d["kind_label"], d["category"], d["contact_name"],
                    d["contact_phone"], f"{d['owner_staff_no']} {d['owner_name']}",
                    clock.minute(d["created_at"]), clock.minute(d["due_at"]),
                    d["status_label"]])
    return out


def sections(rep: dict) -> list[tuple[str, list[list[str]]]]:
    """The report as titled tables (shared by PDF and CSV)."""
    sat = rep["satisfaction"]
    c = rep["complaints"]
    total = sat["total"]
    summary = [["项目", "数值"],
               ["评价邀请数", str(total["asked"])], ["有效评价数", str(total["rated"])],
               ["未评价（超时）", str(total["none"])],
               ["满意率（非常满意+满意+基本满意）/有效评价", _pct(total["satisfaction_rate"])],
               ["平均分（4 分制）", _num(total["average_score"])],
               ["投诉/咨询/求助登记数", str(c["total"])],
               ["按时答复数 / 已到期或已答复数", f"{c['on_time']} / {c['decided']}"],
               ["按时答复率", _pct(c["on_time_rate"])],
               ["当前超期未答复", str(len(rep["overdue"]))]]
    cats = [["类别", "合计", "投诉", "咨询", "求助", "已关闭", "未关闭", "超期"]]
    for d in c["by_category"]:
        cats.append([d["category"], str(d["total"]), str(d["complaint"]), str(d["enquiry"]),
                     str(d["help"]), str(d["closed"]), str(d["open"]), str(d["overdue"])])
    return [("汇总", summary),
            ("满意度·按柜员", _sat_rows(sat["by_clerk"], "工号")),
            ("满意度·按窗口", _sat_rows(sat["by_window"], "窗口")),
            ("满意度·按业务", _sat_rows(sat["by_service"], "业务")),
            ("投诉·按类别", cats),
            ("超期未答复清单", _item_rows(rep["overdue"])),
            ("本期登记明细", _item_rows(c["items"]))]


def title(rep: dict) -> str:
    return f"{rep['hall']} 服务质量报表 {rep['from']} 至 {rep['to']}"


def tabular(rep: dict) -> TabularReport:
    return TabularReport(title(rep), rep.get("company", ""),
                         rep["generated_at"].replace("T", " "), rep["generated_by"],
                         sections(rep), ("营业厅主任", "质检"))


def write_csv(rep: dict, path: str | Path) -> Path:
    return tabular_report.write_csv(tabular(rep), path)


def write_pdf(rep: dict, path: str | Path) -> Path:
    return tabular_report.write_pdf(tabular(rep), path)


__all__ = ["sections", "tabular", "title", "write_csv", "write_pdf"]
