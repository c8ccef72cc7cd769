"""The worker's sweeps run by themselves in a real worker process: an overdue unit is grounded without a request."""
from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import pytest
from sqlalchemy import select

from servicekit import clock
from servicekit.db import outbox_table
from servicekit.testing import wait_until
from services.resources.models import EquipmentUnit, Lot
from services.resources.use_cases import catalog, equipment
from tests.bus.helpers import ACTOR

pytestmark = pytest.mark.slow


def register_overdue_unit(database) -> uuid.UUID:
    """A pump in a depot whose inspection fell due yesterday: nobody has touched it since."""
    today = clock.local_today("Asia/Shanghai")
    with database.transaction() as session:
        depot = catalog.create_warehouse({"code": f"W-{uuid.uuid4().hex[:6]}", "name": "区应急仓库",
                                          "level": "county"}, session=session, actor=ACTOR)
        pumps = catalog.create_item({"code": f"P-{uuid.uuid4().hex[:6]}", "name": "移动排涝泵车", "category_code": "2",
                                     "unit": "台", "kind": "equipment", "inspection_interval_days": 90},
                                    session=session)
        unit = equipment.register({"warehouse_id": depot.id, "item_id": pumps.id, "serial_no": "PUMP-001",
                                   "next_inspection_due": today - dt.timedelta(days=1)},
                                  session=session, actor=ACTOR, today=today)
        return unit.id


def unit_state(database, unit_id):
    with database.session(readonly=True) as session:
        unit = session.get(EquipmentUnit, unit_id)
        lot = session.get(Lot, unit.lot_id)
        return unit.status, unit.status_reason, lot.blocked


def announced_unusable(database) -> list[dict]:
    with database.session(readonly=True) as session:
        envelopes = session.scalars(select(outbox_table.c.envelope).where(outbox_table.c.event_type == "stock.changed")
                                    .order_by(outbox_table.c.seq))
        return [json.loads(envelope)["data"] for envelope in envelopes]


def test_the_worker_grounds_an_overdue_unit_by_itself(database, processes):
    unit_id = register_overdue_unit(database)
    assert unit_state(database, unit_id) == ("in_service", None, False)
    assert [e["available"] for e in announced_unusable(database)] == [1]
    processes.start("worker", ERDM_SWEEP_SECONDS="0.2")
    wait_until(lambda: unit_state(database, unit_id)[0] == "out_of_service", timeout=15)
    assert unit_state(database, unit_id) == ("out_of_service", "inspection overdue", True), processes.logs()
    changed = wait_until(lambda: announced_unusable(database)[1:], timeout=5)
    assert [(e["on_hand"], e["unusable"], e["available"]) for e in changed] == [(1, 1, 0)]
    time.sleep(1.0)  # five more sweeps: the unit was grounded once and announced once
    assert len(announced_unusable(database)) == 2, processes.logs()
