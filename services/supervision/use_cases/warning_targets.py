"""A warning's targets answer it: acknowledge (叫应), report what they did (停产撤人), resume production.

Each answer is for one target, an enterprise, and is taken by whoever's scope reaches it: the enterprise's own
people, or the issuing bureau's recording an answer given by telephone. A target beyond the caller's scope
is 404 as if it were not there. An acknowledgement after its deadline is taken all the same (it is shown late).
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit import lookups
from servicekit.errors import NotFound
from servicekit.signing import Actor
from services.supervision.domain import warnings as rules
from services.supervision.models import Warning, WarningTarget
from services.supervision.use_cases import acting
from services.supervision.use_cases.warnings import present


def _answering(session: Session, warning_id: uuid.UUID, org_id: uuid.UUID, step: str,
               actor: Actor) -> tuple[Warning, WarningTarget]:
    """The warning and the caller's target on it, both locked, and the target's status after `step`.

    The warning is locked first, as its close locks it: an answer and the close never cross, so a warning
    closes with exactly the targets that had not acknowledged by then.
    """
    warning = lookups.one(session, Warning, warning_id, name="warning", for_update=True)
    # Read under the caller's scope (target rows are their enterprise's): one beyond it is not there.
    target = session.scalar(select(WarningTarget).where(WarningTarget.warning_id == warning.id,
                                                        WarningTarget.org_id == org_id)
                            .with_for_update().execution_options(populate_existing=True))
    if target is None:
        raise NotFound(f"Warning {warning.code} has no target {org_id} within your scope.")
    acting.for_the_enterprise(session, actor, target.org_path, action=f"{step} on this warning", telephoned=True)
    target.status = rules.next_target_status(step, warning_status=warning.status, target_status=target.status)
    return warning, target


def acknowledge(warning_id: uuid.UUID, org_id: uuid.UUID, data: Mapping[str, Any], *, session: Session,
                actor: Actor, now: dt.datetime) -> Warning:
    """The enterprise has received the warning (叫应): who answered, and when."""
    warning, target = _answering(session, warning_id, org_id, "acknowledge", actor)
    target.acknowledged_by, target.acknowledged_at = data["by"], now
    present([warning], now=now)
    return warning


def report(warning_id: uuid.UUID, org_id: uuid.UUID, data: Mapping[str, Any], *, session: Session,
           actor: Actor, now: dt.datetime) -> Warning:
    """What the enterprise did: when it stopped, how many it evacuated, the rainfall it measured."""
    rules.not_in_future("stopped_at", data.get("stopped_at"), now=now)
    warning, target = _answering(session, warning_id, org_id, "report", actor)
    target.stopped_at, target.evacuated_count = data.get("stopped_at"), data.get("evacuated_count")
    target.rainfall_mm, target.report_note = data.get("rainfall_mm"), data.get("note")
    target.reported_at = now
    present([warning], now=now)
    return warning


def resume(warning_id: uuid.UUID, org_id: uuid.UUID, data: Mapping[str, Any], *, session: Session,
           actor: Actor, now: dt.datetime) -> Warning:
    """The enterprise is working again, since `resumed_at` (not before it stopped)."""
    warning, target = _answering(session, warning_id, org_id, "resume", actor)
    rules.check_resumption(data["resumed_at"], stopped_at=target.stopped_at, now=now)
    target.resumed_at = data["resumed_at"]
    present([warning], now=now)
    return warning
