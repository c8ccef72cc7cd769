"""The AQ/T 9009 evaluation criteria and what a set of scores sums to."""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

CRITERIA = ("plan_suitability", "preparation", "command_coordination", "response_actions", "equipment_materials")
RATINGS = ("excellent", "good", "fair", "poor")
SEVERITIES = ("low", "medium", "high")


def average_score(scores: Mapping[str, int]) -> Decimal:
    """The mean of the five criteria, to two places, shown beside the evaluator's own overall rating."""
    return (Decimal(sum(scores[name] for name in CRITERIA)) / len(CRITERIA)).quantize(Decimal("0.01"))
