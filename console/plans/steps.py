"""Which steps a plan's page offers: those the plan's status makes legal and the signed-in person's role may take."""
from __future__ import annotations

from collections.abc import Mapping

# gateway/roles.py: the roles that write plans. Others read the page without any form on it.
WRITERS = frozenset({"admin", "planner"})

SUBMIT, APPROVE, RETIRE, FILE, REVISE, EDIT = "submit", "approve", "retire", "file", "revise", "edit"


def working_status(plan: Mapping, draft: Mapping | None) -> str:
    """The status of the version submit, approve and edits act on: the open revision's, else the plan's own."""
    return draft["status"] if draft else plan["status"]


def legal_steps(plan: Mapping, draft: Mapping | None, *, role: str | None) -> frozenset[str]:
    """The steps the plans service would accept now (services/plans/domain/lifecycle.py), for this role.

    `draft` is the open revision (`draft_version`'s version) while there is one. EDIT covers the text and the
    required resources: both change only on a version still in draft or under review.
    """
    if role not in WRITERS:
        return frozenset()
    steps: set[str] = set()
    working = working_status(plan, draft)
    if plan["status"] != "retired":
        if working == "draft":
            steps |= {SUBMIT, EDIT}
        elif working == "in_review":
            steps |= {APPROVE, EDIT}
    if plan["status"] == "approved":
        steps |= {RETIRE, FILE}
        if not plan.get("draft_version"):
            steps.add(REVISE)
    return frozenset(steps)
