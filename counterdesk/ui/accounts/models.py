"""The accounts tab's table: the search hits (already masked by the service)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ... import accounts
from ..widgets.tablemodel import RowsModel


class SearchResultsModel(RowsModel):
    """One row per hit: account, name, masked ID and phone, address, meter, status."""

    COLUMNS = ("account_no", "name", "id_masked", "phone_masked", "address", "meter_no",
               "status")

    def headers(self) -> list[str]:
        return [self.tr("Account"), self.tr("Name"), self.tr("ID"), self.tr("Phone"),
                self.tr("Address"), self.tr("Meter"), self.tr("Status")]

    @property
    def hits(self) -> list:
        return self.rows

    def set_hits(self, hits: list) -> None:
        self.set_rows(hits)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        hit = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "status":
                return hit.to_dict()["status_name"]
            return getattr(hit, col)
        if role == Qt.ToolTipRole and col == "name" and hit.special_groups:
            return accounts.service_hint(hit.special_groups)
        if role == Qt.UserRole:
            return hit.account_no
        return None

    def account_no(self, row: int) -> str | None:
        return self.rows[row].account_no if 0 <= row < len(self.rows) else None
