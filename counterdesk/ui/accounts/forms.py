"""Account forms' controllers: opening (开户), transfer (过户), rename (更名), close (销户).

Each controller validates as the clerk types (per-field messages from
``accounts.form_errors``, no database), calls the service off the GUI thread through
``widgets.jobs`` (Save is disabled meanwhile) and shows its refusals next to the field
they name. The widgets are in :mod:`.formviews` (re-exported here).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ... import accounts
from ...errors import Conflict, CounterDeskError
from ..widgets.jobs import Jobs, message
from .formviews import (
    CloseFormView,
    OpeningFormView,
    RenameFormView,
    TransferFormView,
    _FormView,
)


class _Controller(QObject):
    """Shared: service errors go next to their field; arrears offer payment."""

    saved = Signal(object)

    def __init__(self, bench, view: _FormView):
        super().__init__(view)
        self.bench = bench
        self.view = view
        self.result = None
        self.arrears: dict | None = None
        self.jobs = Jobs(view, busy=[view.save_button])
        view.save_button.clicked.connect(self.save)

    def refuse(self, exc: BaseException) -> None:
        if not isinstance(exc, CounterDeskError):
            self.view.show_message(message(exc), error=True)
            return
        field = exc.field
        if field and field.startswith("new_") and field not in self.view.errors:
            field = field[4:]
        if field in self.view.errors:
            self.view.set_error(field, exc.message)
            w = self.view.edits.get(field)
            if w is not None:
                w.setFocus()
        else:
            self.view.show_message(exc.message, error=True)
        if isinstance(exc, Conflict) and "arrears_fen" in exc.data:
            self.arrears = dict(exc.data)
            self.bench.rule_refused.emit("arrears", exc.message)
            self.offer_payment(exc.message)

    def offer_payment(self, message: str) -> None:
        self.view.show_message(message, error=True)
        self.view.pay_button.show()
        self.view.pay_button.setFocus()

    def go_to_payment(self) -> None:
        if self.arrears:
            self.bench.open_payment.emit(self.arrears["account_no"])
            self.view.reject()

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _submit(self, fn, *args, **kwargs):
        """Run the service ``fn(db, actor, *args, **kwargs)`` off the GUI thread (the
        form's values already read); a refusal goes next to its field, success closes."""
        self.view.clear_errors()
        if self.jobs.busy:   # Ctrl+Return pressed again while saving
            return None
        return self.jobs.run(fn, self.bench.db, self.bench.actor, *args, **kwargs,
                             on_done=self._saved, on_error=self.refuse)

    def _saved(self, view) -> None:
        self.result = view
        self.saved.emit(view)
        self.bench.account_selected.emit(view.account_no)
        self.view.accept()


# -- opening ----------------------------------------------------------------------------------
class OpeningController(_Controller):
    def __init__(self, bench, view: OpeningFormView):
        super().__init__(bench, view)
        self.checks = Jobs(view)   # the pre-check: what the form shows before saving
        for f in view.TEXT_FIELDS:
            view.edits[f].textChanged.connect(lambda _t, f=f: self.check_field(f))
        view.edits["id_number"].editingFinished.connect(self.precheck)
        view.edits["meter_no"].editingFinished.connect(self.precheck)
        view.edits["name"].setFocus()
        # the hall's customer types (hall policy accounts.customer_types) fill the combo
        self.types_job = self.checks.run(accounts.types.load, bench.db, bench.actor.hall_id,
                                         on_done=self._types_loaded)

    def _types_loaded(self, types) -> None:
        self.view.set_choices("customer_type", types.choices())

    def data(self) -> dict:
        v = self.view
        d = {f: v.value(f) for f in v.edits}
        d["special_groups"] = [c for c, cb in v.groups.items() if cb.isChecked()]
        d["documents"] = v.checked_documents()
        return d

    def check_field(self, field: str) -> None:
        """Validate one field as the clerk types (only once something was typed)."""
        data = self.data()
        if not str(data.get(field) or "").strip() and field not in ("name",):
            self.view.set_error(field, "")
            return
        errs = accounts.form_errors(data, [field])
        self.view.set_error(field, errs.get(field, ""))

    def precheck(self):
        return self.checks.run(accounts.precheck_open, self.bench.db, self.bench.actor,
                               self.data(), on_done=self._prechecked,
                               on_error=lambda e: self.view.show_message(message(e),
                                                                         error=True))

    def _prechecked(self, out: dict) -> None:
        if self.result is not None:   # saved meanwhile
            return
        texts = [r["message"] for r in out["refusals"]] + [w["message"] for w in out["warnings"]]
        for r in out["refusals"]:
            self.view.set_error(r["field"], r["message"])
        self.view.show_message("\n".join(texts), error=bool(out["refusals"]))

    def save(self):
        return self._submit(accounts.open_account, self.data())


# -- transfer ------------------------------------------------------------------------------
class TransferController(_Controller):
    def __init__(self, bench, view: TransferFormView):
        super().__init__(bench, view)
        view.pay_button.clicked.connect(self.go_to_payment)
        for f in ("name", "id_number", "phone"):
            view.edits[f].textChanged.connect(lambda _t, f=f: self.check_field(f))
        view.edits["reason"].setFocus()

    def check_field(self, field: str) -> None:
        v = self.view
        if not v.value(field).strip():
            v.set_error(field, "")
            return
        data = {"kind": v.value("kind"), "id_type": v.value("id_type"), field: v.value(field)}
        v.set_error(field, accounts.form_errors(data, [field]).get(field, ""))

    def save(self):
        v = self.view
        v.pay_button.hide()
        new = {"kind": v.value("kind"), "name": v.value("name"), "id_type": v.value("id_type"),
               "id_number": v.value("id_number"), "phone": v.value("phone")}
        return self._submit(accounts.transfer, v.account_no, new, reason=v.value("reason"),
                            documents=v.checked_documents(), note=v.value("note"))


# -- rename and close ------------------------------------------------------------------------
class RenameController(_Controller):
    def __init__(self, bench, view: RenameFormView):
        super().__init__(bench, view)
        view.pay_button.clicked.connect(self.go_to_payment)
        view.edits["new_name"].setFocus()

    def save(self):
        v = self.view
        return self._submit(accounts.rename, v.account_no, v.value("new_name"),
                            documents=v.checked_documents(), phone=v.value("phone") or None,
                            note=v.value("note"))


class CloseController(_Controller):
    def __init__(self, bench, view: CloseFormView):
        super().__init__(bench, view)
        view.pay_button.clicked.connect(self.go_to_payment)
        view.edits["final_reading"].setFocus()

    def save(self):
        v = self.view
        return self._submit(accounts.close, v.account_no,
                            final_reading=v.value("final_reading"),
                            documents=v.checked_documents(), note=v.value("note"))


__all__ = ["OpeningFormView", "OpeningController", "TransferFormView", "TransferController",
           "RenameFormView", "RenameController", "CloseFormView", "CloseController"]
