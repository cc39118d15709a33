"""Driving the screens' forms in tests: an approval form's OK, and a service held on its
worker thread to see what the screen does meanwhile."""

from __future__ import annotations

import threading


def approve(form, staff_no: str, password: str) -> None:
    """Type the manager's staff number and password into an approval form, press OK."""
    form.auth.approver.setText(staff_no)
    form.auth.password.setText(password)
    form.buttons.accepted.emit()


def hold(monkeypatch, module, name: str) -> tuple[threading.Event, list[bool]]:
    """Replace ``module.name`` by a call that notes whether it runs on the GUI (main)
    thread, then waits for the returned event before doing the real call."""
    gate, on_gui = threading.Event(), []
    real = getattr(module, name)

    def held(*args, **kwargs):
        on_gui.append(threading.current_thread() is threading.main_thread())
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, held)
    return gate, on_gui
