"""A drill's page: its plan and schedule, its resources and where their reservation stands, the steps its
status allows, its evaluation and its findings with their corrective actions."""
from __future__ import annotations

import uuid

from flask import render_template
from flask_wtf import FlaskForm

from console import attachments, gateway_api
from console.drills import blp
from console.drills.access import may_change_drills
from console.drills.drill_forms import CancelForm, CompleteForm, EvaluationForm, FindingForm
from console.drills.vocabulary import CRITERIA, SCOPES
from console.gateway_api import GatewayDown, Refused

# The conduct steps each status allows (services/drills/domain/lifecycle.py), so the page offers only those; asking
# again for a short drill's stock is offered beside its shortfall.
STEPS = {
    "pending_resources": ("cancel",),
    "ready": ("start", "cancel"),
    "resource_shortfall": ("cancel",),
    "in_progress": ("complete", "cancel"),
    "completed": (),
    "cancelled": (),
}
# Findings are recorded once a drill has started.
FINDING_STATUSES = ("in_progress", "completed")


@blp.get("/<uuid:drill_id>")
def drill(drill_id: uuid.UUID):
    return show(drill_id)


def show(drill_id: uuid.UUID, *, status: int = 200, notice: str | None = None, **forms: FlaskForm):
    """The page, with `forms` (a refused one, carrying its errors) in place of the blank ones, and `notice`
    (why a step was refused) at the top; answered with `status`."""
    drill = gateway_api.get(f"/drills/{drill_id}")
    evaluation = gateway_api.get(f"/drills/{drill_id}/evaluation") if drill.get("evaluated") else None
    findings = gateway_api.all_pages(f"/drills/{drill_id}/findings")
    writer = may_change_drills()
    blank = {"complete": CompleteForm.for_drill(drill), "cancel": CancelForm(formdata=None),
             "evaluation": EvaluationForm(formdata=None), "finding": FindingForm(formdata=None)}
    return render_template(
        "drills/drill.html", drill=drill, evaluation=evaluation, findings=findings,
        attachments=attachments.panel("drills", drill_id),
        allocations=_allocations(drill), steps=STEPS.get(drill.get("status"), ()) if writer else (),
        may_record_findings=writer and drill.get("status") in FINDING_STATUSES, criteria=CRITERIA,
        scopes=dict(SCOPES),
        resources_by_item={line["item_id"]: line for line in drill.get("resources") or []},
        used_by_item={line["item_id"]: line["quantity"] for line in drill.get("consumed") or []},
        notice=notice, forms={**blank, **forms}), status


def _allocations(drill: dict) -> list[dict] | None:
    """Which depots' lots hold the drill's resources; None when there is no hold, or it cannot be read now
    (the resources service down, or a role that may not read reservations): the page says only its status."""
    if not drill.get("reservation_id"):
        return None
    try:
        return gateway_api.get(f"/reservations/{drill['reservation_id']}").get("allocations") or []
    except (Refused, GatewayDown):
        return None
