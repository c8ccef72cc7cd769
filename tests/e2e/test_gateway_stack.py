"""The gateway in the real stack (`python -m erdm run`): keys, roles, the rate limit, /docs, and a service going down."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from openapi_spec_validator import validate

from servicekit.testing import wait_until
from erdm.proctree import children, cmdline, running
from tests.e2e.stackrun import REPO, erdm_stack, ready

ADMIN_KEY = "e2e-gateway-admin-key-0123456789abcd"  # the gateway wants 32+ characters
RATE_LIMIT = 40  # per minute and key, counted once for every gateway process (its own database)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with erdm_stack(tmp_path_factory.mktemp("gateway-stack"), ADMIN_KEY,
                    ERDM_RATE_LIMIT=f"{RATE_LIMIT}/minute") as running_stack:
        yield running_stack


def _api(base: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=10)


def test_a_viewer_key_reads_is_refused_a_write_and_is_refused_once_revoked(stack):
    base, _process, _env = stack
    admin = _api(base, ADMIN_KEY)
    created = admin.post("/keys", json={"name": "指挥中心大屏", "role": "viewer"})
    assert created.status_code == 201, created.text
    viewer = _api(base, created.json()["key"])
    assert viewer.get("/categories").status_code == 200
    refused = viewer.post("/warehouses", json={"code": "E2E-GW", "name": "储备库", "level": "municipal"})
    assert refused.status_code == 403 and refused.json()["required_roles"] == ["admin", "logistics"]
    assert created.json()["key"] not in admin.get("/keys").text
    assert admin.delete(f"/keys/{created.json()['id']}").status_code == 204
    assert viewer.get("/categories").status_code == 401


def test_a_key_made_on_the_command_line_works_at_once(stack):
    base, _process, env = stack
    made = subprocess.run([sys.executable, "-m", "erdm", "keys", "create", "--name", "仓管员", "--role", "logistics"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    officer = _api(base, made.stdout.strip())
    depot = officer.post("/warehouses", json={"code": "E2E-CLI", "name": "县级储备库", "level": "county"})
    assert depot.status_code == 201, depot.text
    assert officer.post("/categories", json={"code": "199", "name": "其他"}).status_code == 403


def test_each_key_meets_its_own_rate_limit(stack):
    base, _process, _env = stack
    admin = _api(base, ADMIN_KEY)
    burst = _api(base, admin.post("/keys", json={"name": "burst", "role": "viewer"}).json()["key"])
    calm = _api(base, admin.post("/keys", json={"name": "calm", "role": "viewer"}).json()["key"])
    statuses = [burst.get("/categories").status_code for _ in range(RATE_LIMIT + 1)]
    assert statuses == [200] * RATE_LIMIT + [429]
    refused = burst.get("/categories")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["content-type"] == "application/problem+json"
    assert calm.get("/categories").status_code == 200


def test_the_merged_description_and_swagger_ui_are_served(stack):
    base, _process, _env = stack
    document = _api(base, ADMIN_KEY).get("/openapi.json").json()
    validate(document)
    assert document["x-erdm-missing-services"] == [] and "/api/v1/stock/receipts" in document["paths"]
    page = httpx.get(f"{base}/docs", timeout=10)
    assert page.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in page.text
    assert httpx.get(f"{base}/docs/assets/swagger-ui-bundle.js", timeout=10).status_code == 200


def test_a_stopped_resources_service_is_named_by_the_gateway_until_the_stack_restarts_it(stack):
    base, process, _env = stack
    admin = _api(base, ADMIN_KEY)
    viewer = _api(base, admin.post("/keys", json={"name": "outage watcher", "role": "viewer"}).json()["key"])
    (master,) = [pid for pid in children(process.pid) if "erdm-resources" in cmdline(pid)]
    # Hold the supervisor still so the outage lasts until we have looked at it; it restarts the
    # service as soon as it runs again.
    process.send_signal(signal.SIGSTOP)
    try:
        os.kill(master, signal.SIGTERM)
        wait_until(lambda: not running(master), timeout=10, interval=0.05)
        down = viewer.get("/warehouses")
        assert down.status_code in (502, 503), down.text
        assert down.headers["content-type"] == "application/problem+json"
        assert down.json()["service"] == "resources" and "resources" in down.json()["detail"]
        not_ready = httpx.get(f"{base}/readyz", timeout=10)
        assert not_ready.status_code == 503 and "resources" in not_ready.json()["detail"]
        assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200  # the gateway itself stays up
    finally:
        process.send_signal(signal.SIGCONT)
    started = time.monotonic()
    wait_until(lambda: ready(base), timeout=30, interval=0.2)
    assert viewer.get("/warehouses").status_code == 200
    assert time.monotonic() - started < 30
