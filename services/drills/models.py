"""The drills service's tables: drills, their evaluations, findings, corrective actions, and the plan and stock projections."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from decimal import Decimal

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, MetaData, String, Text, Uuid, \
    event, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import get_history

from servicekit.catalog_copy import CatalogItemCopy
from servicekit.db import NAMING_CONVENTION, Quantity, UtcDateTime, utcnow
from servicekit.directory_copy import OrgCopy
from servicekit.owners import inherit_owner
from servicekit.attachments.model import attachment_model
from servicekit.scope import Owned
from services.drills.domain.calendar import SHOWN_FIELDS


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Drill(Owned, Base):
    """One drill of one plan, from scheduling through conduct to completion (or cancellation); it belongs to its
    plan's organisation, and so do its evaluation, findings and corrective actions."""

    __tablename__ = "drills"
    __table_args__ = (Index("ix_drills_plan_start", "plan_id", "scheduled_start"),
                      Index("ix_drills_status_start", "status", "scheduled_start"))
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))
    scheduled_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    scheduled_end: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    location: Mapped[str | None] = mapped_column(String(500))
    organizer: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)
    scenario: Mapped[str | None] = mapped_column(Text)
    # Lines as plain JSON ({item_id, quantity} with the quantity as decimal text: exact on every backend).
    resources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    # The saga: the drill.scheduled the drill is waiting on, and what the resources service answered.
    schedule_event_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    schedule_revision: Mapped[int] = mapped_column(Integer, default=0)
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reservation_status: Mapped[str | None] = mapped_column(String(20))
    shortfall: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Stock of an item the drill needs rose while it waited for an answer: a rejection then asks again.
    stock_rose_while_waiting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actual_start: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    actual_end: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    consumed: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    participants_count: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    # The calendar event's SEQUENCE: raised by every change the event shows (see bump_calendar_sequence).
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    evaluation: Mapped["Evaluation | None"] = relationship(back_populates="drill", lazy="selectin", uselist=False)


class Evaluation(Owned, Base):
    """The AQ/T 9009 evaluation of a completed drill: one per drill."""

    __tablename__ = "evaluations"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    drill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drills.id"), unique=True)
    scores: Mapped[dict[str, int]] = mapped_column(JSON)
    rating: Mapped[str] = mapped_column(String(20))
    evaluator: Mapped[str] = mapped_column(String(200))
    comments: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_by_name: Mapped[str | None] = mapped_column(String(200))
    # Corrections keep what the evaluation said before (EvaluationRevision); this is version n of it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    drill: Mapped[Drill] = relationship(back_populates="evaluation")
    earlier: Mapped[list["EvaluationRevision"]] = relationship(
        order_by="EvaluationRevision.version", lazy="selectin", cascade="all, delete-orphan")


class EvaluationRevision(Base):
    """An earlier version of an evaluation, kept as it stood when a correction replaced it."""

    __tablename__ = "evaluation_revisions"
    evaluation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("evaluations.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    scores: Mapped[dict[str, int]] = mapped_column(JSON)
    rating: Mapped[str] = mapped_column(String(20))
    evaluator: Mapped[str] = mapped_column(String(200))
    comments: Mapped[str | None] = mapped_column(Text)
    evaluated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_by_name: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Finding(Owned, Base):
    """A problem a drill exposed; a revision-worthy one flags the plan (through finding.recorded)."""

    __tablename__ = "findings"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    drill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drills.id"), index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10))
    requires_plan_revision: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_by_name: Mapped[str | None] = mapped_column(String(200))

    corrective_action: Mapped["CorrectiveAction | None"] = relationship(back_populates="finding", lazy="selectin",
                                                                        uselist=False)


class CorrectiveAction(Owned, Base):
    """The rectification (整改) a finding calls for: open → done → verified by a follow-up check (回头看)."""

    __tablename__ = "corrective_actions"
    __table_args__ = (Index("ix_corrective_actions_status_due", "status", "due_date"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    finding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("findings.id"), unique=True)
    drill_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    owner: Mapped[str] = mapped_column(String(200), index=True)
    due_date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    completed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    completion_note: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    verifier: Mapped[str | None] = mapped_column(String(200))
    verification_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    finding: Mapped[Finding] = relationship(back_populates="corrective_action")


class PlanStatus(Owned, Base):
    """What the drills service knows of each plan, from plan.approved / plan.retired (never the plans tables),
    with the plan's organisation (the root's path for events older than organisations)."""

    __tablename__ = "plan_statuses"
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class StockPosition(Base):
    """The resources service's latest announced availability of one item in one depot (from `stock.changed`),
    kept to tell a rise from a fall: a rise of an item a short drill lacks makes it ask again."""

    __tablename__ = "stock_positions"
    warehouse_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    available: Mapped[Decimal] = mapped_column(Quantity)
    # The balance row's version in the resources service: strictly increasing per depot and item.
    version: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


@event.listens_for(Drill, "before_update")
def bump_calendar_sequence(_mapper, _connection, drill: Drill) -> None:
    """Every change the calendar event shows raises its SEQUENCE, so a subscribed client takes the new copy.

    Here, once per flush, rather than in each service function: no change of a shown field can forget it.
    """
    if any(get_history(drill, name).has_changes() for name in SHOWN_FIELDS):
        drill.calendar_sequence = (drill.calendar_sequence or 0) + 1


# A drill's evaluation, findings and corrective actions are read on their own: each carries the drill's
# organisation, taken when written (a drill's plan, and so its organisation, changes only before it starts,
# and none of these exists before then). Earlier versions of an evaluation are read only through it.
inherit_owner(Drill, "drill_id", (Evaluation, Finding, CorrectiveAction))


class CatalogItem(CatalogItemCopy, Base):
    """The resources catalog's names of items, kept from its events (servicekit/catalog_copy.py)."""


class OrgDirectory(OrgCopy, Base):
    """The gateway's organisations (tree, district, industries, heads), kept from org.changed
    (servicekit/directory_copy.py)."""


# Files attached to a drill (servicekit/attachments/): owned by the drill's organisation, like the drill.
Attachment = attachment_model(Base, Drill)
