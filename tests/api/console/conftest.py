"""The console's view tests: the console app in front of a stand-in gateway (console/testing.py), signed in."""
from __future__ import annotations

import pytest

from console import testing


@pytest.fixture
def gateway() -> testing.FakeGateway:
    return testing.FakeGateway()


@pytest.fixture
def console_app(gateway, tmp_path):
    app = testing.console_app(gateway, tmp_path)
    yield app
    app.extensions["erdm_gateway_api"].close()


@pytest.fixture
def anonymous(console_app):
    """A browser that has not signed in."""
    return console_app.test_client()


@pytest.fixture
def console(console_app):
    """A browser signed in as console/testing.ME (an admin of the root organisation)."""
    client = console_app.test_client()
    testing.sign_in(client)
    return client
