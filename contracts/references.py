"""How a reservation names what it is for: `drill:<id>` for a drill's hold, any other text for a person's own."""
from __future__ import annotations

import uuid

DRILL_PREFIX = "drill:"


def drill_reference(drill_id: uuid.UUID | str) -> str:
    return f"{DRILL_PREFIX}{drill_id}"


def drill_of(reference: str | None) -> uuid.UUID | None:
    """The drill a reservation's reference names, or None when it names none (or nothing well-formed)."""
    if not reference or not reference.startswith(DRILL_PREFIX):
        return None
    try:
        return uuid.UUID(reference.removeprefix(DRILL_PREFIX))
    except ValueError:
        return None
