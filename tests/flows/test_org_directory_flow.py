"""The gateway announces its organisations once, through its own outbox and relay, and every service keeps a copy:
resources, plans and drills learn an organisation's place, district, industries and heads from the bus."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from contracts.catalogue import GATEWAY
from contracts.events import Person
from servicekit.relay import Relay
from tests.flows.directory import JUNE, announce, enterprise, gateway_database
from tests.flows.harness import SERVICES


@pytest.fixture
def gateway(stack, fresh_database_url):
    """The gateway's database, migrated, with its relay pumped by the stack beside the services' relays."""
    database = gateway_database(fresh_database_url("gateway"))
    stack.relays[GATEWAY] = Relay(database=database, connection=stack.connection, topology=stack.topology,
                                  service=GATEWAY)
    yield database
    database.dispose()


def _copies(stack, org_id) -> dict[str, object]:
    copies = {}
    for name in SERVICES:
        model = __import__(f"services.{name}.models", fromlist=["OrgDirectory"]).OrgDirectory
        with stack.databases[name].session(readonly=True) as session:
            copies[name] = session.scalar(select(model).where(model.id == org_id))
    return copies


def test_every_service_keeps_the_organisation_the_gateway_announced_and_its_later_change(stack, gateway):
    change = enterprise()
    announce(gateway, change)
    stack.settle()

    root, published = stack.events("org.changed")  # the root, announced by the gateway's migration, first
    assert (root["data"]["code"], root["data"]["path"]) == ("ROOT", "/ROOT/")
    assert (published["source"], published["data"]["code"]) == (GATEWAY, change.code)
    for name, org in _copies(stack, change.org_id).items():
        assert org is not None, f"{name} has no copy"
        assert (org.code, org.path, org.district, org.industries) == (
            change.code, change.path, "江北区", ["hazardous_chemicals"]), name
        assert org.principal == {"name": "李强", "title": "总经理"}, name

    later = dataclasses.replace(change, principal=Person(name="王芳", title="总经理"), district="江北新区",
                                updated_at=JUNE + dt.timedelta(hours=1))
    announce(gateway, later)
    stack.settle()
    stack.redeliver_everything()  # both again, as a relay that crashed before marking them would: applied once
    stack.settle()
    for name, org in _copies(stack, change.org_id).items():
        assert (org.district, org.principal["name"], org.changed_at) == ("江北新区", "王芳", later.updated_at), name
