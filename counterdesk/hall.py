"""The hall a receipt or report is headed with: one look-up for every capability."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import Hall


def get(s: Session, hall: int | str) -> Hall:
    """The hall by id or by code; ``NotFound`` naming the hall otherwise."""
    if isinstance(hall, int):
        h = s.get(Hall, hall)
    else:
        h = s.execute(select(Hall).where(Hall.code == hall)).scalar()
    if h is None:
        raise NotFound(f"营业厅 {hall} 不存在", f"Hall {hall} not found", field="hall")
    return h


def header(s: Session, hall: int | str, *, address: bool = False) -> dict:
    """What a report prints at its top: hall code and name, company (and address)."""
    h = get(s, hall)
    out = {"code": h.code, "name": h.name, "company": h.company_name}
    if address:
        out["address"] = h.address
    return out
