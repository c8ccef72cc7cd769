"""A sender whose attempt outlives its lease (a slow receiver) has been overtaken: another sender claimed the delivery
and sent it again. The stale attempt is listed, but its failure moves nothing (the newer claim's schedule stands);
its success still settles the delivery delivered, since the receiver has it. Delivery is at least once."""
from __future__ import annotations

import datetime as dt
import uuid

from people import clock, gateway_client
from sqlalchemy import select
from webhooks_desk import deliveries, subscribe
from webhooks_rig import (
    FAST,
    bus,
    drill_completed,
    gateway_db,
    gateway_db_url,
    receivers,
    root_id,
    sender,
    settle,
)

from gateway.models import webhook_deliveries
from gateway.webhooks import deliveries as claims
from gateway.webhooks.sender import Sender
from tests.webhooks.receiver import HANG

# The fixtures the tests take by name (the gateway on the test's clock, the notifier's rig on both backends): pytest
# finds them where they are imported, here.
FIXTURES = (clock, gateway_client, bus, gateway_db, gateway_db_url, receivers, sender)


def _listed(client, subscription) -> dict:
    (delivery,) = deliveries(client, subscription)["items"]
    return delivery


def test_a_claims_lease_end_reads_back_equal_from_the_database(gateway_client, gateway_db, bus, clock, receivers):
    subscribe(gateway_client, receivers().url)
    bus(drill_completed(root_id(gateway_client)))
    clock.now = (clock.now + dt.timedelta(seconds=1)).replace(microsecond=654321)  # due; a lease end to the µs
    with gateway_db.transaction() as session:
        (claim,) = claims.claim_due(session=session, now=clock(), limit=1, lease=dt.timedelta(seconds=50))
    with gateway_db.session() as session:
        stored = session.scalar(select(webhook_deliveries.c.next_attempt_at)
                                .where(webhook_deliveries.c.id == claim.id))
    assert stored == claim.leased_until and stored.microsecond == 654321  # on both backends


def test_a_stale_senders_failure_is_listed_but_leaves_the_newer_claims_schedule(
        gateway_client, gateway_db, bus, sender, clock, receivers):
    receiver = receivers((HANG, 500), 500)  # the first attempt is slow and then fails; the second fails at once
    subscription = subscribe(gateway_client, receiver.url)
    bus(drill_completed(root_id(gateway_client)))
    started = sender.dispatch()
    assert receiver.arrived.acquire(timeout=30)

    clock.advance(seconds=sender.lease.total_seconds() + 1)  # the lease ends while the first attempt hangs
    other = Sender(gateway_db, FAST, clock=clock, bootstrap_admin=True)
    try:
        assert list(settle(other).values()) == ["pending"]  # claimed again, sent again, failed: retried soon
    finally:
        other.close()
    rescheduled = _listed(gateway_client, subscription)["next_attempt_at"]
    # The newer claim held, so its failure moved the delivery to its retry (1–2 s on), not left it at its lease end.
    assert dt.datetime.fromisoformat(rescheduled) <= clock() + dt.timedelta(seconds=FAST.retry_cap_seconds)

    receiver.release.set()
    (stale,) = started.values()
    assert stale.result(timeout=30) == "pending"
    delivery = _listed(gateway_client, subscription)
    assert (delivery["status"], delivery["next_attempt_at"]) == ("pending", rescheduled)
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 500]  # both listed


def test_a_late_success_settles_the_delivery_delivered_even_after_a_newer_claim_failed_it(
        gateway_client, gateway_db, bus, sender, clock, receivers):
    receiver = receivers(HANG, 500)  # the first attempt is slow but succeeds; the second fails
    subscription = subscribe(gateway_client, receiver.url)
    lease = sender.lease.total_seconds()
    # The retry window closes just after the second claim: its failure leaves no more attempts.
    occurred = clock() - dt.timedelta(hours=24) + dt.timedelta(seconds=lease + 1.5)
    event = bus(drill_completed(root_id(gateway_client), occurred_at=occurred.isoformat()))
    started = sender.dispatch()
    assert receiver.arrived.acquire(timeout=30)

    clock.advance(seconds=lease + 1)
    other = Sender(gateway_db, FAST, clock=clock, bootstrap_admin=True)
    try:
        assert list(settle(other).values()) == ["failed"]
    finally:
        other.close()

    receiver.release.set()
    assert started[uuid.UUID(_listed(gateway_client, subscription)["id"])].result(timeout=30) == "delivered"
    delivery = _listed(gateway_client, subscription)
    assert (delivery["status"], delivery["next_attempt_at"], delivery["error"]) == ("delivered", None, None)
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [500, 200]
    assert [seen.envelope["id"] for seen in receiver.acknowledged] == [event.id]
    clock.advance(hours=1)
    assert settle(sender) == {}  # settled: never sent again
