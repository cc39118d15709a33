"""Service work orders (工单), their steps, safety inspections (安检) and supply notices
(停气通知).

Accounts are referred to by ``account_no`` (no foreign key), as complaints do, so this
capability does not depend on the accounts schema. Contact phones are stored in full and
masked on every way out.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, created_column, id_column

# 报装 报修 报警 安检 换表 停气 复气 通气
ORDER_KINDS = ("install", "repair", "alarm", "inspection", "meter_change", "stop", "restore",
               "first_gas")
ORDER_STATUSES = ("recorded", "dispatched", "on_site", "resulted", "closed", "followed_up")
ORDER_RESULTS = ("done", "failed", "referred")  # 完成 / 无法完成 / 需另开工单
ORDER_STEP_KINDS = ("recorded", "dispatched", "arrived", "resulted", "closed", "followed_up",
                    "reopened")
INSPECTION_OUTCOMES = ("passed", "hazard", "not_home")  # 合格 / 发现隐患 / 到访不遇


class WorkOrder(Base):
    """One work order from the counter or the hotline to the field and back."""

    __tablename__ = "work_orders"
    __table_args__ = (UniqueConstraint("hall_id", "number"),
                      Index("ix_work_orders_hall_status", "hall_id", "status"))
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)         # ORDER_KINDS
    channel: Mapped[str] = mapped_column(String(12), nullable=False, default="window")
    priority: Mapped[str] = mapped_column(String(8), nullable=False, default="normal")
    account_no: Mapped[str] = mapped_column(String(20), nullable=False, default="", index=True)
    address: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    contact_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    contact_phone: Mapped[str] = mapped_column(String(24), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    inspection_ref: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    parent_number: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    window: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="recorded")
    # deadlines (None: the kind has none)
    dispatch_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    onsite_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    followup_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # life
    team: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    assignee: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    onsite_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    result: Mapped[str] = mapped_column(String(12), nullable=False, default="")
    result_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    result_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    result_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    hazard: Mapped[str] = mapped_column(Text, nullable=False, default="")
    old_meter_no: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    old_reading: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    new_meter_no: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    new_reading: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    followed_up_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    followed_up_by: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    verdict: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    reopen_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    steps: Mapped[list[WorkOrderStep]] = relationship(
        back_populates="order", order_by="WorkOrderStep.id", cascade="all, delete-orphan")


class WorkOrderStep(Base):
    """Every step of an order with its time and staff member."""

    __tablename__ = "work_order_steps"
    id: Mapped[int] = id_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), nullable=False,
                                          index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # ORDER_STEP_KINDS
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    staff_name: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    to_staff_no: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    order: Mapped[WorkOrder] = relationship(back_populates="steps")


class Inspection(Base):
    """One safety inspection visit (安检) of an account: passed, hazard or nobody home."""

    __tablename__ = "inspections"
    __table_args__ = (Index("ix_inspections_hall_account", "hall_id", "account_no"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    account_no: Mapped[str] = mapped_column(String(20), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    outcome: Mapped[str] = mapped_column(String(12), nullable=False)  # INSPECTION_OUTCOMES
    staff_no: Mapped[str] = mapped_column(String(16), nullable=False)
    order_number: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    next_attempt_on: Mapped[dt.date | None] = mapped_column()
    # a hazard stops supply until a done 复气 order lifts it
    supply_stopped: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    lifted_by: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    lifted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = created_column()


class SupplyNotice(Base):
    """A planned supply stop (停气通知) for an area; empty area parts match any."""

    __tablename__ = "supply_notices"
    __table_args__ = (UniqueConstraint("hall_id", "number"),)
    id: Mapped[int] = id_column()
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), nullable=False)
    number: Mapped[str] = mapped_column(String(20), nullable=False)
    district: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    street: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    community: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    created_by: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[dt.datetime] = created_column()


__all__ = ["INSPECTION_OUTCOMES", "ORDER_KINDS", "ORDER_RESULTS", "ORDER_STATUSES",
           "ORDER_STEP_KINDS", "Inspection", "SupplyNotice", "WorkOrder", "WorkOrderStep"]
