"""Scheduling a drill of an approved plan: its schedule, place, organizer and the resources to reserve."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectField, StringField
from wtforms.validators import InputRequired
from wtforms.widgets import DateTimeLocalInput

from console import gateway_api, refusals
from console.drills import blp, choosers, conflicts, local_time
from console.drills.access import may_change_drills
from console.drills.lines import BLANK_ROWS, ResourceLineForm, place_line_errors, resource_lines
from console.drills.vocabulary import FORMS, SCOPES, as_choices
from console.gateway_api import Refused

# The API's field names that differ from the form's.
FIELDS = {"form": "drill_form", "plan_code": "plan_id"}


class DrillForm(FlaskForm):
    plan_id = SelectField(_l("Plan"), choices=[], validate_choice=False, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[InputRequired()])
    drill_form = SelectField(_l("Form"), choices=as_choices(FORMS))
    scope = SelectField(_l("Scope"), choices=as_choices(SCOPES))
    scheduled_start = StringField(_l("Starts"), widget=DateTimeLocalInput(), validators=[InputRequired()])
    scheduled_end = StringField(_l("Ends"), widget=DateTimeLocalInput(), validators=[InputRequired()])
    location = StringField(_l("Location"))
    organizer = StringField(_l("Organizer"))
    resources = FieldList(FormField(ResourceLineForm), min_entries=BLANK_ROWS)


@blp.route("/new", methods=["GET", "POST"])
def schedule():
    """The scheduling form (a plan chosen in advance with ?plan_id=); sent, the drill's page."""
    if not may_change_drills():
        abort(403, description=_("Drills are scheduled by planners and administrators."))
    form = DrillForm(plan_id=request.args.get("plan_id"))
    form.plan_id.choices = as_choices(choosers.approved_plan_choices())
    if request.method == "GET":
        return _page(form)
    lines, sent = resource_lines(form.resources)
    try:
        drill = gateway_api.post("/drills", _payload(form, lines))
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        list_errors: list[str] = []
        rest = place_line_errors(form.resources, refusal, api_name="resources", sent=sent, list_errors=list_errors)
        refusals.apply(form, conflicts.explained(rest), fields=FIELDS)
        form.form_errors.extend(list_errors)
        return _page(form), refusal.status
    flash(_("The drill is scheduled. Its resources are being reserved."), "success")
    return redirect(url_for("drills.drill", drill_id=drill["id"]))


def _payload(form: DrillForm, lines: list[dict]) -> dict:
    """The drill as the API takes it; a field left empty is left out, so the API names what is missing."""
    payload = {
        "plan_id": form.plan_id.data,
        "title": (form.title.data or "").strip(),
        "form": form.drill_form.data,
        "scope": form.scope.data,
        "scheduled_start": local_time.from_form(form.scheduled_start.data),
        "scheduled_end": local_time.from_form(form.scheduled_end.data),
        "location": (form.location.data or "").strip(),
        "organizer": (form.organizer.data or "").strip(),
        "resources": lines,
    }
    return {key: value for key, value in payload.items() if value not in (None, "")}


def _page(form: DrillForm):
    return render_template("drills/new.html", form=form, items=choosers.catalog_items())
