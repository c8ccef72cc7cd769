"""Running a drill: start it, complete it with what it used, cancel it, ask again for resources it lacks."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _

from console import gateway_api, refusals
from console.drills import blp, conflicts, page, steps
from console.drills.drill_forms import CancelForm, CompleteForm
from console.drills.lines import place_line_errors
from console.gateway_api import Refused


@blp.post("/<uuid:drill_id>/start")
def start(drill_id: uuid.UUID):
    return steps.button(drill_id, "start", succeeded=_("The drill has started."))


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
    return steps.done(drill_id, _("The drill is completed. What it did not use is released to its depots."))


@blp.post("/<uuid:drill_id>/cancel")
def cancel(drill_id: uuid.UUID):
    return steps.form(drill_id, "cancel", CancelForm(), slot="cancel",
                      succeeded=_("The drill is cancelled and its reserved resources released."))


@blp.post("/<uuid:drill_id>/retry-reservation")
def retry_reservation(drill_id: uuid.UUID):
    return steps.button(drill_id, "retry-reservation",
                        succeeded=_("The depots are asked again for the drill's resources."))
