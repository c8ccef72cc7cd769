"""Drill events arrive late, twice or out of order: the resources service still ends with the right holds."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from servicekit.events import Event
from services.resources.handlers import ResourceHandlers


PLAN_ID = str(uuid.uuid4())  # every drill event names its plan; the resources service does not read it


@pytest.fixture
def deliver(resources_db):
    """Deliver an event built by the test (so it controls `occurred_at`) as the worker would."""
    mapping = ResourceHandlers(timezone="Asia/Shanghai").mapping()

    def run(event: Event) -> None:
        with resources_db.transaction() as session:
            mapping[event.type](event, session=session)

    return run


def _event(event_type, drill_id, *, minutes_ago=0, **data):
    at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=minutes_ago)
    return Event(type=event_type, source="drills", occurred_at=at.isoformat(),
                 data={"drill_id": drill_id, "plan_id": PLAN_ID, **data})


def _needs(item, quantity):
    return [{"item_id": item["id"], "quantity": quantity}]


def test_a_schedule_arriving_after_the_cancellation_holds_nothing(deliver, stockroom, depot, water):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    deliver(_event("drill.cancelled", drill_id))
    deliver(_event("drill.scheduled", drill_id, minutes_ago=5, resources=_needs(water, 4)))
    assert stockroom.balance(depot, water)["reserved"] == 0


def test_a_schedule_arriving_after_completion_holds_nothing(deliver, stockroom, depot, water):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    deliver(_event("drill.scheduled", drill_id, minutes_ago=10, resources=_needs(water, 4)))
    deliver(_event("drill.completed", drill_id, consumed=_needs(water, 1)))
    deliver(_event("drill.scheduled", drill_id, minutes_ago=5, resources=_needs(water, 6)))
    balance = stockroom.balance(depot, water)
    assert (balance["on_hand"], balance["reserved"]) == (9, 0)


def test_an_older_reschedule_delivered_late_does_not_replace_the_newer_hold(deliver, stockroom, depot, water):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    newer = _event("drill.scheduled", drill_id, minutes_ago=1, resources=_needs(water, 7))
    older = _event("drill.scheduled", drill_id, minutes_ago=9, resources=_needs(water, 2))
    deliver(newer)
    deliver(older)
    assert stockroom.balance(depot, water)["reserved"] == 7


def test_a_drill_hold_lapses_some_time_after_the_drill_was_due_to_end(deliver, stockroom, depot, water, resources_db):
    from services.resources.domain.reservations import HOLD_GRACE
    from services.resources.models import Reservation

    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    ends = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    deliver(_event("drill.scheduled", drill_id, resources=_needs(water, 3), scheduled_end=ends.isoformat()))
    with resources_db.session(readonly=True) as session:
        [hold] = session.query(Reservation).filter_by(reference=f"drill:{drill_id}").all()
    assert abs(hold.expires_at - (ends + HOLD_GRACE)) < dt.timedelta(seconds=1)


def test_the_schedule_revision_decides_even_when_clocks_disagree(deliver, stockroom, depot, water):
    stockroom.receive(depot, water, 10)
    drill_id = str(uuid.uuid4())
    # Revision 2 was emitted by an instance whose clock runs behind: it still replaces revision 1.
    deliver(_event("drill.scheduled", drill_id, minutes_ago=1, resources=_needs(water, 2), schedule_revision=1))
    deliver(_event("drill.scheduled", drill_id, minutes_ago=9, resources=_needs(water, 6), schedule_revision=2))
    deliver(_event("drill.scheduled", drill_id, minutes_ago=0, resources=_needs(water, 1), schedule_revision=1))
    assert stockroom.balance(depot, water)["reserved"] == 6
