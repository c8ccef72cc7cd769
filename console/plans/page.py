"""A plan's page: its facts and due dates, the open revision, its versions and filings, what it requires against
what the depots hold, its drills, and the forms for the steps its status allows."""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import copy_current_request_context, g, render_template
from flask_wtf import FlaskForm

from console import attachments, gateway_api
from console.plans import blp, choosers, dues, steps
from console.plans.forms import (
    ApprovalForm,
    FilingForm,
    RetirementForm,
    RevisionForm,
    SubmitForm,
)

# The form of each step, by the name `steps` gives it.
STEP_FORMS: dict[str, Callable[[], FlaskForm]] = {
    steps.SUBMIT: SubmitForm, steps.APPROVE: ApprovalForm, steps.RETIRE: RetirementForm,
    steps.FILE: FilingForm, steps.REVISE: RevisionForm,
}


def gather(plan_id) -> dict:
    """The plan and everything its page shows, asked of the gateway at once; a plan outside the person's
    scope raises the plan's own 404."""
    calls = {
        "plan": lambda: gateway_api.get(f"/plans/{plan_id}"),
        "versions": lambda: gateway_api.all_pages(f"/plans/{plan_id}/versions"),
        "filings": lambda: gateway_api.all_pages(f"/plans/{plan_id}/filings"),
        "readiness": lambda: gateway_api.get(f"/plans/{plan_id}/readiness"),
    }
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        # One copy of the request context per call, made here in the request's thread.
        futures = {name: pool.submit(copy_current_request_context(call)) for name, call in calls.items()}
        plan = futures.pop("plan").result()
        found = {name: future.result() for name, future in futures.items()}
    versions = found["versions"]
    draft = next((version for version in versions if version["version"] == plan.get("draft_version")), None)
    readiness = found["readiness"]
    readiness["lines"] = choosers.name_items(readiness.get("lines") or [])
    return {"plan": plan, "draft": draft, "versions": versions, "filings": found["filings"], "readiness": readiness}


def render(plan_id, *, refused: dict[str, FlaskForm] | None = None, status: int = 200):
    """The page; `refused` holds the form of a step the API refused, filled as sent and with its errors."""
    facts = gather(plan_id)
    legal = steps.legal_steps(facts["plan"], facts["draft"], role=(g.me or {}).get("role"))
    # Empty forms, not filled from this request: a refused step's POST must not fill the other steps' forms.
    forms = {name: make(formdata=None) for name, make in STEP_FORMS.items() if name in legal}
    if steps.FILE in forms and not forms[steps.FILE].filed_at.data:
        forms[steps.FILE].filed_at.data = dues.today()
    refused = refused or {}
    forms.update(refused)
    return render_template("plans/plan.html", **facts, steps=legal, forms=forms, open_step=next(iter(refused), None),
                           attachments=attachments.panel("plans", plan_id),
                           working_status=steps.working_status(facts["plan"], facts["draft"])), status


@blp.get("/<uuid:plan_id>")
def plan_page(plan_id):
    return render(plan_id)
