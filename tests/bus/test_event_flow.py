"""Outbox → relay → broker → worker → inbox, across real processes, on the embedded transport and on RabbitMQ."""
from __future__ import annotations

import json
import sqlite3
import time
import uuid

import pytest
from sqlalchemy import create_engine, text

from contracts.catalogue import subscriptions
from servicekit import bus
from servicekit.relay import Relay
from servicekit.testing import wait_until
from tests.bus.helpers import (applied, drain, drill_scheduled, enqueue, pending_outbox, publish,
                               reservations_for, seed_stock)

pytestmark = pytest.mark.slow


def test_drill_scheduled_is_relayed_reserved_and_announced(database, processes, observer, broker_url):
    item_id = seed_stock(database, quantity=10)
    processes.start("relay")
    processes.start("worker")
    event = drill_scheduled(item_id, 4)
    enqueue(database, event)  # as the drills service's own transaction would

    reference = f"drill:{event.data['drill_id']}"
    held = wait_until(lambda: reservations_for(database, reference), timeout=15)
    assert [r.status for r in held] == ["held"]
    assert applied(database, event.id)

    connection, queue = observer
    def announced():
        seen = [json.loads(m.body) for m in drain(connection, queue)]
        announced.events += seen
        return [e for e in announced.events if e["type"] == "reservation.held"]
    announced.events = []
    held_events = wait_until(announced, timeout=10)
    assert held_events[0]["data"]["reference"] == reference
    assert held_events[0]["causation_id"] == event.id, "an event names the event that caused it"
    wait_until(lambda: pending_outbox(database) == 0, timeout=10)


def test_a_redelivered_event_is_applied_once(database, processes, broker_url):
    item_id = seed_stock(database, quantity=10)
    event = drill_scheduled(item_id, 3)
    for _ in range(3):  # a relay that died before marking the row sent publishes it again
        publish(broker_url, event.to_json(), event.type)
    processes.start("worker")
    wait_until(lambda: applied(database, event.id), timeout=15)
    time.sleep(1.0)  # room for the duplicates to be (wrongly) applied
    held = reservations_for(database, f"drill:{event.data['drill_id']}")
    assert len(held) == 1
    assert sum(a.quantity for a in held[0].allocations) == 3


def test_poison_messages_go_to_the_dead_letter_queue_and_block_nothing(database, processes, broker_url):
    item_id = seed_stock(database, quantity=10)
    poison = drill_scheduled("not-a-uuid", 1)
    publish(broker_url, poison.to_json(), poison.type, message_id=poison.id)
    publish(broker_url, b"{this is not json", "drill.scheduled")
    publish(broker_url, json.dumps({"hello": "no envelope"}), "drill.scheduled")
    good = drill_scheduled(item_id, 2)
    publish(broker_url, good.to_json(), good.type)
    processes.start("worker")

    wait_until(lambda: reservations_for(database, f"drill:{good.data['drill_id']}"), timeout=15)
    with bus.connect(broker_url) as connection:
        dead = []
        wait_until(lambda: dead.extend(drain(connection, bus.dead_letter_queue("resources"))) or len(dead) >= 3,
                   timeout=20)
    errors = sorted(m.headers[bus.ERROR_HEADER].split(":")[0] for m in dead)
    assert len(dead) == 3, processes.logs()
    (retried,) = [m for m in dead if m.headers.get(bus.ATTEMPTS_HEADER) == 5]  # the failing handler, 5 times
    assert retried.properties["message_id"] == poison.id, "a dead letter keeps the id it was published with"
    assert "undecodable message" in errors and "not an ERDM event" in errors
    assert not applied(database, poison.id)


def _hold_write_lock(database_url: str):
    """Block every writer of the database, as a long transaction elsewhere would."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        return connection.rollback
    engine = create_engine(database_url)
    connection = engine.connect()
    transaction = connection.begin()
    connection.execute(text("LOCK TABLE reservations IN EXCLUSIVE MODE"))

    def release():
        transaction.rollback()
        connection.close()
        engine.dispose()

    return release


def test_a_worker_killed_mid_message_loses_nothing(database, processes, broker_url):
    item_id = seed_stock(database, quantity=10)
    release_lock = _hold_write_lock(database.url)
    try:
        event = drill_scheduled(item_id, 5)
        publish(broker_url, event.to_json(), event.type)
        doomed = processes.start("worker")
        time.sleep(2.0)  # the worker has taken the message and waits on the lock inside its handler
        processes.kill(doomed)
    finally:
        release_lock()
    assert not applied(database, event.id)
    processes.start("worker")
    wait_until(lambda: applied(database, event.id), timeout=20)
    assert len(reservations_for(database, f"drill:{event.data['drill_id']}")) == 1


def test_the_relay_keeps_events_while_the_broker_is_down(database, broker_url):
    seed_stock(database, quantity=1)  # its stock.changed waits in the outbox
    waiting = pending_outbox(database)
    assert waiting >= 1
    down = Relay(database=database, connection=bus.connect("amqp://guest:guest@127.0.0.1:1//"),
                 topology=subscriptions())
    with pytest.raises(Exception):
        down.publish_pending()
    assert pending_outbox(database) == waiting, "nothing is marked sent that was not published"
    up = Relay(database=database, connection=bus.connect(broker_url), topology=subscriptions())
    assert up.publish_pending() == waiting
    assert pending_outbox(database) == 0


def test_the_worker_releases_reservations_past_their_expiry(database, processes):
    import datetime as dt
    from decimal import Decimal

    from services.resources.use_cases import reservations
    from tests.bus.helpers import ACTOR

    item_id = seed_stock(database, quantity=5)
    now = dt.datetime.now(dt.timezone.utc)
    with database.transaction() as session:
        held = reservations.reserve([{"item_id": item_id, "quantity": Decimal(2)}], reference="short-lived",
                                    expires_at=now + dt.timedelta(seconds=1), session=session, actor=ACTOR,
                                    now=now, today=now.date())
    processes.start("worker", ERDM_SWEEP_SECONDS="0.2")
    wait_until(lambda: reservations_for(database, "short-lived")[0].status == "released", timeout=15)
    assert reservations_for(database, "short-lived")[0].close_reason == "expired"
    assert held.id == reservations_for(database, "short-lived")[0].id
    uuid.UUID(str(held.id))
