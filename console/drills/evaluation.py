"""Evaluating a completed drill against the five AQ/T 9009 criteria."""
from __future__ import annotations

import uuid

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from console import gateway_api, refusals
from console.drills import blp, conflicts, page
from console.drills.drill_forms import EvaluationForm
from console.drills.messages import translated
from console.gateway_api import Refused


@blp.post("/<uuid:drill_id>/evaluation")
def evaluate(drill_id: uuid.UUID):
    form = EvaluationForm()
    try:
        gateway_api.post(f"/drills/{drill_id}/evaluation", form.payload())
    except Refused as refusal:
        if refusal.status not in (409, 422):
            raise
        said = conflicts.explained(translated(refusal), otherwise=_(
            "The drill was evaluated already, or is not completed: reload the page to see where it stands."))
        refusals.apply(form, said, fields=EvaluationForm.FIELDS)
        return page.show(drill_id, status=refusal.status, evaluation=form)
    flash(_("The evaluation is recorded."), "success")
    return redirect(url_for("drills.drill", drill_id=drill_id, _anchor="evaluation"))
