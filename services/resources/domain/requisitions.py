"""A requisition's life (动用申请) and how what comes back is shared out over the lots that went, as plain rules.

submitted → approved (stock held) or rejected → in_transit (stock left its depots) → received (what arrived
signed for; the rest lost on the way) → closed (the return: usable back to stock, damaged written off, the
rest used). Cancelled: before dispatch, by either side; the hold goes back.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Hashable, Iterable, Sequence

from servicekit.errors import IllegalTransition, OutsideScope

SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
IN_TRANSIT, RECEIVED, CLOSED, CANCELLED = "in_transit", "received", "closed", "cancelled"
STATUSES = (SUBMITTED, APPROVED, REJECTED, IN_TRANSIT, RECEIVED, CLOSED, CANCELLED)

PURPOSES = ("emergency", "drill", "training", "other")
USABLE, DAMAGED = "usable", "damaged"
CONDITIONS = (USABLE, DAMAGED)

# Which side of a requisition a caller stands on: the organisation that asked, the one whose depots supply.
REQUESTING, SUPPLYING = "requesting", "supplying"

# action -> (the statuses it is allowed from, the status it leads to, the side that may take it; None: either)
ACTIONS: dict[str, tuple[frozenset[str], str, str | None]] = {
    "approve": (frozenset({SUBMITTED}), APPROVED, SUPPLYING),
    "reject": (frozenset({SUBMITTED}), REJECTED, SUPPLYING),
    "dispatch": (frozenset({APPROVED}), IN_TRANSIT, SUPPLYING),
    "receive": (frozenset({IN_TRANSIT}), RECEIVED, REQUESTING),
    "return": (frozenset({RECEIVED}), CLOSED, REQUESTING),
    "cancel": (frozenset({SUBMITTED, APPROVED}), CANCELLED, None),
}

_SIDE_WORDS = {SUPPLYING: "the supplying organisation", REQUESTING: "the requesting organisation"}


def next_status(action: str, status: str, sides: Iterable[str]) -> str:
    """The status `action` leads to from `status` for a caller on `sides`; 403 for the wrong side, 409 for the
    wrong state (the side first: a caller who may never take the action learns nothing of the state)."""
    allowed_from, to, side = ACTIONS[action]
    sides = set(sides)
    if side is not None and side not in sides:
        raise OutsideScope(f"Only {_SIDE_WORDS[side]} may {action} a requisition.", action=action)
    if not sides:  # a bureau above both reaches the record, but acts only for its own organisation
        raise OutsideScope(f"Only the requesting or the supplying organisation may {action} a requisition.",
                           action=action)
    if status not in allowed_from:
        raise IllegalTransition(action, status, allowed_from)
    return to


@dataclass
class Part:
    """What one lot sent on a requisition became; `quantity` left its depot, the rest sums to it at the close."""

    key: Hashable
    item_id: Hashable
    warehouse_id: Hashable
    quantity: Decimal
    lost: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    damaged: Decimal = Decimal(0)

    @property
    def arrived(self) -> Decimal:
        return self.quantity - self.lost

    @property
    def unaccounted(self) -> Decimal:
        """Arrived and not (yet) returned: counted as used when the requisition closes."""
        return self.arrived - self.returned - self.damaged


def latest_first(parts: Sequence[Part]) -> list[Part]:
    """Parts in the order what is left is taken from them: the field used the earliest-expiring first, as the
    depot issued them, so what is lost or comes back is the latest-expiring. `parts` are in dispatch (FEFO) order."""
    return list(reversed(parts))


def apportion_loss(parts: Sequence[Part], lost: Decimal) -> list[tuple[Part, Decimal]]:
    """Share `lost` of one item out over its parts, latest-expiring first."""
    shares = []
    for part in latest_first(parts):
        take = min(part.arrived, lost)
        if take > 0:
            part.lost += take
            shares.append((part, take))
            lost -= take
    if lost > 0:
        raise ValueError("lost more than was dispatched")
    return shares


def apportion_return(parts: Sequence[Part], quantity: Decimal, *, condition: str, warehouse_id: Hashable,
                     same_depot_only: bool = False) -> list[tuple[Part, Decimal]]:
    """Share `quantity` of one item coming back to `warehouse_id` in `condition` out over its parts: parts that
    left that depot first (they go back onto their own lots), then the rest, latest-expiring first.
    `same_depot_only` (equipment, whose units keep their serial numbers) takes only parts of that depot.
    ValueError when the parts do not hold that much."""
    ordered = latest_first(parts)
    ordered = ([p for p in ordered if p.warehouse_id == warehouse_id]
               + ([] if same_depot_only else [p for p in ordered if p.warehouse_id != warehouse_id]))
    shares = []
    for part in ordered:
        take = min(part.unaccounted, quantity)
        if take > 0:
            if condition == USABLE:
                part.returned += take
            else:
                part.damaged += take
            shares.append((part, take))
            quantity -= take
    if quantity > 0:
        raise ValueError("more came back than arrived")
    return shares
