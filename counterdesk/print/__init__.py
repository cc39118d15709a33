"""Receipts and tickets (ESC/POS) and reports and forms (PDF). No Qt here."""
