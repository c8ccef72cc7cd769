"""Which plans may be drilled: the projection fed by plan events, and the plans service asked when it is silent."""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any, Callable, Mapping

import httpx
from sqlalchemy.orm import Session

from servicekit.errors import Conflict, DomainError
from servicekit.signing import Actor, sign
from services.drills.models import PlanStatus

log = logging.getLogger("erdm.drills.plans")

APPROVED, RETIRED = "approved", "retired"
SYSTEM = Actor(id="system", name="drills-service", role="system")

# plan id -> the plan as the plans service describes it, or None when it has no such plan.
PlanLookup = Callable[[uuid.UUID], "Mapping[str, Any] | None"]


class PlansUnavailable(DomainError):
    """The plans service could not be asked; nothing was changed and a retry may succeed."""

    title = "Plans service unavailable"


class HttpPlanLookup:
    """`GET {ERDM_PLANS_URL}/api/v1/plans/{id}`, signed as the drills service itself."""

    def __init__(self, base_url: str, secret: str, *, timeout: float = 3.0) -> None:
        self.base_url, self.secret, self.timeout = base_url.rstrip("/"), secret, timeout

    def __call__(self, plan_id: uuid.UUID) -> Mapping[str, Any] | None:
        path = f"/api/v1/plans/{plan_id}"
        try:
            response = httpx.get(self.base_url + path, headers=sign(self.secret, "GET", path, SYSTEM),
                                 timeout=self.timeout)
        except httpx.HTTPError as exc:
            log.warning("plans service unreachable: %s", exc)
            raise PlansUnavailable("The plans service cannot be reached to confirm the plan is approved; "
                                   "retry shortly.") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise PlansUnavailable(f"The plans service answered {response.status_code} when asked about the plan; "
                                   "retry shortly.")
        return response.json()


def require_approved(plan_id: uuid.UUID, *, session: Session, lookup: PlanLookup) -> None:
    """Conflict unless the plan is approved; the projection first, the plans service when it has not heard."""
    known = session.get(PlanStatus, plan_id)
    if known is not None:
        status = known.status
    else:
        # A plan approved a moment ago may not have reached us yet as an event.
        plan = lookup(plan_id)
        if plan is None:
            raise Conflict(f"No plan {plan_id}; a drill exercises an approved plan.", field="plan_id")
        status = plan.get("status")
    if status != APPROVED:
        raise Conflict(f"Plan {plan_id} is {status}; only an approved plan can be drilled.", field="plan_id")


def record(session: Session, plan_id: uuid.UUID, status: str, *, occurred_at: dt.datetime,
           details: Mapping[str, Any]) -> None:
    """Apply plan.approved / plan.retired; retirement is final, so a late approval never undoes it."""
    known = session.get(PlanStatus, plan_id, with_for_update=True)
    if known is None:
        known = PlanStatus(plan_id=plan_id, status=status, updated_at=occurred_at)
        session.add(known)
    elif known.status == RETIRED:
        return
    elif status == APPROVED and known.version is not None and (details.get("version") or 0) < known.version:
        return  # an older version's approval arriving late
    known.status, known.updated_at = status, occurred_at
    for name in ("code", "title", "version"):
        if details.get(name) is not None:
            setattr(known, name, details[name])
