"""Small steps the bus tests share: stock to reserve, events in and out of the broker, what got applied."""
from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import func, select

from contracts.catalogue import subscriptions
from servicekit import bus, outbox
from servicekit.db import Database, inbox_table, outbox_table
from servicekit.events import Event
from servicekit.signing import Actor
from services.resources.models import Reservation
from services.resources.use_cases import catalog, stock

ACTOR = Actor(id="test", name="测试员", role="admin")


def seed_stock(database: Database, quantity: int = 10) -> uuid.UUID:
    """One depot holding `quantity` of one item; returns the item id."""
    today = dt.date.today()
    with database.transaction() as session:
        warehouse = catalog.create_warehouse({"code": f"W-{uuid.uuid4().hex[:6]}", "name": "区应急仓库",
                                              "level": "county"}, session=session, actor=ACTOR)
        item = catalog.create_item({"code": f"I-{uuid.uuid4().hex[:6]}", "name": "帐篷", "category_code": "1",
                                    "unit": "顶", "kind": "material"}, session=session)
        stock.receive({"warehouse_id": warehouse.id, "item_id": item.id, "quantity": Decimal(quantity),
                       "expiry_date": today + dt.timedelta(days=400)}, session=session, actor=ACTOR, today=today)
        return item.id


def drill_scheduled(item_id: uuid.UUID | str, quantity: int, drill_id: str | None = None) -> Event:
    return Event(type="drill.scheduled", source="drills",
                 data={"drill_id": drill_id or str(uuid.uuid4()), "plan_id": str(uuid.uuid4()),
                       "resources": [{"item_id": str(item_id), "quantity": quantity}]})


def enqueue(database: Database, event: Event) -> None:
    """Write `event` into the outbox, as the emitting service's transaction would."""
    with database.transaction() as session:
        outbox.add(session, event)


def publish(broker_url: str, body: str | bytes, routing_key: str, *, content_type: str = "application/json",
            message_id: str | None = None) -> None:
    """Put a message on the bus directly (as a relay that crashed before marking it sent would, again)."""
    with bus.connect(broker_url) as connection:
        bus.declare_topology(connection, subscriptions())
        connection.Producer().publish(body, exchange=bus.EVENTS_EXCHANGE, routing_key=routing_key,
                                      content_type=content_type, content_encoding="utf-8", delivery_mode=2,
                                      message_id=message_id)


def reservations_for(database: Database, reference: str) -> list[Reservation]:
    with database.session(readonly=True) as session:
        return list(session.scalars(select(Reservation).where(Reservation.reference == reference)))


def applied(database: Database, event_id: str) -> bool:
    with database.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(inbox_table)
                              .where(inbox_table.c.event_id == uuid.UUID(event_id))) == 1


def pending_outbox(database: Database) -> int:
    with database.session(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(outbox_table)
                              .where(outbox_table.c.published_at.is_(None)))


def drain(connection, queue, *, limit: int = 1000) -> list:
    """Every message now in `queue`, acked."""
    bound = queue.bind(connection.default_channel)
    messages = []
    while len(messages) < limit:
        message = bound.get(no_ack=True)
        if message is None:
            break
        messages.append(message)
    return messages
