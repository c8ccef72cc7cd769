"""The plans service's tables: plans (the register), their versions, requirements, filings, the stock projection,
the warnings heard of."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, MetaData, \
    String, Text, UniqueConstraint, Uuid, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.catalog_copy import CatalogItemCopy
from servicekit.db import NAMING_CONVENTION, Quantity, UtcDateTime, utcnow
from servicekit.directory_copy import OrgCopy
from servicekit.owners import inherit_owner
from servicekit.attachments.model import attachment_model
from servicekit.scope import Owned


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Plan(Owned, Base):
    """One plan as the register shows it: the content of the version in force (or of its only draft); owned by
    an organisation, and so are its versions, filings and activity (and through it its drills)."""

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_status_type", "status", "type"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    draft_version: Mapped[int | None] = mapped_column(Integer)
    # Copied from the version in force so the register filters and sorts without joins.
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20))
    hazard_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_org: Mapped[str] = mapped_column(String(200), index=True)
    owner: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    response_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    first_approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_drilled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_drill_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    next_drill_due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    evaluation_due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    filing_due: Mapped[dt.date | None] = mapped_column(Date)
    filed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    needs_revision: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_by_name: Mapped[str | None] = mapped_column(String(200))

    # The requirements of the version in force (or of the only draft): read-only here, written per version.
    # A step that changes `version` expires this (lifecycle.approve), so it never shows the version before.
    requirements: Mapped[list["Requirement"]] = relationship(
        primaryjoin="and_(Plan.id == foreign(Requirement.plan_id), Plan.version == foreign(Requirement.version))",
        order_by="Requirement.position", viewonly=True, lazy="selectin")


class PlanHazard(Base):
    """The hazard types of the content in force, one row each, so `?hazard=` is an indexed lookup."""

    __tablename__ = "plan_hazards"
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    hazard_type: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class PlanVersion(Owned, Base):
    """One version of a plan's content; frozen once approved (the signed record)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20))
    hazard_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_org: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str | None] = mapped_column(Text)
    response_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    finding_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    created_by_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_by_name: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(80))
    submitted_by_name: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approval_recorded_by: Mapped[str | None] = mapped_column(String(80))
    approval_recorded_by_name: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    # What this version requires on hand; it changes with the version's text and is frozen with it.
    requirements: Mapped[list["Requirement"]] = relationship(
        order_by="Requirement.position", cascade="all, delete-orphan", lazy="selectin")


class Requirement(Base):
    """A resource one version of a plan needs on hand (item and quantity), in the order the owner listed them."""

    __tablename__ = "plan_requirements"
    __table_args__ = (ForeignKeyConstraint(["plan_id", "version"], ["plan_versions.plan_id", "plan_versions.number"],
                                           name="fk_plan_requirements_version_plan_versions"),)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    position: Mapped[int] = mapped_column(Integer)


class Filing(Owned, Base):
    """The filing (备案) of one approved version with the authority."""

    __tablename__ = "plan_filings"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    authority: Mapped[str] = mapped_column(String(200))
    filed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    reference_no: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_by_name: Mapped[str | None] = mapped_column(String(200))


class PlanActivity(Owned, Base):
    """Who did what to a plan, when, in which request: one row per write."""

    __tablename__ = "plan_activity"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id"), index=True)
    version: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(200))
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StockPosition(Owned, Base):
    """The resources service's latest announced position of one item in one depot (from `stock.changed`); it
    belongs to the depot's organisation, so a caller's readiness counts only the depots in its scope."""

    __tablename__ = "stock_positions"
    warehouse_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    available: Mapped[Decimal] = mapped_column(Quantity)
    # The balance row's version in the resources service: strictly increasing per depot and item.
    version: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class HeardWarning(Base):
    """A severe-weather warning the supervision service issued (from `warning.issued`), kept so a warning's plans
    view (`GET /plans?activated_by=`) knows its kind and whom it concerns.

    Not `Owned`: a warning is seen by whoever reaches its issuer or one of its targets, and the targets' places in
    the tree are read from the directory copy when asked (use_cases/warnings.py decides), not when heard."""

    __tablename__ = "heard_warnings"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the supervision service's warning id
    code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    directive: Mapped[str] = mapped_column(String(30))
    valid_from: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    valid_to: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    issuer_org_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    issuer_org_path: Mapped[str] = mapped_column(String(1000))
    target_org_ids: Mapped[list[str]] = mapped_column(JSON)
    # When the event kept here occurred: an event about this warning that occurred no later changes nothing.
    announced_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CatalogItem(CatalogItemCopy, Base):
    """The resources catalog's names of items, kept from its events (servicekit/catalog_copy.py)."""


class OrgDirectory(OrgCopy, Base):
    """The gateway's organisations (tree, district, industries, heads), kept from org.changed
    (servicekit/directory_copy.py)."""


# A plan's versions, filings and activity are read on their own (by plan id): each carries the plan's
# organisation, taken when written, so every read is filtered without a join. A plan's organisation never
# changes. (Requirements and hazards are read only through their plan or version.)
inherit_owner(Plan, "plan_id", (PlanVersion, Filing, PlanActivity))


# Files attached to a plan (servicekit/attachments/): owned by the plan's organisation, like the plan.
Attachment = attachment_model(Base, Plan)
