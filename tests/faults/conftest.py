"""The stack every fault test disturbs: two web processes and two workers per service, one relay each,
on the test RabbitMQ and PostgreSQL, started once for the fault tests and always stopped; and the
switch that takes those servers down and back up (`.ci/backends.sh`, via ERDM_TEST_BACKENDS_CONTROL)."""
from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from servicekit.testing import require_backend, wait_until
from tests.e2e.realstack import rabbitmq_postgres_settings
from tests.e2e.stackrun import erdm_stack
from tests.faults.bureau import Bureau

ADMIN_KEY = "faults-admin-key-0123456789abcdefghij"  # the gateway wants 32+ characters


@dataclass
class Stack:
    base: str
    settings: dict[str, str]
    workdir: Path

    def database(self, service: str) -> str:
        return self.settings[f"ERDM_{service.upper()}_DATABASE_URL"]

    def ready(self) -> int | None:
        """The gateway's /readyz status, None when it does not answer."""
        try:
            return httpx.get(f"{self.base}/readyz", timeout=2).status_code
        except httpx.HTTPError:
            return None


class Backends:
    """Takes the shared test servers down and up; whatever a test does, `restore` brings both back."""

    def __init__(self, script: str) -> None:
        self.script = script

    def _run(self, command: str) -> None:
        subprocess.run(["bash", self.script, command], check=True, timeout=120)

    def rabbitmq_down(self) -> None:
        self._run("rabbitmq-down")

    def rabbitmq_up(self) -> None:
        self._run("rabbitmq-up")

    def postgres_down(self) -> None:
        self._run("postgres-down")

    def postgres_up(self) -> None:
        self._run("postgres-up")

    def restore(self) -> None:
        self._run("postgres-up")
        self._run("rabbitmq-up")


@pytest.fixture(scope="session")
def backends():
    control = Backends(require_backend("ERDM_TEST_BACKENDS_CONTROL", "the backends' down/up switch (.ci/backends.sh)"))
    yield control
    control.restore()


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory, backends):
    settings = rabbitmq_postgres_settings(request.config, tmp_path_factory, instances=2)
    workdir = tmp_path_factory.mktemp("faults")
    with erdm_stack(workdir, ADMIN_KEY, **settings) as (base, _supervisor, _env):
        yield Stack(base, settings, workdir)


@pytest.fixture
def bureau(stack, backends):
    """A fresh depot and material for one test; the stack ready again afterwards, whatever the test did."""
    bureau = Bureau(stack.base, ADMIN_KEY, uuid.uuid4().hex[:8])
    yield bureau
    bureau.close()
    backends.restore()
    wait_until(lambda: stack.ready() == 200, timeout=60, interval=0.2)


def pytest_collection_modifyitems(config, items):
    """Every test here disturbs shared servers: marked, so it runs last, and bounded in time."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            for mark in (pytest.mark.slow, pytest.mark.faults, pytest.mark.postgres, pytest.mark.rabbitmq,
                         # The test's own call is bounded; starting the stack and bringing the servers
                         # back must never be cut short halfway.
                         pytest.mark.timeout(300, func_only=True)):
                item.add_marker(mark)
