"""Resource lines of a drill: merged by item, and what a completed drill may say it consumed."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping


def merge_lines(lines: Iterable[Mapping[str, Any]]) -> dict[str, Decimal]:
    """item id (text) -> total quantity; the same item named twice is one need."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        key = str(line["item_id"])
        totals[key] = totals.get(key, Decimal(0)) + Decimal(str(line["quantity"]))
    return totals


def over_reserved(consumed: Iterable[Mapping[str, Any]], reserved: Iterable[Mapping[str, Any]]) -> list[dict]:
    """The consumed items that exceed what was reserved for the drill (an item never reserved has 0)."""
    held = merge_lines(reserved)
    excess = []
    for item_id, quantity in merge_lines(consumed).items():
        if quantity > held.get(item_id, Decimal(0)):
            excess.append({"item_id": item_id, "consumed": quantity, "reserved": held.get(item_id, Decimal(0))})
    return excess


def lacking_items(shortfall: Iterable[Mapping[str, Any]] | None, resources: Iterable[Mapping[str, Any]]) -> set[str]:
    """The items (ids as text) whose arrival may end a drill's shortfall.

    Those the resources service named short; when it named none (a lost hold, or only errors such as
    an item the catalog did not know yet), every item the drill needs.
    """
    named = {str(line["item_id"]) for line in shortfall or () if line.get("item_id")}
    return named or {str(line["item_id"]) for line in resources}
