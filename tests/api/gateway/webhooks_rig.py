"""The notifier's rig for the tests: the gateway's database on both backends, real receivers, the sender on the
test's clock and the bus as the notifier's worker hands events over; events and rounds waited for."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from webhooks_desk import SECRET

from contracts.catalogue import NOTIFIER
from gateway.testing import ADMIN
from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.notifier import handlers
from gateway.webhooks.sender import Sender
from servicekit import inbox
from servicekit.db import Database
from servicekit.events import Event
from tests.webhooks.receiver import Receiver

FAST = WebhookSettings(retry_base_seconds=1, retry_cap_seconds=2, senders=4, poll_seconds=0.05)


@pytest.fixture
def gateway_db_url(fresh_database_url):  # the notifier's claims differ by backend: both are tried
    return fresh_database_url("gateway")


@pytest.fixture
def gateway_db(gateway_db_url):
    database = Database(gateway_db_url)
    yield database
    database.dispose()


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make(*script, tls=None) -> Receiver:
        made.append(Receiver(secret=SECRET, script=list(script), tls=tls))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture
def sender(gateway_db, clock):
    """The notifier's sender over the gateway's database, on the test's clock, retrying within seconds."""
    sender = Sender(gateway_db, FAST, clock=clock, bootstrap_admin=True)
    yield sender
    sender.close()


@pytest.fixture
def bus(gateway_db, clock):
    """Deliver an event as the notifier's worker does: handled and recorded in the inbox in one transaction."""
    table = handlers(clock, FAST, wake=None, bootstrap_admin=True)  # the test gateway's admin key is set

    def deliver(event: Event) -> Event:
        with gateway_db.transaction() as session:
            if not inbox.already_applied(session, event, consumer=f"{NOTIFIER}-worker"):
                table[event.type](event, session=session)
                inbox.record(session, event, consumer=f"{NOTIFIER}-worker")
        return event

    return deliver


def drill_completed(org_id: str, **overrides) -> Event:
    return Event(type="drill.completed", source="drills", data={
        "drill_id": str(uuid.uuid4()), "plan_id": str(uuid.uuid4()), "org_id": org_id,
        "consumed": [], "completed_at": dt.datetime.now(dt.UTC).isoformat()}, **overrides)


def root_id(client) -> str:
    return client.get("/api/v1/me", headers=ADMIN).get_json()["org"]["id"]


def settle(sender: Sender) -> dict:
    """One sending round, waited for: delivery id -> the status each attempt left it in."""
    return {delivery_id: future.result(timeout=60) for delivery_id, future in sender.dispatch().items()}


def settle_all(sender: Sender) -> None:
    """Rounds until nothing is due (a round sends one delivery per subscription)."""
    while settle(sender):
        pass
