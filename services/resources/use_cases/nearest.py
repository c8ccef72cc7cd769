"""Which depots can supply an item to a place: the ones holding enough, nearest first, then the partial holders."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.resources.domain.geo import haversine_km
from services.resources.models import Balance, Warehouse
from services.resources.use_cases.catalog import get_item, name_rows
from services.resources.use_cases.positions import positions_of


def nearest(*, session: Session, item_id: uuid.UUID, quantity: Decimal, lat: float, lon: float,
            today: dt.date) -> dict[str, Any]:
    """Depots with `quantity` available sorted by distance, then those with some of it (`sufficient: false`),
    so a dispatcher can combine them. Depots without coordinates cannot be ranked and are left out."""
    item = get_item(item_id, session=session)
    rows = session.execute(
        select(Balance, Warehouse).join(Warehouse, Warehouse.id == Balance.warehouse_id)
        .where(Balance.item_id == item.id, Warehouse.lat.is_not(None), Warehouse.lon.is_not(None))
    ).all()
    positions = positions_of(session, [balance for balance, _ in rows], today=today)
    candidates = []
    for (_, warehouse), position in zip(rows, positions):
        if position.available <= 0:
            continue
        candidates.append({
            "warehouse_id": warehouse.id, "code": warehouse.code, "name": warehouse.name, "level": warehouse.level,
            "lat": warehouse.lat, "lon": warehouse.lon, "contact": warehouse.contact,
            "distance_km": round(haversine_km(lat, lon, warehouse.lat, warehouse.lon), 3),
            "available": position.available, "sufficient": position.available >= quantity,
        })
    candidates.sort(key=lambda c: (not c["sufficient"], c["distance_km"]))
    name_rows(session, candidates)
    total = sum((c["available"] for c in candidates), Decimal(0))
    return {"item_id": item.id, "quantity": quantity, "lat": lat, "lon": lon, "items": candidates,
            "total_available": total, "coverable": total >= quantity}
