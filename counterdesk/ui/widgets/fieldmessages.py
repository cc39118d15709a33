"""The line under a form's fields that says what went wrong (red, the field at fault
focused) or what was done (green); shared by the manager's editing dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSizePolicy

from ...errors import CounterDeskError
from .jobs import message


def message_label() -> QLabel:
    """The (empty) line itself, to put under the fields as ``self.message``."""
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    # never squeezed below its text (a warning on a second line was cut off where a table
    # below could give the room)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class FieldMessages:
    """Mixin: the dialog has ``self.message`` (a QLabel) and ``self.fields``
    (``{error field name: widget}``)."""

    def show_error(self, exc: CounterDeskError) -> None:
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setText(exc.message)
        self.message.show()
        target = self.fields.get(exc.field or "")
        if target is not None:
            target.setFocus()

    def show_refusal(self, exc: BaseException) -> None:
        """A background job's error: a service's refusal by its field, anything else as
        ``jobs.message`` words it (and logs it as a bug)."""
        if isinstance(exc, CounterDeskError):
            self.show_error(exc)
        else:
            self.message.setStyleSheet("color: #c0392b;")
            self.message.setText(message(exc))
            self.message.show()

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText(text)
        self.message.show()
