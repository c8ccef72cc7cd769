"""OPTIONS says which methods a path takes: 204, an Allow header, no body; on the services and the gateway."""
from __future__ import annotations

import httpx
import pytest

from gateway.testing import ADMIN, FakeService, close, gateway_client, settings_factory, sqlite_gateway_url
from stockroom import API


def allowed(response) -> set[str]:
    assert response.status_code == 204, response.get_data(as_text=True)
    assert response.get_data() == b"" and "Content-Type" not in response.headers
    return {method.strip() for method in response.headers["Allow"].split(",")}


def test_a_service_path_lists_its_methods(resources_client, depot):
    assert allowed(resources_client.options(f"{API}/warehouses")) >= {"GET", "POST", "OPTIONS"}
    assert allowed(resources_client.options(f"{API}/warehouses/{depot['id']}")) >= {"GET", "PATCH"}


def test_a_service_answers_options_only_when_signed(resources_app):
    from flask.testing import FlaskClient

    assert FlaskClient(resources_app).options(f"{API}/warehouses").status_code == 401


@pytest.fixture
def gateway(request, tmp_path_factory, resources_app):
    """The gateway forwarding to the real resources app (in process, through httpx's WSGI transport)."""
    settings = settings_factory(sqlite_gateway_url(request, tmp_path_factory))()
    app, client = gateway_client(settings, httpx.WSGITransport(app=resources_app))
    yield client
    close(app)


def test_options_through_the_gateway_answers_as_the_service(gateway):
    assert allowed(gateway.options(f"{API}/warehouses", headers=ADMIN)) >= {"GET", "POST"}


@pytest.mark.parametrize("path", [f"{API}/keys", "/healthz", f"{API}/openapi.json"])
def test_the_gateways_own_paths_answer_options(request, tmp_path_factory, path):
    settings = settings_factory(sqlite_gateway_url(request, tmp_path_factory))()
    app, client = gateway_client(settings, httpx.MockTransport(FakeService()))
    try:
        methods = allowed(client.options(path, headers=ADMIN))
    finally:
        close(app)
    assert "GET" in methods and "OPTIONS" in methods
