"""Hazards (事故隐患) found in inspections: recorded against the enterprise where they were found, listed, read."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import SUPERVISION
from contracts.events import HazardRecorded
from servicekit import outbox, owners
from servicekit.errors import InvalidInput
from servicekit.events import new_event
from servicekit.lookups import one
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.supervision.models import Hazard, OrgDirectory

BUREAU = "bureau"


def _org_field(data: Mapping[str, Any]) -> str:
    return "org_code" if data.get("org_id") is None and data.get("org_code") is not None else "org_id"


def record(data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime) -> Hazard:
    """A hazard of the enterprise named (`org_id`/`org_code`, in the caller's scope; default the caller's own)."""
    if data["found_at"] > now:
        raise InvalidInput({"found_at": ["Cannot lie in the future."]})
    org_id, org_path = owners.owner_for_new(data, session=session, actor=actor, directory=OrgDirectory,
                                            record="a hazard")
    org = owners.find_org(session, OrgDirectory, path=org_path)
    if org is not None and org.kind == BUREAU:
        # An inspector who leaves out the enterprise would otherwise file the hazard against their own bureau.
        raise InvalidInput({_org_field(data): [f"{org.code} ({org.name}) is a bureau; name the enterprise where "
                                               "the hazard was found."]})
    hazard = Hazard(id=uuid.uuid4(), title=data["title"], description=data["description"], level=data["level"],
                    location=data.get("location"), found_at=data["found_at"], found_by=data["found_by"],
                    org_id=org_id, org_path=org_path, actor_id=actor.id, actor_name=actor.name, created_at=now)
    session.add(hazard)
    session.flush()
    outbox.add(session, new_event(HazardRecorded(
        hazard_id=hazard.id, title=hazard.title, level=hazard.level, found_at=hazard.found_at,
        org_id=org_id, org_path=org_path), source=SUPERVISION))
    return hazard


def get(hazard_id: uuid.UUID, *, session: Session) -> Hazard:
    return one(session, Hazard, hazard_id, name="hazard")


def listing(*, session: Session, page: int, per_page: int, org_id: uuid.UUID | None = None,
            level: str | None = None) -> dict[str, Any]:
    """Hazards in the caller's scope, the latest found first."""
    query = select(Hazard).order_by(Hazard.found_at.desc(), Hazard.id)
    if org_id is not None:
        query = query.where(Hazard.org_id == org_id)
    if level is not None:
        query = query.where(Hazard.level == level)
    return page_of(session, query, page=page, per_page=per_page)
