"""The AQ/T 9009 evaluation criteria, what a set of scores sums to, and how long an evaluation may be corrected."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Mapping

from services.drills.domain.lifecycle import VERIFIED

CRITERIA = ("plan_suitability", "preparation", "command_coordination", "response_actions", "equipment_materials")
RATINGS = ("excellent", "good", "fair", "poor")
SEVERITIES = ("low", "medium", "high")


def average_score(scores: Mapping[str, int]) -> Decimal:
    """The mean of the five criteria, to two places, shown beside the evaluator's own overall rating."""
    return (Decimal(sum(scores[name] for name in CRITERIA)) / len(CRITERIA)).quantize(Decimal("0.01"))


def correctable(action_statuses: Iterable[str | None]) -> bool:
    """Whether a drill's evaluation may still be corrected: while its follow-up is open.

    `action_statuses` holds one entry per finding of the drill: its corrective action's status, or
    None for a finding that calls for no action. Open means no findings yet, or an action not yet
    verified; once every action is verified (回头看 done) the evaluation stands as the record.
    """
    statuses = list(action_statuses)
    return not statuses or any(status is not None and status != VERIFIED for status in statuses)
