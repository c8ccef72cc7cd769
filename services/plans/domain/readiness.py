"""Whether the stock on hand covers what a plan requires: one line per required item."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable, Iterable, Mapping

ZERO = Decimal(0)


@dataclass(frozen=True)
class ReadinessLine:
    item_id: Hashable
    required: Decimal
    available: Decimal

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, self.required - self.available)


def readiness(required: Iterable[tuple[Hashable, Decimal]], available: Mapping[Hashable, Decimal]) -> dict:
    """`ready` only when every line is covered; a plan that requires nothing is ready."""
    lines = [ReadinessLine(item_id, quantity, max(ZERO, available.get(item_id, ZERO))) for item_id, quantity in required]
    return {
        "ready": all(line.shortfall == ZERO for line in lines),
        "lines": [{"item_id": line.item_id, "required": line.required, "available": line.available,
                   "shortfall": line.shortfall} for line in lines],
    }


def is_newer(incoming_version: int, known_version: int | None) -> bool:
    """A balance position replaces the known one only if it is strictly newer (late and repeated ones lose)."""
    return known_version is None or incoming_version > known_version
