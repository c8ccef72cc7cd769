"""Severe-weather warnings (预警) as plain rules: what a warning says, whom it reaches, and each target's answer.

A warning is `issued` → `closed`. Each target (an enterprise it reached) answers `sent` → `acknowledged` (叫应) →
`reported` (what it did: stopped at, people evacuated, rainfall) → `resumed` (production again), one step after
the other; once the warning is closed no answer is taken. A target not acknowledged within the warning's
`ack_within_minutes` is overdue: computed from the clock, never stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, Protocol, Sequence

from servicekit.errors import Conflict, IllegalTransition, InvalidInput

KINDS = ("rainstorm", "snowstorm", "freezing", "typhoon", "flood", "geological", "heat", "other")
LEVELS = ("blue", "yellow", "orange", "red")
DIRECTIVES = ("stop_and_evacuate", "heightened_watch", "other")  # 停产撤人, 加强值守
# The industries the gateway's organisations carry (SPEC "Organisations"): a warning is aimed at some of them.
INDUSTRIES = ("mining", "hazardous_chemicals", "fireworks", "metallurgy", "rail_transit", "construction",
              "crowded_venue", "other")
ENTERPRISE = "enterprise"  # only enterprises (生产经营单位) are warned: bureaus issue, custodians keep stock

DEFAULT_ACK_MINUTES = 30
MAX_ACK_MINUTES = 24 * 60  # a warning that may wait a day for its acknowledgement is no warning

ISSUED, CLOSED = "issued", "closed"
WARNING_STATUSES = (ISSUED, CLOSED)

SENT, ACKNOWLEDGED, REPORTED, RESUMED = "sent", "acknowledged", "reported", "resumed"
TARGET_STATUSES = (SENT, ACKNOWLEDGED, REPORTED, RESUMED)

# step -> (the target statuses it is taken from, the status it leads to)
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({SENT}), ACKNOWLEDGED),
    "report": (frozenset({ACKNOWLEDGED}), REPORTED),
    "resume": (frozenset({REPORTED}), RESUMED),
}


class Organisation(Protocol):
    """What the targeting rule reads of an organisation (a row of the directory copy)."""

    code: str
    kind: str
    path: str
    district: str | None
    industries: Sequence[str]
    active: bool


def distinct(values: Iterable[str]) -> list[str]:
    """The values in the order given, each once (a district named twice is one district)."""
    return list(dict.fromkeys(values))


def industries_meet(organisation: Sequence[str], aimed_at: Sequence[str]) -> bool:
    """Whether an organisation's industries meet a warning's: an empty list aims at every industry."""
    return not aimed_at or bool(set(organisation) & set(aimed_at))


def select_targets(organisations: Iterable[Organisation], *, districts: Sequence[str], industries: Sequence[str],
                   reaches: Callable[[str], bool]) -> list[Organisation]:
    """Every active enterprise the issuer `reaches` (by path) whose district is listed and whose industries meet
    the list, by code. A warning that would reach nobody is refused (422), naming the field that left it empty:
    `districts` when no enterprise within reach lies in them, else `industries`."""
    in_districts = [org for org in organisations if org.kind == ENTERPRISE and org.active and reaches(org.path)
                    and org.district in districts]
    if not in_districts:
        raise InvalidInput({"districts": [f"No enterprise within your scope lies in {'、'.join(districts)}; "
                                          "nothing was issued."]})
    matched = [org for org in in_districts if industries_meet(org.industries, industries)]
    if not matched:
        raise InvalidInput({"industries": [f"No enterprise within your scope in {'、'.join(districts)} works in "
                                           f"{', '.join(industries)}; nothing was issued."]})
    return sorted(matched, key=lambda org: org.code)


def check_validity(valid_from: dt.datetime, valid_to: dt.datetime, *, now: dt.datetime) -> None:
    """A warning is in force for a while that has not already ended."""
    if valid_to <= valid_from:
        raise InvalidInput({"valid_to": ["Must lie after valid_from."]})
    if valid_to <= now:
        raise InvalidInput({"valid_to": ["Must lie in the future: this warning would have ended already."]})


def ack_due_at(sent_at: dt.datetime, ack_within_minutes: int) -> dt.datetime:
    return sent_at + dt.timedelta(minutes=ack_within_minutes)


def ack_overdue(status: str, due_at: dt.datetime, *, now: dt.datetime, closed_at: dt.datetime | None) -> bool:
    """Not acknowledged, and the deadline passed: while the warning is in force, or before it closed (the clock
    stops at the close, so a target of a warning closed in time never turns overdue afterwards)."""
    return status == SENT and min(now, closed_at or now) > due_at


def acknowledged_late(acknowledged_at: dt.datetime | None, due_at: dt.datetime) -> bool:
    """Acknowledged, but after the deadline: taken all the same, and shown for good."""
    return acknowledged_at is not None and acknowledged_at > due_at


def next_target_status(step: str, *, warning_status: str, target_status: str) -> str:
    """The status a target's `step` leads to; 409 once the warning is closed, or out of order."""
    if warning_status != ISSUED:
        raise Conflict(f"The warning is {warning_status}: it takes no {step} any more.", action=step,
                       warning_status=warning_status)
    allowed_from, to = STEPS[step]
    if target_status not in allowed_from:
        raise IllegalTransition(step, target_status, allowed_from)
    return to


def close(warning_status: str) -> str:
    if warning_status != ISSUED:
        raise IllegalTransition("close", warning_status, {ISSUED})
    return CLOSED


def not_in_future(field: str, moment: dt.datetime | None, *, now: dt.datetime) -> None:
    """What a target reports happened: never later than now."""
    if moment is not None and moment > now:
        raise InvalidInput({field: ["Must not lie in the future."]})


def check_resumption(resumed_at: dt.datetime, *, stopped_at: dt.datetime | None, now: dt.datetime) -> None:
    not_in_future("resumed_at", resumed_at, now=now)
    if stopped_at is not None and resumed_at < stopped_at:
        raise InvalidInput({"resumed_at": [f"Must not precede stopped_at ({stopped_at.isoformat()})."]})


def counts(statuses: Iterable[str]) -> dict[str, int]:
    """How many targets stand at each status (each counted once, at its current one)."""
    tally = dict.fromkeys(TARGET_STATUSES, 0)
    for status in statuses:
        tally[status] += 1
    return tally
