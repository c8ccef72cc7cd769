"""The reservation saga across real processes: drills relay → resources worker → resources relay → drills worker."""
from __future__ import annotations

import os
import uuid

import pytest

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


def test_a_drill_turns_ready_then_gives_its_stock_back_when_cancelled(database, drills_database, spawn, tmp_path,
                                                                      broker_url):
    from services.drills.app import create_app

    item_id = seed_stock(database, quantity=10)
    app = create_app(Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=broker_url),
                     database=drills_database, required_processes=(), plan_lookup=lambda _id: {"status": "approved"})
    book = DrillBook(signed_client(app), drills_database)
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
