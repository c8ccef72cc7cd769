"""A relay killed between publishing an event and marking it sent: the event stays unsent in the outbox,
the restarted relay publishes it again, and the consumer, seeing it twice, applies it once."""
from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from servicekit.testing import wait_until
from tests.e2e.realstack import query
from tests.faults.books import assert_books_balance, drill_ledger, drill_reservations, wait_outbox_drained
from tests.faults.processes import blocked_process, kill_hard

HELD = 10
GATE = 7_100_471  # the advisory lock the trigger below waits for while the test holds it

# Makes marking an outbox row as sent wait for the test: the relay has published (and the broker has
# confirmed) by then, so killing it there is killing it between publishing and marking.
HOLD_MARKING = f"""
CREATE OR REPLACE FUNCTION erdm_fault_hold_marking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_advisory_xact_lock({GATE}); RETURN NEW; END $$;
CREATE TRIGGER erdm_fault_hold_marking BEFORE UPDATE OF published_at ON outbox
    FOR EACH ROW EXECUTE FUNCTION erdm_fault_hold_marking();
"""
RELEASE_MARKING = """
DROP TRIGGER IF EXISTS erdm_fault_hold_marking ON outbox;
DROP FUNCTION IF EXISTS erdm_fault_hold_marking();
"""


def test_a_relay_killed_after_publishing_and_before_marking_sends_a_duplicate_that_is_applied_once(stack, bureau):
    bureau.receive(100)
    plan = bureau.approved_plan(f"P-{bureau.item[:8]}")
    drills_db, resources = stack.database("drills"), stack.database("resources")
    wait_outbox_drained(drills_db)  # only the drill below is left for the relay to publish

    gate = create_engine(drills_db, poolclass=NullPool)
    try:
        with gate.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:gate)"), {"gate": GATE})
            holder.commit()
            try:
                query(drills_db, HOLD_MARKING)
                drill = bureau.schedule(plan, HELD)
                victim = blocked_process(drills_db, "drills-relay")
                # Published: the resources service reserves while the relay waits to mark the event sent.
                bureau.wait_for_statuses([drill], "ready", timeout=30)
                kill_hard(victim)
            finally:
                holder.execute(text("SELECT pg_advisory_unlock(:gate)"), {"gate": GATE})
                holder.commit()
    finally:
        gate.dispose()
        query(drills_db, RELEASE_MARKING)  # the later fault tests share this database

    (event_id,) = query(drills_db, "SELECT event_id FROM outbox WHERE event_type = 'drill.scheduled' "
                                   "AND envelope LIKE :drill", drill=f"%{drill}%")[0]
    wait_outbox_drained(drills_db)  # the restarted relay published it again
    # The second delivery reached a resources worker, which recognised it from its inbox.
    wait_until(lambda: f"drill.scheduled {event_id} duplicate" in (stack.workdir / "stack.log").read_text(),
               timeout=30, interval=0.2)
    assert query(resources, "SELECT COUNT(*) FROM inbox WHERE event_id = :event", event=event_id)[0][0] == 1
    assert drill_ledger(resources, drill) == {"reservation": HELD * 1000}
    assert drill_reservations(resources, drill) == ["held"]
    assert bureau.balance() == (100, HELD)
    assert_books_balance(resources)
