"""Severe-weather warnings (预警): issue one to the enterprises it reaches, close it with its summary, read them.

A warning belongs to the issuing bureau, the caller's organisation, and is addressed to its targets (an
`Addressed` record, servicekit/scope.py): whoever reaches the issuer or one of the targets sees it, and of its
targets only those within reach (each target row is its enterprise's), so an enterprise's own people see the
warning with their own answer alone, and its counts are of what the caller sees. The targets' answers are
use_cases/warning_targets.py; the acknowledgement deadline's sweep is use_cases/warning_sweeps.py.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import SUPERVISION
from contracts.events import WarningClosed, WarningIssued
from servicekit import lookups, outbox, owners, scope
from servicekit.errors import OutsideScope
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.supervision.domain import warnings as rules
from services.supervision.models import OrgDirectory, Warning, WarningTarget

BUREAU = "bureau"


def new_code(today: dt.date, warning_id: uuid.UUID) -> str:
    """What a duty officer reads out on the telephone: the day it was issued and six characters of its id."""
    return f"YJ-{today:%Y%m%d}-{warning_id.hex[:6].upper()}"


def _issuer(session: Session, actor: Actor) -> tuple[uuid.UUID | None, str]:
    """The caller's organisation, which must be a bureau (an enterprise is warned, it does not warn)."""
    org_id, org_path = owners.caller_owner(session, OrgDirectory, actor)
    found = owners.find_org(session, OrgDirectory, path=org_path)
    if found is not None and found.kind != BUREAU:
        raise OutsideScope(f"Only a bureau issues warnings; {found.code} ({found.name}) is a {found.kind}.")
    return org_id, org_path


def _reached(session: Session, actor: Actor, districts: list[str], industries: list[str]) -> list[OrgDirectory]:
    """The enterprises the warning reaches: in the listed districts and industries, within the caller's scope."""
    # The directory copy is not owned (servicekit/owners.py): the rule below applies the caller's scope itself.
    candidates = session.scalars(select(OrgDirectory).where(OrgDirectory.kind == rules.ENTERPRISE,
                                                            OrgDirectory.district.in_(districts)))
    return rules.select_targets(candidates, districts=districts, industries=industries,
                                reaches=lambda path: scope.covers(actor, path))


def issue(data: Mapping[str, Any], *, session: Session, actor: Actor, now: dt.datetime, today: dt.date) -> Warning:
    """Issue a warning to every enterprise it reaches, each `sent` now and due to acknowledge within
    `ack_within_minutes`; `warning.issued` names them."""
    org_id, org_path = _issuer(session, actor)
    rules.check_validity(data["valid_from"], data["valid_to"], now=now)
    districts, industries = rules.distinct(data["districts"]), rules.distinct(data["industries"])
    reached = _reached(session, actor, districts, industries)
    minutes = data["ack_within_minutes"]
    warning_id = uuid.uuid4()
    warning = Warning(
        id=warning_id, code=new_code(today, warning_id), kind=data["kind"], level=data["level"], districts=districts,
        industries=industries, valid_from=data["valid_from"], valid_to=data["valid_to"], issued_by=data["issued_by"],
        directive=data["directive"], message=data["message"], ack_within_minutes=minutes, status=rules.ISSUED,
        org_id=org_id, org_path=org_path, actor_id=actor.id, actor_name=actor.name, created_at=now,
        targets=[WarningTarget(org_id=org.id, org_path=org.path, org_code=org.code, org_name=org.name,
                               status=rules.SENT, sent_at=now, ack_due_at=rules.ack_due_at(now, minutes))
                 for org in reached])
    session.add(warning)
    session.flush()
    outbox.add(session, new_event(WarningIssued(
        warning_id=warning.id, code=warning.code, kind=warning.kind, level=warning.level, directive=warning.directive,
        valid_from=warning.valid_from, valid_to=warning.valid_to, districts=districts, industries=industries,
        target_org_ids=[target.org_id for target in warning.targets], org_id=org_id, org_path=org_path),
        source=SUPERVISION))
    present([warning], now=now)
    return warning


def close(warning_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
          now: dt.datetime) -> Warning:
    """Close the warning with its summary (the issuing bureau, or one above it); `warning.closed` lists the
    targets that never acknowledged."""
    warning = lookups.one(session, Warning, warning_id, name="warning", for_update=True)
    if not scope.covers(actor, warning.org_path):
        raise OutsideScope(f"Only the issuing bureau ({owners.code_of(warning.org_path)}) or one above it closes "
                           f"warning {warning.code}.")
    warning.status = rules.close(warning.status)
    warning.summary, warning.closed_at = data["summary"], now
    # Every target, whether the closer's scope reaches it or not: the record's own rule let the closer close it.
    silent = session.scalars(select(WarningTarget.org_id).where(
        WarningTarget.warning_id == warning.id, WarningTarget.status == rules.SENT)
        .order_by(WarningTarget.org_code).execution_options(**scope.ALL_SCOPES))
    outbox.add(session, new_event(WarningClosed(
        warning_id=warning.id, code=warning.code, summary=warning.summary, closed_at=now,
        not_acknowledged=list(silent), org_id=warning.org_id, org_path=warning.org_path), source=SUPERVISION))
    present([warning], now=now)
    return warning


def get(warning_id: uuid.UUID, *, session: Session, now: dt.datetime) -> Warning:
    warning = lookups.one(session, Warning, warning_id, name="warning")
    present([warning], now=now)
    return warning


def listing(*, session: Session, now: dt.datetime, page: int, per_page: int, status: str | None = None,
            kind: str | None = None, level: str | None = None) -> dict[str, Any]:
    """The warnings the caller sees, newest first."""
    query = select(Warning).order_by(Warning.created_at.desc(), Warning.id)
    for column, value in ((Warning.status, status), (Warning.kind, kind), (Warning.level, level)):
        if value:
            query = query.where(column == value)
    result = page_of(session, query, page=page, per_page=per_page)
    present(result["items"], now=now)
    return result


def present(warnings: Iterable[Warning], *, now: dt.datetime) -> None:
    """What the answers compute from the clock and the targets the caller sees: each target's `ack_overdue`
    and `acknowledged_late`, the warning's counts by status and the targets not acknowledged."""
    for warning in warnings:
        for target in warning.targets:
            # Plain attributes beside the mapped ones, for the answer's schema only.
            target.ack_overdue = rules.ack_overdue(target.status, target.ack_due_at, now=now,
                                                   closed_at=warning.closed_at)
            target.acknowledged_late = rules.acknowledged_late(target.acknowledged_at, target.ack_due_at)
        warning.counts = rules.counts(target.status for target in warning.targets)
        warning.not_acknowledged = [{"org_id": target.org_id, "code": target.org_code, "name": target.org_name}
                                    for target in warning.targets if target.status == rules.SENT]
