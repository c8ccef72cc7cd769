"""What the plans service announces: a plan approved, retired, its requirements changed, a revision required."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field

from contracts.catalogue import PLANS
from contracts.events.parts import Line
from contracts.events.payload import Payload, event_type, frozen


@event_type("plan.approved", source=PLANS)
@frozen
class PlanApproved(Payload):
    plan_id: uuid.UUID
    code: str
    version: int
    title: str | None = None
    type: str | None = None
    approved_at: dt.datetime | None = None
    requirements: list[Line] = field(default_factory=list)
    # The plan's organisation; its path too, since drills of the plan are seen and served by it.
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@event_type("plan.retired", source=PLANS)
@frozen
class PlanRetired(Payload):
    plan_id: uuid.UUID
    code: str
    version: int | None = None
    retired_at: dt.datetime | None = None
    reason: str | None = None
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@event_type("plan.requirements_changed", source=PLANS)
@frozen
class PlanRequirementsChanged(Payload):
    """The requirements of the version in force, in full."""

    plan_id: uuid.UUID
    code: str
    lines: list[Line] = field(default_factory=list)
    org_id: uuid.UUID | None = None


@event_type("plan.revision_required", source=PLANS)
@frozen
class PlanRevisionRequired(Payload):
    """A plan must be revised (art. 36): a drill finding said so, or a revision was opened (`version` is its draft)."""

    plan_id: uuid.UUID
    code: str
    reason: str
    version: int | None = None
    finding_id: uuid.UUID | None = None
    drill_id: uuid.UUID | None = None
    org_id: uuid.UUID | None = None
