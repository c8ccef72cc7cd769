"""What the supervision service announces: hazards recorded, rectification orders through their life, and
severe-weather warnings (issued, a target's acknowledgement overdue, closed).

`org_id` is the organisation each event belongs to: the enterprise for a hazard, an order and an overdue
acknowledgement; the issuing bureau for a warning issued or closed (whose targets are listed by id).
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field

from contracts.catalogue import SUPERVISION
from contracts.events.payload import Payload, event_type, frozen


@event_type("hazard.recorded", source=SUPERVISION)
@frozen
class HazardRecorded(Payload):
    hazard_id: uuid.UUID
    title: str
    level: str  # general (一般事故隐患), major (重大事故隐患)
    found_at: dt.datetime
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@frozen
class _OrderEvent(Payload):
    order_id: uuid.UUID
    code: str
    org_id: uuid.UUID | None = None
    org_path: str | None = None


@event_type("rectification.issued", source=SUPERVISION)
@frozen
class RectificationIssued(_OrderEvent):
    due_date: dt.date
    issued_by: str
    hazard_ids: list[uuid.UUID] = field(default_factory=list)
    suspend_production: bool = False  # the order to stop and rectify (停产整顿)
    relapse_of: uuid.UUID | None = None  # the closed order a look-back found had not held


@event_type("rectification.acknowledged", source=SUPERVISION)
@frozen
class RectificationAcknowledged(_OrderEvent):
    signed_by: str
    position: str  # principal (一把手), deputy (分管领导)


@event_type("rectification.closed", source=SUPERVISION)
@frozen
class RectificationClosed(_OrderEvent):
    reviewer: str
    closed_at: dt.datetime


@event_type("rectification.overdue", source=SUPERVISION)
@frozen
class RectificationOverdue(_OrderEvent):
    due_date: dt.date


@event_type("warning.issued", source=SUPERVISION)
@frozen
class WarningIssued(Payload):
    warning_id: uuid.UUID
    code: str
    kind: str  # rainstorm, snowstorm, freezing, typhoon, flood, geological, heat, other
    level: str  # blue, yellow, orange, red
    directive: str  # stop_and_evacuate (停产撤人), heightened_watch, other
    valid_from: dt.datetime
    valid_to: dt.datetime
    districts: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    target_org_ids: list[uuid.UUID] = field(default_factory=list)
    org_id: uuid.UUID | None = None  # the issuing bureau
    org_path: str | None = None


@event_type("warning.ack_overdue", source=SUPERVISION)
@frozen
class WarningAckOverdue(Payload):
    """A target has not acknowledged within `ack_within_minutes`: announced once per target."""

    warning_id: uuid.UUID
    code: str
    ack_due_at: dt.datetime
    org_id: uuid.UUID | None = None  # the target enterprise
    org_path: str | None = None
    issuer_org_id: uuid.UUID | None = None


@event_type("warning.closed", source=SUPERVISION)
@frozen
class WarningClosed(Payload):
    warning_id: uuid.UUID
    code: str
    summary: str
    closed_at: dt.datetime
    not_acknowledged: list[uuid.UUID] = field(default_factory=list)  # targets that never answered
    org_id: uuid.UUID | None = None  # the issuing bureau
    org_path: str | None = None
