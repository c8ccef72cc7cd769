"""What the resources service announces: stock positions, quota dips, reservation answers, catalog names."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field
from decimal import Decimal

from contracts.catalogue import RESOURCES
from contracts.events.parts import DepotName, ItemSnapshot, Line
from contracts.events.payload import Payload, event_type, frozen


@event_type("stock.changed", source=RESOURCES)
@frozen
class StockChanged(Payload):
    """A depot's balance of an item after any movement; `version` counts up per position, so consumers keep
    the newest whatever order events arrive in."""

    warehouse_id: uuid.UUID
    item_id: uuid.UUID
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    version: int
    unusable: Decimal = Decimal(0)
    min_quantity: Decimal | None = None
    warehouse: DepotName | None = None
    item: ItemSnapshot | None = None
    batch_id: uuid.UUID | None = None  # the movements of one request share it
    # The depot's organisation (its path too, so a consumer tells a subtree without the directory copy);
    # absent on events older than organisations.
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@event_type("stock.below_quota", source=RESOURCES)
@frozen
class StockBelowQuota(Payload):
    warehouse_id: uuid.UUID
    item_id: uuid.UUID
    available: Decimal
    min_quantity: Decimal
    shortfall: Decimal
    org_id: uuid.UUID | None = None  # the depot's organisation


@frozen
class Allocation:
    """What one lot gives a reservation."""

    lot_id: uuid.UUID
    warehouse_id: uuid.UUID
    item_id: uuid.UUID
    quantity: Decimal
    expiry_date: dt.date | None = None
    item: ItemSnapshot | None = None
    warehouse: DepotName | None = None


@frozen
class _ReservationAnswer(Payload):
    """The body every reservation.* event shares; a drill's hold also names the drill."""

    reservation_id: uuid.UUID
    reference: str
    status: str
    allocations: list[Allocation]
    drill_id: uuid.UUID | None = None
    expires_at: dt.datetime | None = None
    org_id: uuid.UUID | None = None  # the organisation the reservation belongs to


@event_type("reservation.held", source=RESOURCES)
@frozen
class ReservationHeld(_ReservationAnswer):
    pass


@event_type("reservation.released", source=RESOURCES)
@frozen
class ReservationReleased(_ReservationAnswer):
    reason: str | None = None  # expired, rescheduled, drill cancelled, superseded, or the caller's words


@event_type("reservation.consumed", source=RESOURCES)
@frozen
class ReservationConsumed(_ReservationAnswer):
    consumed: list[Line] = field(default_factory=list)


@frozen
class Shortfall:
    """One item a reservation could not cover."""

    item_id: uuid.UUID
    requested: Decimal
    available: Decimal
    item: ItemSnapshot | None = None
    warehouse_id: uuid.UUID | None = None
    warehouse: DepotName | None = None


@event_type("reservation.rejected", source=RESOURCES)
@frozen
class ReservationRejected(Payload):
    """Nothing was held: `shortfall` says what was short, or `errors` what was wrong with the request."""

    reference: str
    shortfall: list[Shortfall] = field(default_factory=list)
    drill_id: uuid.UUID | None = None
    errors: dict[str, list[str]] | None = None
    org_id: uuid.UUID | None = None  # who asked: the drill's plan's organisation


@event_type("item.changed", source=RESOURCES)
@frozen
class ItemChanged(Payload):
    """A catalog item created or changed: the names plans and drills keep a copy of."""

    item_id: uuid.UUID
    item: ItemSnapshot
    kind: str
    category_code: str
