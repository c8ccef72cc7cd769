"""The version a plan's edits go to: the open revision while there is one, else the plan's only version; and
whether the signed-in person may edit it now."""
from __future__ import annotations

from flask import flash, g, redirect, url_for

from console import gateway_api
from console.plans import steps


def working_copy(plan_id) -> tuple[dict, dict | None, str | None]:
    """The plan, its open revision (or None) and the plan's ETag, as they are now."""
    answer = gateway_api.call("GET", f"/plans/{plan_id}")
    plan = answer.json()
    draft = gateway_api.get(f"/plans/{plan_id}/versions/{plan['draft_version']}") if plan.get("draft_version") else None
    return plan, draft, answer.headers.get("ETag")


def refuse_unless_editable(plan: dict, draft: dict | None, message: str):
    """None when the person may edit the working version now; else the way back to the plan's page, saying
    `message` (an approved version never changes: a revision must be opened)."""
    if steps.EDIT in steps.legal_steps(plan, draft, role=(g.me or {}).get("role")):
        return None
    flash(message, "error")
    return redirect(url_for("plans.plan_page", plan_id=plan["id"]))

