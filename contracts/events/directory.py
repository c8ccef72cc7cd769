"""What the gateway announces: the organisation directory the services keep a copy of (names, tree, heads)."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import field

from contracts.catalogue import GATEWAY
from contracts.events.payload import Payload, event_type, frozen


@frozen
class Person:
    """A unit's head (一把手) or a deputy in charge (分管领导), as rectification orders name them."""

    name: str
    title: str | None = None


@event_type("org.changed", source=GATEWAY)
@frozen
class OrgChanged(Payload):
    """An organisation created or changed, whole; `updated_at` orders copies, so a late one never overwrites.

    `path` is the codes from the root (`/ROOT/PD/ENT-001/`); a parent never changes, so neither does it.
    """

    org_id: uuid.UUID
    code: str
    name: str
    kind: str  # bureau, enterprise, custodian
    path: str
    updated_at: dt.datetime
    parent_id: uuid.UUID | None = None
    district: str | None = None
    industries: list[str] = field(default_factory=list)
    principal: Person | None = None
    deputies: list[Person] = field(default_factory=list)
    active: bool = True
