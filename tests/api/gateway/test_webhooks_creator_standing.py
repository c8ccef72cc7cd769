"""A subscription lasts only as long as its creator: once the API key that made it is revoked, or the person who made
it is deactivated or no longer an admin, the next event reaches nothing, a pending delivery is failed unsent saying
why, and the API lists the subscription inactive with its reason; a live admin's keeps delivering."""
from __future__ import annotations

import pytest
from citydesk import CityDesk
from people import Personnel, clock, gateway_client  # noqa: F401 - fixtures: the gateway on this test's clock
from webhooks_desk import WEBHOOKS, deliveries, subscribe
from webhooks_rig import (FAST, bus, drill_completed, gateway_db, gateway_db_url,  # noqa: F401 - fixtures
                          receivers, root_id, sender, settle)

from gateway.testing import ADMIN
from gateway.webhooks.sender import Sender


def admin_key(client, scope: str = "subtree") -> tuple[dict, callable]:
    """An admin key's Authorization header, and how to take the key away (revoke it)."""
    key = CityDesk(client).key("ROOT", scope=scope, role="admin")

    def revoke() -> None:
        assert client.delete(f"/api/v1/keys/{key['id']}", headers=ADMIN).status_code == 204

    return key["auth"], revoke


def admin_person(client, **change) -> tuple[dict, callable]:
    """A signed-in admin's Authorization header, and how to take the standing away (`change` the person)."""
    people = Personnel(client)
    person = people.create("duty.admin", role="admin", display_name="值班管理员")
    return people.token("duty.admin"), lambda: people.change(person["id"], **change)


CREATORS = {
    "revoked key": (admin_key, {}, "creator_inactive", "creator no longer active"),
    "deactivated person": (admin_person, {"active": False}, "creator_inactive", "creator no longer active"),
    "person no longer admin": (admin_person, {"role": "planner"}, "creator_not_admin", "creator no longer an admin"),
}


@pytest.mark.parametrize("creator", CREATORS.values(), ids=list(CREATORS))
def test_once_its_creator_no_longer_stands_a_subscription_sends_nothing_and_says_why(
        gateway_client, bus, sender, receivers, creator):
    make, change, reason, error = creator
    auth, take_away = make(gateway_client, **change) if change else make(gateway_client)
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url, headers=auth)
    assert (subscription["active"], subscription["inactive_reason"]) == (True, None)
    before = bus(drill_completed(root_id(gateway_client)))  # its delivery is pending, not yet sent...

    take_away()
    bus(drill_completed(root_id(gateway_client)))  # ...and this one reaches nothing
    assert settle(sender) == {}
    assert receiver.requests == []

    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert (delivery["event_id"], delivery["status"], delivery["attempts"], delivery["next_attempt_at"]) == (
        before.id, "failed", [], None)
    assert error in delivery["error"]
    listed = gateway_client.get(f"{WEBHOOKS}/{subscription['id']}", headers=ADMIN).get_json()
    assert (listed["active"], listed["inactive_reason"]) == (False, reason)
    (item,) = gateway_client.get(WEBHOOKS, headers=ADMIN).get_json()["items"]
    assert (item["id"], item["active"], item["inactive_reason"]) == (subscription["id"], False, reason)


def test_a_live_admins_subscriptions_keep_delivering_whoever_else_goes(gateway_client, bus, sender, receivers):
    key_auth, _ = admin_key(gateway_client)
    person_auth, _ = admin_person(gateway_client)
    _, revoke_another = admin_key(gateway_client, scope="own")
    by_key, by_person, by_bootstrap = receivers(), receivers(), receivers()
    subscriptions = [subscribe(gateway_client, by_key.url, headers=key_auth),
                     subscribe(gateway_client, by_person.url, headers=person_auth),
                     subscribe(gateway_client, by_bootstrap.url)]  # the bootstrap admin key, configured here
    revoke_another()  # another admin's key: nothing of these subscriptions' business
    event = bus(drill_completed(root_id(gateway_client)))
    assert sorted(settle(sender).values()) == ["delivered"] * 3
    for receiver in (by_key, by_person, by_bootstrap):
        assert [seen.envelope["id"] for seen in receiver.acknowledged] == [event.id]
    listed = gateway_client.get(WEBHOOKS, headers=ADMIN).get_json()["items"]
    assert {(item["id"], item["active"], item["inactive_reason"]) for item in listed} == {
        (subscription["id"], True, None) for subscription in subscriptions}


def test_a_person_made_admin_again_is_heard_again_from_the_next_event(gateway_client, bus, sender, receivers):
    auth, demote = admin_person(gateway_client, role="planner")
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url, headers=auth)
    demote()
    bus(drill_completed(root_id(gateway_client)))  # reaches nothing
    people = Personnel(gateway_client)
    people.change(subscription["created_by"]["id"], role="admin")
    later = bus(drill_completed(root_id(gateway_client)))
    assert list(settle(sender).values()) == ["delivered"]
    assert [seen.envelope["id"] for seen in receiver.acknowledged] == [later.id]


def test_the_bootstrap_keys_subscriptions_lapse_where_it_is_no_longer_configured(gateway_client, gateway_db, bus,
                                                                                  clock, receivers):
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url)  # made with the bootstrap admin key (ERDM_ADMIN_KEY)
    bus(drill_completed(root_id(gateway_client)))
    unset = Sender(gateway_db, FAST, clock=clock, bootstrap_admin=False)  # a notifier without ERDM_ADMIN_KEY
    try:
        assert settle(unset) == {}
    finally:
        unset.close()
    assert receiver.requests == []
    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert delivery["status"] == "failed" and "creator no longer active" in delivery["error"]
