"""The notifier against real HTTP receivers: each event of a subscription's scope is delivered once, signed, retried
with backoff, every attempt listed; redirects are not followed, a hanging receiver holds up no other, a deleted
subscription and a delivery past its 24 hours get no more attempts."""
from __future__ import annotations

import datetime as dt
import uuid

from citydesk import CityDesk
from people import clock, gateway_client  # noqa: F401 - fixtures: the gateway on this test's clock
from webhooks_desk import WEBHOOKS, deliveries, subscribe
from webhooks_rig import (bus, drill_completed, gateway_db, gateway_db_url, receivers,  # noqa: F401 - fixtures
                          root_id, sender, settle, settle_all)

from gateway.testing import ADMIN
from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.sender import Sender
from servicekit.events import Event
from tests.webhooks.receiver import HANG

def test_a_receiver_failing_twice_then_succeeding_gets_the_event_acknowledged_once_signed(
        gateway_client, bus, sender, clock, receivers):
    receiver = receivers(500, 503)
    subscription = subscribe(gateway_client, receiver.url)
    event = bus(drill_completed(root_id(gateway_client)))

    assert list(settle(sender).values()) == ["pending"]
    assert settle(sender) == {}  # not due again yet: it backs off
    clock.advance(seconds=2)
    assert list(settle(sender).values()) == ["pending"]
    clock.advance(seconds=2)
    (delivery_id,) = settle(sender)
    clock.advance(hours=1)
    assert settle(sender) == {}  # delivered: never sent again

    assert [seen.answered for seen in receiver.requests] == [500, 503, 200]
    (acknowledged,) = receiver.acknowledged
    assert all(seen.signed for seen in receiver.requests)  # HMAC-SHA256 of the body with the secret
    assert acknowledged.envelope == {"id": event.id, "type": "drill.completed", "occurred_at": event.occurred_at,
                                     "source": "drills", "correlation_id": None, "causation_id": None,
                                     "data": dict(event.data)}
    assert acknowledged.path == "/hooks/erdm"
    assert acknowledged.headers["content-type"] == "application/json"
    assert acknowledged.headers["x-erdm-webhook-id"] == str(delivery_id)
    assert acknowledged.headers["x-erdm-event-type"] == "drill.completed"
    assert acknowledged.headers["x-erdm-webhook-signature"].startswith("sha256=")
    assert len({seen.body for seen in receiver.requests}) == 1  # the same bytes every time

    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert (delivery["id"], delivery["event_id"], delivery["status"], delivery["next_attempt_at"]) == (
        str(delivery_id), event.id, "delivered", None)
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 503, 200]
    assert [attempt["error"] for attempt in delivery["attempts"]] == [
        "the receiver answered 500", "the receiver answered 503", None]
    assert all(attempt["duration_ms"] >= 0 for attempt in delivery["attempts"])
    times = [dt.datetime.fromisoformat(attempt["at"]) for attempt in delivery["attempts"]]
    assert times == sorted(times) and times[1] - times[0] == dt.timedelta(seconds=2)


def test_the_same_event_brought_again_makes_no_second_delivery(gateway_client, gateway_db, bus, sender, receivers):
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url)
    event = drill_completed(root_id(gateway_client))
    bus(event)
    bus(event)  # the bus redelivers it
    bus(Event(**{**event.__dict__}))
    assert deliveries(gateway_client, subscription)["total"] == 1
    settle(sender)
    assert len(receiver.acknowledged) == 1


def test_an_event_reaches_the_subscriptions_whose_scope_holds_its_organisation_and_no_other(
        gateway_client, bus, sender, receivers):
    city = CityDesk(gateway_client).build_city()
    pudong_admin = CityDesk(gateway_client).key("PD", scope="subtree", role="admin")["auth"]
    minhang_admin = CityDesk(gateway_client).key("MH", scope="own", role="admin")["auth"]
    at_root, at_pudong, at_minhang = receivers(), receivers(), receivers()
    subscribe(gateway_client, at_root.url)
    subscribe(gateway_client, at_pudong.url, headers=pudong_admin)
    subscribe(gateway_client, at_minhang.url, headers=minhang_admin)

    in_pudong = bus(drill_completed(city["ENT-001"]["id"]))  # an enterprise below 浦东
    in_minhang = bus(drill_completed(city["MH"]["id"]))
    elsewhere = bus(drill_completed(str(uuid.uuid4())))  # no organisation the directory knows
    settle_all(sender)

    def heard(receiver):
        return sorted(seen.envelope["id"] for seen in receiver.acknowledged)

    assert heard(at_root) == sorted([in_pudong.id, in_minhang.id])
    assert heard(at_pudong) == [in_pudong.id]
    assert heard(at_minhang) == [in_minhang.id]
    assert elsewhere.id not in heard(at_root)


def test_only_the_listed_event_types_are_delivered(gateway_client, bus, sender, receivers):
    receiver = receivers()
    subscribe(gateway_client, receiver.url, events=["plan.approved"])
    bus(drill_completed(root_id(gateway_client)))
    assert settle(sender) == {} and receiver.requests == []


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(gateway_client, bus, sender, receivers):
    elsewhere = receivers()
    receiver = receivers(("redirect", elsewhere.url))
    subscription = subscribe(gateway_client, receiver.url)
    bus(drill_completed(root_id(gateway_client)))
    assert list(settle(sender).values()) == ["pending"]
    assert elsewhere.requests == []
    (delivery,) = deliveries(gateway_client, subscription)["items"]
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] == 302 and "not followed" in attempt["error"]


def test_a_hanging_receiver_does_not_hold_up_another_subscriptions_delivery(gateway_client, bus, sender, receivers):
    stuck, quick = receivers(HANG), receivers()
    stuck_subscription = subscribe(gateway_client, stuck.url)
    quick_subscription = subscribe(gateway_client, quick.url)
    bus(drill_completed(root_id(gateway_client)))
    started = sender.dispatch()
    stuck_delivery = deliveries(gateway_client, stuck_subscription)["items"][0]["id"]
    quick_delivery = deliveries(gateway_client, quick_subscription)["items"][0]["id"]
    assert stuck.arrived.acquire(timeout=30)  # the stuck receiver holds its request...

    assert started[uuid.UUID(quick_delivery)].result(timeout=30) == "delivered"  # ...while the other is served
    assert not started[uuid.UUID(stuck_delivery)].done()
    assert sender.dispatch() == {}  # nor is the stuck one's delivery taken a second time meanwhile

    stuck.release.set()
    assert started[uuid.UUID(stuck_delivery)].result(timeout=30) == "delivered"


def test_deleting_a_subscription_stops_its_attempts(gateway_client, bus, sender, clock, receivers):
    receiver = receivers(500, 500, 500)
    subscription = subscribe(gateway_client, receiver.url)
    bus(drill_completed(root_id(gateway_client)))
    settle(sender)
    assert gateway_client.delete(f"{WEBHOOKS}/{subscription['id']}", headers=ADMIN).status_code == 204
    bus(drill_completed(root_id(gateway_client)))  # after the deletion: not even made
    clock.advance(minutes=10)
    assert settle(sender) == {}
    assert len(receiver.requests) == 1


def test_a_delivery_past_its_24_hours_is_failed_without_an_attempt(gateway_client, gateway_db, bus, sender, clock,
                                                                     receivers):
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url)
    old = (clock() - dt.timedelta(hours=25)).isoformat()
    bus(drill_completed(root_id(gateway_client), occurred_at=old))  # held up on the way (a broker outage, say)
    assert settle(sender) == {}
    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert (delivery["status"], delivery["attempts"], delivery["next_attempt_at"]) == ("failed", [], None)
    assert receiver.requests == []


def test_a_receiver_failing_for_24_hours_leaves_the_delivery_failed(gateway_client, gateway_db, bus, clock,
                                                                   receivers):
    receiver = receivers(*[500] * 100)
    subscription = subscribe(gateway_client, receiver.url)
    bus(drill_completed(root_id(gateway_client)))
    sender = Sender(gateway_db, WebhookSettings(retry_base_seconds=60, retry_cap_seconds=3600), clock=clock,
                    bootstrap_admin=True)
    try:
        statuses = []
        for _hour in range(26):
            statuses += settle(sender).values()
            clock.advance(hours=1)
    finally:
        sender.close()
    assert statuses[-1] == "failed" and set(statuses[:-1]) == {"pending"}
    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert delivery["status"] == "failed" and delivery["next_attempt_at"] is None
    # Backed off: 1, 2, 4… minutes, then hourly (the clock moved an hour a round), until the window closed.
    assert 10 <= len(delivery["attempts"]) == len(receiver.requests) <= 26


def test_with_private_targets_refused_a_loopback_receiver_is_never_sent_to(gateway_client, gateway_db, bus, clock,
                                                                           receivers):
    receiver = receivers()
    subscription = subscribe(gateway_client, receiver.url)  # allowed when made (the embedded default)
    bus(drill_completed(root_id(gateway_client)))
    sender = Sender(gateway_db, WebhookSettings(allow_private=False), clock=clock, bootstrap_admin=True)
    try:
        assert list(settle(sender).values()) == ["pending"]
    finally:
        sender.close()
    assert receiver.requests == []
    (attempt,) = deliveries(gateway_client, subscription)["items"][0]["attempts"]
    assert attempt["status_code"] is None and "loopback" in attempt["error"]


def test_a_change_to_the_shared_catalogue_reaches_every_subscription_that_lists_it(gateway_client, bus, sender,
                                                                                   receivers):
    CityDesk(gateway_client).build_city()
    district_admin = CityDesk(gateway_client).key("MH", scope="own", role="admin")["auth"]
    city, district = receivers(), receivers()
    subscribe(gateway_client, city.url, events=["item.changed"])
    subscribe(gateway_client, district.url, events=["item.changed"], headers=district_admin)
    item_id = str(uuid.uuid4())
    bus(Event(type="item.changed", source="resources", data={
        "item_id": item_id, "item": {"id": item_id, "code": "TENT-01", "name": "救灾帐篷", "unit": "顶"},
        "kind": "material", "category_code": "10401"}))  # items belong to no organisation: anyone may read them
    settle_all(sender)
    assert [seen.envelope["data"]["item_id"] for seen in city.acknowledged + district.acknowledged] == [item_id] * 2
