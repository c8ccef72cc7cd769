"""RabbitMQ stopped for 10 s while drills are scheduled and completed: the writes are accepted, their
events wait in the outboxes, and once the broker is back every drill settles exactly once."""
from __future__ import annotations

import time

from servicekit.testing import wait_until
from tests.faults.books import assert_books_balance, drill_ledger, drill_reservations, wait_outbox_drained

OUTAGE_SECONDS = 10
HELD, USED = 10, 6


def test_drills_scheduled_and_completed_during_a_broker_outage_settle_once_it_is_back(stack, backends, bureau):
    bureau.receive(1000)
    plan = bureau.approved_plan(f"P-{bureau.item[:8]}")
    before = [bureau.schedule(plan, HELD) for _ in range(4)]
    bureau.wait_for_statuses(before, "ready", timeout=30)

    backends.rabbitmq_down()
    stopped = time.monotonic()
    try:
        wait_until(lambda: stack.ready() == 503, timeout=10, interval=0.2)  # readiness names the broker
        during = [bureau.schedule(plan, HELD) for _ in range(4)]
        completed = before[:2]
        for drill in completed:
            bureau.complete(drill, consumed=USED)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
        assert {bureau.drill_status(drill) for drill in during} == {"pending_resources"}, "settled with no broker?"
    finally:
        backends.rabbitmq_up()

    bureau.wait_for_statuses(during, "ready", timeout=60)
    untouched = before[2:] + during
    expected = (1000 - USED * len(completed), HELD * len(untouched))
    wait_until(lambda: bureau.balance() == expected, timeout=60, interval=0.2)
    for service in ("resources", "plans", "drills"):
        wait_outbox_drained(stack.database(service))

    resources = stack.database("resources")
    for drill in completed:
        assert drill_ledger(resources, drill) == {"reservation": HELD * 1000, "consumption": USED * 1000,
                                                  "release": (HELD - USED) * 1000}
        assert len(drill_reservations(resources, drill)) == 1
    for drill in untouched:
        assert drill_ledger(resources, drill) == {"reservation": HELD * 1000}
        assert drill_reservations(resources, drill) == ["held"]
    assert_books_balance(resources)
    wait_until(lambda: stack.ready() == 200, timeout=30, interval=0.2)
