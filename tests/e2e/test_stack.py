"""`python -m erdm run` (what `make run` starts) as a new user meets it: through the gateway, then SIGTERM."""
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from servicekit import bus
from servicekit.events import Event
from servicekit.testing import wait_until

REPO = Path(__file__).resolve().parents[2]
ADMIN_KEY = "e2e-admin-key"
pytestmark = pytest.mark.slow


def _free_port_block(size: int = 4) -> int:
    """A base port with `size` consecutive free ports (gateway and services)."""
    for _ in range(50):
        base = random.randint(20000, 60000)
        try:
            sockets = []
            for offset in range(size):
                sock = socket.socket()
                sock.bind(("127.0.0.1", base + offset))
                sockets.append(sock)
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


def _descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        current = stack.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        for child in map(int, children):
            found.add(child)
            stack.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.fixture
def stack(tmp_path):
    port = _free_port_block()
    env = {**os.environ, "ERDM_PORT": str(port), "ERDM_DATA_DIR": str(tmp_path / "var"),
           "ERDM_ADMIN_KEY": ADMIN_KEY, "ERDM_WEB_WORKERS": "1", "PYTHONUNBUFFERED": "1"}
    for name in ("ERDM_BROKER_URL", "ERDM_RESOURCES_DATABASE_URL", "ERDM_INTERNAL_SECRET"):
        env.pop(name, None)
    log = open(tmp_path / "stack.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "erdm", "run"], cwd=REPO, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _ready(base) or process.poll() is not None, timeout=90, interval=0.2)
        assert process.poll() is None, (tmp_path / "stack.log").read_text()
        yield base, process, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
            for pid in _descendants(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.wait()


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_new_user_stocks_a_depot_reserves_fefo_and_the_stack_stops_on_sigterm(stack):
    base, process, tmp_path = stack
    api = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=10)
    assert httpx.get(f"{base}/api/v1/categories").status_code == 401

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
                  data={"drill_id": drill_id, "resources": [{"item_id": item["id"], "quantity": 10}]})
    with bus.connect(f"filesystem://{tmp_path / 'var' / 'broker'}") as connection:
        bus.declare_topology(connection, {})
        connection.Producer().publish(event.to_json(), exchange=bus.EVENTS_EXCHANGE, routing_key=event.type,
                                      content_type="application/json", content_encoding="utf-8")
    wait_until(lambda: api.get("/movements", params={"type": "reservation", "item_id": item["id"]}).json()["total"] == 3,
               timeout=10)

    children = _descendants(process.pid)
    assert len(children) >= 4
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    wait_until(lambda: not any(_alive(pid) for pid in children), timeout=10 - (time.monotonic() - started))
    assert time.monotonic() - started < 10
