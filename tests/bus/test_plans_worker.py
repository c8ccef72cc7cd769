"""The plans worker and relay as real processes: stock positions and drills in, plan events out, over each broker."""
from __future__ import annotations

import json
import os
import uuid

import pytest
from kombu import Queue
from sqlalchemy import select

from contracts.catalogue import subscriptions
from servicekit import bus
from servicekit.db import Database
from servicekit.events import Event
from servicekit.signing import Actor
from servicekit.testing import TEST_SECRET, database_factory, require_backend, wait_until
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import Plan, StockPosition
from services.plans.use_cases import lifecycle, plans
from tests.bus.conftest import COMBINATIONS, Processes
from tests.bus.helpers import applied, drain, publish

pytestmark = pytest.mark.slow
OWNER = Actor(id="owner", name="预案负责人", role="planner")


@pytest.fixture(params=COMBINATIONS)
def plans_bus(request, tmp_path, tmp_path_factory):
    """(broker URL, plans database) on the embedded default or RabbitMQ with PostgreSQL, queues empty."""
    broker, db = request.param
    url = f"filesystem://{tmp_path / 'broker'}" if broker == "filesystem" else require_backend(
        "ERDM_TEST_AMQP_URL", "RabbitMQ")
    with bus.connect(url) as connection:
        bus.declare_topology(connection, subscriptions())
        for name in ("plans",):  # other engineers' tests may share RabbitMQ: touch only our queue
            bus.service_queue(name, subscriptions()[name]).bind(connection.default_channel).purge()
    database = Database(database_factory(db, request.config, tmp_path_factory)("services.plans"))
    yield url, database
    database.dispose()


@pytest.fixture
def plans_processes(plans_bus, tmp_path):
    url, database = plans_bus
    env = {**os.environ, "ERDM_BROKER_URL": url, "ERDM_PLANS_DATABASE_URL": database.url,
           "ERDM_DATA_DIR": str(tmp_path), "ERDM_INTERNAL_SECRET": TEST_SECRET, "PYTHONUNBUFFERED": "1"}
    processes = Processes(env, tmp_path)
    yield lambda kind: processes.start(kind, "plans")
    processes.stop_all()


def approved_plan(database: Database) -> uuid.UUID:
    with database.transaction() as session:
        plan = plans.create({"code": f"YA-{uuid.uuid4().hex[:6]}", "title": "防汛专项应急预案", "type": "special",
                             "owner_org": "市应急管理局", "owner": "张伟"}, session=session, actor=OWNER)
        lifecycle.submit(plan.id, session=session, actor=OWNER, now=plan.created_at)
        lifecycle.approve(plan.id, approved_by="王局长", approved_at=None, session=session, actor=OWNER,
                          now=plan.created_at, work_calendar=WorkCalendar())
        return plan.id


def send(url: str, event: Event) -> None:
    publish(url, event.to_json(), event.type)


def test_the_worker_keeps_stock_positions_and_drill_dates_from_the_bus(plans_bus, plans_processes):
    url, database = plans_bus
    plan_id = approved_plan(database)
    item, depot = str(uuid.uuid4()), str(uuid.uuid4())
    newer = Event(type="stock.changed", source="resources", data={
        "warehouse_id": depot, "item_id": item, "on_hand": 40, "reserved": 0, "available": 40, "version": 5})
    older = Event(type="stock.changed", source="resources", data={
        "warehouse_id": depot, "item_id": item, "on_hand": 7, "reserved": 0, "available": 7, "version": 4})
    drill = Event(type="drill.completed", source="drills",
                  data={"drill_id": str(uuid.uuid4()), "plan_id": str(plan_id),
                        "completed_at": "2026-05-20T16:00:00+08:00"})
    for event in (newer, newer, older, drill):  # a duplicate, then an older position delivered late
        send(url, event)
    plans_processes("worker")
    wait_until(lambda: all(applied(database, e.id) for e in (newer, older, drill)), timeout=20)
    with database.session(readonly=True) as session:
        position = session.scalar(select(StockPosition).where(StockPosition.item_id == uuid.UUID(item)))
        plan = session.get(Plan, plan_id)
    assert (position.available, position.version) == (40, 5)
    assert plan.next_drill_due.isoformat() == "2027-05-20"


def test_the_relay_publishes_plan_approved(plans_bus, plans_processes):
    url, database = plans_bus
    connection = bus.connect(url)
    queue = Queue(f"test.plans.{uuid.uuid4().hex[:8]}", exchange=bus.EVENTS_EXCHANGE, routing_key="plan.*",
                  durable=False, auto_delete=True)
    queue.bind(connection.default_channel).declare()
    try:
        plan_id = approved_plan(database)
        plans_processes("relay")

        def seen():
            seen.events += [json.loads(m.body) for m in drain(connection, queue)]
            return [e for e in seen.events if e["type"] == "plan.approved"]
        seen.events = []
        [event] = wait_until(seen, timeout=15)
        assert (event["source"], event["data"]["plan_id"], event["data"]["version"]) == ("plans", str(plan_id), 1)
    finally:
        queue.bind(connection.default_channel).delete()
        connection.release()
