"""Fixtures for bus tests: a broker (embedded or RabbitMQ), a resources database, and real worker/relay processes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from kombu import Queue

from contracts.catalogue import subscriptions
from servicekit import bus
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_factory, require_backend

REPO = Path(__file__).resolve().parents[2]

# (broker, database): the embedded default, and production's RabbitMQ with PostgreSQL.
COMBINATIONS = [
    pytest.param(("filesystem", "sqlite"), id="filesystem-sqlite"),
    pytest.param(("amqp", "postgres"), id="amqp-postgres", marks=[pytest.mark.rabbitmq, pytest.mark.postgres]),
]


@pytest.fixture(params=COMBINATIONS)
def backends(request, tmp_path, tmp_path_factory):
    broker, db = request.param
    if broker == "filesystem":
        broker_url = f"filesystem://{tmp_path / 'broker'}"
    else:
        broker_url = require_backend("ERDM_TEST_AMQP_URL", "RabbitMQ")
    return broker_url, database_factory(db, request.config, tmp_path_factory)("services.resources")


@pytest.fixture
def broker_url(backends):
    url = backends[0]
    with bus.connect(url) as connection:
        bus.declare_topology(connection, subscriptions())
        # Durable RabbitMQ queues outlive a test: start each test from empty ones.
        for service, types in subscriptions().items():
            bus.service_queue(service, types).bind(connection.default_channel).purge()
            bus.dead_letter_queue(service).bind(connection.default_channel).purge()
    return url


@pytest.fixture
def database(backends):
    database = Database(backends[1])
    yield database
    database.dispose()


@pytest.fixture
def observer(broker_url):
    """A queue of our own on the events exchange, to see what the services publish."""
    name = f"test.observer.{uuid.uuid4().hex[:8]}"
    connection = bus.connect(broker_url)
    queue = Queue(name, exchange=bus.EVENTS_EXCHANGE, routing_key="#", durable=False, auto_delete=True)
    queue.bind(connection.default_channel).declare()
    yield connection, queue
    try:
        queue.bind(connection.default_channel).delete()
    finally:
        connection.release()


class Processes:
    """Real `python -m erdm worker|relay <service>` processes, always stopped at the end."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.running: list[subprocess.Popen] = []

    def start(self, kind: str, service: str = "resources", **extra_env: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{service}-{kind}-{len(self.running)}.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "erdm", kind, service], cwd=REPO,
                                   env={**self.env, **extra_env}, stdout=log, stderr=subprocess.STDOUT)
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in sorted(self.log_dir.glob("*.log")))


@pytest.fixture
def processes(broker_url, database, tmp_path):
    env = {**os.environ, "ERDM_BROKER_URL": broker_url, "ERDM_RESOURCES_DATABASE_URL": database.url,
           "ERDM_DATA_DIR": str(tmp_path), "ERDM_INTERNAL_SECRET": TEST_SECRET, "PYTHONUNBUFFERED": "1"}
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Processes(env, logs)
    yield running
    running.stop_all()
