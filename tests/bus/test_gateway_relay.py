"""`python -m erdm relay gateway`: the gateway's outbox (org.changed) reaches every service's queue, a real process
on the embedded transport and on RabbitMQ."""
from __future__ import annotations

import json

import pytest

from contracts.catalogue import GATEWAY, subscriptions
from servicekit import bus
from servicekit.testing import database_factory, wait_until
from tests.bus.helpers import drain, pending_outbox
from tests.flows.directory import announce, enterprise, gateway_database

pytestmark = pytest.mark.slow


@pytest.fixture
def gateway(backends, request, tmp_path_factory):
    """The gateway's database on the backend of the combination, migrated, with the kit's outbox."""
    backend = "sqlite" if backends[1].startswith("sqlite") else "postgres"
    database = gateway_database(database_factory(backend, request.config, tmp_path_factory)(GATEWAY))
    yield database
    database.dispose()


def test_the_gateway_relay_delivers_org_changed_to_every_service_queue(gateway, processes, broker_url):
    change = enterprise()
    event = announce(gateway, change)
    processes.start("relay", GATEWAY, ERDM_GATEWAY_DATABASE_URL=gateway.url)

    wait_until(lambda: pending_outbox(gateway) == 0, timeout=20)
    with bus.connect(broker_url) as connection:
        for service, types in subscriptions().items():
            root, message = drain(connection, bus.service_queue(service, types))  # the migration announced the root
            assert json.loads(root.body)["data"]["code"] == "ROOT"
            body = json.loads(message.body)
            assert (body["id"], body["source"], body["data"]["org_id"]) == (event.id, GATEWAY, str(change.org_id))
