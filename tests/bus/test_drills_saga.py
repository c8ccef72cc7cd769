"""The reservation saga across real processes: drills relay → resources worker → resources relay → drills worker."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from servicekit.config import Settings
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_factory, signed_client, wait_until
from tests.bus.conftest import Processes
from tests.bus.helpers import reservations_for, seed_stock
from tests.flows.drillbook import DrillBook, at

pytestmark = pytest.mark.slow


@pytest.fixture
def drills_database(backends, request, tmp_path_factory):
    kind = "sqlite" if backends[1].startswith("sqlite") else "postgres"
    database = Database(database_factory(kind, request.config, tmp_path_factory)("services.drills"))
    yield database
    database.dispose()


@pytest.fixture
def spawn(broker_url, database, drills_database, tmp_path):
    env = {"ERDM_BROKER_URL": broker_url, "ERDM_RESOURCES_DATABASE_URL": database.url,
           "ERDM_DRILLS_DATABASE_URL": drills_database.url, "ERDM_DATA_DIR": str(tmp_path),
           "ERDM_INTERNAL_SECRET": TEST_SECRET, "PYTHONUNBUFFERED": "1"}
    processes = Processes({**os.environ, **env}, tmp_path)
    yield processes.start
    processes.stop_all()


def drills_book(drills_database, tmp_path, broker_url) -> DrillBook:
    from services.drills.app import create_app

    app = create_app(Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=broker_url),
                     database=drills_database, required_processes=(), plan_lookup=lambda _id: {"status": "approved"})
    return DrillBook(signed_client(app), drills_database)


def test_a_drill_short_of_stock_turns_ready_when_a_receipt_arrives(database, drills_database, spawn, tmp_path,
                                                                  broker_url):
    from services.resources.models import Balance
    from services.resources.use_cases import stock
    from tests.bus.helpers import ACTOR

    item_id = seed_stock(database, quantity=10)
    book = drills_book(drills_database, tmp_path, broker_url)
    for kind in ("worker", "relay"):
        for service in ("resources", "drills"):
            spawn(kind, service)
    drill = book.schedule(str(uuid.uuid4()), resources=[{"item_id": str(item_id), "quantity": 15}],
                          scheduled_start=at(3), scheduled_end=at(3, 12))
    wait_until(lambda: book.get(f"/drills/{drill['id']}")["status"] == "resource_shortfall", timeout=20)

    with database.transaction() as session:  # a receipt of 10 more into the same depot
        [warehouse_id] = session.scalars(select(Balance.warehouse_id).where(Balance.item_id == item_id))
        stock.receive({"warehouse_id": warehouse_id, "item_id": item_id, "quantity": Decimal(10),
                       "expiry_date": dt.date.today() + dt.timedelta(days=300)}, session=session, actor=ACTOR,
                      today=dt.date.today())
    ready = wait_until(lambda: (d := book.get(f"/drills/{drill['id']}"))["status"] == "ready" and d, timeout=20)
    held = [r for r in reservations_for(database, f"drill:{drill['id']}") if r.status == "held"]
    assert [str(r.id) for r in held] == [ready["reservation_id"]]


def test_a_drill_turns_ready_then_gives_its_stock_back_when_cancelled(database, drills_database, spawn, tmp_path,
                                                                      broker_url):
    item_id = seed_stock(database, quantity=10)
    book = drills_book(drills_database, tmp_path, broker_url)
    for kind in ("worker", "relay"):
        for service in ("resources", "drills"):
            spawn(kind, service)
    plan = str(uuid.uuid4())
    drill = book.schedule(plan, resources=[{"item_id": str(item_id), "quantity": 4}],
                          scheduled_start=at(3), scheduled_end=at(3, 12))
    ready = wait_until(lambda: (d := book.get(f"/drills/{drill['id']}"))["status"] == "ready" and d, timeout=20)
    [held] = reservations_for(database, f"drill:{drill['id']}")
    assert str(held.id) == ready["reservation_id"] and held.status == "held"

    book.post(f"/drills/{drill['id']}/cancel", expect=200)
    wait_until(lambda: book.get(f"/drills/{drill['id']}")["reservation_status"] == "released", timeout=20)
    assert [r.status for r in reservations_for(database, f"drill:{drill['id']}")] == ["released"]
