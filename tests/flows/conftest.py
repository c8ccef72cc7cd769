"""Fixtures of the flow tests: the services of tests/flows/harness.py on fresh databases of each backend."""
from __future__ import annotations

import pytest

from tests.flows.harness import SERVICES, Stack


@pytest.fixture
def stack(fresh_database_url, settings):
    stack = Stack(settings, {name: fresh_database_url(f"services.{name}") for name in SERVICES})
    yield stack
    stack.close()
