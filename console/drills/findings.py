"""Recording a drill's findings, each with the corrective action it calls for."""
from __future__ import annotations

import uuid

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from console import gateway_api, refusals
from console.drills import blp, conflicts, page
from console.drills.drill_forms import FindingForm
from console.drills.messages import translated
from console.gateway_api import Refused


@blp.post("/<uuid:drill_id>/findings")
def record_finding(drill_id: uuid.UUID):
    form = FindingForm()
    try:
        gateway_api.post(f"/drills/{drill_id}/findings", form.payload())
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        said = conflicts.explained(translated(refusal), otherwise=_(
            "Findings are recorded once the drill has started."))
        refusals.apply(form, said, fields=FindingForm.FIELDS)
        return page.show(drill_id, status=refusal.status, finding=form)
    flash(_("The finding is recorded."), "success")
    return redirect(url_for("drills.drill", drill_id=drill_id, _anchor="findings"))
