"""The steps of a plan's life, each a form on its page: submit for review, approve, retire, record a filing, open
a revision. A refusal (409 for a step its status does not allow, 422 for a field) is shown beside the form."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from console import gateway_api, refusals
from console.gateway_api import Refused
from console.plans import blp, conflicts, page, steps
from console.plans.forms import (
    ApprovalForm,
    FilingForm,
    RetirementForm,
    RevisionForm,
    SubmitForm,
)

# What the page shows beside a form; any other refusal (404 outside the person's scope) is the error page.
REFUSALS_SHOWN = (403, 409, 412, 422)


def _take(plan_id, step: str, form: FlaskForm, send: Callable[[FlaskForm], object], done, *,
          fields: dict[str, str] | None = None):
    """Send `step` if `form` is filled in right, then back to the plan's page (Post/Redirect/Get); else the page
    again with the form open, as sent, and the reason beside it."""
    if not form.validate_on_submit():
        return page.render(plan_id, refused={step: form}, status=422)
    try:
        send(form)
    except Refused as refusal:
        if refusal.status not in REFUSALS_SHOWN:
            raise
        refusals.apply(form, conflicts.said(refusal), fields=fields)
        return page.render(plan_id, refused={step: form}, status=refusal.status)
    flash(str(done), "success")
    return redirect(url_for("plans.plan_page", plan_id=plan_id))


def _day(value):
    return value.isoformat() if value else None


@blp.post("/<uuid:plan_id>/submit")
def submit(plan_id):
    return _take(plan_id, steps.SUBMIT, SubmitForm(),
                 lambda form: gateway_api.post(f"/plans/{plan_id}/submit"),
                 _l("Sent for review."))


@blp.post("/<uuid:plan_id>/approve")
def approve(plan_id):
    def send(form: ApprovalForm):
        body = {"approved_by": form.approved_by.data.strip()}
        if form.approved_at.data:
            body["approved_at"] = _day(form.approved_at.data)  # that day's start in the bureau's zone
        return gateway_api.post(f"/plans/{plan_id}/approve", body)

    return _take(plan_id, steps.APPROVE, ApprovalForm(), send, _l("Approved: this version is now in force."))


@blp.post("/<uuid:plan_id>/retire")
def retire(plan_id):
    def send(form: RetirementForm):
        reason = (form.retirement_reason.data or "").strip()
        return gateway_api.post(f"/plans/{plan_id}/retire", {"reason": reason} if reason else {})

    return _take(plan_id, steps.RETIRE, RetirementForm(), send, _l("The plan is retired."),
                 fields={"reason": "retirement_reason"})


@blp.post("/<uuid:plan_id>/filings")
def record_filing(plan_id):
    def send(form: FilingForm):
        return gateway_api.post(f"/plans/{plan_id}/filings", {
            "authority": form.authority.data.strip(), "filed_at": _day(form.filed_at.data),
            "reference_no": form.reference_no.data.strip()})

    return _take(plan_id, steps.FILE, FilingForm(), send, _l("Filing recorded."))


@blp.post("/<uuid:plan_id>/revisions")
def open_revision(plan_id):
    def send(form: RevisionForm):
        body = {"reason": form.reason.data}
        if (form.note.data or "").strip():
            body["note"] = form.note.data.strip()
        return gateway_api.post(f"/plans/{plan_id}/revisions", body)

    return _take(plan_id, steps.REVISE, RevisionForm(), send,
                 _l("Revision opened: the approved version stays in force until the new one is approved."))
