"""Who writes supervision: the bureau's inspectors (and admins) record hazards, issue and review orders, schedule
look-backs and issue and close warnings; the enterprise's own people answer for their organisation (sign for an
order, report it done, acknowledge and report on a warning). Everyone else reads, and is offered no form."""
from __future__ import annotations

from functools import wraps

from flask import g, render_template

from console.supervision import blp

# gateway/roles.py: "rw" in the "supervision" column, and in the "answer" column (the enterprise's steps).
SUPERVISING_ROLES = frozenset({"admin", "inspector"})
ANSWERING_ROLES = frozenset({"admin", "inspector", "logistics", "planner"})


def _me() -> dict:
    return g.get("me") or {}


def supervises() -> bool:
    """Whether the signed-in person's role records hazards, issues orders and warnings, and reviews."""
    return _me().get("role") in SUPERVISING_ROLES


def answers_for(org_id: str | None) -> bool:
    """Whether the signed-in person answers for `org_id`: their own organisation, in a role that answers (the
    service takes an enterprise's steps only from its own people)."""
    return bool(org_id) and _me().get("role") in ANSWERING_ROLES and (_me().get("org") or {}).get("id") == org_id


def supervisors_only(view):
    """A view of a form only the bureau's inspectors send: other roles get the 403 page, not a form the API
    would refuse."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if not supervises():
            return render_template("error.html", status=403), 403
        return view(*args, **kwargs)

    return guarded


@blp.context_processor
def _supervises() -> dict:
    return {"supervises": supervises()}
