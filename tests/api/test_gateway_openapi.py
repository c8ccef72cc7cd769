"""One API description for the whole system, and Swagger UI over it served from this machine alone."""
from __future__ import annotations

import re

import httpx
import pytest
from openapi_spec_validator import validate

from gateway import openapi as openapi_module
from gateway.testing import ADMIN, assert_problem, bearer, close, create_key, gateway_client, settings_factory, sqlite_gateway_url
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_factory

DESCRIPTION = "/api/v1/openapi.json"


@pytest.fixture
def service_apps(request, tmp_path_factory, tmp_path):
    """The real service apps (SQLite), each reached in-process by the host the gateway dials."""
    import importlib

    settings = Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=f"filesystem://{tmp_path / 'broker'}")
    fresh = database_factory("sqlite", request.config, tmp_path_factory)
    apps, databases = {}, []
    for service in ("resources", "plans", "drills"):
        databases.append(Database(fresh(f"services.{service}")))
        create_app = importlib.import_module(f"services.{service}.app").create_app
        apps[f"{service}.internal"] = create_app(settings, database=databases[-1], required_processes=())
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
    return CountingTransport(service_apps)


@pytest.fixture
def gateway(request, tmp_path_factory, transport):
    app, client = gateway_client(settings_factory(sqlite_gateway_url(request, tmp_path_factory))(), transport)
    yield app, client
    close(app)


@pytest.fixture
def client(gateway):
    return gateway[1]


def test_the_merged_description_is_valid_openapi_with_every_public_path(client):
    response = client.get(DESCRIPTION, headers=ADMIN)
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.0.3" and document["x-erdm-missing-services"] == []
    for path in ("/api/v1/warehouses", "/api/v1/stock/receipts", "/api/v1/reservations/{reservation_id}/release",
                 "/api/v1/keys", "/api/v1/keys/{key_id}"):
        assert path in document["paths"], path
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    assert "中" in response.get_data(as_text=True) or "应急" in response.get_data(as_text=True)


def test_every_call_is_described_with_the_bearer_key_and_the_gateways_own_answers(client):
    document = client.get(DESCRIPTION, headers=ADMIN).get_json()
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


def test_the_gateways_own_operations_are_described_with_every_answer_they_give(client):
    paths = client.get(DESCRIPTION, headers=ADMIN).get_json()["paths"]
    assert "422" in paths["/api/v1/keys"]["get"]["responses"]
    assert {"400", "409", "422"} <= set(paths["/api/v1/keys"]["post"]["responses"])
    readiness = paths["/api/v1/readiness"]["get"]
    assert "422" in readiness["responses"] and readiness["responses"]["200"]["content"]["application/json"]


def test_the_description_needs_a_key_of_any_role(client):
    assert_problem(client.get(DESCRIPTION), 401)
    viewer = create_key(client, "viewer")["key"]
    assert client.get(DESCRIPTION, headers=bearer(viewer)).status_code == 200


def test_a_service_that_is_down_is_left_out_and_named_then_comes_back(client, transport, monkeypatch):
    clock = [1000.0]
    description = client.application.extensions["erdm_openapi"]
    monkeypatch.setattr(description, "clock", lambda: clock[0])
    transport.down = {"resources"}
    document = client.get(DESCRIPTION, headers=ADMIN).get_json()
    validate(document)
    assert document["x-erdm-missing-services"] == ["resources"]
    assert "/api/v1/warehouses" not in document["paths"] and "/api/v1/keys" in document["paths"]

    transport.down = set()
    clock[0] += openapi_module.MISSING_SECONDS + 0.1
    document = client.get(DESCRIPTION, headers=ADMIN).get_json()
    assert document["x-erdm-missing-services"] == [] and "/api/v1/warehouses" in document["paths"]


def test_the_description_is_cached_briefly(client, transport, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(client.application.extensions["erdm_openapi"], "clock", lambda: clock[0])
    for _ in range(3):
        assert client.get(DESCRIPTION, headers=ADMIN).status_code == 200
    assert transport.fetches == 3  # one description per service
    clock[0] += openapi_module.FRESH_SECONDS + 1
    client.get(DESCRIPTION, headers=ADMIN)
    assert transport.fetches == 6


def test_docs_is_swagger_ui_from_local_assets_only(client):
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "//" not in re.sub(r"<!--.*?-->", "", html).replace("http-equiv", "")  # no CDN, no absolute URL
    assets = re.findall(r'(?:src|href)="(/docs/[^"]+)"', html)
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/docs/static/erdm-docs.js"} <= set(assets)
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        assert len(answer.data) > 100
    script = client.get("/docs/static/erdm-docs.js").get_data(as_text=True)
    assert DESCRIPTION in script and "preauthorizeApiKey" in script and "bearerAuth" in script
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_only_the_assets_the_page_uses_are_served(client):
    assert_problem(client.get("/docs/assets/swagger-ui-bundle.js.map"), 404)
    assert_problem(client.get("/docs/assets/..%2F__init__.py"), 404)
    assert_problem(client.get("/docs/static/docs.html"), 404)
