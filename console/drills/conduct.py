"""Running a drill: start it, complete it with what it used, cancel it, ask again for resources it lacks."""
from __future__ import annotations

import uuid

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from console import gateway_api, refusals
from console.drills import blp, conflicts, page
from console.drills.drill_forms import CancelForm, CompleteForm
from console.drills.lines import place_line_errors
from console.drills.messages import translated
from console.gateway_api import Refused


def _back(drill_id: uuid.UUID):
    return redirect(url_for("drills.drill", drill_id=drill_id))


@blp.post("/<uuid:drill_id>/start")
def start(drill_id: uuid.UUID):
    try:
        gateway_api.post(f"/drills/{drill_id}/start", {})
    except Refused as refusal:
        if refusal.status != 409:
            raise
        return page.show(drill_id, status=409, notice=conflicts.explained(refusal).detail)
    flash(_("The drill has started."), "success")
    return _back(drill_id)


@blp.post("/<uuid:drill_id>/complete")
def complete(drill_id: uuid.UUID):
    form = CompleteForm()
    payload, sent = form.payload()
    try:
        gateway_api.post(f"/drills/{drill_id}/complete", payload)
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        list_errors: list[str] = []
        rest = place_line_errors(form.consumed, refusal, api_name="consumed", sent=sent, list_errors=list_errors)
        refusals.apply(form, conflicts.explained(rest))
        form.form_errors.extend(list_errors)
        return page.show(drill_id, status=refusal.status, complete=form)
    flash(_("The drill is completed. What it did not use is released to its depots."), "success")
    return _back(drill_id)


@blp.post("/<uuid:drill_id>/cancel")
def cancel(drill_id: uuid.UUID):
    form = CancelForm()
    try:
        gateway_api.post(f"/drills/{drill_id}/cancel", form.payload())
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        refusals.apply(form, conflicts.explained(translated(refusal)))
        return page.show(drill_id, status=refusal.status, cancel=form)
    flash(_("The drill is cancelled and its reserved resources released."), "success")
    return _back(drill_id)


@blp.post("/<uuid:drill_id>/retry-reservation")
def retry_reservation(drill_id: uuid.UUID):
    try:
        gateway_api.post(f"/drills/{drill_id}/retry-reservation", {})
    except Refused as refusal:
        if refusal.status != 409:
            raise
        return page.show(drill_id, status=409, notice=conflicts.explained(refusal).detail)
    flash(_("The depots are asked again for the drill's resources."), "success")
    return _back(drill_id)
