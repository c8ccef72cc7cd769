"""What the gateway's tests share: settings, a stand-in service, a test client, keys made through the API."""
from __future__ import annotations

from typing import Any, Callable

import httpx
import pytest

from contracts.catalogue import CONSOLE, DRILLS, PLANS, RESOURCES, SERVICES
from gateway.app import create_app
from servicekit.config import Settings
from servicekit.testing import TEST_SECRET, database_factory

ADMIN_KEY = "test-admin-key-0123456789abcdefghij"  # 32+ characters, as the gateway demands
SECRET = TEST_SECRET
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
# Each service at `http://<name>.internal:<8000 + its port offset>`, so a stand-in can tell them apart by host.
SERVICE_URLS = {service.name: f"http://{service.name}.internal:{8000 + service.port_offset}" for service in SERVICES}
RESOURCES_URL, PLANS_URL, DRILLS_URL = SERVICE_URLS[RESOURCES], SERVICE_URLS[PLANS], SERVICE_URLS[DRILLS]


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def settings_factory(database_url: str) -> Callable[..., Settings]:
    """Settings for a gateway over the key store at `database_url`; keywords override any field."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = dict(
            admin_key=ADMIN_KEY,
            internal_secret=SECRET,
            database_urls={"gateway": database_url},
            service_urls={**SERVICE_URLS, CONSOLE: ""},  # API only, unless a test gives it a console
            max_body_bytes=1024,
            import_max_body_bytes=4096,
        )
        values.update(overrides)
        values["service_urls"] = {CONSOLE: "", **values["service_urls"]}
        return Settings(**values)

    return make


def sqlite_gateway_url(request: pytest.FixtureRequest, tmp_path_factory) -> str:
    """A freshly migrated SQLite key store (a copy of one migrated per session)."""
    return database_factory("sqlite", request.config, tmp_path_factory)("gateway")


class FakeService:
    """Stands in for a service: remembers what reached it and answers as told."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.answer: Callable[[httpx.Request], httpx.Response] = lambda request: httpx.Response(200, json={"ok": True})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.answer(request)


def gateway_client(settings: Settings, transport: httpx.BaseTransport | None = None):
    """The gateway app and its test client; close with `close(app)`."""
    app = create_app(settings, transport=transport)
    app.config["TESTING"] = True
    return app, app.test_client()


def close(app) -> None:
    app.extensions["erdm_upstream"].close()
    app.extensions["erdm_gateway_db"].dispose()


def create_key(client, role: str, name: str | None = None) -> dict[str, Any]:
    """A key made by the admin through `POST /api/v1/keys`: its answer, token under "key"."""
    response = client.post("/api/v1/keys", json={"name": name or f"{role} desk", "role": role}, headers=ADMIN)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def assert_problem(response, status: int, *, mentions: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    if mentions:
        assert mentions in body["detail"], body["detail"]
    return body
