"""A reservation's life (held, then released or consumed) and a drill's hold (scheduled, cancelled, completed), as plain rules."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable, Iterable

# Plain Python like these rules: refusals the edge answers as 409 (servicekit.errors imports nothing else).
from servicekit.errors import Conflict

# --- a reservation ------------------------------------------------------------------------
# Its status, as stored in `reservations.status` and answered by the API.
HELD = "held"
RELEASED = "released"
CONSUMED = "consumed"
STATUSES = (HELD, RELEASED, CONSUMED)

# status -> the statuses it may move to; a closed reservation never moves again.
TRANSITIONS: dict[str, frozenset[str]] = {
    HELD: frozenset({RELEASED, CONSUMED}),
    RELEASED: frozenset(),
    CONSUMED: frozenset(),
}

# Why it closed (`close_reason`, also the reason on its ledger lines). Expiry is not a status of its own: a hold
# past its `expires_at` is RELEASED for the reason EXPIRED, as the stored rows and the API have always said.
EXPIRED = "expired"
RELEASED_ON_REQUEST = "released"  # POST /reservations/{id}/release without a reason of the caller's own
RESCHEDULED = "rescheduled"  # a drill's newer schedule replaces its hold
DRILL_CANCELLED = "drill cancelled"
SUPERSEDED = "superseded"  # a second hold of one drill, left from before drill_holds existed
USED = "consumed"  # the close reason of a consumed reservation
NOT_USED = "not used"  # the ledger's reason for the part of a consumed hold that goes back


class NotHeld(Conflict):
    """An action on a reservation that is no longer held."""

    def __init__(self, reservation_id: Hashable, status: str, action: str) -> None:
        super().__init__(f"Reservation {reservation_id} is {status}; only a held reservation can be {action}.",
                         current_status=status)


class HoldExpired(Conflict):
    """Consuming a hold past its `expires_at` (the sweep may not have released it yet)."""

    def __init__(self, reservation_id: Hashable, expires_at: dt.datetime) -> None:
        super().__init__(f"Reservation {reservation_id} expired at {expires_at.isoformat()}.")


def closing(reservation_id: Hashable, status: str, to: str) -> str:
    """`to`, when a reservation now `status` may move there; NotHeld naming the action otherwise."""
    if to not in TRANSITIONS.get(status, frozenset()):
        raise NotHeld(reservation_id, status, to)
    return to


def is_expired(expires_at: dt.datetime | None, now: dt.datetime) -> bool:
    return expires_at is not None and expires_at <= now


def refuse_expired(reservation_id: Hashable, expires_at: dt.datetime | None, now: dt.datetime) -> None:
    if is_expired(expires_at, now):
        raise HoldExpired(reservation_id, expires_at)


def release_outcome(reason: str) -> str:
    """How a release is counted (services/resources/metrics.py): an expiry apart from every other release."""
    return EXPIRED if reason == EXPIRED else RELEASED


# --- a drill's hold -----------------------------------------------------------------------
# What this service has heard of a drill (`drill_holds.state`). Drill events arrive in any order: a cancelled or
# completed drill never gets a new hold, and a cancellation after the completion changes nothing.
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
COMPLETED = "completed"
DRILL_STATES = (SCHEDULED, CANCELLED, COMPLETED)

# A drill's hold lapses this long after the drill was due to end, so a drill that is never closed cannot keep
# stock out of use forever (a reschedule re-reserves).
HOLD_GRACE = dt.timedelta(days=30)


def takes_schedule(state: str) -> bool:
    """Whether a drill.scheduled still reserves: not once the drill was cancelled or completed."""
    return state == SCHEDULED


def after_cancellation(state: str) -> str | None:
    """The drill's state once drill.cancelled is applied, or None when it is ignored (the drill was completed)."""
    return None if state == COMPLETED else CANCELLED


def after_completion(state: str) -> str:
    """A completion always applies: what was used is consumed whatever was heard before."""
    return COMPLETED


def is_stale_schedule(*, revision: int | None, occurred: dt.datetime, last_revision: int | None,
                      last_scheduled_at: dt.datetime | None) -> bool:
    """Whether a schedule is older than the one already applied: by the drills service's revision number when both
    carry one (clocks of several instances may disagree), else by when each was emitted."""
    if revision is not None and last_revision is not None:
        return revision <= last_revision
    return last_scheduled_at is not None and occurred <= last_scheduled_at


def hold_expires_at(scheduled_end: dt.datetime | None, now: dt.datetime) -> dt.datetime | None:
    """When a drill's hold lapses: HOLD_GRACE after the drill's end (or after now, for an end already past)."""
    if scheduled_end is None:
        return None
    return max(scheduled_end, now) + HOLD_GRACE


@dataclass(frozen=True)
class Use:
    """One line of what a completed drill reports used, and how much of it its hold covers."""

    item_id: Hashable
    reported: Decimal
    allowed: Decimal

    @property
    def beyond_hold(self) -> bool:
        return self.allowed < self.reported


def within_hold(used: Iterable[tuple[Hashable, Decimal]], held: Iterable[tuple[Hashable, Decimal]]) -> list[Use]:
    """Each reported use (item, quantity), capped at what the hold still has of the item after the lines before
    it: use beyond the hold is consumed only up to the hold, never invented."""
    left: dict[Hashable, Decimal] = {}
    for item_id, quantity in held:
        left[item_id] = left.get(item_id, Decimal(0)) + quantity
    uses = []
    for item_id, quantity in used:
        allowed = min(quantity, left.get(item_id, Decimal(0)))
        if allowed > 0:
            left[item_id] -= allowed
        uses.append(Use(item_id, quantity, allowed))
    return uses
