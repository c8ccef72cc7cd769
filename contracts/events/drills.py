"""What the drills service announces: a drill scheduled (with its resources), cancelled, completed; a finding."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field

from contracts.catalogue import DRILLS
from contracts.events.parts import Line
from contracts.events.payload import Payload, event_type, frozen


@event_type("drill.scheduled", source=DRILLS)
@frozen
class DrillScheduled(Payload):
    """Reserve these resources for the drill; a higher `schedule_revision` replaces every earlier request."""

    drill_id: uuid.UUID
    plan_id: uuid.UUID
    resources: list[Line] = field(default_factory=list)
    scheduled_start: dt.datetime | None = None
    scheduled_end: dt.datetime | None = None
    schedule_revision: int | None = None
    # The plan's organisation: the drill reserves only from depots whose org_path starts with this one
    # (absent on events older than organisations: then from any depot).
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@event_type("drill.cancelled", source=DRILLS)
@frozen
class DrillCancelled(Payload):
    drill_id: uuid.UUID
    plan_id: uuid.UUID | None = None
    reason: str | None = None
    org_id: uuid.UUID | None = None


@event_type("drill.completed", source=DRILLS)
@frozen
class DrillCompleted(Payload):
    """The drill ended at `completed_at`; `consumed` is what it used of its hold (the rest goes back)."""

    drill_id: uuid.UUID
    plan_id: uuid.UUID
    consumed: list[Line] = field(default_factory=list)
    completed_at: dt.datetime | None = None
    reservation_id: uuid.UUID | None = None
    org_id: uuid.UUID | None = None


@event_type("finding.recorded", source=DRILLS)
@frozen
class FindingRecorded(Payload):
    finding_id: uuid.UUID
    drill_id: uuid.UUID
    plan_id: uuid.UUID
    severity: str
    requires_plan_revision: bool = False
    description: str | None = None
    org_id: uuid.UUID | None = None
