"""Upgrading a gateway database whose webhook subscriptions predate their creator's kind: a person's subscription is
found to be a person's, a key's a key's, and both stand or lapse with their creator from then on."""
from __future__ import annotations

import datetime as dt
import uuid

from people import Personnel
from sqlalchemy import create_engine, select, text

from gateway import testing
from gateway.models import orgs
from gateway.testing import ADMIN
from servicekit.migrations import upgrade


def _subscribed_before(engine, created_by: str) -> str:
    """A subscription row as revision 0007 kept it (no creator kind), made straight in the database."""
    subscription_id = uuid.uuid4()
    with engine.begin() as connection:
        root = connection.scalar(select(orgs.c.id).where(orgs.c.code == "ROOT"))
        connection.execute(text(
            "INSERT INTO webhook_subscriptions (id, url, events, secret, org_id, scope, created_at, created_by, "
            "active) VALUES (:id, 'https://dashboard.example.com/erdm', '[\"drill.completed\"]', "
            "'s3cret-of-the-command-centre', :org, 'subtree', :at, :by, :active)"),
            {"id": subscription_id.hex, "org": root.hex, "at": dt.datetime.now(dt.timezone.utc).isoformat(),
             "by": created_by, "active": True})
    return str(subscription_id)


def test_subscriptions_made_before_learn_whether_a_person_or_a_key_made_them(tmp_path):
    url = f"sqlite:///{tmp_path / 'gateway.db'}"
    upgrade("gateway", url, "0007")
    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        people = Personnel(client)
        admin = people.create("duty.admin", role="admin")
        clerk = people.create("duty.clerk", role="planner")
        key = testing.create_key(client, "admin", "指挥中心大屏")
    finally:
        testing.close(app)
    engine = create_engine(url)
    by_admin, by_clerk, by_key = (_subscribed_before(engine, creator["id"]) for creator in (admin, clerk, key))
    engine.dispose()

    upgrade("gateway", url)

    app, client = testing.gateway_client(testing.settings_factory(url)(), None)
    try:
        listed = {item["id"]: (item["active"], item["inactive_reason"])
                  for item in client.get("/api/v1/webhooks", headers=ADMIN).get_json()["items"]}
        assert listed == {by_admin: (True, None), by_clerk: (False, "creator_not_admin"), by_key: (True, None)}
        assert client.delete(f"/api/v1/keys/{key['id']}", headers=ADMIN).status_code == 204
        assert client.get(f"/api/v1/webhooks/{by_key}", headers=ADMIN).get_json()["inactive_reason"] == (
            "creator_inactive")
    finally:
        testing.close(app)
