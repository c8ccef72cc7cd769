"""Poison messages on the real broker, with two workers competing: a body that is not JSON and an event
whose payload makes no sense both end in the resources dead-letter queue, and the drills scheduled
after them are reserved for as usual."""
from __future__ import annotations

from kombu import Connection, Producer

from servicekit import bus
from servicekit.events import Event
from servicekit.testing import wait_until
from tests.faults.books import assert_books_balance, drill_ledger

HELD = 5


def _publish(url: str, body, *, routing_key: str, message_id: str) -> None:
    with Connection(url) as connection:
        Producer(connection).publish(body, exchange=bus.EVENTS_EXCHANGE, routing_key=routing_key, serializer=None,
                                     content_type="application/json", content_encoding="utf-8",
                                     delivery_mode=2, message_id=message_id, retry=True)


def _take_dead_letters(url: str, wanted: set[str]) -> dict[str, dict]:
    """Headers of the wanted messages in the resources dead-letter queue (taken off it); others are left."""
    found: dict[str, dict] = {}
    with Connection(url) as connection:
        queue = bus.dead_letter_queue("resources").bind(connection.default_channel)
        while (message := queue.get(no_ack=False)) is not None:
            message_id = message.properties.get("message_id")
            if message_id in wanted:
                found[message_id] = dict(message.headers or {})
                message.ack()
    return found


def test_poison_messages_are_dead_lettered_and_block_nothing(stack, bureau):
    broker = stack.settings["ERDM_BROKER_URL"]
    bureau.receive(100)
    plan = bureau.approved_plan(f"P-{bureau.item[:8]}")
    # A well-formed envelope whose data fits no DrillScheduled: it parses as an event, never as its payload.
    senseless = Event(type="drill.scheduled", source="drills",
                      data={"drill_id": "not-a-drill", "resources": [{"quantity": "many"}]})
    _publish(broker, senseless.to_json(), routing_key="drill.scheduled", message_id=senseless.id)
    _publish(broker, "{not json at all", routing_key="drill.scheduled", message_id=f"garbage-{bureau.item}")

    drills = [bureau.schedule(plan, HELD) for _ in range(3)]
    bureau.wait_for_statuses(drills, "ready", timeout=30)
    assert all(drill_ledger(stack.database("resources"), drill) == {"reservation": HELD * 1000} for drill in drills)

    wanted = {senseless.id, f"garbage-{bureau.item}"}
    dead: dict[str, dict] = {}
    wait_until(lambda: dead.update(_take_dead_letters(broker, wanted - set(dead))) or set(dead) == wanted,
               timeout=30, interval=0.5)
    assert dead[senseless.id][bus.ATTEMPTS_HEADER] == 5  # tried as often as the worker allows, then parked
    assert "undecodable" in dead[f"garbage-{bureau.item}"][bus.ERROR_HEADER] or \
           "not an ERDM event" in dead[f"garbage-{bureau.item}"][bus.ERROR_HEADER]
    assert_books_balance(stack.database("resources"))
