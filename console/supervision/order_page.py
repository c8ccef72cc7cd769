"""A rectification order's page: its facts, hazards and what happened to it, and the step its status allows for
the person — the enterprise's people sign for it (签收) and report it done, the inspectors review it (复查)."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from console import attachments, gateway_api
from console.gateway_api import Refused
from console.supervision import blp, choosers, local_time, refused
from console.supervision.forms import StepForm
from console.supervision.order_forms import NamedSignerForm, RegisteredSignerForm, ReportForm, ReviewForm
from console.supervision.order_timeline import timeline
from console.supervision.roles import answers_for, supervises

# The status each step is taken from (services/supervision/domain/orders.py), and whose it is.
ENTERPRISE_STEPS = {"acknowledge": "issued", "report": "acknowledged"}
INSPECTOR_STEPS = {"review": "reported"}
# The API's names for a signer chosen from the registered people.
SIGNER_FIELDS = {"signed_by": "signer", "position": "signer"}


def offered_step(order: dict) -> str | None:
    """The one step the signed-in person may take on `order` now, if any."""
    steps = {**(ENTERPRISE_STEPS if answers_for(order.get("org_id")) else {}),
             **(INSPECTOR_STEPS if supervises() else {})}
    return next((step for step, status in steps.items() if order.get("status") == status), None)


def step_form(step: str, order: dict, *, blank: bool = False) -> StepForm:
    """The form of `step` on `order`: as posted, or `blank` to be filled in."""
    made = {"prefix": step, **({"formdata": None} if blank else {})}
    if step == "acknowledge":
        people = choosers.signers(order["org_id"])
        return RegisteredSignerForm(**made).offer(people) if people else NamedSignerForm(**made)
    form = {"report": ReportForm, "review": ReviewForm}[step](**made)
    if blank and step == "report":
        form.completed_at.data = local_time.today()
    return form


@blp.get("/orders/<uuid:order_id>")
def order(order_id: uuid.UUID):
    return _page(gateway_api.get(f"/rectification-orders/{order_id}"))


@blp.post("/orders/<uuid:order_id>/<any(acknowledge, report, review):step>")
def order_step(order_id: uuid.UUID, step: str):
    """Take one step: back to the order's page saying what happened, or the page again with the form's refusal
    beside its fields. A step not offered to the person is the 403 page."""
    found = gateway_api.get(f"/rectification-orders/{order_id}")
    if step not in (*ENTERPRISE_STEPS, *INSPECTOR_STEPS) or not _may_take(step, found):
        return render_template("error.html", status=403), 403
    form = step_form(step, found)
    if not form.validate_on_submit():
        return _page(found, refused=(step, form)), 422
    try:
        answer = gateway_api.post(f"/rectification-orders/{order_id}/{step}", form.payload(), headers=form.headers)
    except Refused as refusal:
        if refusal.status == 404:
            raise
        status = refused.on_form(form, refusal, fields=SIGNER_FIELDS if "signer" in form else None)
        if refusal.status == 409:
            found = gateway_api.get(f"/rectification-orders/{order_id}")  # someone moved it on: show where it is
        return _page(found, refused=(step, form)), status
    flash(_done(step, answer), "success")
    return redirect(url_for("supervision.order", order_id=order_id))


def _may_take(step: str, order: dict) -> bool:
    # The role and side decide; the status is the API's to judge (a step just taken elsewhere is its 409).
    return answers_for(order.get("org_id")) if step in ENTERPRISE_STEPS else supervises()


def _page(order: dict, *, refused: tuple[str, StepForm] | None = None):
    step = offered_step(order)
    form = step_form(step, order, blank=True) if step else None
    notice = None
    if refused:
        refused_step, refused_form = refused
        if refused_step == step:
            form = refused_form
        else:  # no longer offered (the status moved on): its refusal at the top of the page
            notice = refused_form
    return render_template("supervision/order.html", order=order, step=step, form=form, notice=notice,
                           timeline=timeline(order), attachments=attachments.panel("rectification-orders", order["id"]))


def _done(step: str, answer: dict) -> str:
    code = answer.get("code")
    if step == "acknowledge":
        return _("Order %(code)s is signed for by %(name)s.", code=code, name=answer.get("signed_by"))
    if step == "report":
        return _("Order %(code)s is reported done; an inspector reviews it next.", code=code)
    if answer.get("status") == "closed":
        return _("Order %(code)s passed its review and is closed (销号).", code=code)
    return _("Order %(code)s failed its review and goes back to the enterprise, due %(day)s.", code=code,
             day=answer.get("due_date"))
