"""Settings of this PC: language, font scale, high-contrast theme, the IC card reader.

Saved in this PC's settings file; the font scale and the theme apply at once
(through :func:`counterdesk.ui.shell.app.apply_theme`), the language at the next sign-in,
the card reader at the next card operation. The PC/SC readers present are listed and the
reader is tested off the GUI thread (``widgets.jobs``): a PC/SC call can take a second.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ... import i18n
from ... import settings as settings_mod
from ...cards import drivers
from ...errors import CounterDeskError, SettingsError
from ..widgets.jobs import Jobs, message

FONT_SCALE_MIN, FONT_SCALE_MAX, FONT_SCALE_STEP = 0.5, 3.0, 0.1


class SettingsDialogView(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings of this PC"))
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.font_scale = QDoubleSpinBox()
        self.font_scale.setObjectName("font_scale")
        self.font_scale.setRange(FONT_SCALE_MIN, FONT_SCALE_MAX)
        self.font_scale.setSingleStep(FONT_SCALE_STEP)
        self.font_scale.setDecimals(1)
        self.font_scale.setSuffix(" ×")
        self.high_contrast = QCheckBox(self.tr("High contrast (light text on black)"))
        self.high_contrast.setObjectName("high_contrast")
        self.card_reader = QLineEdit()
        self.card_reader.setObjectName("card_reader")
        self.card_reader.setPlaceholderText(self.tr("sim:FOLDER or pcsc:READER NAME"))
        self.pcsc_readers = QComboBox()
        self.pcsc_readers.setObjectName("pcsc_readers")
        self.find_readers = QPushButton(self.tr("Find readers"))
        self.find_readers.setObjectName("find_readers")
        self.test_reader = QPushButton(self.tr("Test the reader"))
        self.test_reader.setObjectName("test_reader")
        self.reader_result = QLabel()
        self.reader_result.setObjectName("reader_result")
        self.reader_result.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Font size"), self.font_scale)
        form.addRow("", self.high_contrast)
        card = QGroupBox(self.tr("IC card reader"))
        card_form = QFormLayout(card)
        card_form.addRow(self.tr("Reader"), self.card_reader)
        found = QHBoxLayout()
        found.addWidget(self.pcsc_readers, 1)
        found.addWidget(self.find_readers)
        card_form.addRow(self.tr("PC/SC readers"), found)
        card_form.addRow(self.test_reader, self.reader_result)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("A new language takes effect at the next sign-in.")))
        lay.addWidget(card)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)


class SettingsDialog(SettingsDialogView):
    def __init__(self, settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.language.setCurrentIndex(max(0, self.language.findData(
            i18n.normalise(settings.ui.language))))
        self.font_scale.setValue(settings.ui.font_scale)
        self.high_contrast.setChecked(settings.ui.high_contrast)
        self.card_reader.setText(settings.card.reader)
        self.jobs = Jobs(self, busy=[self.find_readers, self.test_reader])
        self._listed_once = False
        self.find_readers.clicked.connect(self.list_readers)
        self.pcsc_readers.activated.connect(self._choose_reader)
        self.test_reader.clicked.connect(self.try_reader)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if not self._listed_once:        # the PC/SC readers, once the dialog is on screen
            self._listed_once = True
            self.list_readers()

    # -- the card reader ----------------------------------------------------------------------
    def list_readers(self):
        self.pcsc_readers.clear()
        self.pcsc_readers.addItem(self.tr("Looking for PC/SC readers…"), "")
        self._reader_said("", ok=True)
        return self.jobs.run(drivers.pcsc_readers, on_done=self._listed,
                             on_error=self._not_listed)

    def _listed(self, names: list[str]) -> None:
        self.pcsc_readers.clear()
        if not names:
            self.pcsc_readers.addItem(self.tr("No PC/SC reader found"), "")
            return
        self.pcsc_readers.addItem(self.tr("Choose a PC/SC reader (%1 found)")
                                  .replace("%1", str(len(names))), "")
        for name in names:
            self.pcsc_readers.addItem(name, name)

    def _not_listed(self, exc: BaseException) -> None:
        self._listed([])                  # the list says none; the line below says why
        self._reader_said(message(exc), ok=False)

    def _choose_reader(self, index: int) -> None:
        name = self.pcsc_readers.itemData(index)
        if name:
            self.card_reader.setText(f"pcsc:{name}")

    def reader_uri(self) -> str:
        """The typed reader URI, checked as the settings file is ('' = none)."""
        uri = self.card_reader.text().strip()
        settings_mod.check("card.reader", uri)
        if uri:
            drivers.parse_uri(uri)
        return uri

    def try_reader(self):
        """Read the card in the reader, through the driver only (nothing is written)."""
        try:
            uri = self.reader_uri()
        except CounterDeskError as exc:
            self._reader_said(exc.message, ok=False)
            return None
        if not uri:
            self._reader_said(self.tr("No card reader set"), ok=False)
            return None
        self._reader_said(self.tr("Testing the reader…"), ok=True)
        return self.jobs.run(probe_reader, uri, on_done=self._tested,
                             on_error=lambda e: self._reader_said(message(e), ok=False))

    def _tested(self, card_no: str | None) -> None:
        if card_no is None:
            text = self.tr("The reader answers; there is no card in it.")
        elif card_no == "":
            text = self.tr("The reader answers: a blank card is in it.")
        else:
            text = self.tr("The reader answers: card %1 is in it.").replace("%1", card_no)
        self._reader_said(text, ok=True)

    def _reader_said(self, text: str, *, ok: bool) -> None:
        self.reader_result.setStyleSheet("" if ok else "color: #c0392b;")
        self.reader_result.setText(text)

    # -- save ---------------------------------------------------------------------------------
    def save(self) -> bool:
        try:
            reader = self.reader_uri()
        except CounterDeskError as exc:
            self.message.setText(exc.message)
            self.card_reader.setFocus()
            return False
        ui, card = self.settings.ui, self.settings.card
        old = (ui.language, ui.font_scale, ui.high_contrast, card.reader)
        ui.language = self.language.currentData()
        ui.font_scale = round(self.font_scale.value(), 1)
        ui.high_contrast = self.high_contrast.isChecked()
        card.reader = reader
        try:
            self.settings.save()
        except (OSError, SettingsError) as exc:
            ui.language, ui.font_scale, ui.high_contrast, card.reader = old
            text = exc.message if isinstance(exc, CounterDeskError) else str(exc.strerror or exc)
            self.message.setText(self.tr("The settings could not be saved: %1").replace("%1", text))
            return False
        apply_display(self.settings)
        self.accept()
        return True


def probe_reader(uri: str) -> str | None:
    """(worker thread) The card number in the reader: '' for a blank card, None for no
    card; a reader fault raises its :class:`CardError`."""
    reader = drivers.open_reader(uri)
    try:
        return reader.read().card_no
    except drivers.NoCard:
        return None
    finally:
        reader.close()


def apply_display(settings) -> None:
    """Apply the font scale and the theme of ``settings`` to the running application."""
    from .app import apply_theme

    app = QApplication.instance()
    if app is not None:
        apply_theme(app, font_scale=settings.ui.font_scale,
                    high_contrast=settings.ui.high_contrast)


def step_font(settings, delta: float) -> float:
    """Make the font bigger or smaller by ``delta`` (kept in range), apply and save."""
    value = round(min(FONT_SCALE_MAX, max(FONT_SCALE_MIN, settings.ui.font_scale + delta)), 1)
    settings.ui.font_scale = value
    apply_display(settings)
    try:
        settings.save()
    except OSError:
        pass  # the change still applies to this session
    return value


def toggle_contrast(settings, on: bool) -> None:
    settings.ui.high_contrast = bool(on)
    apply_display(settings)
    try:
        settings.save()
    except OSError:
        pass
