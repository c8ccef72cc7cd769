"""After the drill: its AQ/T 9009 evaluation, its findings, and corrective actions followed until verified."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from contracts.catalogue import DRILLS
from contracts.events import FindingRecorded
from servicekit import outbox
from servicekit.errors import Conflict, NotFound
from servicekit.events import new_event
from servicekit.pagination import page_of
from servicekit.signing import Actor
from servicekit.lookups import one
from services.drills.domain import lifecycle
from services.drills.domain.evaluation import correctable
from services.drills.models import CorrectiveAction, Evaluation, EvaluationRevision, Finding
from services.drills.use_cases.drills import get as get_drill

# Findings are observed while a drill runs and written up after it.
FINDING_STATUSES = frozenset({lifecycle.IN_PROGRESS, lifecycle.COMPLETED})


def evaluate(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
             now: dt.datetime) -> Evaluation:
    drill = get_drill(drill_id, session=session, for_update=True)
    if drill.status != lifecycle.COMPLETED:
        raise Conflict(f"Drill {drill_id} is {drill.status}; only a completed drill is evaluated.",
                       current_status=drill.status)
    if drill.evaluation is not None:
        raise Conflict(f"Drill {drill_id} was already evaluated on {drill.evaluation.evaluated_at.isoformat()}.")
    evaluation = Evaluation(id=uuid.uuid4(), drill_id=drill.id, scores=dict(data["scores"]), rating=data["rating"],
                            evaluator=data["evaluator"], comments=data.get("comments"),
                            evaluated_at=data.get("evaluated_at") or now, recorded_by=actor.id,
                            recorded_by_name=actor.name, recorded_at=now, version=1)
    session.add(evaluation)
    session.flush()
    return evaluation


def get_evaluation(drill_id: uuid.UUID, *, session: Session) -> Evaluation:
    drill = get_drill(drill_id, session=session)
    if drill.evaluation is None:
        raise NotFound(f"Drill {drill_id} has no evaluation yet.")
    return drill.evaluation


EVALUATION_FIELDS = ("scores", "rating", "evaluator", "comments", "evaluated_at")


def correct_evaluation(drill_id: uuid.UUID, changes: Mapping[str, Any], *, session: Session, actor: Actor,
                       now: dt.datetime) -> Evaluation:
    """Correct the evaluation while the drill's findings are open, keeping what it said before as a version."""
    drill = get_drill(drill_id, session=session, for_update=True)
    evaluation = get_evaluation(drill_id, session=session)
    statuses = session.execute(select(CorrectiveAction.status).select_from(Finding).outerjoin(
        CorrectiveAction, CorrectiveAction.finding_id == Finding.id).where(Finding.drill_id == drill.id)).scalars()
    if not correctable(statuses):
        raise Conflict(f"Every corrective action of drill {drill_id}'s findings is verified; its evaluation is "
                       "the closed record and can no longer be corrected.", field="evaluation")
    corrected = {name: changes[name] for name in EVALUATION_FIELDS if name in changes}
    if "scores" in corrected:  # a correction may name only the criteria it changes
        corrected["scores"] = {**evaluation.scores, **corrected["scores"]}
    if all(getattr(evaluation, name) == value for name, value in corrected.items()):
        return evaluation  # nothing changes: no new version
    evaluation.earlier.append(EvaluationRevision(
        version=evaluation.version, **{name: getattr(evaluation, name) for name in EVALUATION_FIELDS},
        recorded_by=evaluation.recorded_by, recorded_by_name=evaluation.recorded_by_name,
        recorded_at=evaluation.recorded_at))
    for name, value in corrected.items():
        setattr(evaluation, name, dict(value) if name == "scores" else value)
    evaluation.version, evaluation.recorded_at = evaluation.version + 1, now
    evaluation.recorded_by, evaluation.recorded_by_name = actor.id, actor.name
    session.flush()
    return evaluation


def record_finding(drill_id: uuid.UUID, data: Mapping[str, Any], *, session: Session, actor: Actor,
                   now: dt.datetime) -> Finding:
    drill = get_drill(drill_id, session=session, for_update=True)
    if drill.status not in FINDING_STATUSES:
        raise Conflict(f"Drill {drill_id} is {drill.status}; findings are recorded once it has started.",
                       current_status=drill.status)
    finding = Finding(id=uuid.uuid4(), drill_id=drill.id, plan_id=drill.plan_id, description=data["description"],
                      severity=data["severity"], requires_plan_revision=data.get("requires_plan_revision", False),
                      recorded_at=now, recorded_by=actor.id, recorded_by_name=actor.name)
    session.add(finding)
    if action := data.get("corrective_action"):
        finding.corrective_action = CorrectiveAction(
            id=uuid.uuid4(), drill_id=drill.id, plan_id=drill.plan_id, owner=action["owner"],
            due_date=action["due_date"], description=action["description"], status=lifecycle.OPEN)
    session.flush()
    outbox.add(session, new_event(FindingRecorded(
        finding_id=finding.id, drill_id=drill.id, plan_id=drill.plan_id, severity=finding.severity,
        requires_plan_revision=finding.requires_plan_revision, description=finding.description,
        org_id=drill.org_id), source=DRILLS))
    return finding


def list_findings(drill_id: uuid.UUID, *, session: Session, page: int, per_page: int) -> dict[str, Any]:
    get_drill(drill_id, session=session)
    query = select(Finding).where(Finding.drill_id == drill_id).order_by(Finding.recorded_at, Finding.id)
    return page_of(session, query, page=page, per_page=per_page)


def get_action(action_id: uuid.UUID, *, session: Session, for_update: bool = False) -> CorrectiveAction:
    return one(session, CorrectiveAction, action_id, name="corrective action", for_update=for_update)


def list_actions(*, session: Session, today: dt.date, page: int, per_page: int, status: str | None = None,
                 owner: str | None = None, plan_id: uuid.UUID | None = None, drill_id: uuid.UUID | None = None,
                 overdue: bool | None = None) -> dict[str, Any]:
    """Corrective actions by due date; overdue means still open past its due date."""
    query = select(CorrectiveAction).order_by(CorrectiveAction.due_date, CorrectiveAction.id)
    for column, value in ((CorrectiveAction.status, status), (CorrectiveAction.owner, owner),
                          (CorrectiveAction.plan_id, plan_id), (CorrectiveAction.drill_id, drill_id)):
        if value is not None:
            query = query.where(column == value)
    if overdue is True:
        query = query.where(CorrectiveAction.status == lifecycle.OPEN, CorrectiveAction.due_date < today)
    elif overdue is False:
        query = query.where((CorrectiveAction.status != lifecycle.OPEN) | (CorrectiveAction.due_date >= today))
    return page_of(session, query, page=page, per_page=per_page)


def complete_action(action_id: uuid.UUID, data: Mapping[str, Any], *, session: Session,
                    now: dt.datetime) -> CorrectiveAction:
    action = get_action(action_id, session=session, for_update=True)
    action.status = lifecycle.next_action_status("complete", action.status)
    action.completed_at, action.completion_note = now, data.get("note")
    session.flush()
    return action


def verify_action(action_id: uuid.UUID, data: Mapping[str, Any], *, session: Session,
                  now: dt.datetime) -> CorrectiveAction:
    """The follow-up check (回头看): only what was reported done can be verified."""
    action = get_action(action_id, session=session, for_update=True)
    action.status = lifecycle.next_action_status("verify", action.status)
    action.verified_at, action.verifier, action.verification_note = now, data["verifier"], data.get("note")
    session.flush()
    return action
