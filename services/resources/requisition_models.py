"""The requisition tables (动用申请): the request, its lines, the lots it draws, what came back, and who took each step.

Kept beside services/resources/models.py (same Base, same database) so neither module grows past one screenful of
concerns.
"""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from servicekit.db import Quantity, UtcDateTime, utcnow
from servicekit.scope import Shared
from services.resources.domain.requisitions import SUBMITTED
from services.resources.models import ZERO, Base


class Requisition(Shared, Base):
    """A request to use stock (动用申请): the requesting organisation owns it (`org_*`), the supplying one
    (`counterpart_org_*`, whose depots give) sees it too. Each step keeps who, when and what it said."""

    __tablename__ = "requisitions"
    __table_args__ = (Index("ix_requisitions_status_created", "status", "created_at"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=SUBMITTED)
    urgent: Mapped[bool] = mapped_column(default=False)
    incident_ref: Mapped[str | None] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(500))
    needed_by: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("reservations.id"))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approval_note: Mapped[str | None] = mapped_column(Text)
    # An urgent requisition approved as it was submitted (by telephone), recorded as such.
    approved_at_submission: Mapped[bool] = mapped_column(default=False)
    rejected_reason: Mapped[str | None] = mapped_column(String(500))
    rejected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cancelled_reason: Mapped[str | None] = mapped_column(String(500))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    waybill_no: Mapped[str | None] = mapped_column(String(100))
    vehicle: Mapped[str | None] = mapped_column(String(100))
    driver: Mapped[str | None] = mapped_column(String(200))
    dispatched_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    received_by: Mapped[str | None] = mapped_column(String(200))
    received_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    receive_note: Mapped[str | None] = mapped_column(Text)
    return_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # Read only through their requisition (and so under its scope rule), never queried on their own.
    lines: Mapped[list["RequisitionLine"]] = relationship(order_by="RequisitionLine.position", lazy="selectin")
    allocations: Mapped[list["RequisitionAllocation"]] = relationship(
        order_by="RequisitionAllocation.position", lazy="selectin")
    returns: Mapped[list["RequisitionReturn"]] = relationship(order_by="RequisitionReturn.position", lazy="selectin")
    history: Mapped[list["RequisitionStep"]] = relationship(order_by="RequisitionStep.seq", lazy="selectin")


def _quantity_column():
    return mapped_column(Quantity, default=ZERO, server_default=text("0"))


class RequisitionLine(Base):
    """One item asked for, and what became of it at each step (totals over its allocations)."""

    __tablename__ = "requisition_lines"
    __table_args__ = (UniqueConstraint("requisition_id", "position"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    requisition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("requisitions.id"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    warehouse_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    dispatched: Mapped[Decimal] = _quantity_column()
    received: Mapped[Decimal] = _quantity_column()
    lost: Mapped[Decimal] = _quantity_column()
    returned: Mapped[Decimal] = _quantity_column()
    damaged: Mapped[Decimal] = _quantity_column()
    consumed: Mapped[Decimal] = _quantity_column()


class RequisitionAllocation(Base):
    """The part of one lot a requisition draws (FEFO, at approval), which travels with its batch and expiry."""

    __tablename__ = "requisition_allocations"
    __table_args__ = (UniqueConstraint("requisition_id", "position"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    requisition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("requisitions.id"))
    position: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lots.id"))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    batch_no: Mapped[str | None] = mapped_column(String(100))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    lost: Mapped[Decimal] = _quantity_column()
    returned: Mapped[Decimal] = _quantity_column()
    damaged: Mapped[Decimal] = _quantity_column()
    consumed: Mapped[Decimal] = _quantity_column()


class RequisitionReturn(Base):
    """One line of what came back: a quantity of an item, to a depot of the supplying organisation, usable or damaged."""

    __tablename__ = "requisition_returns"
    __table_args__ = (UniqueConstraint("requisition_id", "position"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    requisition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("requisitions.id"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    condition: Mapped[str] = mapped_column(String(20))


class RequisitionStep(Base):
    """Who took one step of a requisition, and when (submitted, approved, dispatched, …): its history."""

    __tablename__ = "requisition_steps"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    requisition_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("requisitions.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
