"""Per-PC display settings: language, font scale, high-contrast theme.

Saved in this PC's settings file; the font scale and the theme apply at once
(through :func:`counterdesk.ui.shell.app.apply_theme`), the language at the next sign-in.
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
    QLabel,
    QVBoxLayout,
)

from ... import i18n
from ...errors import CounterDeskError, SettingsError

FONT_SCALE_MIN, FONT_SCALE_MAX, FONT_SCALE_STEP = 0.5, 3.0, 0.1


class SettingsDialogView(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Display settings of this PC"))
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
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel(self.tr("A new language takes effect at the next sign-in.")))
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
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> bool:
        ui = self.settings.ui
        old = (ui.language, ui.font_scale, ui.high_contrast)
        ui.language = self.language.currentData()
        ui.font_scale = round(self.font_scale.value(), 1)
        ui.high_contrast = self.high_contrast.isChecked()
        try:
            self.settings.save()
        except (OSError, SettingsError) as exc:
            ui.language, ui.font_scale, ui.high_contrast = old
            text = exc.message if isinstance(exc, CounterDeskError) else str(exc.strerror or exc)
            self.message.setText(self.tr("The settings could not be saved: %1").replace("%1", text))
            return False
        apply_display(self.settings)
        self.accept()
        return True


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
