"""The stack on RabbitMQ and PostgreSQL for the end-to-end and fault tests: fresh databases, empty
queues, and a look into the databases the gateway keeps the tests away from."""
from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from contracts.catalogue import subscriptions
from erdm.stack import DATABASES
from servicekit import bus
from servicekit.testing import database_factory, require_backend



def rabbitmq_postgres_settings(config, tmp_path_factory, *, instances: int) -> dict[str, str]:
    """Environment for `erdm run` on the test RabbitMQ and fresh PostgreSQL databases, `instances` web
    processes and workers per service; the services' queues emptied (durable queues outlive other tests)."""
    broker = require_backend("ERDM_TEST_AMQP_URL", "RabbitMQ")
    fresh = database_factory("postgres", config, tmp_path_factory)
    settings = {"ERDM_BROKER_URL": broker, "ERDM_INSTANCES": str(instances)}
    for name, package in DATABASES.items():
        settings[f"ERDM_{name.upper()}_DATABASE_URL"] = fresh(package)
    with bus.connect(broker) as connection:
        bus.declare_topology(connection, subscriptions())
        for service, types in subscriptions().items():
            bus.service_queue(service, types).bind(connection.default_channel).purge()
    return settings


def query(url: str, statement: str, **params: Any) -> list:
    """Rows of one SQL statement, on a connection of its own (nothing pooled survives a restart)."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else []
    finally:
        engine.dispose()


def connected_processes(url: str) -> set[str]:
    """The ERDM processes holding connections to this database ("resources-worker-2"), by application_name."""
    rows = query(url, "SELECT application_name FROM pg_stat_activity WHERE datname = current_database()")
    return {name.split(" pid ")[0] for (name,) in rows if " pid " in name}
