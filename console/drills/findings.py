"""Recording a drill's findings, each with the corrective action it calls for."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _

from console.drills import blp, steps
from console.drills.drill_forms import FindingForm


@blp.post("/<uuid:drill_id>/findings")
def record_finding(drill_id: uuid.UUID):
    return steps.form(drill_id, "findings", FindingForm(), slot="finding", fields=FindingForm.FIELDS,
                      succeeded=_("The finding is recorded."), anchor="findings",
                      otherwise=_("Findings are recorded once the drill has started."))
