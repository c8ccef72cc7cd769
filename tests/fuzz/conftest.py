"""The whole API in one process for the fuzzer: the gateway dialling every service app, each on its own SQLite."""
from __future__ import annotations

import importlib
import os
import uuid
from typing import Any

import httpx
import pytest

from contracts.catalogue import DRILLS, PLANS, SERVICES
from gateway.testing import ADMIN, close, gateway_client, settings_factory
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_factory, signed_client



class ServiceApps(httpx.BaseTransport):
    """Routes each upstream request to the WSGI app of the host the gateway dials (resources.internal, …),
    with the environ gunicorn would give it.

    httpx's WSGITransport passes PATH_INFO as decoded text and no raw target; gunicorn passes the
    path's bytes as latin-1 (PEP 3333) and the undecoded target as RAW_URI, which the services'
    signature check reads (servicekit/signing.py). Without both, a non-ASCII or percent-encoded path
    the fuzzer sends would fail in the harness (a 500 in werkzeug, a 401 bad signature), not in ERDM.
    """

    def __init__(self, apps: dict[str, Any]) -> None:
        self.apps = {f"{name}.internal": app for name, app in apps.items()}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        app, raw_uri = self.apps[request.url.host], request.url.raw_path.decode("ascii")

        def as_gunicorn_passes_it(environ, start_response):
            environ["PATH_INFO"] = environ["PATH_INFO"].encode("utf-8", "surrogateescape").decode("latin-1")
            environ["RAW_URI"] = raw_uri
            return app(environ, start_response)

        return httpx.WSGITransport(app=as_gunicorn_passes_it).handle_request(request)


def _plans_lookup(plans_app):
    """The drills service asks the plans app itself, in process, as HttpPlanLookup would over HTTP."""
    client = signed_client(plans_app)

    def lookup(plan_id: uuid.UUID):
        answer = client.get(f"/api/v1/plans/{plan_id}")
        return answer.get_json() if answer.status_code == 200 else None

    return lookup


@pytest.fixture(scope="module")
def fuzz_stack(request, tmp_path_factory):
    """(gateway app, its test client): every public path answered by the real code, nothing on the network."""
    # SQLite in make test, to stay within its time; ERDM_FUZZ_BACKEND=postgres (with ERDM_TEST_POSTGRES_URL)
    # runs the same cases against PostgreSQL, which enforces what SQLite lets pass (lengths, ranges).
    fresh = database_factory(os.environ.get("ERDM_FUZZ_BACKEND", "sqlite"), request.config, tmp_path_factory)
    data_dir = tmp_path_factory.mktemp("fuzz")
    settings = Settings(internal_secret=TEST_SECRET, data_dir=data_dir,
                        broker_url=f"filesystem://{data_dir / 'broker'}")
    # Every service of the catalogue, in its order: the plans app exists before the drills app asks it.
    databases = {service.name: Database(fresh(service.package)) for service in SERVICES}
    apps: dict[str, Any] = {}
    for service in SERVICES:
        create_app = importlib.import_module(f"{service.package}.app").create_app
        extra = {"plan_lookup": _plans_lookup(apps[PLANS])} if service.name == DRILLS else {}
        apps[service.name] = create_app(settings, database=databases[service.name], required_processes=(), **extra)
    # Thousands of calls from one key in a minute: the rate limit is tested elsewhere (test_gateway_limits).
    gateway_settings = settings_factory(fresh("gateway"))(
        rate_limit="1000000/minute", max_body_bytes=1024 * 1024, import_max_body_bytes=4 * 1024 * 1024)
    app, client = gateway_client(gateway_settings, ServiceApps(apps))
    yield app, client
    close(app)
    for database in databases.values():
        database.dispose()


@pytest.fixture(scope="module")
def seeded_ids(fuzz_stack) -> dict[str, list[str]]:
    """A few real objects, so generated ids sometimes name something that exists: field name -> its values."""
    _app, client = fuzz_stack

    def post(path: str, body: dict, status: int = 201) -> dict:
        answer = client.post(f"/api/v1{path}", json=body, headers=ADMIN)
        assert answer.status_code == status, answer.get_data(as_text=True)
        return answer.get_json()

    depots = [post("/warehouses", {"code": f"FUZZ-WH{n}", "name": f"模糊测试仓库{n}", "level": "municipal",
                                   "lat": 31.2 + n, "lon": 121.5}) for n in (1, 2)]
    tents = post("/items", {"code": "FUZZ-TENT", "name": "救灾帐篷", "unit": "顶", "category_code": "10401",
                            "kind": "material"})
    pumps = post("/items", {"code": "FUZZ-PUMP", "name": "排涝泵", "unit": "台", "category_code": "20101",
                            "kind": "equipment", "inspection_interval_days": 90})
    lot = post("/stock/receipts", {"warehouse_id": depots[0]["id"], "item_id": tents["id"], "quantity": 100})
    unit = post("/equipment", {"warehouse_id": depots[0]["id"], "item_id": pumps["id"], "serial_no": "FUZZ-0001"})
    held = post("/reservations", {"reference": "fuzz", "lines": [{"item_id": tents["id"], "quantity": 1}]})
    plan = post("/plans", {"code": "FUZZ-YA", "title": "防汛专项应急预案", "type": "special",
                           "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "张伟"})
    post(f"/plans/{plan['id']}/submit", {}, 200)
    post(f"/plans/{plan['id']}/approve", {"approved_by": "王局长"}, 200)
    drill = post("/drills", {"plan_id": plan["id"], "title": "汛期桌面推演", "form": "tabletop", "scope": "single",
                             "scheduled_start": "2030-06-01T09:00:00+08:00",
                             "scheduled_end": "2030-06-01T12:00:00+08:00", "location": "指挥中心"})
    depot_ids = [depot["id"] for depot in depots]
    return {"warehouse_id": depot_ids, "from_warehouse_id": depot_ids, "to_warehouse_id": depot_ids[::-1],
            "item_id": [tents["id"], pumps["id"]], "category_code": ["10401", "20101"],
            "lot_id": [lot["lot_id"]], "unit_id": [unit["id"]], "reservation_id": [held["id"]],
            "plan_id": [plan["id"]], "drill_id": [drill["id"]]}
