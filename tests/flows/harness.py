"""Resources, plans and drills in one test process, joined by a real kombu bus on the memory transport.

Each service keeps its own database, outbox relay and event worker; `settle()` pumps relays and
workers until nothing moves, so a flow test reads as the user's story without sleeping.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from kombu import Connection, Queue

from contracts import catalogue
from contracts.catalogue import subscriptions
from servicekit import bus
from servicekit.db import Database
from servicekit.relay import Relay
from servicekit.signing import Actor
from servicekit.testing import signed_client

SERVICES = tuple(service.name for service in catalogue.SERVICES)
PLANNER = Actor(id="planner-1", name="预案管理员", role="planner")


class Stack:
    """The services' apps, relays and workers over one in-process broker."""

    def __init__(self, settings, urls: dict[str, str]) -> None:
        self.connection = Connection("memory://")
        self.topology = {name: subscriptions()[name] for name in SERVICES}
        bus.declare_topology(self.connection, self.topology)
        for name, types in self.topology.items():  # the memory broker outlives a test: start empty
            bus.service_queue(name, types).bind(self.connection.default_channel).purge()
        self.tap = Queue(f"test.tap.{uuid.uuid4().hex[:8]}", exchange=bus.EVENTS_EXCHANGE, routing_key="#",
                         durable=False)
        self.tap.bind(self.connection.default_channel).declare()
        self.published: list[dict[str, Any]] = []
        self.databases = {name: Database(url) for name, url in urls.items()}
        self.relays = {name: Relay(database=db, connection=self.connection, topology=self.topology) for name, db in self.databases.items()}
        self.apps, self.workers, self.clients = {}, {}, {}
        for name in SERVICES:
            module = __import__(f"services.{name}.app", fromlist=["create_app"])
            extra = {}
            if name == "drills":
                extra["plan_lookup"] = self._ask_plans
            if name == "plans":
                from services.plans.domain.workdays import WorkCalendar
                extra["work_calendar"] = WorkCalendar()
            app = module.create_app(settings, database=self.databases[name], required_processes=(), **extra)
            app.config["TESTING"] = True
            self.apps[name] = app
            self.clients[name] = signed_client(app, actor=PLANNER if name != "resources" else
                                               Actor(id="logistics-1", name="仓管员", role="logistics"))
            worker_extra = {"work_calendar": extra["work_calendar"]} if name == "plans" else {}
            self.workers[name] = module.create_worker(settings, database=self.databases[name],
                                                      connection=self.connection, **worker_extra)

    def _ask_plans(self, plan_id):
        """The drills service's HTTP fallback, answered by the plans app (or nobody, without it)."""
        if "plans" not in self.clients:
            return None
        response = self.clients["plans"].get(f"/api/v1/plans/{plan_id}")
        return response.get_json() if response.status_code == 200 else None

    def client(self, name: str):
        return self.clients[name]

    def settle(self, *, rounds: int = 50) -> int:
        """Relay every outbox and let every worker handle every message, until nothing moves."""
        moved_total = 0
        for _ in range(rounds):
            moved = sum(relay.publish_pending() for relay in self.relays.values())
            for name, worker in self.workers.items():
                queue = worker.queue.bind(self.connection.default_channel)
                while (message := queue.get()) is not None:
                    worker.on_message(message.decode(), message)
                    moved += 1
            self._read_tap()
            if not moved:
                return moved_total
            moved_total += moved
        raise AssertionError("the flow did not settle")

    def _read_tap(self) -> None:
        tap = self.tap.bind(self.connection.default_channel)
        while (message := tap.get(no_ack=True)) is not None:
            self.published.append(json.loads(message.body))

    def redeliver_everything(self) -> int:
        """Publish every event seen so far once more, as a relay that crashed before marking them would."""
        producer = self.connection.Producer()
        for envelope in list(self.published):
            producer.publish(json.dumps(envelope, ensure_ascii=False), exchange=bus.EVENTS_EXCHANGE,
                             routing_key=envelope["type"], content_type="application/json",
                             content_encoding="utf-8")
        return len(self.published)

    def events(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.published if e["type"] == event_type]

    def close(self) -> None:
        self.tap.bind(self.connection.default_channel).delete()
        for name, types in self.topology.items():
            bus.service_queue(name, types).bind(self.connection.default_channel).purge()
        self.connection.release()
        for database in self.databases.values():
            database.dispose()

