"""Who may change drills (gateway/roles.py: admins and planners write the drills area): other roles get the same
pages without the forms they could never send. The API stays the judge of each write (scope, status)."""
from __future__ import annotations

from flask import g

from console.drills import blp

DRILL_WRITERS = ("admin", "planner")


def may_change_drills() -> bool:
    return (g.get("me") or {}).get("role") in DRILL_WRITERS


@blp.context_processor
def _access():
    return {"may_change_drills": may_change_drills()}
