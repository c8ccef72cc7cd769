"""Look-backs (回头看): a later re-check of closed orders. Held leaves them closed; relapsed opens a new order for
each, for the same hazards, issued by the checker and pointing back at the order that did not hold.

A look-back belongs to the nearest organisation above all its orders (the enterprise itself when they are all
one enterprise's), and so does each of its lines: whoever sees the look-back sees every line of it.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import owners, scope
from servicekit.errors import Conflict, InvalidInput, OutsideScope
from servicekit.lookups import one
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.supervision.domain import orders as rules
from services.supervision.models import FollowUp, FollowUpOrder, OrgDirectory, RectificationOrder
from services.supervision.use_cases import acting, orders


def _refusals(session: Session, found: Sequence[RectificationOrder]) -> dict[str, list[RectificationOrder]]:
    """Why some orders cannot be looked back at: not closed yet, awaiting another look-back already, or already
    found relapsed (their new order is the one to look back at)."""
    ids = [order.id for order in found]
    # System-wide on purpose: the orders were found in the caller's scope and are locked, but a look-back or a
    # relapse of them may belong to a bureau above the caller (a look-back over two districts' enterprises).
    awaiting = set(session.scalars(
        select(FollowUpOrder.order_id).join(FollowUp, FollowUp.id == FollowUpOrder.follow_up_id)
        .where(FollowUpOrder.order_id.in_(ids), FollowUp.status == rules.SCHEDULED)
        .execution_options(**scope.ALL_SCOPES)))
    relapsed = set(session.scalars(select(RectificationOrder.relapse_of_id)
                                   .where(RectificationOrder.relapse_of_id.in_(ids))
                                   .execution_options(**scope.ALL_SCOPES)))
    return {"not closed": [order for order in found if order.status != rules.CLOSED],
            "already awaiting a look-back": [order for order in found if order.id in awaiting],
            "already found relapsed (look back at its new order)": [order for order in found if order.id in relapsed]}


def schedule(data: Mapping[str, Any], *, session: Session, actor: Actor, today: dt.date) -> FollowUp:
    """A look-back at closed orders in the caller's scope, due on a day not yet past."""
    if data["due_date"] < today:
        raise InvalidInput({"due_date": ["Cannot lie in the past."]})
    order_ids = list(dict.fromkeys(data["order_ids"]))
    found = {order.id: order for order in session.scalars(
        select(RectificationOrder).where(RectificationOrder.id.in_(order_ids)).order_by(RectificationOrder.id)
        .with_for_update())}
    missing = [str(order_id) for order_id in order_ids if order_id not in found]
    if missing:
        raise InvalidInput({"order_ids": [f"No rectification order in your scope with id {', '.join(missing)}."]})
    acting.as_a_bureau_above(session, actor, [order.org_path for order in found.values()],
                             action="look back at its orders")
    refused = {reason: named for reason, named in _refusals(session, list(found.values())).items() if named}
    if refused:
        why = "; ".join(f"{reason}: {', '.join(order.code for order in named)}" for reason, named in refused.items())
        raise Conflict(f"Only closed orders are looked back at, once at a time. {why}.",
                       order_ids=sorted({str(order.id) for named in refused.values() for order in named}))
    org_id, org_path = owners.common_owner(session, OrgDirectory, {order.org_path for order in found.values()})
    follow_up = FollowUp(
        id=uuid.uuid4(), due_date=data["due_date"], note=data.get("note"), status=rules.SCHEDULED, org_id=org_id,
        org_path=org_path, actor_id=actor.id, actor_name=actor.name,
        orders=[FollowUpOrder(id=uuid.uuid4(), position=position, order_id=order_id, org_id=org_id,
                              org_path=org_path) for position, order_id in enumerate(order_ids)])
    session.add(follow_up)
    session.flush()
    present(session, [follow_up], today)
    return follow_up


def record_result(follow_up_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
                  now: dt.datetime, today: dt.date) -> FollowUp:
    """Held leaves the orders closed; relapsed opens a new order for each (due `new_due_date`, else 30 days on)."""
    follow_up = one(session, FollowUp, follow_up_id, name="look-back", for_update=True)
    looked_at = session.scalars(select(RectificationOrder.org_path).where(
        RectificationOrder.id.in_([line.order_id for line in follow_up.orders])))
    acting.as_a_bureau_above(session, actor, looked_at, action="record a look-back's result")
    result = rules.result_of_look_back(follow_up.status, data["result"])
    chosen = data.get("new_due_date")
    if chosen is not None and chosen <= today:
        raise InvalidInput({"new_due_date": [f"Must lie after today ({today.isoformat()})."]})
    if result == rules.RELAPSED:
        due_date = rules.relapse_due_date(today, chosen)
        for line in follow_up.orders:
            line.new_order_id = _relapse(line.order_id, due_date=due_date, checker=data["checker"],
                                         session=session, actor=actor, now=now, today=today).id
    follow_up.status, follow_up.checker, follow_up.result_note = result, data["checker"], data.get("note")
    follow_up.checked_at = now
    session.flush()
    present(session, [follow_up], today)
    return follow_up


def _relapse(order_id: uuid.UUID, *, due_date: dt.date, checker: str, session: Session, actor: Actor,
             now: dt.datetime, today: dt.date) -> RectificationOrder:
    """The new order for a closed order's hazards, as it was ordered before, issued by the checker."""
    original = session.get(RectificationOrder, order_id)
    if original is None:  # a look-back spanning enterprises, seen by a caller whose own scope misses one of them
        raise OutsideScope(f"Rectification order {order_id} of this look-back lies outside your scope; a caller "
                           "who reaches every order it names records its result.")
    hazards = orders.locked_hazards(session, [hazard.id for hazard in original.hazards])
    return orders.open_order(
        owner=(original.org_id, original.org_path), hazards=hazards, requirements=original.requirements,
        due_date=due_date, issued_by=checker, suspend_production=original.suspend_production, relapse_of=original,
        session=session, actor=actor, now=now, today=today)


def present(session: Session, follow_ups: Iterable[FollowUp], today: dt.date) -> None:
    """Name each line's order and new order (`{id, code, status}`) and say whether the look-back is overdue."""
    follow_ups = list(follow_ups)
    ids = {order_id for follow_up in follow_ups for line in follow_up.orders
           for order_id in (line.order_id, line.new_order_id) if order_id is not None}
    # System-wide on purpose: the look-back is in the caller's scope, and it names its own orders whole.
    named = {row.id: {"id": row.id, "code": row.code, "status": row.status} for row in session.execute(
        select(RectificationOrder.id, RectificationOrder.code, RectificationOrder.status)
        .where(RectificationOrder.id.in_(ids)).execution_options(**scope.ALL_SCOPES))} if ids else {}
    for follow_up in follow_ups:
        follow_up.overdue = rules.look_back_overdue(follow_up.status, follow_up.due_date, today)
        for line in follow_up.orders:
            line.order = named.get(line.order_id)
            line.new_order = named.get(line.new_order_id)


def get(follow_up_id: uuid.UUID, *, session: Session, today: dt.date) -> FollowUp:
    follow_up = one(session, FollowUp, follow_up_id, name="look-back")
    present(session, [follow_up], today)
    return follow_up


def listing(*, session: Session, today: dt.date, page: int, per_page: int, status: str | None = None,
            order_id: uuid.UUID | None = None, overdue: bool | None = None) -> dict[str, Any]:
    """Look-backs in the caller's scope, the soonest due first; `order_id` keeps those naming that order."""
    query = select(FollowUp).order_by(FollowUp.due_date, FollowUp.created_at, FollowUp.id)
    if status is not None:
        query = query.where(FollowUp.status == status)
    if order_id is not None:
        query = query.where(FollowUp.id.in_(select(FollowUpOrder.follow_up_id)
                                            .where(FollowUpOrder.order_id == order_id)))
    if overdue is not None:
        late = (FollowUp.status == rules.SCHEDULED) & (FollowUp.due_date < today)
        query = query.where(late if overdue else ~late)
    result = page_of(session, query, page=page, per_page=per_page)
    present(session, result["items"], today)
    return result
