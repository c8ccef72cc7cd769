"""Editing a plan's text: the draft, the version under review, or the open revision (an approved version never
changes). Only the fields changed are sent, with the ETag read when the form was filled, so a change someone
saved in between is never overwritten unseen."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from console import gateway_api, refusals
from console.gateway_api import Refused
from console.plans import blp, conflicts
from console.plans.forms import EditPlanForm
from console.plans.working import refuse_unless_editable, working_copy

REFUSALS_SHOWN = (403, 409, 412, 422)
HAZARD_JOINER = {"zh": "、"}  # how the list is written back into the field; ", " in other languages


def changes(form: EditPlanForm, plan: dict, working: dict) -> dict:
    """The fields whose value differs from the version being edited, as the API takes them."""
    wanted = form.content()
    changed = {name: value for name, value in wanted.items()
               if name != "code" and value != (working.get(name) or ([] if name == "hazard_types" else None))}
    if wanted["code"] != plan["code"]:
        changed["code"] = wanted["code"]
    return changed


@blp.route("/<uuid:plan_id>/edit", methods=["GET", "POST"])
def edit_plan(plan_id):
    plan, draft, etag = working_copy(plan_id)
    refused = refuse_unless_editable(plan, draft, _(
        "Version %(version)s can no longer change. Open a revision to change the plan.", version=plan["version"]))
    if refused:
        return refused
    working = draft or plan
    form = EditPlanForm()
    if not form.is_submitted():
        form.process(data={**{name: working.get(name) for name in EditPlanForm.CONTENT}, "code": plan["code"],
                           "hazard_types": HAZARD_JOINER.get(g.get("language"), ", ").join(
                               working.get("hazard_types") or []),
                           "etag": etag})
    if form.validate_on_submit():
        changed = changes(form, plan, working)
        if not changed:
            flash(_("Nothing was changed."), "info")
            return redirect(url_for("plans.plan_page", plan_id=plan_id))
        try:
            gateway_api.call("PATCH", f"/plans/{plan_id}", json=changed,
                             headers={"If-Match": form.etag.data} if form.etag.data else {})
        except Refused as refusal:
            if refusal.status not in REFUSALS_SHOWN:
                raise
            refusals.apply(form, conflicts.said(refusal))
            form.etag.data = etag  # saving again now works on the version just read, with the person's text
            return _page(form, plan, draft), 409 if refusal.status == 412 else refusal.status
        flash(_("Saved version %(version)s.", version=working.get("version")), "success")
        return redirect(url_for("plans.plan_page", plan_id=plan_id))
    return _page(form, plan, draft), 422 if form.is_submitted() else 200


def _page(form: EditPlanForm, plan: dict, draft: dict | None) -> str:
    # A code is frozen once the plan has been approved: it is what the plan was filed under.
    return render_template("plans/edit.html", form=form, plan=plan, draft=draft,
                           code_frozen=bool(plan.get("approved_at")))
