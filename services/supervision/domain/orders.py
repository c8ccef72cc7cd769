"""A rectification order's life (整改指令) and the look-back at it (回头看), as plain rules.

issued → acknowledged (signed for by the enterprise's head, 一把手, or a deputy in charge, 分管领导) → reported
(the enterprise says it is fixed) → closed (销号) on a passing review; a failing review sends it back to
acknowledged with a new due date. An order is overdue while it is not closed and its due date has passed.
A look-back re-checks closed orders later: held leaves them closed, relapsed opens a new order for each.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

from servicekit.errors import IllegalTransition, InvalidInput

GENERAL, MAJOR = "general", "major"
HAZARD_LEVELS = (GENERAL, MAJOR)  # 一般事故隐患, 重大事故隐患

ISSUED, ACKNOWLEDGED, REPORTED, CLOSED = "issued", "acknowledged", "reported", "closed"
STATUSES = (ISSUED, ACKNOWLEDGED, REPORTED, CLOSED)

PRINCIPAL, DEPUTY = "principal", "deputy"
POSITIONS = (PRINCIPAL, DEPUTY)

PASSED, FAILED = "passed", "failed"
REVIEW_RESULTS = (PASSED, FAILED)

# action -> the statuses it may be taken from, and the status it leads to
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({ISSUED}), ACKNOWLEDGED),
    "report": (frozenset({ACKNOWLEDGED}), REPORTED),
    "review": (frozenset({REPORTED}), CLOSED),  # a failing review leads back instead (status_after_review)
}

SCHEDULED, HELD, RELAPSED = "scheduled", "held", "relapsed"
FOLLOW_UP_STATUSES = (SCHEDULED, HELD, RELAPSED)
FOLLOW_UP_RESULTS = (HELD, RELAPSED)

# A relapse's new order is due this many days after the look-back found it, unless the checker sets a date.
RELAPSE_PERIOD = dt.timedelta(days=30)


def next_status(action: str, status: str) -> str:
    """The status `action` leads to from `status`; 409 naming the current status and those it is allowed from."""
    allowed_from, to = STEPS[action]
    if status not in allowed_from:
        raise IllegalTransition(action, status, allowed_from)
    return to


def status_after_review(status: str, result: str) -> str:
    """A review of a reported order: passed closes it (销号), failed sends it back to be fixed again."""
    closed = next_status("review", status)
    return closed if result == PASSED else ACKNOWLEDGED


def result_of_look_back(status: str, result: str) -> str:
    """A look-back's result is recorded once, while it is scheduled."""
    if status != SCHEDULED:
        raise IllegalTransition("record a result", status, {SCHEDULED})
    return result


def _name(person: Mapping[str, Any] | None) -> str | None:
    name = (person or {}).get("name")
    return name.strip() if isinstance(name, str) and name.strip() else None


def registered_signatories(position: str, principal: Mapping[str, Any] | None,
                           deputies: Iterable[Mapping[str, Any]]) -> list[str]:
    """Who may sign in `position`: the head's name, or each deputy in charge's, as the directory registers them."""
    names = [_name(principal)] if position == PRINCIPAL else [_name(deputy) for deputy in deputies]
    return [name for name in names if name]


def check_signatory(signed_by: str, position: str, *, org: str, principal: Mapping[str, Any] | None,
                    deputies: Iterable[Mapping[str, Any]]) -> None:
    """422 naming `signed_by` unless it is the name registered on the organisation for that position: the head
    signs as principal, a deputy in charge as deputy (the head signing as a deputy is refused too: the record
    would say the wrong person's office was answerable)."""
    registered = registered_signatories(position, principal, deputies)
    if signed_by.strip() in registered:
        return
    office = "head (principal, 一把手)" if position == PRINCIPAL else "deputy in charge (deputy, 分管领导)"
    if not registered:
        message = f"{org} has no {office} registered; the organisation's record must name one before it can sign."
    else:
        message = (f"{signed_by} is not the {office} registered for {org}; "
                   f"registered: {', '.join(registered)}.")
    raise InvalidInput({"signed_by": [message]})


def is_overdue(status: str, due_date: dt.date, today: dt.date) -> bool:
    """Past its due date and not closed (a reported order awaiting review still counts)."""
    return status != CLOSED and today > due_date


def days_overdue(status: str, due_date: dt.date, today: dt.date) -> int:
    return (today - due_date).days if is_overdue(status, due_date, today) else 0


def look_back_overdue(status: str, due_date: dt.date, today: dt.date) -> bool:
    """A look-back is overdue while it has no result and its due date has passed."""
    return status == SCHEDULED and today > due_date


def relapse_due_date(today: dt.date, chosen: dt.date | None = None) -> dt.date:
    return chosen or today + RELAPSE_PERIOD
