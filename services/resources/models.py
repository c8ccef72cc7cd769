"""The resources service's tables: catalog, depots, lots, balances, the ledger, reservations."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import event, false, select, text, true, CheckConstraint, Date, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from servicekit.db import NAMING_CONVENTION, Quantity, UtcDateTime, utcnow
from servicekit.directory_copy import OrgCopy
from servicekit.scope import Owned
from services.resources.domain.reservations import HELD, SCHEDULED

ZERO = Decimal(0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Category(Base):
    """A class of the GB/T 38565-2020 emergency-supply classification."""

    __tablename__ = "categories"
    code: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"), index=True)
    level: Mapped[int] = mapped_column(Integer)


class Warehouse(Owned, Base):
    """A depot (储备库) holding stock, owned by an organisation; what it holds is owned by the same one."""

    __tablename__ = "warehouses"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(500))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    contact: Mapped[str | None] = mapped_column(String(200))
    # Retired (false): keeps its history, takes no new stock, left out of lists (SPEC: never deleted).
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Item(Base):
    """A catalog item: a material counted in units, or equipment tracked unit by unit."""

    __tablename__ = "items"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    unit: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))
    shelf_life_days: Mapped[int | None] = mapped_column(Integer)
    inspection_interval_days: Mapped[int | None] = mapped_column(Integer)
    # Retired (false): keeps its history, takes no new stock, left out of lists (SPEC: never deleted).
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Lot(Owned, Base):
    """What one receipt (or one batch) put on a shelf: quantity on hand and how much of it is reserved."""

    __tablename__ = "lots"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved_within_quantity"),
        Index("ix_lots_item_warehouse", "item_id", "warehouse_id"),
        Index("ix_lots_expiry_date", "expiry_date"),
        # Lots with free stock in first-expiry order, so allocation and the expired part of "unusable"
        # read a few index entries instead of every lot a busy depot's item has piled up (most empty).
        Index("ix_lots_free_fefo", "item_id", "expiry_date", "received_at", "id",
              sqlite_where=text("quantity > reserved"), postgresql_where=text("quantity > reserved")),
        Index("ix_lots_blocked", "item_id", "warehouse_id",
              sqlite_where=text("blocked = 1"), postgresql_where=text("blocked")),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    batch_no: Mapped[str | None] = mapped_column(String(100))
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # An equipment unit out of service blocks its lot: never reserved, issued or counted available.
    blocked: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set once the sweep has announced this lot's expiry, so it is announced exactly once.
    expiry_announced: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def free(self) -> Decimal:
        return self.quantity - self.reserved


class Balance(Owned, Base):
    """On-hand and reserved per depot and item, kept in the same transaction as every movement."""

    __tablename__ = "balances"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
        Index("ix_balances_item", "item_id"),
    )
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    min_quantity: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    # Whether `stock.below_quota` was already emitted for the current dip (once per crossing).
    below_quota: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped on every change; consumers of stock.changed use it to ignore stale, late events.
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

class Movement(Owned, Base):
    """One immutable ledger line. Summing the deltas per depot and item gives the balance."""

    __tablename__ = "movements"
    __table_args__ = (
        Index("ix_movements_item_warehouse", "item_id", "warehouse_id", "seq"),
        Index("ix_movements_type", "type", "seq"),
        Index("ix_movements_reference", "reference"),  # a requisition's lines, by its code
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    batch_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    type: Mapped[str] = mapped_column(String(20))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    on_hand_delta: Mapped[Decimal] = mapped_column(Quantity)
    reserved_delta: Mapped[Decimal] = mapped_column(Quantity)
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    reference: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(Text)
    # A write-off (disposal) names who authorised it; `reason` then holds its reason code.
    approved_by: Mapped[str | None] = mapped_column(String(200))
    # Stocktake lines record what was counted against what the books expected.
    counted_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    expected_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Read only, for answers: the batch and expiry of the lot the movement touched.
    lot: Mapped[Lot | None] = relationship(viewonly=True, lazy="select")

    @property
    def batch_no(self) -> str | None:
        return self.lot.batch_no if self.lot is not None else None

    @property
    def expiry_date(self) -> dt.date | None:
        return self.lot.expiry_date if self.lot is not None else None


class Reservation(Owned, Base):
    """Stock set aside for a purpose (a drill), all lines or none; owned by the organisation that asked."""

    __tablename__ = "reservations"
    __table_args__ = (Index("ix_reservations_status_expires", "status", "expires_at"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    reference: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(20), default=HELD)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    allocations: Mapped[list["Allocation"]] = relationship(
        back_populates="reservation", order_by="Allocation.position", lazy="selectin"
    )


class Allocation(Owned, Base):
    """The part of one lot a reservation holds; `consumed` is filled in when it is used."""

    __tablename__ = "reservation_allocations"
    __table_args__ = (UniqueConstraint("reservation_id", "position"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    reservation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("reservations.id"))
    position: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lots.id"))
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"))
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    consumed: Mapped[Decimal] = mapped_column(Quantity, default=ZERO)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    reservation: Mapped[Reservation] = relationship(back_populates="allocations")


class EquipmentUnit(Owned, Base):
    """One serial-numbered piece of equipment; on the books it is a lot of quantity 1."""

    __tablename__ = "equipment_units"
    __table_args__ = (UniqueConstraint("item_id", "serial_no"), Index("ix_equipment_due", "status", "next_inspection_due"))
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("items.id"), index=True)
    warehouse_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("warehouses.id"), index=True)
    lot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lots.id"), unique=True)
    serial_no: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="in_service")
    status_reason: Mapped[str | None] = mapped_column(String(500))
    commissioned_on: Mapped[dt.date | None] = mapped_column(Date)
    last_inspected_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    next_inspection_due: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    inspections: Mapped[list["Inspection"]] = relationship(
        back_populates="unit", order_by="Inspection.inspected_at.desc()", lazy="selectin"
    )
    lot: Mapped[Lot] = relationship(lazy="selectin")  # not joined: a joined lot would break FOR UPDATE

    @property
    def in_stock(self) -> bool:
        """Still on the depot's shelf: not issued or used up in a drill (status says its condition)."""
        return self.lot.quantity > 0


class Inspection(Base):
    """One inspection of a unit: pass returns it to service, fail takes it out."""

    __tablename__ = "equipment_inspections"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("equipment_units.id"), index=True)
    result: Mapped[str] = mapped_column(String(10))
    inspected_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    inspector: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    next_inspection_due: Mapped[dt.date | None] = mapped_column(Date)
    actor_id: Mapped[str] = mapped_column(String(80))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    unit: Mapped[EquipmentUnit] = relationship(back_populates="inspections")


class DrillHold(Base):
    """What this service has heard about a drill, so its events apply in any order and only once in effect.

    A cancelled or completed drill never gets a new hold; an older reschedule never replaces a newer one.
    """

    __tablename__ = "drill_holds"
    drill_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default=SCHEDULED)
    last_scheduled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The drills service numbers each (re)schedule; a number beats clocks that may disagree.
    last_schedule_revision: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class OrgDirectory(OrgCopy, Base):
    """The gateway's organisations (tree, district, industries, heads), kept from org.changed
    (servicekit/directory_copy.py)."""


# Rows of a depot's stock (lots, balances, movements, allocations, units) take the depot's organisation when
# the ORM writes them without one, so no writer can forget it; a depot's organisation never changes, so
# each connection remembers the few depots it has looked up. Core inserts name it themselves (depot_owners).
DEPOT_ROWS = (Lot, Balance, Movement, Allocation, EquipmentUnit)


def depot_owners(connection, warehouse_ids) -> dict[uuid.UUID, tuple[uuid.UUID | None, str]]:
    """(org_id, org_path) of each of these depots, whatever the caller's scope (Core, on the connection)."""
    known = connection.info.setdefault("erdm_depot_owners", {})
    missing = sorted({w for w in warehouse_ids if w not in known})
    if missing:
        table = Warehouse.__table__
        for row in connection.execute(select(table.c.id, table.c.org_id, table.c.org_path)
                                      .where(table.c.id.in_(missing))):
            known[row.id] = (row.org_id, row.org_path)
    return {w: known[w] for w in warehouse_ids if w in known}


def _take_depot_owner(_mapper, connection, row) -> None:
    if row.org_path is None:
        row.org_id, row.org_path = depot_owners(connection, [row.warehouse_id])[row.warehouse_id]


for _model in DEPOT_ROWS:
    event.listen(_model, "before_insert", _take_depot_owner)


# The requisition tables live in their own module (they share this Base); imported here so that every reader of
# this module's metadata (the migrations, the tests) has them too.
from services.resources import requisition_models  # noqa: E402,F401
