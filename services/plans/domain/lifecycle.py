"""The plan lifecycle: which action is legal from which status, and what each leads to."""
from __future__ import annotations

from servicekit import errors
from servicekit.errors import Conflict

DRAFT, IN_REVIEW, APPROVED, RETIRED = "draft", "in_review", "approved", "retired"
# A version's own states add two endings: replaced by a newer approved version, or dropped unapproved.
SUPERSEDED, WITHDRAWN = "superseded", "withdrawn"

PLAN_STATUSES = (DRAFT, IN_REVIEW, APPROVED, RETIRED)
VERSION_STATUSES = (DRAFT, IN_REVIEW, APPROVED, SUPERSEDED, RETIRED, WITHDRAWN)

# action -> (statuses it may start from, the status it leads to); applied to the version being worked on.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), IN_REVIEW),
    "approve": (frozenset({IN_REVIEW}), APPROVED),
    "retire": (frozenset({APPROVED}), RETIRED),
}

# Reviewers' remarks are worked into the text before approval, so a version under review may
# still change; once approved it is the signed record and never changes again.
EDITABLE = frozenset({DRAFT, IN_REVIEW})

# Art. 36 of the measures: the six triggers of a revision.
REVISION_REASONS = ("law_changed", "command_changed", "risk_changed", "resources_changed", "drill_finding", "other")


class IllegalTransition(errors.IllegalTransition):
    """The action is not allowed from the current status (409 naming it); names the version acted on too,
    since an open revision moves through its own statuses while the version in force stays approved."""

    def __init__(self, action: str, current_status: str, allowed_from, *, version: int) -> None:
        super().__init__(action, current_status, allowed_from)
        self.extra["version"] = version


def next_status(action: str, current: str, *, version: int) -> str:
    allowed, target = TRANSITIONS[action]
    if current not in allowed:
        raise IllegalTransition(action, current, allowed, version=version)
    return target


def ensure_editable(status: str, *, version: int) -> None:
    if status not in EDITABLE:
        raise Conflict(f"Version {version} is {status} and can no longer change; open a revision "
                       "(POST /plans/{id}/revisions) to change the plan.", current_status=status, version=version)
