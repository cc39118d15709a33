"""Models of the phrases capability: a manager's edits of the prompt panel's phrases.

The default phrases are data in ``resources/phrases/<lang>.toml``; the database keeps
only what a manager changed, per hall and language, so every window of the hall sees
the same text and "restore defaults" is simply deleting the edits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigId, id_column, now

PHRASE_ACTIONS = ("set", "add", "hide")


class PhraseEdit(Base):
    """One changed item: ``set`` replaces a default, ``add`` is a new item, ``hide`` removes one."""

    __tablename__ = "phrase_edits"
    __table_args__ = (UniqueConstraint("hall_id", "lang", "item_id"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    lang: Mapped[str] = mapped_column(String(8), nullable=False)
    item_id: Mapped[str] = mapped_column(String(64), nullable=False)
    section: Mapped[str] = mapped_column(String(32), nullable=False)
    action: Mapped[str] = mapped_column(String(8), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    instead: Mapped[str] = mapped_column(Text, nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    title: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    edited_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    edited_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=now)


class PhraseRevision(Base):
    """A counter bumped by every change, so windows notice edits with one cheap read."""

    __tablename__ = "phrase_revisions"
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), primary_key=True)
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    revision: Mapped[int] = mapped_column(BigId, nullable=False, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=now)


__all__ = ["PhraseEdit", "PhraseRevision", "PHRASE_ACTIONS"]
