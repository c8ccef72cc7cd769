"""The reservation and drill-hold rules without I/O: which steps are legal, expiry, stale schedules, use within a hold."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from servicekit.errors import Conflict
from services.resources.domain import reservations as life

NOW = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("to", [life.RELEASED, life.CONSUMED])
def test_a_held_reservation_may_be_released_or_consumed(to):
    assert life.closing("r1", life.HELD, to) == to


@pytest.mark.parametrize("status, to", [
    (life.RELEASED, life.RELEASED), (life.RELEASED, life.CONSUMED),
    (life.CONSUMED, life.RELEASED), (life.CONSUMED, life.CONSUMED), (life.HELD, life.HELD),
])
def test_a_closed_reservation_never_moves_again(status, to):
    with pytest.raises(life.NotHeld) as refused:
        life.closing("r1", status, to)
    assert isinstance(refused.value, Conflict)
    assert refused.value.detail == f"Reservation r1 is {status}; only a held reservation can be {to}."
    assert refused.value.extra == {"current_status": status}


def test_the_statuses_are_the_stored_words():
    assert life.STATUSES == ("held", "released", "consumed")
    assert set(life.TRANSITIONS) == set(life.STATUSES)


def test_an_expired_hold_is_released_for_the_reason_expired_and_counted_apart():
    assert life.EXPIRED not in life.STATUSES
    assert life.release_outcome(life.EXPIRED) == "expired"
    assert life.release_outcome(life.RELEASED_ON_REQUEST) == "released"
    assert life.release_outcome("drill cancelled") == "released"


def test_a_hold_expires_at_its_instant_and_not_before():
    assert not life.is_expired(None, NOW)
    assert not life.is_expired(NOW + dt.timedelta(seconds=1), NOW)
    assert life.is_expired(NOW, NOW)
    life.refuse_expired("r1", NOW + dt.timedelta(minutes=1), NOW)
    with pytest.raises(life.HoldExpired, match=r"Reservation r1 expired at 2026-05-01T07:00:00\+00:00\."):
        life.refuse_expired("r1", NOW - dt.timedelta(hours=1), NOW)


def test_only_a_drill_still_scheduled_takes_a_schedule():
    assert life.takes_schedule(life.SCHEDULED)
    assert not life.takes_schedule(life.CANCELLED)
    assert not life.takes_schedule(life.COMPLETED)


def test_a_cancellation_after_the_completion_is_ignored():
    assert life.after_cancellation(life.SCHEDULED) == life.CANCELLED
    assert life.after_cancellation(life.CANCELLED) == life.CANCELLED
    assert life.after_cancellation(life.COMPLETED) is None


@pytest.mark.parametrize("state", life.DRILL_STATES)
def test_a_completion_always_applies(state):
    assert life.after_completion(state) == life.COMPLETED


def test_the_first_schedule_is_never_stale():
    assert not life.is_stale_schedule(revision=None, occurred=NOW, last_revision=None, last_scheduled_at=None)
    assert not life.is_stale_schedule(revision=1, occurred=NOW, last_revision=None, last_scheduled_at=None)


def test_a_schedule_emitted_no_later_than_the_applied_one_is_stale():
    earlier = NOW - dt.timedelta(minutes=5)
    assert life.is_stale_schedule(revision=None, occurred=earlier, last_revision=None, last_scheduled_at=NOW)
    assert life.is_stale_schedule(revision=None, occurred=NOW, last_revision=None, last_scheduled_at=NOW)
    assert not life.is_stale_schedule(revision=None, occurred=NOW, last_revision=None, last_scheduled_at=earlier)


def test_the_revision_beats_the_clock_when_both_schedules_carry_one():
    behind = NOW - dt.timedelta(minutes=9)
    assert not life.is_stale_schedule(revision=2, occurred=behind, last_revision=1, last_scheduled_at=NOW)
    assert life.is_stale_schedule(revision=1, occurred=NOW, last_revision=2, last_scheduled_at=behind)
    assert life.is_stale_schedule(revision=2, occurred=NOW, last_revision=2, last_scheduled_at=behind)


def test_a_drill_hold_lapses_a_grace_after_the_drill_ends():
    ends = NOW + dt.timedelta(days=2)
    assert life.hold_expires_at(ends, NOW) == ends + life.HOLD_GRACE
    assert life.hold_expires_at(NOW - dt.timedelta(days=3), NOW) == NOW + life.HOLD_GRACE
    assert life.hold_expires_at(None, NOW) is None
    assert life.HOLD_GRACE == dt.timedelta(days=30)


def test_use_within_the_hold_is_consumed_in_full():
    uses = life.within_hold([("water", Decimal(3))], [("water", Decimal(2)), ("water", Decimal(4))])
    assert uses == [life.Use("water", Decimal(3), Decimal(3))]
    assert not uses[0].beyond_hold


def test_use_beyond_the_hold_is_capped_across_lines_and_never_invented():
    uses = life.within_hold([("water", Decimal(4)), ("water", Decimal(3)), ("tents", Decimal(1))],
                            [("water", Decimal(5))])
    assert [(use.item_id, use.allowed) for use in uses] == [("water", 4), ("water", 1), ("tents", 0)]
    assert [use.beyond_hold for use in uses] == [False, True, True]
