"""The clerk's order screen: record an order (Return in the description, or
Ctrl+Shift+Return), see what the account carries (安检逾期, supply stops, notices), act
on the selected order from the keyboard (Ctrl+Shift+ D dispatch, A arrive, E result,
L close, F follow-up, P slip; F5 refresh). Plain Ctrl+ letters belong to other tabs'
window-wide actions. Every decision is :mod:`counterdesk.orders`'s; this module shows and asks.

:class:`~.view.OrderScreenView` holds the widgets; :class:`OrderScreen` calls the services
off the GUI thread (:mod:`..widgets.jobs`, the functions of :mod:`.calls`): the list, the
account's flags, recording an order, each step and the slip. While a change runs the
record and step buttons (and their keys) are off and the screen says it is working; a
change returns the order and the list after it from the same job."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from ... import clock, orders
from ..widgets.fieldmessages import FieldMessages
from ..widgets.jobs import Job, Jobs, message
from . import calls
from .models import OrderTableModel, t
from .view import KINDS, RESULTS, OrderScreenView

__all__ = ["KINDS", "RESULTS", "OrderScreen", "OrderScreenView"]

DONE = {"dispatch": ("已派工", "dispatched"), "arrive": ("已登记到场", "on site"),
        "result": ("已反馈结果", "result recorded"), "close": ("已关闭", "closed"),
        "followup": ("已回访", "followed up")}


class OrderScreen(OrderScreenView, FieldMessages):
    """Controller: service calls (as background jobs) and what to show."""

    changed = Signal()

    def __init__(self, bench, parent=None):
        super().__init__(parent)
        self.bench = bench
        self.model = OrderTableModel(self)
        self.table.setModel(self.model)
        self.fields = {"kind": self.kind, "account_no": self.account, "address": self.address,
                       "phone": self.phone, "contact_name": self.name,
                       "description": self.description, "inspection_ref": self.inspection_ref,
                       "to": self.to, "note": self.note, "staff": self.table}
        self.jobs = Jobs(self)              # the list and every change
        self.jobs.busy_changed.connect(self._busy)
        self.flag_jobs = Jobs(self.flags)   # the account's flags, as the clerk moves on
        self._list_no = self._flags_no = 0  # a newer answer overtakes an older one
        self.record.clicked.connect(self.record_order)
        self.account.editingFinished.connect(self.show_flags)
        for key, letter in (("dispatch", "D"), ("arrive", "A"), ("result", "E"), ("close", "L"),
                            ("followup", "F"), ("slip", "P")):
            seq = f"Ctrl+Shift+{letter}"
            handler = getattr(self, f"do_{key}")
            self.buttons[key].clicked.connect(handler)
            QShortcut(QKeySequence(seq), self, handler, context=Qt.WidgetWithChildrenShortcut)
        self.description.returnPressed.connect(self.record_order)
        self.inspection_ref.returnPressed.connect(self.record_order)
        for seq in ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"):
            QShortcut(QKeySequence(seq), self, self.record_order,
                      context=Qt.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("F5"), self, self.refresh, context=Qt.WidgetWithChildrenShortcut)
        bench.account_selected.connect(self._account_selected)
        self.last: orders.OrderView | None = None
        self.refresh()

    # -- state ------------------------------------------------------------------------------
    def _busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        for w in self.action_controls():
            w.setEnabled(not busy)

    def _refused(self, exc: BaseException) -> None:
        self.show_refusal(exc)

    def refresh(self) -> Job:
        """The clerk's orders, read off the GUI thread."""
        self._list_no += 1
        no = self._list_no
        return self.jobs.run(calls.my_orders, self.bench.db, self.bench.actor,
                             on_done=lambda rows: self._listed(no, rows),
                             on_error=self._refused)

    def _listed(self, no: int, rows: list[dict], select: str | None = None) -> None:
        if no != self._list_no:     # overtaken by a newer read
            return
        keep = select or (self.selected() or {}).get("number")
        self.model.set_rows(rows)
        if keep:
            self._select(keep)

    def _account_selected(self, account_no: str) -> None:
        self.account.setText(account_no)
        self.show_flags()

    def show_flags(self) -> Job | None:
        self._flags_no += 1
        no, account_no = self._flags_no, self.account.text().strip()
        if not account_no:
            self.flags.clear()
            return None
        return self.flag_jobs.run(orders.account_flags, self.bench.db, self.bench.actor,
                                  account_no, on_done=lambda r: self._flagged(no, r["flags"]),
                                  on_error=lambda e: self._flagged(no, [message(e)]))

    def _flagged(self, no: int, flags: list[str]) -> None:
        if no == self._flags_no:    # still the account on the form
            self.flags.setText("\n".join(flags))

    def _select(self, number: str) -> None:
        for row, d in enumerate(self.model.rows):
            if d["number"] == number:
                self.table.selectRow(row)
                return

    def selected(self) -> dict | None:
        idx = self.table.currentIndex()
        return self.model.item(idx.row()) if idx.isValid() else None

    # -- changes ----------------------------------------------------------------------------
    def _change(self, fn, *args, on_done) -> Job | None:
        """A change off the GUI thread: one at a time (a second press while one runs does
        nothing); ``fn`` returns the order and the list after it."""
        if self.jobs.busy:
            return None
        self._list_no += 1
        no = self._list_no

        def done(outcome) -> None:
            v, rows = outcome
            self.last = v
            on_done(v)
            self._listed(no, rows, select=v.number)
            self.changed.emit()
        return self.jobs.run(fn, self.bench.db, self.bench.actor, *args, on_done=done,
                             on_error=self._refused)

    def record_order(self) -> Job | None:
        form = dict(kind=self.kind.currentData(), account_no=self.account.text(),
                    address=self.address.text(), contact_phone=self.phone.text(),
                    contact_name=self.name.text(), description=self.description.text(),
                    channel=self.channel.currentData(),
                    inspection_ref=self.inspection_ref.text())
        return self._change(calls.record, form, on_done=self._recorded)

    def _recorded(self, v: orders.OrderView) -> None:
        if v.emergency_phone:
            self.emergency.setText(t(f"报警！立即派工。24 小时抢修电话：{v.emergency_phone}",
                                     f"Leak! Dispatch now. 24-h emergency: {v.emergency_phone}"))
            self.emergency.show()
        else:
            self.emergency.hide()
        due = clock.minute(v.next_due_at)
        self.show_done(t(f"已登记 {v.kind_label}工单 {v.number}" + (f"，期限 {due}" if due else ""),
                         f"Recorded {v.number}" + (f", due {due}" if due else "")))
        for w in (self.address, self.phone, self.name, self.description, self.inspection_ref):
            w.clear()

    def _selected_or_say(self) -> dict | None:
        d = self.selected()
        if d is None:
            self.message.setStyleSheet("color: #c0392b;")
            self.message.setText(t("请先在列表中选择一张工单", "Select an order first"))
        return d

    def _step(self, action: str) -> Job | None:
        d = self._selected_or_say()
        if d is None:
            return None
        form = {"to": self.to.text(), "note": self.note.text(),
                "result": self.result.currentData(), "verdict": self.verdict.currentData()}
        zh, en = DONE[action]

        def stepped(v) -> None:
            self.note.clear()
            self.show_done(t(f"{v.number} {zh}", f"{v.number} {en}"))
        return self._change(calls.step, action, d["number"], form, on_done=stepped)

    def do_dispatch(self) -> Job | None:
        return self._step("dispatch")

    def do_arrive(self) -> Job | None:
        return self._step("arrive")

    def do_result(self) -> Job | None:
        return self._step("result")

    def do_close(self) -> Job | None:
        return self._step("close")

    def do_followup(self) -> Job | None:
        return self._step("followup")

    def do_slip(self) -> Job | None:
        d = self.selected()
        if d is None or self.jobs.busy:
            return None
        bench = self.bench
        return self.jobs.run(calls.print_slip, bench.db, bench.actor, bench.settings,
                             d["number"], on_error=self._refused,
                             on_done=lambda v: self.show_done(
                                 t(f"{v.number} 凭条已打印", f"{v.number} slip printed")))

    def shutdown(self) -> None:
        self.jobs.wait(5)
        self.flag_jobs.wait(5)
