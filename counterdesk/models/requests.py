"""Request keys: the client's name for one request that moves money (a payment, a
reversal, a till movement), so that a retry after a lost reply never moves it twice.

The key is a UUID made by the client when the request is filled in; it is written in
the same transaction as what it names, and unique in the database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, now


class RequestKey(Base):
    __tablename__ = "request_keys"
    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)   # payment | movement
    ref_id: Mapped[int] = mapped_column(BigId, nullable=False)      # payments.id / … of kind
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=now)
