"""Moving a plan through review, approval, filing, revision and retirement; each step announced via the outbox."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contracts.catalogue import PLANS
from contracts.events import Payload, PlanApproved, PlanRequirementsChanged, PlanRetired, PlanRevisionRequired
from servicekit import outbox
from servicekit.errors import Conflict, InvalidInput
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.signing import Actor
from services.plans.domain.lifecycle import (APPROVED, DRAFT, IN_REVIEW, RETIRED, SUPERSEDED, WITHDRAWN,
                                             IllegalTransition, next_status)
from services.plans.domain.workdays import WorkCalendar
from services.plans.models import Filing, Plan, PlanVersion, Requirement
from services.plans.use_cases import activity, plans
from services.plans.use_cases.schedule import local_date, refresh_dues


def _emit(session: Session, payload: Payload) -> None:
    outbox.add(session, new_event(payload, source=PLANS))


def submit(plan_id: uuid.UUID, *, session: Session, actor: Actor, now: dt.datetime) -> Plan:
    plan = plans.get(plan_id, session=session, for_update=True)
    version = plans.working_version(session, plan)
    version.status = next_status("submit", version.status, version=version.number)
    version.submitted_at, version.submitted_by, version.submitted_by_name = now, actor.id, actor.name
    if version.number == plan.version:  # a first version: the plan itself is under review
        plan.status = version.status
    activity.record(session, plan, "submitted", actor=actor, version=version.number)
    session.flush()
    return plan


def approve(plan_id: uuid.UUID, *, approved_by: str, approved_at: dt.datetime | None, session: Session,
            actor: Actor, now: dt.datetime, work_calendar: WorkCalendar) -> Plan:
    """Sign the version under review; a revision supersedes the version in force and clears `needs_revision`."""
    plan = plans.get(plan_id, session=session, for_update=True)
    version = plans.working_version(session, plan)
    status = next_status("approve", version.status, version=version.number)
    approved_at = (approved_at or now).astimezone(dt.timezone.utc)
    if approved_at > now:
        raise InvalidInput({"approved_at": ["Must not lie in the future."]})
    if plan.approved_at is not None and approved_at < plan.approved_at:
        raise InvalidInput({"approved_at": [f"Must not precede the approval of the version in force "
                                            f"({plan.approved_at.isoformat()})."]})
    requirements_changed = False
    if version.number != plan.version:
        in_force = plans.get_version(plan.id, plan.version, session=session)
        in_force.status, in_force.closed_at = SUPERSEDED, now
        plan.needs_revision = False
        requirements_changed = plans.required_quantities(in_force) != plans.required_quantities(version)
    version.status, version.approved_at, version.approved_by = status, approved_at, approved_by
    version.approval_recorded_by, version.approval_recorded_by_name = actor.id, actor.name
    plan.status, plan.version, plan.draft_version = APPROVED, version.number, None
    plan.approved_at, plan.approved_by = approved_at, approved_by
    plan.first_approved_at = plan.first_approved_at or approved_at
    plan.filed_at = None  # each approved version is filed anew
    plans.show_content(session, plan, version)
    refresh_dues(plan, work_calendar=work_calendar)
    activity.record(session, plan, "approved", actor=actor, version=version.number,
                    detail={"approved_by": approved_by, "approved_at": approved_at.isoformat()})
    lines = plans.requirement_lines(version.requirements)
    _emit(session, PlanApproved(plan_id=plan.id, code=plan.code, title=plan.title, type=plan.type,
                                version=version.number, approved_at=approved_at, requirements=lines,
                                org_id=plan.org_id, org_path=plan.org_path))
    if requirements_changed:  # the revision's requirements are now the ones in force
        _emit(session, PlanRequirementsChanged(plan_id=plan.id, code=plan.code, lines=lines, org_id=plan.org_id))
    session.flush()
    session.expire(plan, ["requirements"])  # they follow `version`, which just moved
    return plan


def retire(plan_id: uuid.UUID, *, reason: str | None, session: Session, actor: Actor, now: dt.datetime,
           work_calendar: WorkCalendar) -> Plan:
    """Take the plan out of force; an open, unapproved revision is withdrawn with it."""
    plan = plans.get(plan_id, session=session, for_update=True)
    plan.status = next_status("retire", plan.status, version=plan.version)
    in_force = plans.get_version(plan.id, plan.version, session=session)
    in_force.status, in_force.closed_at = RETIRED, now
    if plan.draft_version is not None:
        draft = plans.get_version(plan.id, plan.draft_version, session=session)
        draft.status, draft.closed_at = WITHDRAWN, now
        plan.draft_version = None
    plan.retired_at = now
    refresh_dues(plan, work_calendar=work_calendar)
    activity.record(session, plan, "retired", actor=actor, version=plan.version, detail={"reason": reason})
    _emit(session, PlanRetired(plan_id=plan.id, code=plan.code, version=plan.version, retired_at=now,
                               reason=reason, org_id=plan.org_id, org_path=plan.org_path))
    session.flush()
    return plan


def open_revision(plan_id: uuid.UUID, *, reason: str, note: str | None, finding_id: uuid.UUID | None,
                  session: Session, actor: Actor) -> PlanVersion:
    """Draft version n+1 from the approved version n, which stays in force until n+1 is approved."""
    plan = plans.get(plan_id, session=session, for_update=True)
    if plan.status != APPROVED:
        raise IllegalTransition("revise", plan.status, {APPROVED}, version=plan.version)
    if plan.draft_version is not None:
        draft = plans.get_version(plan.id, plan.draft_version, session=session)
        raise Conflict(f"Version {draft.number} is already open as a revision ({draft.status}); "
                       "approve it before opening another.", current_status=draft.status, draft_version=draft.number)
    in_force = plans.get_version(plan.id, plan.version, session=session)
    number = session.scalar(select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == plan.id)) + 1
    draft = PlanVersion(plan_id=plan.id, number=number, status=DRAFT, reason=reason, note=note,
                        finding_id=finding_id, **activity.written_by(actor),
                        **{name: getattr(in_force, name) for name in plans.CONTENT_FIELDS},
                        requirements=[Requirement(item_id=line.item_id, quantity=line.quantity, position=line.position)
                                      for line in in_force.requirements])
    session.add(draft)
    plan.draft_version = number
    activity.record(session, plan, "revision_opened", actor=actor, version=number, detail={"reason": reason})
    _emit(session, PlanRevisionRequired(plan_id=plan.id, code=plan.code, reason=reason, version=number,
                                        finding_id=finding_id, org_id=plan.org_id))
    session.flush()
    return draft


def record_filing(plan_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
                  now: dt.datetime) -> Filing:
    """The filing (备案) of the version in force with the authority."""
    plan = plans.get(plan_id, session=session, for_update=True)
    if plan.status != APPROVED:
        raise IllegalTransition("file", plan.status, {APPROVED}, version=plan.version)
    filed_at = data["filed_at"].astimezone(dt.timezone.utc)
    if filed_at > now:
        raise InvalidInput({"filed_at": ["Must not lie in the future."]})
    if local_date(filed_at) < local_date(plan.approved_at):
        raise InvalidInput({"filed_at": [f"Must not precede the approval of version {plan.version} "
                                         f"({local_date(plan.approved_at).isoformat()})."]})
    filing = Filing(plan_id=plan.id, version=plan.version, authority=data["authority"], filed_at=filed_at,
                    reference_no=data["reference_no"], recorded_by=actor.id, recorded_by_name=actor.name,
                    recorded_at=now)
    session.add(filing)
    plan.filed_at = filed_at
    activity.record(session, plan, "filed", actor=actor, version=plan.version,
                    detail={"authority": filing.authority, "reference_no": filing.reference_no})
    session.flush()
    return filing


def list_filings(plan_id: uuid.UUID, *, session: Session, page: int, per_page: int) -> dict[str, Any]:
    plans.get(plan_id, session=session)
    query = select(Filing).where(Filing.plan_id == plan_id).order_by(Filing.recorded_at, Filing.id)
    return page_of(session, query, page=page, per_page=per_page)


__all__ = ["submit", "approve", "retire", "open_revision", "record_filing", "list_filings", "IN_REVIEW"]
