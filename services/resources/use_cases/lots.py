"""Between the lot rows and the pure allocation rules."""
from __future__ import annotations

from services.resources.domain.allocation import LotStock
from services.resources.models import Lot


def lot_stock(lot: Lot) -> LotStock:
    return LotStock(lot_id=lot.id, warehouse_id=lot.warehouse_id, item_id=lot.item_id, free=lot.free,
                    expiry_date=lot.expiry_date, received_at=lot.received_at, blocked=bool(lot.blocked))
