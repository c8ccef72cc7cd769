"""The resources service's own metric: how reservations turn out."""
from __future__ import annotations

from prometheus_client import Counter
from sqlalchemy.orm import Session

from servicekit.after_commit import after_commit

OUTCOMES = ("reserved", "shortfall", "released", "consumed", "expired")

RESERVATION_OUTCOMES = Counter(
    "erdm_reservation_outcomes", "Reservations held, refused for a shortfall, released, consumed, or expired.",
    ["outcome"])


def reservation_outcome(outcome: str, *, session: Session) -> None:
    """Count `outcome` once the transaction that decided it commits.

    A shortfall changes nothing and is answered at once (a 409, or a reservation.rejected
    event), so it is counted when decided; a rolled-back attempt retried later counts again.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown reservation outcome {outcome!r}")
    counter = RESERVATION_OUTCOMES.labels(outcome)
    if outcome == "shortfall":
        counter.inc()
    else:
        after_commit(session, counter.inc)
