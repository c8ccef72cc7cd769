"""The drill status machine and the corrective-action status machine, as plain rules."""
from __future__ import annotations

# Plain Python like these rules: a refusal the edge answers as 409 naming the action and the allowed statuses.
from servicekit.errors import IllegalTransition

PENDING_RESOURCES = "pending_resources"
READY = "ready"
RESOURCE_SHORTFALL = "resource_shortfall"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANCELLED = "cancelled"
DRILL_STATUSES = (PENDING_RESOURCES, READY, RESOURCE_SHORTFALL, IN_PROGRESS, COMPLETED, CANCELLED)

# Before the drill starts its plan, schedule and resources may still change (PATCH).
NOT_STARTED = frozenset({PENDING_RESOURCES, READY, RESOURCE_SHORTFALL})

# action -> the statuses it may be taken from, and the status it leads to
DRILL_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start": (frozenset({READY}), IN_PROGRESS),
    "complete": (frozenset({IN_PROGRESS}), COMPLETED),
    "cancel": (frozenset({PENDING_RESOURCES, READY, RESOURCE_SHORTFALL, IN_PROGRESS}), CANCELLED),
    "retry_reservation": (frozenset({RESOURCE_SHORTFALL}), PENDING_RESOURCES),
}

OPEN = "open"
DONE = "done"
VERIFIED = "verified"
ACTION_STATUSES = (OPEN, DONE, VERIFIED)
ACTION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "complete": (frozenset({OPEN}), DONE),
    "verify": (frozenset({DONE}), VERIFIED),
}


def _next(table: dict[str, tuple[frozenset[str], str]], action: str, status: str) -> str:
    allowed_from, target = table[action]
    if status not in allowed_from:
        raise IllegalTransition(action, status, allowed_from)
    return target


def next_drill_status(action: str, status: str) -> str:
    return _next(DRILL_TRANSITIONS, action, status)


def next_action_status(action: str, status: str) -> str:
    return _next(ACTION_TRANSITIONS, action, status)


def status_after_scheduling(resources: list) -> str:
    """A drill that needs nothing from the depots is ready at once; otherwise it waits for the hold."""
    return PENDING_RESOURCES if resources else READY
