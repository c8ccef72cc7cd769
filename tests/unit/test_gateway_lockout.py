"""The lock-out rule on its own: five failures within 15 minutes lock a username until 15 minutes after the fifth."""
from __future__ import annotations

import datetime as dt

from gateway.lockout import locked_until, username_key

T0 = dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.timezone.utc)


def at(*minutes: float) -> list[dt.datetime]:
    return [T0 + dt.timedelta(minutes=m) for m in minutes]


def test_four_failures_lock_nothing():
    assert locked_until(at(0, 1, 2, 3), now=T0 + dt.timedelta(minutes=4)) is None


def test_the_fifth_within_15_minutes_locks_until_15_minutes_after_it():
    failures = at(0, 1, 2, 3, 14)
    assert locked_until(failures, now=T0 + dt.timedelta(minutes=14)) == T0 + dt.timedelta(minutes=29)
    # Still locked when the first failure has left the window: the lock runs from the fifth.
    assert locked_until(failures, now=T0 + dt.timedelta(minutes=28, seconds=59)) is not None
    assert locked_until(failures, now=T0 + dt.timedelta(minutes=29)) is None


def test_five_failures_spread_over_more_than_15_minutes_lock_nothing():
    assert locked_until(at(0, 4, 8, 12, 16), now=T0 + dt.timedelta(minutes=16)) is None


def test_the_latest_lock_counts_and_the_order_of_the_rows_does_not():
    failures = at(20, 0, 1, 2, 3, 4, 21, 22, 23, 24)  # locked until 19, then five more from 20 on
    assert locked_until(failures, now=T0 + dt.timedelta(minutes=24)) == T0 + dt.timedelta(minutes=39)


def test_a_username_is_counted_whatever_its_case_and_surrounding_spaces():
    assert username_key("  Zhang.Wei ") == username_key("zhang.wei")
