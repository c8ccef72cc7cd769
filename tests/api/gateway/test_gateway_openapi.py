"""One API description for the whole system, and Swagger UI over it served from this machine alone."""
from __future__ import annotations

import re

import httpx
import pytest
from openapi_spec_validator import validate

from contracts.catalogue import SERVICES
from gateway import openapi as openapi_module
from gateway.testing import ADMIN, assert_problem, bearer, create_key
from servicekit.db import Database
from servicekit.testing import database_factory

DESCRIPTION = "/api/v1/openapi.json"


@pytest.fixture
def service_apps(request, tmp_path_factory, settings):
    """The real service apps of the catalogue (SQLite), each reached in-process by the host the gateway dials."""
    import importlib

    fresh = database_factory("sqlite", request.config, tmp_path_factory)
    apps, databases = {}, []
    for service in SERVICES:
        databases.append(Database(fresh(service.package)))
        create_app = importlib.import_module(f"{service.package}.app").create_app
        apps[f"{service.name}.internal"] = create_app(settings, database=databases[-1], required_processes=())
    yield apps
    for database in databases:
        database.dispose()


class CountingTransport(httpx.BaseTransport):
    """Routes each request to the app of its host (or refuses the ones `down` names), counting description fetches."""

    def __init__(self, apps: dict) -> None:
        self.inner = {host: httpx.WSGITransport(app=app) for host, app in apps.items()}
        self.down: set[str] = set()
        self.fetches = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/openapi.json":
            self.fetches += 1
        if request.url.host.split(".")[0] in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return self.inner[request.url.host].handle_request(request)


@pytest.fixture
def transport(service_apps):
    """What this module's gateways dial: the real services."""
    return CountingTransport(service_apps)


def test_the_merged_description_is_valid_openapi_with_every_public_path(gateway_client):
    response = gateway_client.get(DESCRIPTION, headers=ADMIN)
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.0.3" and document["x-erdm-missing-services"] == []
    for path in ("/api/v1/warehouses", "/api/v1/stock/receipts", "/api/v1/reservations/{reservation_id}/release",
                 "/api/v1/keys", "/api/v1/keys/{key_id}"):
        assert path in document["paths"], path
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    assert "中" in response.get_data(as_text=True) or "应急" in response.get_data(as_text=True)


def test_every_call_is_described_with_the_bearer_key_and_the_gateways_own_answers(gateway_client):
    document = gateway_client.get(DESCRIPTION, headers=ADMIN).get_json()
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearerAuth": []}]
    receipts = document["paths"]["/api/v1/stock/receipts"]["post"]["responses"]
    for status in ("401", "403", "413", "429", "502", "503", "504"):
        assert status in receipts, status
    assert "413" not in document["paths"]["/api/v1/warehouses"]["get"]["responses"]
    # One Problem schema, shared by the gateway and every service.
    schemas = document["components"]["schemas"]
    assert "Problem" in schemas and not any(name.endswith("Problem") and name != "Problem" for name in schemas)
    assert "key" not in schemas["Key"]["properties"] and "key" in schemas["KeyCreated"]["properties"]
    assert {tag["name"] for tag in document["tags"]} >= {"keys", "catalog", "stock", "reservations"}


def test_the_gateways_own_operations_are_described_with_every_answer_they_give(gateway_client):
    paths = gateway_client.get(DESCRIPTION, headers=ADMIN).get_json()["paths"]
    assert "422" in paths["/api/v1/keys"]["get"]["responses"]
    assert {"400", "409", "422"} <= set(paths["/api/v1/keys"]["post"]["responses"])
    readiness = paths["/api/v1/readiness"]["get"]
    assert "422" in readiness["responses"] and readiness["responses"]["200"]["content"]["application/json"]


def test_the_description_needs_a_key_of_any_role(gateway_client):
    assert_problem(gateway_client.get(DESCRIPTION), 401)
    viewer = create_key(gateway_client, "viewer")["key"]
    assert gateway_client.get(DESCRIPTION, headers=bearer(viewer)).status_code == 200


def test_a_service_that_is_down_is_left_out_and_named_then_comes_back(gateway_client, transport, monkeypatch):
    clock = [1000.0]
    description = gateway_client.application.extensions["erdm_openapi"]
    monkeypatch.setattr(description, "clock", lambda: clock[0])
    transport.down = {"resources"}
    document = gateway_client.get(DESCRIPTION, headers=ADMIN).get_json()
    validate(document)
    assert document["x-erdm-missing-services"] == ["resources"]
    assert "/api/v1/warehouses" not in document["paths"] and "/api/v1/keys" in document["paths"]

    transport.down = set()
    clock[0] += openapi_module.MISSING_SECONDS + 0.1
    document = gateway_client.get(DESCRIPTION, headers=ADMIN).get_json()
    assert document["x-erdm-missing-services"] == [] and "/api/v1/warehouses" in document["paths"]


def test_the_description_is_cached_briefly(gateway_client, transport, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(gateway_client.application.extensions["erdm_openapi"], "clock", lambda: clock[0])
    for _ in range(3):
        assert gateway_client.get(DESCRIPTION, headers=ADMIN).status_code == 200
    assert transport.fetches == len(SERVICES)  # one description per service
    clock[0] += openapi_module.FRESH_SECONDS + 1
    gateway_client.get(DESCRIPTION, headers=ADMIN)
    assert transport.fetches == 2 * len(SERVICES)


def test_docs_is_swagger_ui_from_local_assets_only(gateway_client):
    page = gateway_client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "//" not in re.sub(r"<!--.*?-->", "", html).replace("http-equiv", "")  # no CDN, no absolute URL
    assets = re.findall(r'(?:src|href)="(/docs/[^"]+)"', html)
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/static/erdm-docs.js"} <= set(assets)
    for asset in assets:
        answer = gateway_client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.data) > 100
    script = gateway_client.get("/docs/static/erdm-docs.js").get_data(as_text=True)
    assert DESCRIPTION in script and "preauthorizeApiKey" in script and "bearerAuth" in script
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_only_the_assets_the_page_uses_are_served(gateway_client):
    assert_problem(gateway_client.get("/docs/assets/swagger-ui-bundle.js.map"), 404)
    assert_problem(gateway_client.get("/docs/assets/..%2F__init__.py"), 404)
    assert_problem(gateway_client.get("/docs/static/docs.html"), 404)


# The generator a client team would use; answers given as files are read as bytes (it reads every text/*
# answer as text otherwise, and the export answers CSV or XLSX from one operation).
CLIENT_CONFIG = """
post_hooks: []
content_type_overrides:
  text/csv: application/octet-stream
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""


@pytest.fixture
def generated_client(gateway_client, tmp_path, monkeypatch):
    """The Python client openapi-python-client generates from the merged description, imported."""
    import subprocess
    import sys

    description = tmp_path / "openapi.json"
    description.write_bytes(gateway_client.get(DESCRIPTION, headers=ADMIN).data)
    config = tmp_path / "client.yml"
    config.write_text(CLIENT_CONFIG)
    made = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", str(description),
                           "--config", str(config), "--meta", "none", "--output-path", str(tmp_path / "erdm_client")],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Warning" not in made.stdout, made.stdout  # every operation and schema made it into the client
    monkeypatch.syspath_prepend(str(tmp_path))
    import erdm_client

    yield erdm_client
    for name in [name for name in sys.modules if name == "erdm_client" or name.startswith("erdm_client.")]:
        del sys.modules[name]


@pytest.mark.slow  # runs the generator in a process of its own (~10 s)
def test_a_generated_client_types_answers_fully_and_requests_without_server_set_fields(generated_client):
    import importlib

    import attrs
    import httpx

    models = importlib.import_module("erdm_client.models")
    drill, patch, created = (attrs.fields_dict(getattr(models, name)) for name in ("Drill", "DrillPatch", "DrillInput"))
    # Every field an answer always carries is required; the nullable ones say so.
    assert drill["status"].type == "str" and drill["id"].type == "UUID"
    assert drill["reservation_id"].type == "None | UUID" and "Unset" not in drill["completed_at"].type
    # What the server sets is no part of a request.
    assert not {"status", "id", "reservation_id", "created_at"} & (set(patch) | set(created))
    assert "Unset" in patch["title"].type and "Unset" not in created["title"].type
    # A moment is written as a date-time or a plain date; it is answered as a date-time.
    assert created["scheduled_start"].type == "datetime.date | datetime.datetime"
    assert drill["scheduled_start"].type == "datetime.datetime"
    # The alert kinds differ in what they carry: only the common fields are required.
    alert = attrs.fields_dict(models.Alert)
    assert "Unset" not in alert["kind"].type and "Unset" in alert["serial_no"].type

    # Files are files: the export's bytes come back as they are, the calendar as text.
    export = importlib.import_module("erdm_client.api.insight.get_api_v1_stock_export")
    workbook = b"PK\x03\x04 an xlsx"
    answer = export._parse_response(client=None, response=httpx.Response(200, content=workbook))
    assert answer.payload.read() == workbook
    calendar = importlib.import_module("erdm_client.api.calendar.get_api_v1_drills_calendar_ics")
    feed = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    assert calendar._parse_response(client=None, response=httpx.Response(200, text=feed)) == feed
