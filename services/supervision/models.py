"""The supervision service's tables: hazards, rectification orders with their reviews, look-backs, and
severe-weather warnings with each target's answer; and its copy of the organisation directory.

A hazard, an order and a look-back belong to the enterprise they concern (`Owned`). A warning belongs to the
bureau that issued it and is addressed to its targets (`Addressed`): each target row belongs to its enterprise,
so an enterprise sees the warnings sent to it and only its own answer.
"""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Column, Date, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text, \
    UniqueConstraint, Uuid, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.db import NAMING_CONVENTION, UtcDateTime, utcnow
from servicekit.directory_copy import OrgCopy
from servicekit.attachments.model import attachment_model
from servicekit.scope import Addressed, Owned


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Hazard(Owned, Base):
    """A hidden hazard (事故隐患) found at an enterprise in an inspection."""

    __tablename__ = "hazards"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(20))  # general (一般事故隐患), major (重大事故隐患)
    location: Mapped[str | None] = mapped_column(String(500))
    found_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    found_by: Mapped[str] = mapped_column(String(200))
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


order_hazards = Table(
    "order_hazards", Base.metadata,
    Column("order_id", ForeignKey("rectification_orders.id"), primary_key=True),
    Column("hazard_id", ForeignKey("hazards.id"), primary_key=True, index=True),
)


class RectificationOrder(Owned, Base):
    """A rectification order (整改指令) to an enterprise: issued → acknowledged (signed by its head or a deputy in
    charge) → reported (fixed) → closed (销号) on a passing review; a failed review sends it back, with a new due date."""

    __tablename__ = "rectification_orders"
    __table_args__ = (Index("ix_orders_status_due", "status", "due_date"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    requirements: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    suspend_production: Mapped[bool] = mapped_column(default=False)  # 停产整顿
    status: Mapped[str] = mapped_column(String(20))
    signed_by: Mapped[str | None] = mapped_column(String(200))
    signed_position: Mapped[str | None] = mapped_column(String(20))  # principal, deputy
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    measures: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    # The closed order whose look-back found it had not held (this one reopens its hazards).
    relapse_of_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rectification_orders.id"))
    # The due date `rectification.overdue` was last announced for: once per due date, whichever worker sweeps.
    overdue_announced_for: Mapped[dt.date | None] = mapped_column(Date)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    hazards: Mapped[list[Hazard]] = relationship(secondary=order_hazards, lazy="selectin", order_by=Hazard.found_at)
    reviews: Mapped[list["OrderReview"]] = relationship(order_by="OrderReview.reviewed_at", lazy="selectin")


class OrderReview(Owned, Base):
    """One review of a reported order: passed closes it, failed sends it back with a new due date."""

    __tablename__ = "order_reviews"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rectification_orders.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(20))  # passed, failed
    note: Mapped[str | None] = mapped_column(Text)
    previous_due_date: Mapped[dt.date] = mapped_column(Date)
    new_due_date: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))


class FollowUp(Owned, Base):
    """A look back (回头看) at closed orders: scheduled, then held or relapsed (a relapse opens new orders)."""

    __tablename__ = "follow_ups"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    due_date: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # scheduled, held, relapsed
    checker: Mapped[str | None] = mapped_column(String(200))
    result_note: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    orders: Mapped[list["FollowUpOrder"]] = relationship(order_by="FollowUpOrder.position", lazy="selectin")


class FollowUpOrder(Owned, Base):
    """One closed order a look-back re-checks, and the new order its relapse opened."""

    __tablename__ = "follow_up_orders"
    __table_args__ = (UniqueConstraint("follow_up_id", "order_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    follow_up_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("follow_ups.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rectification_orders.id"), index=True)
    new_order_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rectification_orders.id"))


class Warning(Addressed, Base):
    """A severe-weather warning (预警) a bureau issues to the enterprises its districts and industries reach."""

    __tablename__ = "warnings"
    __table_args__ = (Index("ix_warnings_status_valid", "status", "valid_to"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    districts: Mapped[list[str]] = mapped_column(JSON)
    industries: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    valid_to: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    issued_by: Mapped[str] = mapped_column(String(200))
    directive: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text)
    ack_within_minutes: Mapped[int] = mapped_column(Integer, default=30)
    status: Mapped[str] = mapped_column(String(20))  # issued, closed
    summary: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    targets: Mapped[list["WarningTarget"]] = relationship(order_by="WarningTarget.org_code", lazy="selectin")

    @classmethod
    def addressees(cls):
        return WarningTarget.__table__.c.warning_id, WarningTarget.__table__.c.org_path


class WarningTarget(Owned, Base):
    """One enterprise a warning reached, and its answer: sent → acknowledged (叫应) → reported → resumed."""

    __tablename__ = "warning_targets"
    __table_args__ = (UniqueConstraint("warning_id", "org_id"), Index("ix_targets_status_due", "status", "ack_due_at"))
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    warning_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warnings.id"), index=True)
    # The enterprise as the directory named it when the warning went out.
    org_code: Mapped[str] = mapped_column(String(64))
    org_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ack_due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    stopped_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    evacuated_count: Mapped[int | None] = mapped_column(Integer)
    rainfall_mm: Mapped[float | None] = mapped_column(Float)
    report_note: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resumed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # Set once `warning.ack_overdue` is queued for this target, in the same transaction: once, across workers.
    ack_overdue_announced: Mapped[bool] = mapped_column(default=False, server_default=false())


class OrgDirectory(OrgCopy, Base):
    """The gateway's organisations (tree, district, industries, head and deputies), kept from org.changed
    (servicekit/directory_copy.py): sign-offs are checked against it, warnings matched to it."""


# Files attached to a rectification order (servicekit/attachments/): owned by the rectification order's organisation, like the rectification order.
Attachment = attachment_model(Base, RectificationOrder)
