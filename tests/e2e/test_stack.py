"""`python -m erdm run` (what `make run` starts) as a new user meets it: through the gateway, then SIGTERM."""
from __future__ import annotations

import signal
import time
import uuid

import httpx
import pytest

from servicekit import bus
from servicekit.events import Event
from servicekit.testing import wait_until
from erdm.proctree import descendants, running
from erdm.registry import SERVICES
from erdm.stack import METRICS_PORT_OFFSET
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-admin-key-0123456789abcdefghijkl"  # the gateway wants 32+ characters
pytestmark = pytest.mark.slow


@pytest.fixture
def stack(tmp_path):
    with erdm_stack(tmp_path, ADMIN_KEY) as (base, process, _env):
        yield base, process, tmp_path


def test_a_new_user_stocks_a_depot_reserves_fefo_and_the_stack_stops_on_sigterm(stack):
    base, process, tmp_path = stack
    api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=10)
    assert httpx.get(f"{base}/api/v1/categories").status_code == 401
    # Every service of the catalogue runs, its web process ready behind the gateway.
    assert httpx.get(f"{base}/readyz").json()["services"] == {service: "ready" for service in SERVICES}

    depot = api.post("/warehouses", json={"code": "E2E-01", "name": "市级应急物资储备库", "level": "municipal"}).json()
    item = api.post("/items", json={"code": "E2E-TENT", "name": "救灾帐篷", "category_code": "1",
                                    "unit": "顶", "kind": "material"}).json()
    for quantity, expiry in ((30, "2031-01-01"), (20, "2029-06-30")):
        receipt = api.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": item["id"],
                                                    "quantity": quantity, "expiry_date": expiry})
        assert receipt.status_code == 201, receipt.text
    held = api.post("/reservations", json={"reference": "桌面演练", "lines": [{"item_id": item["id"], "quantity": 25}]})
    assert held.status_code == 201
    assert [(a["expiry_date"], a["quantity"]) for a in held.json()["allocations"]] == [("2029-06-30", 20),
                                                                                      ("2031-01-01", 5)]
    refused = api.post("/reservations", json={"reference": "太多", "lines": [{"item_id": item["id"], "quantity": 26}]})
    assert refused.status_code == 409 and refused.json()["shortfall"][0]["available"] == 25
    assert api.post(f"/reservations/{held.json()['id']}/release").json()["status"] == "released"
    assert api.get("/movements", params={"item_id": item["id"]}).json()["total"] == 6

    # The worker inside the stack answers the drills flow over the embedded bus.
    drill_id = str(uuid.uuid4())
    event = Event(type="drill.scheduled", source="drills",
                  data={"drill_id": drill_id, "plan_id": str(uuid.uuid4()),
                        "resources": [{"item_id": item["id"], "quantity": 10}]})
    with bus.connect(f"filesystem://{tmp_path / 'var' / 'broker'}") as connection:
        bus.declare_topology(connection, {})
        connection.Producer().publish(event.to_json(), exchange=bus.EVENTS_EXCHANGE, routing_key=event.type,
                                      content_type="application/json", content_encoding="utf-8")
    wait_until(lambda: api.get("/movements", params={"type": "reservation", "item_id": item["id"]}).json()["total"] == 3,
               timeout=10)

    # Every process shows its figures: services on their own port, the gateway, workers, relays on theirs.
    port = int(base.rsplit(":", 1)[1])
    resources_metrics = httpx.get(f"http://127.0.0.1:{port + 1}/metrics").text
    assert 'erdm_reservation_outcomes_total{outcome="shortfall"} 1.0' in resources_metrics
    assert "erdm_http_requests_total" in httpx.get(f"http://127.0.0.1:{port + METRICS_PORT_OFFSET}/metrics").text
    # Each service's worker and relay (every one of the catalogue: supervision's too), then the gateway's relay.
    scraped = [httpx.get(f"http://127.0.0.1:{port + METRICS_PORT_OFFSET + n}/metrics").text
               for n in range(1, 2 * len(SERVICES) + 1)]
    assert all("erdm_consumer_events_handled_total" in text for text in scraped)
    relays = [text for text in scraped if "erdm_outbox_pending_events{" in text]  # a relay reads its outbox
    assert len(relays) == len(SERVICES) and 'erdm_relay_events_published_total{service="resources"}' in "".join(relays)
    assert all(f'erdm_outbox_pending_events{{service="{service}"}}' in "".join(relays) for service in SERVICES)

    children = descendants(process.pid)
    assert len(children) >= 4
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    wait_until(lambda: not any(running(pid) for pid in children), timeout=10 - (time.monotonic() - started))
    assert time.monotonic() - started < 10
