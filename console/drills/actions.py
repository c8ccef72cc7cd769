"""The corrective-actions board: open, done and verified actions side by side, the overdue ones marked; an action
reported done, then verified in the follow-up check (回头看)."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired

from console import gateway_api, refusals
from console.drills import blp, choosers, conflicts
from console.drills.access import may_change_drills
from console.drills.messages import translated
from console.gateway_api import Refused

SECTIONS = ("open", "done", "verified")
PER_PAGE = 20


class ActionCompleteForm(FlaskForm):
    note = TextAreaField(_l("What was done"))


class ActionVerifyForm(FlaskForm):
    verifier = StringField(_l("Verified by"), validators=[InputRequired()])
    note = TextAreaField(_l("Follow-up check (回头看) note"))


def _prefix(action_id) -> str:
    # Many forms on one page: each action's fields are named apart, so labels and ids stay unique.
    return f"action-{action_id}"


@blp.get("/actions")
def actions():
    return board()


def board(*, status: int = 200, notice: str | None = None, refused: tuple[str, FlaskForm] | None = None):
    """The board for this URL's filters; `refused` (an action id and its form with the API's messages) is shown
    in place of that action's blank form, `notice` (a refused step) at the top."""
    filters = {"owner": request.args.get("owner") or None, "plan_id": choosers.id_arg("plan_id"),
               "drill_id": choosers.id_arg("drill_id")}
    overdue_only = request.args.get("overdue") == "true"
    sections = {}
    for section in SECTIONS:
        if overdue_only and section != "open":
            continue  # only an open action is overdue
        sections[section] = gateway_api.get("/corrective-actions", status=section, page=_page_of(section),
                                            per_page=PER_PAGE, overdue="true" if overdue_only else None, **filters)
    overdue_total = gateway_api.get("/corrective-actions", overdue="true", per_page=1, **filters)["total"]
    forms = _blank_forms(sections) if may_change_drills() else {}
    if refused:
        forms[refused[0]] = refused[1]
    drill = gateway_api.get(f"/drills/{filters['drill_id']}") if filters["drill_id"] else None
    plans = choosers.drilled_plans()
    return render_template("drills/actions.html", sections=sections, forms=forms, overdue_only=overdue_only,
                           overdue_total=overdue_total, filters=filters, drill=drill, notice=notice,
                           plan_choices=choosers.plan_filter_choices(plans, everything=_("All plans"))), status


def _page_of(section: str) -> int:
    page = request.args.get(f"{section}_page", type=int, default=1)
    return page if page and page > 0 else 1


def _blank_forms(sections: dict[str, dict]) -> dict[str, FlaskForm]:
    """The step each action may take next: an open one reported done, a done one verified."""
    forms: dict[str, FlaskForm] = {}
    for action in sections.get("open", {}).get("items", []):
        forms[action["id"]] = ActionCompleteForm(formdata=None, prefix=_prefix(action["id"]))
    for action in sections.get("done", {}).get("items", []):
        forms[action["id"]] = ActionVerifyForm(formdata=None, prefix=_prefix(action["id"]))
    return forms


def _step(action_id: uuid.UUID, form: FlaskForm, step: str, payload: dict, done: str):
    try:
        gateway_api.post(f"/corrective-actions/{action_id}/{step}", payload)
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        if refusal.status == 409:
            return board(status=409, notice=conflicts.explained(refusal).detail)
        refusals.apply(form, translated(refusal))
        return board(status=422, refused=(str(action_id), form))
    flash(done, "success")
    return redirect(url_for("drills.actions", **request.args))


@blp.post("/actions/<uuid:action_id>/complete")
def complete_action(action_id: uuid.UUID):
    form = ActionCompleteForm(prefix=_prefix(action_id))
    payload = {"note": form.note.data.strip()} if (form.note.data or "").strip() else {}
    return _step(action_id, form, "complete", payload, _("The corrective action is reported done."))


@blp.post("/actions/<uuid:action_id>/verify")
def verify_action(action_id: uuid.UUID):
    form = ActionVerifyForm(prefix=_prefix(action_id))
    payload = {"verifier": (form.verifier.data or "").strip(), "note": (form.note.data or "").strip()}
    payload = {key: value for key, value in payload.items() if value}
    return _step(action_id, form, "verify", payload, _("The corrective action is verified."))
