"""What the resources service does when drills are scheduled, cancelled or completed (SPEC flows 1-3)."""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from servicekit import clock, outbox
from servicekit.errors import InvalidInput
from servicekit.events import Event, new_event
from services.resources.service import reservations
from services.resources.service.ledger import SOURCE

log = logging.getLogger("erdm.resources.handlers")


def drill_reference(drill_id: Any) -> str:
    return f"drill:{drill_id}"


def _lines(raw: Any, *, field: str) -> list[dict[str, Any]]:
    lines = []
    for entry in raw or ():
        quantity = Decimal(str(entry["quantity"]))
        if quantity <= 0:
            raise ValueError(f"{field}: quantity must be positive, got {quantity}")
        lines.append({"item_id": uuid.UUID(str(entry["item_id"])), "quantity": quantity,
                      "warehouse_id": uuid.UUID(str(entry["warehouse_id"])) if entry.get("warehouse_id") else None})
    return lines


class ResourceHandlers:
    """Event handlers bound to the service's settings (the zone its dates are reckoned in)."""

    def __init__(self, *, timezone: str) -> None:
        self.timezone = timezone

    def mapping(self) -> dict[str, Any]:
        return {
            "drill.scheduled": self.drill_scheduled,
            "drill.cancelled": self.drill_cancelled,
            "drill.completed": self.drill_completed,
        }

    def drill_scheduled(self, event: Event, *, session: Session) -> None:
        """Reserve what the drill needs; a reschedule replaces the reservation it already holds."""
        drill_id = event.data["drill_id"]
        reference = drill_reference(drill_id)
        lines = _lines(event.data.get("resources"), field="resources")
        now = clock.now()
        for held in reservations.active_for_reference(reference, session=session):
            reservations.release(held.id, session=session, actor=reservations.SYSTEM, now=now, reason="rescheduled")
        if not lines:
            return
        try:
            # The nested transaction lets a shortfall undo a partial hold while keeping the releases above.
            with session.begin_nested():
                reservations.reserve(lines, reference=reference, expires_at=None, session=session,
                                     actor=reservations.SYSTEM, now=now, today=clock.local_today(self.timezone, now))
        except reservations.StockShortfall as short:
            outbox.add(session, new_event("reservation.rejected", {
                "reference": reference, "drill_id": drill_id, "shortfall": short.shortfall}, source=SOURCE))
        except InvalidInput as invalid:
            outbox.add(session, new_event("reservation.rejected", {
                "reference": reference, "drill_id": drill_id, "shortfall": [], "errors": invalid.errors},
                source=SOURCE))

    def drill_cancelled(self, event: Event, *, session: Session) -> None:
        reference = drill_reference(event.data["drill_id"])
        for held in reservations.active_for_reference(reference, session=session):
            reservations.release(held.id, session=session, actor=reservations.SYSTEM, now=clock.now(),
                                 reason="drill cancelled")

    def drill_completed(self, event: Event, *, session: Session) -> None:
        """Consume what the drill used, release the rest; use beyond the hold is logged, not invented."""
        reference = drill_reference(event.data["drill_id"])
        used = _lines(event.data.get("consumed"), field="consumed")
        held = reservations.active_for_reference(reference, session=session)
        if not held:
            log.info("drill %s completed with no held reservation; nothing to consume", event.data["drill_id"])
            return
        reservation = held[-1]
        holds: dict[uuid.UUID, Decimal] = {}
        for allocation in reservation.allocations:
            holds[allocation.item_id] = holds.get(allocation.item_id, Decimal(0)) + allocation.quantity
        within = []
        for line in used:
            allowed = min(line["quantity"], holds.get(line["item_id"], Decimal(0)))
            if allowed < line["quantity"]:
                log.warning("drill %s reports %s of %s used but only %s was reserved; consuming %s",
                            event.data["drill_id"], line["quantity"], line["item_id"], allowed, allowed)
            if allowed > 0:
                within.append({"item_id": line["item_id"], "quantity": allowed})
                holds[line["item_id"]] -= allowed
        reservations.consume(reservation.id, within, session=session, actor=reservations.SYSTEM, now=clock.now())
