"""Requisitions (动用申请): one organisation asks another for stock; the supplier approves (holding it first-expiry-
first-out from its own depots, all or nothing), rejects, or either side cancels before it leaves. The supplier's
depots are its own, not those of the organisations below it: a city gives the city's reserve, never a district's.

What happens after approval (dispatch, receipt, return) is use_cases/requisition_shipping.py.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.events import RequisitionApproved
from servicekit import owners, scope
from servicekit.errors import InvalidInput, errors_at
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.resources.domain import requisitions as rules
from services.resources.models import Item, Lot, OrgDirectory, Warehouse
from services.resources.requisition_models import Requisition, RequisitionAllocation, RequisitionLine
from services.resources.use_cases import reservations
from services.resources.use_cases.requisition_events import announce
from services.resources.use_cases import requisition_records as records
from services.resources.use_cases.requisition_records import locked, present, sides_of, took

CANCELLED_HOLD = "requisition cancelled"


def new_code(today: dt.date, requisition_id: uuid.UUID) -> str:
    """What people read and say on the telephone: the day it was made and six characters of its id."""
    return f"REQ-{today:%Y%m%d}-{requisition_id.hex[:6].upper()}"


def _supplier(data: Mapping[str, Any], session: Session, requesting_path: str) -> OrgDirectory:
    """The organisation asked: the one named, else the requester's parent (use your own level's stock first,
    then apply upward)."""
    org_id, org_code = data.get("supplying_org_id"), data.get("supplying_org_code")
    field = "supplying_org_code" if org_id is None and org_code is not None else "supplying_org_id"
    if org_id is None and org_code is None:
        # The path names the parent (codes never change), even before the parent's own org.changed arrives.
        above = requesting_path.rstrip("/").rsplit("/", 1)[0] + "/"
        if above == "/":
            raise InvalidInput({field: ["Your organisation has no parent to ask; name the supplying organisation."]})
        parent = owners.find_org(session, OrgDirectory, path=above)
        if parent is None:  # org.changed has not arrived yet: a moment later it will have
            raise InvalidInput({field: [f"Organisation {owners.code_of(above)} is not known yet; retry in a moment."]})
        return parent
    found = owners.find_org(session, OrgDirectory, org_id=org_id, code=None if org_id is not None else org_code)
    if found is None:
        raise InvalidInput({field: [f"Organisation {org_id or org_code} is not known yet; retry in a moment."]})
    if org_id is not None and org_code is not None and found.code != org_code:
        raise InvalidInput({"supplying_org_code": [f"Names another organisation than supplying_org_id ({found.code})."]})
    if not found.active:
        raise InvalidInput({field: [f"Organisation {found.code} is deactivated."]})
    if found.path == requesting_path:
        raise InvalidInput({field: ["A requisition asks another organisation; issue your own stock instead."]})
    return found


def _supplier_depot(session: Session, line: Mapping[str, Any], at: tuple, supplier: OrgDirectory) -> uuid.UUID | None:
    """The depot a line names (by id or code), which must be one of the supplier's, else None."""
    warehouse_id, code = line.get("warehouse_id"), line.get("warehouse_code")
    if warehouse_id is None and code is None:
        return None
    # The supplier's depots lie beyond a requester's scope; only whether one is the supplier's is told.
    query = select(Warehouse).execution_options(**scope.ALL_SCOPES)
    depot = session.scalar(query.where(Warehouse.id == warehouse_id) if warehouse_id is not None
                           else query.where(Warehouse.code == code))
    if depot is None or depot.org_path != supplier.path or not depot.active:
        field = "warehouse_id" if warehouse_id is not None else "warehouse_code"
        raise InvalidInput(errors_at(((*at, field), f"Not an active depot of {supplier.code} ({supplier.name}).")))
    if code is not None and warehouse_id is not None and depot.code != code:
        raise InvalidInput(errors_at(((*at, "warehouse_code"), "Names another depot than warehouse_id.")))
    return depot.id


def _checked_lines(session: Session, lines: Sequence[Mapping[str, Any]], supplier: OrgDirectory) -> list[RequisitionLine]:
    items = {item.id: item for item in session.scalars(select(Item).where(Item.id.in_({l["item_id"] for l in lines})))}
    checked, seen = [], set()
    for position, line in enumerate(lines):
        at = ("lines", position)
        item = items.get(line["item_id"])
        if item is None:
            raise InvalidInput(errors_at(((*at, "item_id"), f"No item {line['item_id']}.")))
        if item.id in seen:  # each line's totals are the item's (dispatched, received, returned): one line per item
            raise InvalidInput(errors_at(((*at, "item_id"), f"{item.code} is asked for on an earlier line; "
                                                            "ask for each item once.")))
        seen.add(item.id)
        if item.kind == "equipment" and line["quantity"] != line["quantity"].to_integral_value():
            raise InvalidInput(errors_at(((*at, "quantity"), f"{item.code} is equipment, asked for in whole units.")))
        checked.append(RequisitionLine(position=position, item_id=item.id, quantity=line["quantity"],
                                       warehouse_id=_supplier_depot(session, line, at, supplier)))
    return checked


def create(data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime,
           today: dt.date) -> Requisition:
    """A new requisition from the caller's organisation; urgent with an approver, approved at once."""
    if data.get("approved_by") and not data.get("urgent"):
        raise InvalidInput({"approved_by": ["Only an urgent requisition is approved as it is made; "
                                            "otherwise the supplying organisation approves it."]})
    if data["needed_by"] < today:
        raise InvalidInput({"needed_by": ["Cannot lie in the past."]})
    org_id, org_path = owners.caller_owner(session, OrgDirectory, actor)
    supplier = _supplier(data, session, org_path)
    if data.get("approved_by") and not org_path.startswith(supplier.path):
        # Approved by telephone is the word of a bureau above the requester (apply upward); anyone else's stock is
        # held only when that organisation approves it itself.
        raise InvalidInput({"approved_by": [f"Only an organisation above yours is approved by telephone as you ask; "
                                            f"{supplier.code} approves this requisition itself."]})
    requisition_id = uuid.uuid4()
    requisition = Requisition(
        id=requisition_id, code=new_code(today, requisition_id), purpose=data["purpose"], status=rules.SUBMITTED,
        urgent=bool(data.get("urgent")), incident_ref=data.get("incident_ref"), destination=data["destination"],
        needed_by=data["needed_by"], note=data.get("note"), org_id=org_id, org_path=org_path,
        counterpart_org_id=supplier.id, counterpart_org_path=supplier.path, actor_id=actor.id, actor_name=actor.name,
        lines=_checked_lines(session, data["lines"], supplier))
    took(requisition, "submitted", actor, now)
    session.add(requisition)
    session.flush()
    if requisition.urgent and data.get("approved_by"):
        # Approved by telephone: the requester records it; the stock is drawn as the supplier would.
        _hold(requisition, approved_by=data["approved_by"], note=None, at_submission=True,
              session=session, actor=actor, now=now, today=today)
    present(session, actor, [requisition])
    return requisition


def _hold(requisition: Requisition, *, approved_by: str, note: str | None, at_submission: bool,
          session: Session, actor: Actor, now: dt.datetime, today: dt.date) -> None:
    """Hold every line first-expiry-first-out from the supplier's depots (409 `shortfall`, nothing held)."""
    lines = [{"item_id": l.item_id, "quantity": l.quantity, "warehouse_id": l.warehouse_id} for l in requisition.lines]
    supplier = (requisition.counterpart_org_id, requisition.counterpart_org_path)
    with scope.lifted():  # the record's rule chose the caller; the stock is the supplier's, whoever asks
        held = reservations.reserve(lines, reference=requisition.code, expires_at=None, session=session,
                                    actor=actor, now=now, today=today, within=supplier, own_depots_only=True)
        lots = {lot.id: lot for lot in session.scalars(
            select(Lot).where(Lot.id.in_({a.lot_id for a in held.allocations})))}
    requisition.allocations = [
        RequisitionAllocation(position=a.position, lot_id=a.lot_id, warehouse_id=a.warehouse_id, item_id=a.item_id,
                              quantity=a.quantity, batch_no=lots[a.lot_id].batch_no, expiry_date=a.expiry_date)
        for a in held.allocations]
    requisition.reservation_id = held.id
    requisition.status = rules.APPROVED
    requisition.approved_by, requisition.approved_at, requisition.approval_note = approved_by, now, note
    requisition.approved_at_submission = at_submission
    took(requisition, "approved", actor, now)
    session.flush()
    announce(session, RequisitionApproved, requisition, approved_by=approved_by, approved_at=now,
             approved_at_submission=at_submission)


def approve(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
            now: dt.datetime, today: dt.date) -> Requisition:
    requisition = locked(session, requisition_id)
    rules.next_status("approve", requisition.status, sides_of(requisition, actor))
    _hold(requisition, approved_by=data["approved_by"], note=data.get("note"), at_submission=False,
          session=session, actor=actor, now=now, today=today)
    present(session, actor, [requisition])
    return requisition


def reject(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
           now: dt.datetime) -> Requisition:
    requisition = locked(session, requisition_id)
    requisition.status = rules.next_status("reject", requisition.status, sides_of(requisition, actor))
    requisition.rejected_reason, requisition.rejected_at = data["reason"], now
    took(requisition, "rejected", actor, now)
    present(session, actor, [requisition])
    return requisition


def cancel(requisition_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
           now: dt.datetime) -> Requisition:
    """Withdrawn (by the requester) or called off (by the supplier) before anything left: the hold goes back."""
    requisition = locked(session, requisition_id)
    requisition.status = rules.next_status("cancel", requisition.status, sides_of(requisition, actor))
    if requisition.reservation_id is not None:
        with scope.lifted():  # the hold is on the supplier's depots, whichever side cancels
            reservations.release(requisition.reservation_id, session=session, actor=actor, now=now,
                                 reason=CANCELLED_HOLD)
    requisition.cancelled_reason, requisition.cancelled_at = data["reason"], now
    took(requisition, "cancelled", actor, now)
    present(session, actor, [requisition])
    return requisition


def get(requisition_id: uuid.UUID, *, session: Session, actor: Actor) -> Requisition:
    requisition = records.get(session, requisition_id)
    present(session, actor, [requisition])
    return requisition


def listing(*, session: Session, actor: Actor, page: int, per_page: int, status: str | None = None,
            purpose: str | None = None, requesting_org_id: uuid.UUID | None = None,
            supplying_org_id: uuid.UUID | None = None, side: str | None = None) -> dict[str, Any]:
    """Newest first; `side` keeps those where the caller's own organisation is the requesting or supplying one."""
    query = select(Requisition).order_by(Requisition.created_at.desc(), Requisition.id)
    for column, value in ((Requisition.status, status), (Requisition.purpose, purpose),
                          (Requisition.org_id, requesting_org_id), (Requisition.counterpart_org_id, supplying_org_id)):
        if value:
            query = query.where(column == value)
    if side and actor.org_path:
        # The caller stands on the side whose organisation is its own (records.sides_of).
        column = Requisition.org_path if side == rules.REQUESTING else Requisition.counterpart_org_path
        query = query.where(column == actor.org_path)
    result = page_of(session, query, page=page, per_page=per_page)
    present(session, actor, result["items"])
    return result
