"""What the resources service announces of a requisition (动用申请): approved, dispatched, closed.

Each carries both organisations: `org_id` is the requesting one (the record's owner), `supplying_org_id` the
one whose depots gave, so a subscriber on either side can be told.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field
from decimal import Decimal

from contracts.catalogue import RESOURCES
from contracts.events.parts import ItemSnapshot
from contracts.events.payload import Payload, event_type, frozen
from contracts.events.resources import Allocation

ZERO = Decimal(0)


@frozen
class RequisitionLine:
    """One item asked for, and what became of it so far."""

    item_id: uuid.UUID
    quantity: Decimal
    item: ItemSnapshot | None = None
    dispatched: Decimal = ZERO
    received: Decimal = ZERO
    lost: Decimal = ZERO
    returned: Decimal = ZERO
    damaged: Decimal = ZERO
    consumed: Decimal = ZERO


@frozen
class _RequisitionEvent(Payload):
    requisition_id: uuid.UUID
    code: str
    status: str
    purpose: str
    urgent: bool
    destination: str
    lines: list[RequisitionLine]
    org_id: uuid.UUID | None = None  # the requesting organisation (optional, as on every event)
    supplying_org_id: uuid.UUID | None = None
    allocations: list[Allocation] = field(default_factory=list)  # the lots drawn, with depot, batch and expiry
    incident_ref: str | None = None


@event_type("requisition.approved", source=RESOURCES)
@frozen
class RequisitionApproved(_RequisitionEvent):
    approved_by: str
    approved_at: dt.datetime
    approved_at_submission: bool = False  # an urgent requisition approved by telephone as it was made


@event_type("requisition.dispatched", source=RESOURCES)
@frozen
class RequisitionDispatched(_RequisitionEvent):
    waybill_no: str
    dispatched_at: dt.datetime


@event_type("requisition.closed", source=RESOURCES)
@frozen
class RequisitionClosed(_RequisitionEvent):
    closed_at: dt.datetime
