"""What the printed stock ledger (物资台账) of one depot shows for a period: per item, the balance on hand at the
period's start, every movement of stock on hand in it with the balance after each, and the balance at its end."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from servicekit.documents import Document, organisation
from servicekit.errors import InvalidInput
from servicekit.schemas import day_bound
from services.resources.models import Item, Movement, OrgDirectory
from services.resources.use_cases.catalog import get_warehouse
from services.resources.use_cases.stock import movement_query

LEDGER_TITLE = "物资台账"
# A ledger longer than this is not read on paper, and would hold a web worker for minutes: 422, ask for less.
MAX_LINES = 5_000
ZERO = Decimal(0)


@dataclass
class ItemLedger:
    """One item's page of the ledger: opening balance, the period's movements (each with the balance after it)."""

    item: Item
    opening: Decimal
    lines: list[tuple[Movement, Decimal]] = field(default_factory=list)
    received: Decimal = ZERO
    issued: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.received - self.issued

    def add(self, movement: Movement) -> None:
        if movement.on_hand_delta > 0:
            self.received += movement.on_hand_delta
        else:
            self.issued -= movement.on_hand_delta
        self.lines.append((movement, self.closing))


def first_of_month(today: dt.date) -> dt.date:
    return today.replace(day=1)


def _on_hand_before(session: Session, warehouse_id: uuid.UUID, moment: dt.datetime) -> dict[uuid.UUID, Decimal]:
    """Each item's stock on hand at the depot just before `moment`: the sum of the ledger's on-hand changes
    until then (the ledger sums to the balance: models.Movement)."""
    rows = session.execute(select(Movement.item_id, func.sum(Movement.on_hand_delta))
                           .where(Movement.warehouse_id == warehouse_id, Movement.created_at < moment)
                           .group_by(Movement.item_id))
    return {item_id: total or ZERO for item_id, total in rows}


def stock_ledger(*, warehouse_id: uuid.UUID, from_: dt.date | None, to: dt.date | None, today: dt.date,
                 session: Session) -> Document:
    """The depot's ledger for [from, to] (default: this month so far): 404 for a depot outside the caller's scope
    (as GET /warehouses/{id}), 422 naming `from` when the period is backwards or too long to print.

    The movements are GET /movements?warehouse_id&from&to's (use_cases/stock.movement_query) that change stock on
    hand, oldest first; reservations and releases set stock aside without moving it and are left out."""
    from_, to = from_ or first_of_month(today), to or today
    if from_ > to:
        raise InvalidInput({"from": [f"Must not be after `to` ({to.isoformat()})."]})
    depot = get_warehouse(warehouse_id, session=session)
    since, until = day_bound(from_), day_bound(to, end_of_day=True)
    query = (movement_query(warehouse_id=depot.id, since=since, until=until)
             .where(Movement.on_hand_delta != ZERO).order_by(Movement.seq).limit(MAX_LINES + 1))
    movements = session.scalars(query).all()
    if len(movements) > MAX_LINES:
        raise InvalidInput({"from": [f"The period holds more than {MAX_LINES} movements; print a shorter one."]})
    opening = _on_hand_before(session, depot.id, since)
    wanted = {item_id for item_id, quantity in opening.items() if quantity} | {m.item_id for m in movements}
    items = {item.id: item for item in session.scalars(select(Item).where(Item.id.in_(wanted)))} if wanted else {}
    ledgers = {item_id: ItemLedger(item=items[item_id], opening=opening.get(item_id, ZERO)) for item_id in wanted}
    for movement in movements:
        ledgers[movement.item_id].add(movement)
    owner = organisation(session, OrgDirectory, depot.org_path)
    return Document(template="stock_ledger.html", title=LEDGER_TITLE, organisation=owner.name,
                    filename=f"stock-ledger-{depot.code}-{from_.isoformat()}-{to.isoformat()}.pdf",
                    context={"depot": depot, "owner": owner, "period": (from_, to),
                             "ledgers": sorted(ledgers.values(), key=lambda ledger: ledger.item.code)})
