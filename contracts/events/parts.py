"""The pieces several payloads share: how an item, a depot and a line of quantities are described."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from contracts.events.payload import frozen


@frozen
class ItemSnapshot:
    """An item as the catalog names it; `updated_at` orders snapshots, so a late one never overwrites a newer copy
    (absent on a shortfall line, which then only fills a gap: servicekit/catalog_copy.py)."""

    id: uuid.UUID
    code: str
    name: str | None = None
    unit: str | None = None
    updated_at: dt.datetime | None = None


@frozen
class DepotName:
    id: uuid.UUID
    code: str | None = None
    name: str | None = None


@frozen
class Line:
    """A quantity of an item, optionally from one depot (a drill's resources, what it consumed)."""

    item_id: uuid.UUID
    quantity: Decimal
    warehouse_id: uuid.UUID | None = None
