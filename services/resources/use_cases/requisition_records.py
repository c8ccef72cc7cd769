"""Finding a requisition for a caller, which side the caller stands on, and naming what an answer shows.

Who sees one is the scope rule's (a `Shared` record: either organisation's reach, servicekit/scope.py). Which
side a caller stands on is decided here, by the caller's own organisation: the requesting organisation's people
receive and return, the supplying organisation's approve, reject and dispatch. A bureau above both reaches the
record but acts only for its own organisation, and a unit below a side is not that side.
"""
from __future__ import annotations

import uuid
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import scope
from servicekit.errors import Conflict, NotFound
from servicekit.lookups import prime_references
from servicekit.owners import code_of, find_org
from servicekit.signing import Actor
from services.resources.domain.requisitions import REQUESTING, SUPPLYING
from services.resources.models import Item, OrgDirectory, Warehouse
from services.resources.requisition_models import Requisition, RequisitionStep
from services.resources.use_cases.catalog import item_reference, warehouse_reference


def sides_of(requisition: Requisition, actor: Actor) -> list[str]:
    """The sides the caller acts for: its own organisation's, not its scope's reach. A caller without an
    organisation (a service, the command line) acts for both."""
    path = actor.org_path
    if not path:
        return [REQUESTING, SUPPLYING]
    return [side for side, org_path in ((REQUESTING, requisition.org_path),
                                        (SUPPLYING, requisition.counterpart_org_path)) if path == org_path]


def requisition_holding(session: Session, reservation_id: uuid.UUID) -> str | None:
    """The code of the requisition a reservation holds stock for, if it is one's."""
    # System-wide on purpose: the caller already found the reservation in its scope; only the holder's code is told.
    return session.scalar(select(Requisition.code).where(Requisition.reservation_id == reservation_id)
                          .execution_options(**scope.ALL_SCOPES))


def held_for_requisition(session: Session, reservation_id: uuid.UUID) -> bool:
    return requisition_holding(session, reservation_id) is not None


def refuse_if_held_for_one(session: Session, reservation_id: uuid.UUID) -> None:
    """A requisition's hold is given back or used only by the requisition's own steps (cancel, dispatch): released
    or consumed directly, the requisition would be left approved with nothing to dispatch."""
    holder = requisition_holding(session, reservation_id)
    if holder is not None:
        raise Conflict(f"This stock is held for requisition {holder}; cancel or dispatch the requisition instead.",
                       requisition_code=holder)


def took(requisition: Requisition, action: str, actor: Actor, at) -> None:
    """Remember who took a step and when (the answer's `history`)."""
    requisition.history.append(RequisitionStep(action=action, actor_id=actor.id, actor_name=actor.name, at=at))


def locked(session: Session, requisition_id: uuid.UUID) -> Requisition:
    """The requisition, locked for a step, read under the caller's scope (404 beyond it). Every step locks it
    before any stock, so two steps on one requisition wait for each other and never on stock first."""
    found = session.get(Requisition, requisition_id, with_for_update=True, populate_existing=True)
    if found is None:
        raise NotFound(f"No requisition {requisition_id}.")
    return found


def get(session: Session, requisition_id: uuid.UUID) -> Requisition:
    found = session.get(Requisition, requisition_id)
    if found is None:
        raise NotFound(f"No requisition {requisition_id}.")
    return found


def org_named(session: Session, org_id: uuid.UUID | None, path: str) -> dict[str, Any]:
    """`{id, code, name}` of an organisation: the code from its path, the name from the directory copy."""
    found = find_org(session, OrgDirectory, path=path)
    return {"id": found.id if found else org_id, "code": code_of(path), "name": found.name if found else None}


def present(session: Session, actor: Actor, requisitions: Iterable[Requisition]) -> None:
    """Name everything the answers show, whichever side's depots they lie in, and say the caller's sides.

    The depots are the supplying organisation's, beyond a requesting caller's scope; the record's own rule
    already let the caller see the requisition, and so what it names (read here system-wide on purpose)."""
    requisitions = list(requisitions)
    item_ids, depot_ids = set(), set()
    for requisition in requisitions:
        for row in (*requisition.lines, *requisition.allocations, *requisition.returns):
            item_ids.add(row.item_id)
            if row.warehouse_id is not None:
                depot_ids.add(row.warehouse_id)
    with scope.lifted():
        if item_ids:
            prime_references(item_reference, [{"id": i.id, "code": i.code, "name": i.name, "unit": i.unit}
                                              for i in session.scalars(select(Item).where(Item.id.in_(item_ids)))])
        if depot_ids:
            prime_references(warehouse_reference, [
                {"id": w.id, "code": w.code, "name": w.name}
                for w in session.scalars(select(Warehouse).where(Warehouse.id.in_(depot_ids)))])
    for requisition in requisitions:
        # Plain attributes beside the mapped ones, for the answer's schema only.
        requisition.sides = sides_of(requisition, actor)
        requisition.requesting_org = org_named(session, requisition.org_id, requisition.org_path)
        requisition.supplying_org = org_named(session, requisition.counterpart_org_id, requisition.counterpart_org_path)
