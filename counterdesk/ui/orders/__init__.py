"""The work-order tab of the workstation: the clerk's order screen and, for managers,
the hall's board and the safety tab: inspections due, supply notices. Each is a view
(:mod:`.view`) and a controller (:mod:`.screen`, :mod:`.board`, :mod:`.safety`) whose
service calls run off the GUI thread (:mod:`.calls`, through ``widgets.jobs``)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from .board import OrderBoard
from .models import OrderTableModel, t
from .safety import SafetyTab
from .screen import OrderScreen


class OrdersPanel(QWidget):
    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.tab_title = t("工单", "Work orders")
        self.screen = OrderScreen(bench)
        self.board = OrderBoard(bench) if bench.actor.is_manager else None
        self.safety = SafetyTab(bench) if bench.actor.is_manager else None
        lay = QVBoxLayout(self)
        if self.board is None:
            lay.addWidget(self.screen)
        else:
            tabs = QTabWidget()
            tabs.addTab(self.screen, t("我的工单", "My orders"))
            tabs.addTab(self.board, t("工单看板", "Board"))
            tabs.addTab(self.safety, t("安检与停气", "Inspections and stops"))
            self.screen.changed.connect(self.board.refresh)
            lay.addWidget(tabs)

    @property
    def busy(self) -> bool:
        """A call of one of its screens is still running (tests wait on this)."""
        parts = (self.screen, self.board, self.safety)
        return any(p.jobs.busy for p in parts if p is not None) or \
            self.screen.flag_jobs.busy or (self.board is not None and self.board.exports.busy)

    def shutdown(self) -> None:
        for part in (self.screen, self.board, self.safety):
            if part is not None:
                part.shutdown()


def create(bench, parent=None) -> OrdersPanel:
    return OrdersPanel(bench, parent)


__all__ = ["OrderBoard", "OrderScreen", "OrderTableModel", "OrdersPanel", "SafetyTab", "create"]
