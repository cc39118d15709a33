"""The payment tab's helpers for the keyboard flow (issue 18.8/18.10): F9's focus, an
account number typed into the item field, and which refusals are a rule's (the prompt
panel's refusal script) rather than an input mistake."""

from __future__ import annotations

from ...errors import CounterDeskError, NotFound, ValidationError


def may_be_account(panel, text: str) -> bool:
    """Issue 18.8: an account number typed into the item field (not an item code) is
    taken as the account when no account is loaded yet (if the service knows it)."""
    return text.isdigit() and not panel._loaded_account and \
        text.upper() not in panel.catalogue.codes


def focus_f9(panel) -> None:
    """F9: this tab; with the account opened in the account tab since (or, on an
    empty screen, the workbench's current account) loaded, its bills ticked and
    the focus on the tendered amount."""
    account = panel._pending_account
    if not account and not panel._loaded_account and not panel.lines_model.entries:
        account = panel.bench.current_account
    panel._pending_account = None
    if account and account != panel._loaded_account:
        if panel.lines_model.entries:   # items already entered: keep them
            panel._show_me()
            panel.account.setText(account)
            panel.load_account(focus_next=True)
        else:
            panel.open_for(account)
        return
    panel._show_me()
    if panel.bills_model.selected_periods():
        panel._focus_next()
    elif not panel._loaded_account and not panel.lines_model.entries:
        panel.account.setFocus()   # issue 18.8: an empty tab asks for the account first
    else:
        panel.item.setFocus()


def is_rule(exc: Exception) -> bool:
    """A business rule said no (arrears, retired item…): the prompt panel offers the
    refusal script. A typo or a short tender is an input mistake, not a refusal."""
    return isinstance(exc, CounterDeskError) and not isinstance(exc, (ValidationError, NotFound))
