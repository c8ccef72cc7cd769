"""A worker's and a relay's counters move with what they do (handled, duplicate, failed, dead-lettered,
published), and a worker's log lines name the event they are about and its correlation id.

In one process over kombu's memory transport (as tests/flows does), so each message is handed
to the worker by the test; the counters are process-wide, so every assertion is a difference.
"""
from __future__ import annotations

import json
import logging
import uuid

import pytest
from kombu import Connection
from prometheus_client import REGISTRY

from contracts.catalogue import subscriptions
from servicekit import bus, outbox
from servicekit.events import Event
from servicekit.logs import JsonFormatter
from servicekit.relay import Relay
from tests.bus.helpers import drill_scheduled, seed_stock

TOPOLOGY = {"resources": subscriptions()["resources"]}


class Counters:
    """Reads the process's metric samples; `delta()` is the change since this object was made."""

    SAMPLES = {
        "handled": "erdm_consumer_events_handled_total",
        "duplicate": "erdm_consumer_events_duplicate_total",
        "failed": "erdm_consumer_events_failed_total",
        "dead_lettered": "erdm_consumer_events_dead_lettered_total",
    }

    def __init__(self, event_type: str) -> None:
        self.labels = {"service": "resources", "event_type": event_type}
        self.start = self.read()

    def read(self) -> dict[str, float]:
        return {name: REGISTRY.get_sample_value(sample, self.labels) or 0.0 for name, sample in self.SAMPLES.items()}

    def delta(self) -> dict[str, float]:
        now = self.read()
        return {name: now[name] - self.start[name] for name in now}


@pytest.fixture
def memory_bus():
    connection = Connection("memory://")
    bus.declare_topology(connection, TOPOLOGY)
    queues = [bus.service_queue("resources", TOPOLOGY["resources"]), bus.dead_letter_queue("resources")]
    for queue in queues:  # the memory broker outlives a test
        queue.bind(connection.default_channel).purge()
    yield connection
    for queue in queues:
        queue.bind(connection.default_channel).purge()
    connection.release()


@pytest.fixture
def worker(memory_bus, resources_db, settings):
    from services.resources.app import create_worker

    worker = create_worker(settings, database=resources_db, connection=memory_bus)
    worker.max_attempts = 1  # dead-letter on the first failure, without the retry's back-off
    return worker


def deliver(connection: Connection, worker, body: str, routing_key: str) -> None:
    """Publish like a relay, then hand the one queued message to the worker as kombu would."""
    connection.Producer().publish(body, exchange=bus.EVENTS_EXCHANGE, routing_key=routing_key,
                                  content_type="application/json", content_encoding="utf-8")
    message = worker.queue.bind(connection.default_channel).get()
    assert message is not None
    worker.on_message(message.decode(), message)


def dead_letters(connection: Connection) -> int:
    return bus.dead_letter_queue("resources").bind(connection.default_channel).queue_declare(passive=True).message_count


def test_a_handled_event_counts_once_and_its_redelivery_as_a_duplicate(memory_bus, worker, resources_db):
    item_id = seed_stock(resources_db)
    counters = Counters("drill.scheduled")
    reserved = REGISTRY.get_sample_value("erdm_reservation_outcomes_total", {"outcome": "reserved"}) or 0.0
    event = drill_scheduled(item_id, 2)
    deliver(memory_bus, worker, event.to_json(), event.type)
    deliver(memory_bus, worker, event.to_json(), event.type)
    assert counters.delta() == {"handled": 1, "duplicate": 1, "failed": 0, "dead_lettered": 0}
    assert REGISTRY.get_sample_value("erdm_reservation_outcomes_total", {"outcome": "reserved"}) - reserved == 1
    duration = {"service": "resources", "event_type": "drill.scheduled"}
    assert REGISTRY.get_sample_value("erdm_consumer_handle_duration_seconds_count", duration) >= 1


def test_a_poison_event_counts_as_failed_then_dead_lettered(memory_bus, worker):
    counters = Counters("drill.scheduled")
    poison = drill_scheduled("not-a-uuid", 1)
    deliver(memory_bus, worker, poison.to_json(), poison.type)
    assert counters.delta() == {"handled": 0, "duplicate": 0, "failed": 1, "dead_lettered": 1}
    assert dead_letters(memory_bus) == 1


def test_a_message_that_is_no_event_is_dead_lettered_as_invalid(memory_bus, worker):
    counters = Counters("invalid")
    deliver(memory_bus, worker, json.dumps({"hello": "world"}), "drill.scheduled")
    assert counters.delta()["dead_lettered"] == 1
    assert dead_letters(memory_bus) == 1


def test_the_relay_counts_what_it_published_and_times_the_batch(memory_bus, resources_db):
    labels = {"service": "resources"}

    def sample(name: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    published, batches = sample("erdm_relay_events_published_total"), sample("erdm_relay_batch_duration_seconds_count")
    with resources_db.transaction() as session:
        for _ in range(3):
            outbox.add(session, Event(type="stock.changed", source="resources", data={"item_id": str(uuid.uuid4())}))
    relay = Relay(database=resources_db, connection=memory_bus, service="resources", topology=TOPOLOGY)
    assert relay.publish_pending() == 3
    assert relay.publish_pending() == 0  # an empty poll is not a batch
    assert sample("erdm_relay_events_published_total") - published == 3
    assert sample("erdm_relay_batch_duration_seconds_count") - batches == 1


def test_a_relay_cut_off_from_the_broker_counts_a_failure(resources_db):
    failures = REGISTRY.get_sample_value("erdm_relay_publish_failures_total", {"service": "resources"}) or 0.0
    with resources_db.transaction() as session:
        outbox.add(session, Event(type="stock.changed", source="resources", data={"item_id": str(uuid.uuid4())}))
    down = Relay(database=resources_db, connection=bus.connect("amqp://guest:guest@127.0.0.1:1//"),
                 service="resources", topology=TOPOLOGY)
    down.connection.connect_timeout = 0.5
    with pytest.raises(Exception):
        down.publish_pending()
    assert REGISTRY.get_sample_value("erdm_relay_publish_failures_total", {"service": "resources"}) - failures == 1


@pytest.fixture
def worker_log_lines():
    """The JSON lines the worker's logger writes, formatted as they are emitted (as on stderr)."""
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter("resources-worker"))
    logger = logging.getLogger("erdm.consumer")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_worker_log_lines_carry_the_correlation_and_the_event_id(memory_bus, worker, worker_log_lines):
    poison = Event(type="drill.scheduled", source="drills", correlation_id="req-from-the-gateway",
                   data={"drill_id": str(uuid.uuid4()), "resources": [{"item_id": "bad", "quantity": 1}]})
    deliver(memory_bus, worker, poison.to_json(), poison.type)
    about = [line for line in worker_log_lines if line.get("event_id") == poison.id]
    assert about and all(line["request_id"] == "req-from-the-gateway" for line in about), worker_log_lines

    uncorrelated = drill_scheduled("also-bad", 1)  # as a sweep emits it: no request behind it
    deliver(memory_bus, worker, uncorrelated.to_json(), uncorrelated.type)
    about = [line for line in worker_log_lines if line.get("event_id") == uncorrelated.id]
    assert about and all(line["request_id"] == uncorrelated.id for line in about), "it starts its own chain"
