"""Each key has its own request budget: past it 429 with Retry-After, other keys and keyless calls unaffected."""
from __future__ import annotations

import httpx
import pytest

from gateway.testing import (
    ADMIN, FakeService, assert_problem, bearer, close, create_key, gateway_client, settings_factory,
    sqlite_gateway_url,
)


@pytest.fixture
def service():
    return FakeService()


@pytest.fixture
def client(request, tmp_path_factory, service):
    settings = settings_factory(sqlite_gateway_url(request, tmp_path_factory))(rate_limit="3/minute")
    app, test_client = gateway_client(settings, httpx.MockTransport(service))
    yield test_client
    close(app)


def test_a_key_past_its_limit_gets_429_with_retry_after_and_nothing_is_forwarded(client, service):
    viewer = bearer(create_key(client, "viewer")["key"])
    assert [client.get("/api/v1/items", headers=viewer).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/items", headers=viewer)
    problem = assert_problem(refused, 429, mentions="3 per 1 minute")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert problem["limit"] == "3 per 1 minute"
    assert len(service.requests) == 3


def test_another_key_keeps_its_own_budget(client):
    first, second = (bearer(create_key(client, "viewer", name)["key"]) for name in ("first", "second"))
    for _ in range(3):
        client.get("/api/v1/items", headers=first)
    assert_problem(client.get("/api/v1/items", headers=first), 429)
    assert [client.get("/api/v1/items", headers=second).status_code for _ in range(3)] == [200, 200, 200]


def test_every_route_spends_the_same_budget_refusals_included(client):
    logistics = bearer(create_key(client, "logistics")["key"])
    assert client.get("/api/v1/warehouses", headers=logistics).status_code == 200
    assert client.get("/api/v1/openapi.json", headers=logistics).status_code == 200
    assert_problem(client.get("/api/v1/keys", headers=logistics), 403)
    assert_problem(client.get("/api/v1/stock", headers=logistics), 429)


def test_calls_without_a_valid_key_are_401_never_429(client):
    viewer = bearer(create_key(client, "viewer")["key"])
    for _ in range(4):
        client.get("/api/v1/items", headers=viewer)
    for _ in range(5):
        assert_problem(client.get("/api/v1/items"), 401)
        assert_problem(client.get("/api/v1/items", headers=bearer("erdm_wrong")), 401)
    assert all(client.get(path).status_code == 200 for path in ("/healthz", "/docs") for _ in range(5))


def test_the_bootstrap_admin_key_is_limited_too(client):
    for _ in range(3):
        client.get("/api/v1/items", headers=ADMIN)
    assert_problem(client.get("/api/v1/items", headers=ADMIN), 429)


def test_a_malformed_limit_stops_the_gateway_from_starting(request, tmp_path_factory):
    settings = settings_factory(sqlite_gateway_url(request, tmp_path_factory))(rate_limit="lots")
    with pytest.raises(ValueError, match="ERDM_RATE_LIMIT"):
        gateway_client(settings)
