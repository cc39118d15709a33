"""The payment tab's data: the item lines, the account's open bills, the price list."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from ... import billing, clock, money
from ..widgets.tablemodel import RowsModel

CATALOGUE_TTL = 300.0   # seconds: the item completer's price list is re-read after this


class LinesModel(RowsModel):
    """The items being sold: ``entries`` (code, qty) and the service's quote lines
    (``rows``, also called ``lines``: what the table shows, items first)."""

    COLUMNS = ("name", "qty", "unit_price", "amount")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[dict] = []       # {"code", "qty"}

    @property
    def lines(self) -> list[dict]:
        return self.rows

    def headers(self) -> list[str]:
        return [self.tr("Item"), self.tr("Quantity"), self.tr("Unit price"), self.tr("Amount")]

    def add(self, code: str, qty: str) -> None:
        for e in self.entries:
            if e["code"] == code:
                e["qty"] = money.fmt_qty(money.parse_qty(e["qty"]) + money.parse_qty(qty))
                return
        self.entries.append({"code": code, "qty": qty})

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            del self.entries[row]

    def clear(self) -> None:
        self.entries = []
        self.set_lines([])

    def set_lines(self, lines: list[dict]) -> None:
        rows = [ln for ln in lines if ln.get("code") != billing.BILL_CODE]
        if rows or self.rows:   # empty to empty (a fresh screen): no reset, no relayout
            self.set_rows(rows)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        ln = self.lines[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if col == "name":
                return ln["name"]
            if col == "qty":
                return f"{ln['qty']} {ln.get('unit', '')}"
            if col == "unit_price":
                return money.fmt(ln["unit_price_fen"])
            return money.fmt(ln["amount_fen"])
        if role == Qt.TextAlignmentRole and col != "name":
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole and ln.get("tiers"):
            return "\n".join(self.tr("Tier %1: %2 × %3 = %4")
                             .replace("%1", str(t["tier"])).replace("%2", t["qty"])
                             .replace("%3", money.fmt(t["unit_price_fen"]))
                             .replace("%4", money.fmt(t["amount_fen"])) for t in ln["tiers"])
        return None


class BillsModel(RowsModel):
    """The account's open bills (``rows``, also called ``bills``); the first column is
    ticked to pay the bill."""

    COLUMNS = ("period", "volume", "open", "due")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.checked: set[str] = set()

    @property
    def bills(self) -> list[dict]:
        return self.rows

    def headers(self) -> list[str]:
        return [self.tr("Bill period"), self.tr("Volume"), self.tr("Open amount"),
                self.tr("Due date")]

    def set_bills(self, bills: list[dict], *, tick_all: bool = False) -> None:
        """Show ``bills``; ``tick_all``: every one ticked (a newly loaded account — paying
        the open bills is the common case), else the ticks of the same periods are kept."""
        bills = list(bills)
        keep = {b["period"] for b in bills} if tick_all else self.checked
        self.checked = {b["period"] for b in bills if b["period"] in keep}
        if bills or self.rows:
            self.set_rows(bills)

    def selected_periods(self) -> list[str]:
        return [b["period"] for b in self.bills if b["period"] in self.checked]

    def toggle(self, row: int) -> None:
        if 0 <= row < len(self.bills):
            idx = self.index(row, 0)
            self.setData(idx, Qt.Unchecked if self.bills[row]["period"] in self.checked
                         else Qt.Checked, Qt.CheckStateRole)

    def flags(self, index):
        f = super().flags(index)
        if index.isValid() and index.column() == 0:
            f |= Qt.ItemIsUserCheckable
        return f

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        b = self.bills[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.CheckStateRole and col == "period":
            return Qt.Checked if b["period"] in self.checked else Qt.Unchecked
        if role == Qt.DisplayRole:
            return {"period": b["period"], "volume": b["volume"],
                    "open": money.fmt(b["open_fen"]), "due": b["due_date"]}[col]
        if role == Qt.TextAlignmentRole and col in ("volume", "open"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index, value, role=Qt.EditRole):  # noqa: N802 - Qt name
        if not index.isValid() or role != Qt.CheckStateRole:
            return False
        period = self.bills[index.row()]["period"]
        checked = value in (Qt.Checked, Qt.CheckState.Checked, 2)
        if checked:
            self.checked.add(period)
        else:
            self.checked.discard(period)
        self.dataChanged.emit(index, index, [Qt.CheckStateRole])
        return True


class Catalogue:
    """The price list behind the item completer: read once, and again only when it may
    have changed (a new day, or older than ``CATALOGUE_TTL`` seconds)."""

    def __init__(self):
        self.codes: dict[str, str] = {}   # completer label or code -> item code
        self.day = None
        self.loaded_at = 0.0              # time.monotonic()

    def load(self, items) -> list[str]:
        """Take the service's price list; returns the completer's labels."""
        self.codes, words = {}, []
        for it in items:
            label = f"{it.code} {it.name} {it.price_text}/{it.unit}"
            self.codes[label] = self.codes[it.code] = it.code
            words.append(label)
        self.day, self.loaded_at = clock.today(), time.monotonic()
        return words

    def stale(self) -> bool:
        return self.day != clock.today() or time.monotonic() - self.loaded_at > CATALOGUE_TTL

    def code_for(self, text: str) -> str:
        return self.codes.get(text, text.split(" ")[0].upper())
