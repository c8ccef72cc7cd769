"""The plans service over HTTP, for the one question an event cannot answer in time: is this plan approved?

A plan approved a moment ago may not have reached drills as `plan.approved` yet (the relay and the
worker take up to a couple of seconds on the embedded transport), and a planner who approves a
plan and schedules its drill at once must not be told the plan does not exist. So the projection
(use_cases/approved_plans.py) answers first, and only when it has never heard of the plan is this asked.
It is asked as the drills service itself, whatever the caller's scope: the answer names the plan's
organisation (`org_id`, `org_path`), and approved_plans applies the caller's scope to it.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Callable, Mapping

import httpx

from servicekit.errors import DomainError
from servicekit.instances import Instances, NoInstance
from servicekit.signing import Actor, sign

log = logging.getLogger("erdm.drills.plans")

SYSTEM = Actor(id="system", name="drills-service", role="system")

# plan id -> the plan as the plans service describes it, or None when it has no such plan.
PlanLookup = Callable[[uuid.UUID], "Mapping[str, Any] | None"]


class PlansUnavailable(DomainError):
    """The plans service could not be asked; nothing was changed and a retry may succeed."""

    title = "Plans service unavailable"


class HttpPlanLookup:
    """`GET {ERDM_PLANS_URL}/api/v1/plans/{id}`, signed as the drills service itself; several plans
    instances are asked in turn, one that refuses the connection passed over for the next."""

    def __init__(self, base_urls: list[str], secret: str, *, timeout: float = 3.0) -> None:
        self.instances, self.secret, self.timeout = Instances(base_urls), secret, timeout

    def _get(self, path: str) -> httpx.Response:
        try:
            return self.instances.call(lambda base: httpx.get(
                base + path, headers=sign(self.secret, "GET", path, SYSTEM), timeout=self.timeout))
        except NoInstance:
            raise httpx.ConnectError("no plans URL configured") from None

    def __call__(self, plan_id: uuid.UUID) -> Mapping[str, Any] | None:
        path = f"/api/v1/plans/{plan_id}"
        try:
            response = self._get(path)
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
