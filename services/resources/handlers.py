"""What the resources service does when drills are scheduled, cancelled or completed (SPEC flows 1-3).

Events may arrive late, twice or out of order: each handler first locks the drill's row in
`drill_holds`, which serializes handlers of one drill and remembers what was already decided.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from servicekit import clock, outbox
from servicekit.errors import InvalidInput
from servicekit.events import Event, new_event
from services.resources.models import DrillHold
from services.resources.use_cases import reservations
from services.resources.use_cases.ledger import SOURCE, Ledger

log = logging.getLogger("erdm.resources.handlers")

# A drill hold lapses this long after the drill was due to end, so a drill that is never closed
# cannot keep stock out of use forever (a reschedule re-reserves).
HOLD_GRACE = dt.timedelta(days=30)


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


def _lock_drill(session: Session, drill_id: uuid.UUID) -> DrillHold:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(DrillHold).values(drill_id=drill_id, state="scheduled", updated_at=clock.now())
                    .on_conflict_do_nothing(index_elements=["drill_id"]))
    return session.scalar(select(DrillHold).where(DrillHold.drill_id == drill_id).with_for_update()
                          .execution_options(populate_existing=True))


def _lock_stock(session: Session, item_ids: Iterable[uuid.UUID], now: dt.datetime) -> None:
    """Every balance this handler may touch, in one sorted statement (the one lock order)."""
    with Ledger(session, actor=reservations.SYSTEM) as ledger:
        reservations.lock_items_releasing_expired(ledger, item_ids, now=now)


def _is_stale(drill: DrillHold, event: Event) -> bool:
    """Older than the schedule already applied: by the drills service's revision number when both carry
    one (clocks of several instances may disagree), else by when each was emitted."""
    revision = event.data.get("schedule_revision")
    if revision is not None and drill.last_schedule_revision is not None:
        return int(revision) <= drill.last_schedule_revision
    return drill.last_scheduled_at is not None and event.occurred <= drill.last_scheduled_at


def _held_items(held) -> set[uuid.UUID]:
    return {allocation.item_id for reservation in held for allocation in reservation.allocations}


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
        """Reserve what the drill needs; a newer schedule replaces the hold of an older one."""
        drill_id = uuid.UUID(str(event.data["drill_id"]))
        lines = _lines(event.data.get("resources"), field="resources")
        drill = _lock_drill(session, drill_id)
        if drill.state != "scheduled":
            log.info("drill %s is already %s; ignoring a late drill.scheduled", drill_id, drill.state)
            return
        if _is_stale(drill, event):
            log.info("drill %s: ignoring a schedule older than the one applied", drill_id)
            return
        drill.last_scheduled_at = event.occurred
        drill.last_schedule_revision = event.data.get("schedule_revision")
        reference, now = drill_reference(drill_id), clock.now()
        held = reservations.active_for_reference(reference, session=session)
        _lock_stock(session, {line["item_id"] for line in lines} | _held_items(held), now)
        for reservation in held:
            reservations.release(reservation.id, session=session, actor=reservations.SYSTEM, now=now,
                                 reason="rescheduled")
        if not lines:
            return
        expires_at = None
        if end := event.data.get("scheduled_end"):
            ends = dt.datetime.fromisoformat(end)
            expires_at = max(ends if ends.tzinfo else ends.replace(tzinfo=dt.timezone.utc), now) + HOLD_GRACE
        try:
            # The nested transaction lets a shortfall undo a partial hold while keeping the releases above.
            with session.begin_nested():
                reservations.reserve(lines, reference=reference, expires_at=expires_at, session=session,
                                     actor=reservations.SYSTEM, now=now,
                                     today=clock.local_today(self.timezone, now))
        except reservations.StockShortfall as short:
            outbox.add(session, new_event("reservation.rejected", {
                "reference": reference, "drill_id": drill_id, "shortfall": short.shortfall}, source=SOURCE))
        except InvalidInput as invalid:
            outbox.add(session, new_event("reservation.rejected", {
                "reference": reference, "drill_id": drill_id, "shortfall": [], "errors": invalid.errors},
                source=SOURCE))

    def drill_cancelled(self, event: Event, *, session: Session) -> None:
        """Give back the drill's hold; a drill.scheduled arriving later is ignored."""
        drill_id = uuid.UUID(str(event.data["drill_id"]))
        drill = _lock_drill(session, drill_id)
        if drill.state == "completed":
            log.info("drill %s was completed; ignoring drill.cancelled", drill_id)
            return
        drill.state = "cancelled"
        self._release_all(session, drill_id, reason="drill cancelled")

    def drill_completed(self, event: Event, *, session: Session) -> None:
        """Consume what the drill used, release the rest; use beyond the hold is logged, not invented."""
        drill_id = uuid.UUID(str(event.data["drill_id"]))
        used = _lines(event.data.get("consumed"), field="consumed")
        drill = _lock_drill(session, drill_id)
        drill.state = "completed"
        reference, now = drill_reference(drill_id), clock.now()
        _lock_stock(session, _held_items(reservations.active_for_reference(reference, session=session)), now)
        held = reservations.active_for_reference(reference, session=session)  # expired holds are gone now
        if not held:
            log.info("drill %s completed with no held reservation; nothing to consume", drill_id)
            return
        *stale, reservation = held
        for extra in stale:  # only possible with data from before drill_holds existed; never leave it held
            reservations.release(extra.id, session=session, actor=reservations.SYSTEM, now=now, reason="superseded")
        holds: dict[uuid.UUID, Decimal] = {}
        for allocation in reservation.allocations:
            holds[allocation.item_id] = holds.get(allocation.item_id, Decimal(0)) + allocation.quantity
        within = []
        for line in used:
            allowed = min(line["quantity"], holds.get(line["item_id"], Decimal(0)))
            if allowed < line["quantity"]:
                log.warning("drill %s reports %s of %s used but only %s was reserved; consuming %s",
                            drill_id, line["quantity"], line["item_id"], allowed, allowed)
            if allowed > 0:
                within.append({"item_id": line["item_id"], "quantity": allowed})
                holds[line["item_id"]] -= allowed
        reservations.consume(reservation.id, within, session=session, actor=reservations.SYSTEM, now=now)

    def _release_all(self, session: Session, drill_id: uuid.UUID, *, reason: str) -> None:
        held = reservations.active_for_reference(drill_reference(drill_id), session=session)
        if not held:
            return
        now = clock.now()
        _lock_stock(session, _held_items(held), now)
        for reservation in held:
            reservations.release(reservation.id, session=session, actor=reservations.SYSTEM, now=now, reason=reason)
