"""The work-order report on paper (PDF, CJK font embedded) and as CSV.

Input is the dict of :func:`counterdesk.orders.report`: customer names and phones are
masked there already.
"""

from __future__ import annotations

from pathlib import Path

from .. import clock
from . import tabular_report
from .tabular_report import TabularReport
from .tabular_report import pct as _pct


def _orders(items: list[dict]) -> list[list[str]]:
    out = [["工单号", "类型", "户号", "客户", "电话", "维修员", "受理时间", "当前期限", "状态"]]
    for d in items:
        out.append([d["number"], d["kind_label"], d["account_no"], d["contact_name"],
                    d["contact_phone"], d["assignee"] or d["team"], clock.minute(d["created_at"]),
                    clock.minute(d["next_due_at"]), d["state_label"]])
    return out


def sections(rep: dict) -> list[tuple[str, list[list[str]]]]:
    kinds = [["类型", "合计", "完成", "未完", "到场按时率", "到场(按时/已定)", "修复按时率",
              "回访按时率", "回访满意", "回访不满意"]]
    for d in rep["by_kind"]:
        kinds.append([d["kind_label"], str(d["total"]), str(d["done"]), str(d["open"]),
                      _pct(d["onsite_rate"]), f"{d['onsite_on_time']}/{d['onsite_decided']}",
                      _pct(d["result_rate"]), _pct(d["followup_rate"]), str(d["satisfied"]),
                      str(d["unsatisfied"])])
    summary = [["项目", "数值"], ["本期受理工单", str(rep["total"])],
               ["当前未办结", str(len(rep["open"]))], ["当前超期", str(len(rep["overdue"]))],
               ["回访满意", str(rep["followups"]["satisfied"])],
               ["回访不满意（已重新处理）", str(rep["followups"]["unsatisfied"])]]
    return [("汇总", summary), ("按类型：按时率与回访", kinds),
            ("超期工单", _orders(rep["overdue"])), ("未办结工单", _orders(rep["open"])),
            ("本期受理明细", _orders(rep["items"]))]


def title(rep: dict) -> str:
    return f"{rep['hall']} 服务工单报表 {rep['from']} 至 {rep['to']}"


def tabular(rep: dict) -> TabularReport:
    return TabularReport(title(rep), rep.get("company", ""), clock.minute(rep["generated_at"]),
                         rep["generated_by"], sections(rep), ("营业厅主任", "调度"))


def write_csv(rep: dict, path: str | Path) -> Path:
    return tabular_report.write_csv(tabular(rep), path)


def write_pdf(rep: dict, path: str | Path) -> Path:
    return tabular_report.write_pdf(tabular(rep), path)


__all__ = ["sections", "tabular", "title", "write_csv", "write_pdf"]
