"""Severe-weather warnings heard from the supervision service (`warning.issued`), and the plans each one opens
(`GET /plans?activated_by={warning_id}`)."""
from __future__ import annotations

import logging
import uuid
from typing import Mapping

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from contracts.events import WarningIssued
from servicekit import owners, scope
from servicekit.errors import NotFound
from servicekit.events import Event
from servicekit.rows import insert_ignore
from servicekit.signing import Actor
from services.plans.domain.lifecycle import APPROVED
from services.plans.domain.weather_warnings import ACTIVATED_PLAN_TYPES, SEPARATORS, concerned_paths, \
    hazards_opened_by
from services.plans.models import HeardWarning, OrgDirectory, Plan, PlanHazard

log = logging.getLogger("erdm.plans.weather_warnings")


def warning_issued(warning: WarningIssued, *, event: Event, session: Session) -> bool:
    """warning.issued: keep the warning's kind, level, validity, issuer and targets. An event about it that
    occurred no later than the one kept (the same one again, or an older one arriving late) changes nothing;
    True if applied."""
    values = {"code": warning.code, "kind": warning.kind, "level": warning.level, "directive": warning.directive,
              "valid_from": warning.valid_from, "valid_to": warning.valid_to, "issuer_org_id": warning.org_id,
              "issuer_org_path": _issuer_path(session, warning),
              "target_org_ids": [str(org_id) for org_id in dict.fromkeys(warning.target_org_ids)],
              "announced_at": event.occurred}
    # On the table, with RETURNING: a row comes back only when this statement made it (servicekit/directory_copy).
    table = HeardWarning.__table__
    created = session.execute(insert_ignore(session.get_bind().dialect.name, table, keys=["id"])
                              .values(id=warning.warning_id, **values).returning(table.c.id)).first()
    if created is not None:
        return True
    # Locked, so two workers handling two events of one warning apply them one after the other.
    kept = session.scalar(select(HeardWarning).where(HeardWarning.id == warning.warning_id).with_for_update()
                          .execution_options(populate_existing=True))
    if kept.announced_at >= event.occurred:
        log.info("warning.issued %s (%s) is not newer than the warning kept; ignored", event.id, warning.code)
        return False
    for name, value in values.items():
        setattr(kept, name, value)
    return True


def _issuer_path(session: Session, warning: WarningIssued) -> str:
    """The issuing bureau's place in the tree: the event's, else the directory copy's; an event naming neither is
    the root's (as every service takes an event older than organisations)."""
    if warning.org_path:
        return warning.org_path
    issuer = owners.find_org(session, OrgDirectory, org_id=warning.org_id) if warning.org_id else None
    return issuer.path if issuer is not None else scope.ROOT_PATH


def activated_by(warning_id: uuid.UUID, *, session: Session, actor: Actor | None) -> ColumnElement:
    """The plans a warning opens, as a condition on `Plan`: approved special plans whose hazard types match its
    kind (domain/weather_warnings.py), of its issuer, its targets and the organisations between them. The
    caller's scope still filters the plans themselves.

    404 for a warning not heard of yet (warning.issued is on its way) and for one the caller does not reach
    (neither its issuer nor any target in scope): as in the supervision service, it does not exist for them.
    """
    warning = session.get(HeardWarning, warning_id)
    targets = _target_paths(session, warning) if warning is not None else {}
    if warning is None or not _reaches(actor, warning, targets):
        raise NotFound(f"Warning {warning_id} is not heard of yet; retry in a moment.")
    concerned = concerned_paths(warning.issuer_org_path, (path for path in targets.values() if path))
    return and_(Plan.status == APPROVED, Plan.type.in_(ACTIVATED_PLAN_TYPES),
                # By id too: a target the directory copy does not know yet still has its own plans opened.
                or_(Plan.org_path.in_(sorted(concerned)), Plan.org_id.in_(list(targets))),
                exists().where(PlanHazard.plan_id == Plan.id,
                               _normalised(PlanHazard.hazard_type).in_(sorted(hazards_opened_by(warning.kind)))))


def _target_paths(session: Session, warning: HeardWarning) -> dict[uuid.UUID, str | None]:
    """Each target's path in the directory copy, read now rather than when heard: the copy may have caught up
    since (None while it has not)."""
    ids = [uuid.UUID(org_id) for org_id in warning.target_org_ids]
    # The directory copy is not owned: where an organisation sits is no secret (servicekit/owners.py find_org).
    known = dict(session.execute(select(OrgDirectory.id, OrgDirectory.path).where(OrgDirectory.id.in_(ids))).all())
    return {org_id: known.get(org_id) for org_id in ids}


def _reaches(actor: Actor | None, warning: HeardWarning, targets: Mapping[uuid.UUID, str | None]) -> bool:
    """Whether the caller reaches the warning's issuer or one of its targets (the supervision service's
    `Addressed` rule, applied here by hand: the targets' paths live in the directory copy, not on the row)."""
    if scope.covers(actor, warning.issuer_org_path):
        return True
    if actor is not None and actor.org_id in {str(org_id) for org_id in targets}:
        return True
    return any(path is not None and scope.covers(actor, path) for path in targets.values())


def _normalised(hazard_type: ColumnElement) -> ColumnElement:
    """domain.weather_warnings.normalised in SQL: trimmed of spaces, lower case, each separator as `_`."""
    text = func.lower(func.trim(hazard_type))
    for separator in SEPARATORS:
        text = func.replace(text, separator, "_")
    return text
