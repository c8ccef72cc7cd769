"""Art. 36's revision rule for drill findings: one that calls for a revision marks the plan until one is approved."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import PLANS
from contracts.events import FindingRecorded, PlanRevisionRequired
from servicekit import outbox
from servicekit.events import Event, new_event
from services.plans.domain.lifecycle import RETIRED
from services.plans.models import Plan, PlanVersion
from services.plans.use_cases import activity

log = logging.getLogger("erdm.plans.revisions")

DRILL_FINDING = "drill_finding"


def finding_recorded(finding: FindingRecorded, *, event: Event, session: Session) -> None:
    """finding.recorded: one that requires a plan revision flags the plan (needs_revision) and says so."""
    if not finding.requires_plan_revision:
        return
    plan = session.get(Plan, finding.plan_id, with_for_update=True)
    if plan is None or plan.status == RETIRED:
        log.info("finding %s: plan %s is unknown or retired; nothing to revise", finding.finding_id, finding.plan_id)
        return
    if already_answered(session, plan, finding, event=event):
        return
    plan.needs_revision = True
    activity.record(session, plan, "revision_required", actor=activity.SYSTEM, version=plan.version,
                    detail={"finding_id": str(finding.finding_id), "drill_id": str(finding.drill_id)})
    outbox.add(session, new_event(PlanRevisionRequired(
        plan_id=plan.id, code=plan.code, reason=DRILL_FINDING, finding_id=finding.finding_id,
        drill_id=finding.drill_id, org_id=plan.org_id), source=PLANS))


def already_answered(session: Session, plan: Plan, finding: FindingRecorded, *, event: Event) -> bool:
    """A late finding is not raised again once a version approved after it (or naming it) is in force."""
    if plan.approved_at is not None and plan.approved_at > event.occurred:
        log.info("finding %s of %s: plan %s was approved since (%s); no revision required", finding.finding_id,
                 event.occurred, plan.id, plan.approved_at)
        return True
    answered = session.scalar(
        select(PlanVersion.number).where(PlanVersion.plan_id == plan.id, PlanVersion.finding_id == finding.finding_id,
                                         PlanVersion.approved_at.is_not(None)).limit(1))
    if answered is not None:
        log.info("finding %s: an approved version of plan %s answers it already", finding.finding_id, plan.id)
        return True
    return False
