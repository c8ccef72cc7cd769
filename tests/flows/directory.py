"""The gateway's side of the organisation directory, as the tests stage it: an organisation's `org.changed`, the
gateway database's outbox, and the announcement written into it as the gateway's own transaction would."""
from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from contracts.catalogue import GATEWAY
from contracts.events import OrgChanged, Person
from servicekit import outbox
from servicekit.db import Database, heartbeat_table, outbox_table
from servicekit.events import Event, new_event

JUNE = dt.datetime(2026, 6, 1, 8, 0, tzinfo=dt.timezone.utc)


def enterprise(**fields) -> OrgChanged:
    """A hazardous-chemicals enterprise under the city bureau, with its head and a deputy in charge."""
    code = fields.pop("code", f"ENT-{uuid.uuid4().hex[:6]}")
    return OrgChanged(**{
        "org_id": uuid.uuid4(), "code": code, "name": "江北化工有限公司", "kind": "enterprise",
        "path": f"/ROOT/PD/{code}/", "parent_id": uuid.uuid4(), "district": "江北区",
        "industries": ["hazardous_chemicals"], "principal": Person(name="李强", title="总经理"),
        "deputies": [Person(name="周敏", title="安全副总")], "updated_at": JUNE, **fields})


def gateway_database(url: str) -> Database:
    """The gateway's database, migrated (its outbox and the relay's heartbeats come with migration 0004)."""
    database = Database(url)
    with database.session(readonly=True) as session:  # a database the migrations did not make fails here
        for table in (outbox_table, heartbeat_table):
            session.execute(select(table).limit(1))
    return database


def announce(database: Database, change: OrgChanged) -> Event:
    """Queue `change` in the gateway's outbox, as the transaction that changed the organisation would."""
    event = new_event(change, source=GATEWAY)
    with database.transaction() as session:
        outbox.add(session, event)
    return event
