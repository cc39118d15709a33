"""Declarative base, naming convention (stable Alembic constraint names) and column helpers."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, mapped_column

from .. import clock

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    if TYPE_CHECKING:
        # Every model is mapped to a Table (SQLAlchemy types it as any FromClause).
        __table__: ClassVar[Table]


# Money is integer fen (分). BigInteger maps to INTEGER affinity on SQLite.
Money = BigInteger().with_variant(Integer(), "sqlite")
# Integer primary keys: BIGINT on PostgreSQL, INTEGER (rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def id_column():
    return mapped_column(BigId, primary_key=True, autoincrement=True)


def created_column():
    return mapped_column(DateTime, default=lambda: clock.now(), nullable=False)


def now() -> dt.datetime:
    return clock.now()
