"""Fixtures of the gateway's tests: a fresh key store, settings over it, a stand-in service, gateway clients.

A module gives the gateway another upstream by defining its own `transport`, another key store by its own
`gateway_db_url`; the clients below follow. The helper that makes an app and its client is reached as
`testing.gateway_client`, so that the name `gateway_client` is always this fixture.
"""
from __future__ import annotations

from typing import Callable

import httpx
import pytest
from flask.testing import FlaskClient

from gateway import testing
from servicekit.config import Settings


@pytest.fixture
def gateway_db_url(request, tmp_path_factory) -> str:
    """A freshly migrated SQLite key store."""
    return testing.sqlite_gateway_url(request, tmp_path_factory)


@pytest.fixture
def make_settings(gateway_db_url) -> Callable[..., Settings]:
    """Settings for a gateway over this test's key store; keywords override any field."""
    return testing.settings_factory(gateway_db_url)


@pytest.fixture
def service() -> testing.FakeService:
    return testing.FakeService()


@pytest.fixture
def transport(service) -> httpx.BaseTransport:
    """What the gateway dials: the stand-in service, for every service."""
    return httpx.MockTransport(service)


@pytest.fixture
def make_gateway(make_settings, transport):
    """Gateways over this test's key store and transport (so one store for all), closed after the test;
    keywords override settings. Returns each one's test client."""
    apps = []

    def make(**overrides) -> FlaskClient:
        app, client = testing.gateway_client(make_settings(**overrides), transport)
        apps.append(app)
        return client

    yield make
    for app in apps:
        testing.close(app)


@pytest.fixture
def gateway_client(make_gateway) -> FlaskClient:
    """The gateway with the test settings, in front of `transport`."""
    return make_gateway()
