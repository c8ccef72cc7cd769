"""A worker says one line per event (type, id, outcome, milliseconds), and the embedded broker starts quietly."""
from __future__ import annotations

import logging

import pytest

from servicekit import bus
from tests.bus.helpers import drill_scheduled, seed_stock
from tests.bus.test_observability import deliver, memory_bus, worker, worker_log_lines  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def info_lines(caplog):
    """A worker process logs at INFO (servicekit/logs.py); a test process only from WARNING unless told."""
    with caplog.at_level(logging.INFO, logger="erdm.consumer"):
        yield


def outcome_lines(lines: list[dict], event_id: str) -> list[dict]:
    return [line for line in lines if line.get("outcome") and line.get("event_id") == event_id]


def test_each_event_gets_one_line_saying_what_became_of_it(memory_bus, worker, worker_log_lines, resources_db):
    event = drill_scheduled(seed_stock(resources_db), 2)
    deliver(memory_bus, worker, event.to_json(), event.type)
    deliver(memory_bus, worker, event.to_json(), event.type)
    poison = drill_scheduled("not-a-uuid", 1)
    deliver(memory_bus, worker, poison.to_json(), poison.type)

    applied, duplicate = outcome_lines(worker_log_lines, event.id)
    (dead,) = outcome_lines(worker_log_lines, poison.id)
    assert [applied["outcome"], duplicate["outcome"], dead["outcome"]] == ["applied", "duplicate", "dead-lettered"]
    for line in (applied, duplicate, dead):
        assert line["level"] == "info" and line["event_type"] == "drill.scheduled"
        assert line["duration_ms"] >= 0 and line["event_id"] in line["msg"]


def test_a_failure_that_will_be_retried_is_said_to_have_failed(memory_bus, worker, worker_log_lines):
    worker.max_attempts = 3
    poison = drill_scheduled("not-a-uuid", 1)
    deliver(memory_bus, worker, poison.to_json(), poison.type)
    assert [line["outcome"] for line in outcome_lines(worker_log_lines, poison.id)] == ["failed"]


def test_the_embedded_broker_asks_for_no_hostname(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kombu"):
        with bus.connect("filesystem://", folder=tmp_path / "broker") as connection:
            connection.clone().release()  # how the worker's publisher and kombu's pools copy a connection
            connection.info()
    assert not [record for record in caplog.records if "hostname" in record.getMessage()]
