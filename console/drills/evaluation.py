"""Evaluating a completed drill against the five AQ/T 9009 criteria."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _

from console.drills import blp, steps
from console.drills.drill_forms import EvaluationForm


@blp.post("/<uuid:drill_id>/evaluation")
def evaluate(drill_id: uuid.UUID):
    return steps.form(drill_id, "evaluation", EvaluationForm(), slot="evaluation", fields=EvaluationForm.FIELDS,
                      succeeded=_("The evaluation is recorded."), anchor="evaluation", otherwise=_(
                          "The drill was evaluated already, or is not completed: reload the page to see where it "
                          "stands."))
