"""The plan's activity record: every write names its actor and request, in the writer's transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from servicekit.logs import current_request_id
from servicekit.signing import Actor
from services.plans.models import Plan, PlanActivity

# What the worker writes on behalf of events from other services.
SYSTEM = Actor(id="plans-worker", name="plans worker", role="system")


def written_by(actor: Actor) -> dict[str, str]:
    """The columns naming who created (and so last updated) a plan or version."""
    return {"created_by": actor.id, "created_by_name": actor.name, "updated_by": actor.id,
            "updated_by_name": actor.name}


def record(session: Session, plan: Plan, action: str, *, actor: Actor, version: int | None = None,
           detail: dict[str, Any] | None = None) -> None:
    plan.updated_by, plan.updated_by_name = actor.id, actor.name
    session.add(PlanActivity(plan_id=plan.id, version=version, action=action, actor_id=actor.id,
                             actor_name=actor.name, request_id=current_request_id.get(), detail=detail))


def history(plan_id, *, session: Session) -> list[PlanActivity]:
    return list(session.scalars(select(PlanActivity).where(PlanActivity.plan_id == plan_id)
                                .order_by(PlanActivity.id)))
