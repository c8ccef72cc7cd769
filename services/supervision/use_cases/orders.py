"""Rectification orders (整改指令): issued by an inspector for hazards of one enterprise, signed for by its head or
deputy in charge, reported fixed, reviewed until closed (销号); listed with what is overdue computed on the day."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from contracts.catalogue import SUPERVISION
from contracts.events import RectificationAcknowledged, RectificationClosed, RectificationIssued
from servicekit import clock, outbox, owners
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from servicekit.lookups import one
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.supervision.domain import orders as rules
from services.supervision.use_cases import acting
from services.supervision.models import Hazard, OrderReview, OrgDirectory, RectificationOrder, order_hazards


def new_code(today: dt.date, order_id: uuid.UUID) -> str:
    """What people read, write on the paper order and say on the telephone: ZG (整改), the day, six characters."""
    return f"ZG-{today:%Y%m%d}-{order_id.hex[:6].upper()}"


def _announce(session: Session, kind: type, order: RectificationOrder, **extra: Any) -> None:
    outbox.add(session, new_event(kind(order_id=order.id, code=order.code, org_id=order.org_id,
                                       org_path=order.org_path, **extra), source=SUPERVISION))


def present(orders: Iterable[RectificationOrder], today: dt.date) -> None:
    """Say on each answer whether it is overdue on `today`, and by how many days: computed, never stored."""
    for order in orders:
        order.overdue = rules.is_overdue(order.status, order.due_date, today)
        order.days_overdue = rules.days_overdue(order.status, order.due_date, today)


def locked_hazards(session: Session, hazard_ids: Sequence[uuid.UUID]) -> list[Hazard]:
    """The hazards named, in the caller's scope, locked: two orders issued at once for one hazard queue here,
    so the second sees the first as open. 422 naming hazard_ids for any not found."""
    found = {hazard.id: hazard for hazard in session.scalars(
        select(Hazard).where(Hazard.id.in_(hazard_ids)).order_by(Hazard.id).with_for_update())}
    missing = [str(hazard_id) for hazard_id in hazard_ids if hazard_id not in found]
    if missing:
        raise InvalidInput({"hazard_ids": [f"No hazard in your scope with id {', '.join(missing)}."]})
    return [found[hazard_id] for hazard_id in hazard_ids]


def _refuse_hazards_under_open_orders(session: Session, hazards: Sequence[Hazard]) -> None:
    """A hazard is rectified under one order at a time: 409 naming those an open order already covers."""
    open_orders = session.execute(
        select(order_hazards.c.hazard_id, RectificationOrder.code)
        .join(RectificationOrder, RectificationOrder.id == order_hazards.c.order_id)
        .where(order_hazards.c.hazard_id.in_([hazard.id for hazard in hazards]),
               RectificationOrder.status != rules.CLOSED)).all()
    if open_orders:
        named = ", ".join(f"{hazard_id} (order {code})" for hazard_id, code in open_orders)
        raise Conflict(f"Hazards already under an open rectification order: {named}.",
                       hazard_ids=sorted({str(hazard_id) for hazard_id, _ in open_orders}))


def _named_owner(data: Mapping[str, Any], *, session: Session, actor: Actor) -> owners.Owner | None:
    """The enterprise named by `org_id`/`org_code` (403 outside the caller's scope), or None when none is."""
    if data.get("org_id") is None and data.get("org_code") is None:
        return None
    return owners.owner_for_new(data, session=session, actor=actor, directory=OrgDirectory,
                                record="a rectification order")


def _hazards_owner(hazards: Sequence[Hazard], named: owners.Owner | None) -> owners.Owner:
    """The enterprise the order goes to: the one named, else the hazards' own; every hazard must be that
    enterprise's (422 naming hazard_ids)."""
    if named is None:
        paths = {hazard.org_path for hazard in hazards}
        if len(paths) > 1:
            codes = ", ".join(sorted(owners.code_of(path) for path in paths))
            raise InvalidInput({"hazard_ids": [f"The hazards belong to several organisations ({codes}); an order "
                                               "goes to one: issue one order each."]})
        return hazards[0].org_id, hazards[0].org_path
    elsewhere = [str(hazard.id) for hazard in hazards if hazard.org_path != named[1]]
    if elsewhere:
        raise InvalidInput({"hazard_ids": [f"Not hazards of {owners.code_of(named[1])}: {', '.join(elsewhere)}."]})
    return named


def open_order(*, owner: owners.Owner, hazards: Sequence[Hazard], requirements: str, due_date: dt.date,
               issued_by: str, suspend_production: bool, relapse_of: RectificationOrder | None,
               session: Session, actor: Actor, now: dt.datetime, today: dt.date) -> RectificationOrder:
    """A new order in status issued for these hazards of one enterprise, announced as rectification.issued."""
    _refuse_hazards_under_open_orders(session, hazards)
    # In the order the answers read them back in (the relationship's), so the first answer is the same.
    hazards = sorted(hazards, key=lambda hazard: hazard.found_at)
    order_id = uuid.uuid4()
    org_id, org_path = owner
    order = RectificationOrder(
        id=order_id, code=new_code(today, order_id), requirements=requirements, due_date=due_date,
        issued_by=issued_by, issued_at=now, suspend_production=suspend_production, status=rules.ISSUED,
        relapse_of_id=relapse_of.id if relapse_of is not None else None, org_id=org_id, org_path=org_path,
        actor_id=actor.id, actor_name=actor.name, created_at=now, updated_at=now, hazards=list(hazards), reviews=[])
    session.add(order)
    session.flush()
    _announce(session, RectificationIssued, order, due_date=due_date, issued_by=issued_by,
              hazard_ids=[hazard.id for hazard in hazards], suspend_production=suspend_production,
              relapse_of=order.relapse_of_id)
    return order


def issue(data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime,
          today: dt.date) -> RectificationOrder:
    """An order for hazards of one enterprise (named, or the hazards' own), due on a day not yet past."""
    if data["due_date"] < today:
        raise InvalidInput({"due_date": ["Cannot lie in the past."]})
    named = _named_owner(data, session=session, actor=actor)
    hazards = locked_hazards(session, list(dict.fromkeys(data["hazard_ids"])))
    owner = _hazards_owner(hazards, named)
    acting.as_a_bureau_above(session, actor, [owner[1]], action="order it to rectify")
    order = open_order(owner=owner, hazards=hazards, requirements=data["requirements"], due_date=data["due_date"],
                       issued_by=data["issued_by"], suspend_production=data["suspend_production"],
                       relapse_of=None, session=session, actor=actor, now=now, today=today)
    present([order], today)
    return order


def get(order_id: uuid.UUID, *, session: Session, today: dt.date) -> RectificationOrder:
    order = one(session, RectificationOrder, order_id, name="rectification order")
    present([order], today)
    return order


def _locked(session: Session, order_id: uuid.UUID) -> RectificationOrder:
    """The order for a step, locked and read under the caller's scope (404 beyond it)."""
    return one(session, RectificationOrder, order_id, name="rectification order", for_update=True)


def acknowledge(order_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime,
                today: dt.date) -> RectificationOrder:
    """The enterprise's head or a deputy in charge signs for the order, as the directory registers them."""
    order = _locked(session, order_id)
    acting.for_the_enterprise(session, actor, order.org_path, action="sign for its rectification order")
    status = rules.next_status("acknowledge", order.status)
    org = owners.find_org(session, OrgDirectory, path=order.org_path)
    if org is None:  # org.changed has not reached this service yet: a moment later it will have
        raise InvalidInput({"signed_by": [f"Who heads {owners.code_of(order.org_path)} is not known here yet; "
                                          "retry in a moment."]})
    rules.check_signatory(data["signed_by"], data["position"], org=f"{org.code} ({org.name})",
                          principal=org.principal, deputies=org.deputies)
    order.status, order.signed_by, order.signed_position = status, data["signed_by"].strip(), data["position"]
    order.acknowledged_at = now
    _announce(session, RectificationAcknowledged, order, signed_by=order.signed_by, position=order.signed_position)
    present([order], today)
    return order


def report(order_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime,
           today: dt.date) -> RectificationOrder:
    """The enterprise reports the hazards fixed, with what it did and when it finished."""
    order = _locked(session, order_id)
    acting.for_the_enterprise(session, actor, order.org_path, action="report its rectification order done")
    status = rules.next_status("report", order.status)
    completed_at = data["completed_at"]
    if completed_at > now:
        raise InvalidInput({"completed_at": ["Cannot lie in the future."]})
    if clock.local_today(at=completed_at) < clock.local_today(at=order.issued_at):
        raise InvalidInput({"completed_at": [f"Cannot lie before the order was issued "
                                             f"({clock.local_today(at=order.issued_at).isoformat()})."]})
    order.status, order.measures, order.completed_at, order.reported_at = status, data["measures"], completed_at, now
    present([order], today)
    return order


def review(order_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime,
           today: dt.date) -> RectificationOrder:
    """Passed closes the order (销号); failed sends it back to be fixed by a new due date, after today."""
    order = _locked(session, order_id)
    acting.as_a_bureau_above(session, actor, [order.org_path], action="review its rectification order")
    status = rules.status_after_review(order.status, data["result"])
    new_due_date = data.get("new_due_date")
    if data["result"] == rules.FAILED and new_due_date <= today:
        raise InvalidInput({"new_due_date": [f"Must lie after today ({today.isoformat()})."]})
    order.reviews.append(OrderReview(
        id=uuid.uuid4(), order_id=order.id, reviewer=data["reviewer"], result=data["result"], note=data.get("note"),
        previous_due_date=order.due_date, new_due_date=new_due_date, reviewed_at=now, org_id=order.org_id,
        org_path=order.org_path, actor_id=actor.id, actor_name=actor.name))
    order.status = status
    if status == rules.CLOSED:
        order.closed_at, order.closed_by = now, data["reviewer"]
        _announce(session, RectificationClosed, order, reviewer=data["reviewer"], closed_at=now)
    else:
        order.due_date = new_due_date
    present([order], today)
    return order


def listing(*, session: Session, today: dt.date, page: int, per_page: int, status: str | None = None,
            org_id: uuid.UUID | None = None, overdue: bool | None = None,
            hazard_id: uuid.UUID | None = None) -> dict[str, Any]:
    """Orders in the caller's scope, the latest issued first; `overdue` on `today` (past due and not closed)."""
    query = select(RectificationOrder).order_by(RectificationOrder.issued_at.desc(), RectificationOrder.id)
    if status is not None:
        query = query.where(RectificationOrder.status == status)
    if org_id is not None:
        query = query.where(RectificationOrder.org_id == org_id)
    if hazard_id is not None:
        query = query.where(RectificationOrder.id.in_(
            select(order_hazards.c.order_id).where(order_hazards.c.hazard_id == hazard_id)))
    if overdue is not None:
        past_due = (RectificationOrder.status != rules.CLOSED) & (RectificationOrder.due_date < today)
        query = query.where(past_due if overdue else or_(RectificationOrder.status == rules.CLOSED,
                                                          RectificationOrder.due_date >= today))
    result = page_of(session, query, page=page, per_page=per_page)
    present(result["items"], today)
    return result
