"""A worker killed with SIGKILL in the middle of handling a message: its transaction dies with it, the
broker hands the unacknowledged message to the other worker, and the drill is reserved for exactly once."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from servicekit.testing import wait_until
from tests.e2e.realstack import connected_processes
from tests.faults.books import assert_books_balance, drill_ledger, drill_reservations, wait_outbox_drained
from tests.faults.processes import blocked_process, kill_hard

HELD = 10


def test_a_worker_killed_mid_message_loses_nothing_and_doubles_nothing(stack, bureau):
    bureau.receive(100)
    plan = bureau.approved_plan(f"P-{bureau.item[:8]}")
    resources = stack.database("resources")
    holder = create_engine(resources, poolclass=NullPool)
    with holder.connect() as connection:
        # Hold the material's balance row: the worker that takes a drill.scheduled for it stops, mid-
        # transaction, right where it would reserve.
        connection.execute(text("SELECT on_hand FROM balances WHERE item_id = :item FOR UPDATE"),
                           {"item": bureau.item})
        drills = [bureau.schedule(plan, HELD) for _ in range(3)]
        victim = blocked_process(resources, "resources-worker-")
        kill_hard(victim)
        connection.rollback()
    holder.dispose()

    bureau.wait_for_statuses(drills, "ready", timeout=60)
    wait_until(lambda: bureau.balance() == (100, HELD * len(drills)), timeout=30, interval=0.2)
    for drill in drills:
        assert drill_ledger(resources, drill) == {"reservation": HELD * 1000}
        assert drill_reservations(resources, drill) == ["held"]
    wait_outbox_drained(resources)
    assert_books_balance(resources)
    # The supervisor started the killed worker again: two workers compete on the queue once more.
    wait_until(lambda: {"resources-worker-1", "resources-worker-2"} <= connected_processes(resources),
               timeout=30, interval=0.2)
