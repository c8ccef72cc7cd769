"""Drills: schedule one against an approved plan, read, filter, change it before it starts."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import DRILLS
from contracts.events import DrillScheduled, Line
from servicekit import outbox
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.signing import Actor
from servicekit.lookups import one
from services.drills.domain import lifecycle
from services.drills.domain.lines import merge_lines
from services.drills.models import Drill
from services.drills.use_cases import approved_plans
from services.drills.use_cases.catalog import name_items
from services.drills.use_cases.upcoming import upcoming_clause

SCHEDULE_FIELDS = ("scheduled_start", "scheduled_end", "resources")


def stored_lines(lines: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Lines as JSON the database keeps exactly: one per item, the quantity as decimal text."""
    return [{"item_id": item_id, "quantity": str(quantity)} for item_id, quantity in merge_lines(lines).items()]


def event_lines(lines: Iterable[Mapping[str, Any]] | None) -> list[Line]:
    """Stored lines (stored_lines) as an event's."""
    return [Line(item_id=uuid.UUID(line["item_id"]), quantity=Decimal(line["quantity"])) for line in lines or ()]


def _check_window(start: dt.datetime, end: dt.datetime) -> None:
    if end <= start:
        raise InvalidInput({"scheduled_end": ["Must be after scheduled_start."]})


def get(drill_id: uuid.UUID, *, session: Session, for_update: bool = False) -> Drill:
    return one(session, Drill, drill_id, name="drill", for_update=for_update)


def schedule(drill: Drill, *, session: Session) -> None:
    """Ask the resources service for the drill's stock (again): every older answer is now stale.

    The caller holds the drill's row (or has just created it), so revisions count up without gaps
    or repeats; the resources service orders reschedules by `schedule_revision`, not by clocks.
    """
    drill.schedule_revision = (drill.schedule_revision or 0) + 1
    event = new_event(DrillScheduled(
        drill_id=drill.id, plan_id=drill.plan_id, resources=event_lines(drill.resources),
        scheduled_start=drill.scheduled_start, scheduled_end=drill.scheduled_end,
        schedule_revision=drill.schedule_revision, org_id=drill.org_id, org_path=drill.org_path), source=DRILLS)
    drill.status = lifecycle.status_after_scheduling(drill.resources)
    drill.schedule_event_id = uuid.UUID(event.id)
    drill.reservation_id = drill.reservation_status = drill.shortfall = None
    drill.stock_rose_while_waiting = False  # this request sees every rise so far
    outbox.add(session, event)


def create(data: Mapping[str, Any], *, session: Session, actor: Actor, plan: approved_plans.PlanCheck) -> Drill:
    """Schedule a drill for the plan's organisation; `plan` is the plan looked up before this transaction
    (approved_plans.look_up, which answers 404 for a plan outside the caller's scope)."""
    _check_window(data["scheduled_start"], data["scheduled_end"])
    org_id, org_path = approved_plans.require_approved(data["plan_id"], session=session, checked=plan)
    drill = Drill(id=uuid.uuid4(), plan_id=data["plan_id"], org_id=org_id, org_path=org_path,
                  title=data["title"], form=data["form"],
                  scope=data["scope"], scheduled_start=data["scheduled_start"], scheduled_end=data["scheduled_end"],
                  location=data.get("location"), organizer=data.get("organizer"),
                  participants=list(data.get("participants") or []), scenario=data.get("scenario"),
                  resources=stored_lines(data.get("resources") or []), created_by=actor.id,
                  created_by_name=actor.name, schedule_revision=0)
    schedule(drill, session=session)
    session.add(drill)
    session.flush()
    return drill


def look_up_new_plan(drill_id: uuid.UUID, changes: Mapping[str, Any], *, read_session,
                     lookup: approved_plans.PlanLookup, actor: Actor | None) -> approved_plans.PlanCheck | None:
    """Before the write transaction: the plan a change moves the drill to (None when it keeps its plan)."""
    if "plan_id" not in changes:
        return None
    with read_session() as session:
        current = session.scalar(select(Drill.plan_id).where(Drill.id == drill_id))
    if current == changes["plan_id"]:
        return None
    return approved_plans.look_up(changes["plan_id"], read_session=read_session, lookup=lookup, actor=actor)


def update(drill_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session,
           new_plan: approved_plans.PlanCheck | None) -> Drill:
    """Change a drill before it starts; a new time or new resources re-ask for the stock."""
    drill = get(drill_id, session=session, for_update=True)
    if drill.status not in lifecycle.NOT_STARTED:
        raise Conflict(f"Drill {drill_id} is {drill.status}; it can be changed only before it starts.")
    if "plan_id" in changes and changes["plan_id"] != drill.plan_id:
        # Not started, so nothing of the drill's is written yet but itself: it moves to the new plan's organisation.
        drill.org_id, drill.org_path = approved_plans.require_approved(changes["plan_id"], session=session,
                                                                       checked=new_plan)
    _check_window(changes.get("scheduled_start", drill.scheduled_start),
                  changes.get("scheduled_end", drill.scheduled_end))
    if "resources" in changes:
        changes = {**changes, "resources": stored_lines(changes["resources"] or [])}
    reschedule = any(name in changes and changes[name] != getattr(drill, name) for name in SCHEDULE_FIELDS)
    # A short drill given its resources again, even unchanged, is asked for: the stock may have come in.
    reschedule = reschedule or ("resources" in changes and drill.status == lifecycle.RESOURCE_SHORTFALL)
    for name, value in changes.items():
        setattr(drill, name, list(value) if name == "participants" else value)
    if reschedule:
        schedule(drill, session=session)
    session.flush()
    return drill


def retry_reservation(drill_id: uuid.UUID, *, session: Session) -> Drill:
    """Ask the resources service again for a drill short of stock (409 from any other status)."""
    drill = get(drill_id, session=session, for_update=True)
    lifecycle.next_drill_status("retry_reservation", drill.status)
    schedule(drill, session=session)
    session.flush()
    return drill


def list_drills(*, session: Session, page: int, per_page: int, plan_id: uuid.UUID | None = None,
                status: str | None = None, starts_from: dt.datetime | None = None,
                starts_to: dt.datetime | None = None, upcoming: bool | None = None,
                now: dt.datetime | None = None) -> dict[str, Any]:
    """Drills by scheduled start; `from`/`to` keep those whose window overlaps [from, to]; `upcoming` those
    still ahead at `now` (true) or not (false), by use_cases/upcoming.py."""
    query = select(Drill).order_by(Drill.scheduled_start, Drill.id)
    if upcoming is not None:
        ahead = upcoming_clause(now)
        query = query.where(ahead if upcoming else ~ahead)
    if plan_id is not None:
        query = query.where(Drill.plan_id == plan_id)
    if status is not None:
        query = query.where(Drill.status == status)
    if starts_from is not None:
        query = query.where(Drill.scheduled_end >= starts_from)
    if starts_to is not None:
        query = query.where(Drill.scheduled_start <= starts_to)
    result = page_of(session, query, page=page, per_page=per_page)
    name_items(session, (line.get("item_id") for drill in result["items"]
                         for line in (drill.resources or []) + (drill.consumed or []) + (drill.shortfall or [])))
    return result
