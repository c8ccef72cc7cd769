"""Requisitions (动用申请): a lower organisation asks for stock, the supplying one approves (or it was approved by
telephone when urgent), dispatches it on a waybill, the requester signs for what arrived and returns what is left.
The list, one requisition with the steps its caller may take, and a new one."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api
from console.filters import day, named, when
from console.gateway_api import Refused
from console.stock import blp, choosers, keepers, requisition_refusals
from console.stock.requisition_forms import (ApproveForm, CancelForm, DispatchForm, NewRequisitionForm,
                                             RejectForm, RequisitionFilter, StepForm)
from console.stock.requisition_returns import receive_form, return_form

PER_PAGE = 30

# Each step: the side that takes it (None: either) and the statuses it is taken from
# (services/resources/domain/requisitions.py ACTIONS: the page offers only what the API would take).
STEPS = {"approve": ("supplying", ("submitted",)), "reject": ("supplying", ("submitted",)),
         "dispatch": ("supplying", ("approved",)), "receive": ("requesting", ("in_transit",)),
         "return": ("requesting", ("received",)), "cancel": (None, ("submitted", "approved"))}
PLAIN_FORMS = {"approve": ApproveForm, "reject": RejectForm, "dispatch": DispatchForm, "cancel": CancelForm}


def step_form(step: str, found: dict, *, blank: bool = False) -> StepForm:
    """The form of one step on `found`: as posted, or `blank` to be filled in."""
    if step == "receive":
        return receive_form(found, blank=blank)
    if step == "return":
        return return_form(found, blank=blank)
    return PLAIN_FORMS[step](prefix=step, **({"formdata": None} if blank else {}))


@blp.get("/requisitions")
def requisitions():
    filters = RequisitionFilter()
    asked = filters.params()
    listing = gateway_api.get("/requisitions", **asked, page=request.args.get("page", type=int),
                              per_page=request.args.get("per_page", type=int) or PER_PAGE)
    return render_template("stock/requisitions.html", listing=listing, filters=filters, asked=asked)


@blp.get("/requisitions/<uuid:requisition_id>")
def requisition(requisition_id: uuid.UUID):
    return _page(gateway_api.get(f"/requisitions/{requisition_id}"))


@blp.post("/requisitions/<uuid:requisition_id>/<any(approve, reject, dispatch, receive, return, cancel):step>")
@keepers.stock_keepers_only
def requisition_step(requisition_id: uuid.UUID, step: str):
    """Take one step on the requisition: back to its page saying what happened, or the page again with the form's
    refusal beside its fields (a 404, the requisition gone from the caller's reach, is the 404 page)."""
    found = gateway_api.get(f"/requisitions/{requisition_id}")
    form = step_form(step, found)
    if not form.validate_on_submit():
        return _page(found, refused=(step, form)), 422
    try:
        answer = gateway_api.post(f"/requisitions/{requisition_id}/{step}", form.payload(),
                                  headers={"Idempotency-Key": form.idempotency_key.data})
    except Refused as refusal:
        if refusal.status == 404:
            raise
        status = requisition_refusals.on_form(form, refusal)
        if refusal.problem.get("current_status"):
            found = gateway_api.get(f"/requisitions/{requisition_id}")  # someone else moved it: show where it is
        return _page(found, refused=(step, form)), status
    flash(_done(step, answer), "success")
    return redirect(url_for("stock.requisition", requisition_id=requisition_id))


@blp.route("/requisitions/new", methods=["GET", "POST"])
@keepers.stock_keepers_only
def new_requisition():
    form = NewRequisitionForm()
    can_choose_supplier = _offer_choices(form)
    if request.method == "GET":
        return _new_page(form, can_choose_supplier)
    if not form.validate_on_submit():
        return _new_page(form, can_choose_supplier), 422
    try:
        answer = gateway_api.post("/requisitions", form.payload(),
                                  headers={"Idempotency-Key": form.idempotency_key.data})
    except Refused as refusal:
        status = requisition_refusals.on_form(form, refusal)
        return _new_page(form, can_choose_supplier), status
    if answer.get("status") == "approved":
        flash(_("Requisition %(code)s is approved at once (by telephone, %(approver)s) and its stock is held at "
                "%(supplier)s.", code=answer.get("code"), approver=answer.get("approved_by"),
                supplier=named(answer.get("supplying_org"))), "success")
    else:
        flash(_("Requisition %(code)s is submitted to %(supplier)s for approval.", code=answer.get("code"),
                supplier=named(answer.get("supplying_org"))), "success")
    return redirect(url_for("stock.requisition", requisition_id=answer["id"]))


def _offer_choices(form: NewRequisitionForm) -> bool:
    """Fill the item and supplier choosers; whether the person may choose the supplier (the organisation directory
    may be closed to them: then the organisation above theirs supplies it)."""
    items = choosers.items()
    for line in form.lines:
        line.item_id.choices = items
    try:
        organisations = gateway_api.all_pages("/orgs")
    except Refused:
        return False
    form.supplying_org_id.choices = [SelectChoice("", _("The organisation above mine")),
                                     *(SelectChoice(org["id"], named(org)) for org in organisations)]
    return True


def _new_page(form: NewRequisitionForm, can_choose_supplier: bool):
    return render_template("stock/requisition_new.html", form=form, can_choose_supplier=can_choose_supplier)


def offered_steps(found: dict) -> list[str]:
    """The steps the signed-in person may take on `found` now: their role writes stock, the requisition is in a
    status the step is taken from, and their organisation stands on the step's side."""
    if not keepers.keeps_stock():
        return []
    sides = set(found.get("sides") or [])
    return [step for step, (side, statuses) in STEPS.items()
            if found.get("status") in statuses and (side in sides if side else bool(sides))]


def _page(found: dict, *, refused: tuple[str, StepForm] | None = None):
    offered = offered_steps(found)
    forms = {step: step_form(step, found, blank=True) for step in offered}
    notice = None
    if refused:
        step, form = refused
        if step in forms:
            forms[step] = form
        else:  # no longer offered (the status moved on, or the other side's step): its refusal at the top
            notice = form
    return render_template("stock/requisition.html", requisition=found, forms=forms, notice=notice,
                           timeline=timeline(found))


def timeline(found: dict) -> list[dict]:
    """Who did what when, in the order a requisition lives: each step with its time, who, and what was said."""
    approved = (_("Approved by telephone when submitted (urgent)") if found.get("approved_at_submission")
                else _("Approved"))
    dispatched = [_("Waybill %(number)s", number=found.get("waybill_no")) if found.get("waybill_no") else None,
                  _("Vehicle %(vehicle)s", vehicle=found.get("vehicle")) if found.get("vehicle") else None,
                  _("Driver %(driver)s", driver=found.get("driver")) if found.get("driver") else None]
    # Who took each step in ERDM (the API's `history`), beside the person named in the step itself (a signer).
    by = {step["action"]: (step.get("by") or {}).get("name") for step in found.get("history") or []}

    def recorded(action: str) -> str | None:
        return _("recorded by %(name)s", name=by[action]) if by.get(action) else None

    steps = [  # (what, when, who, what was said)
        (_("Submitted for approval"), found.get("created_at"), (found.get("created_by") or {}).get("name"),
         [found.get("note")]),
        (approved, found.get("approved_at"), found.get("approved_by"),
         [found.get("approval_note"), recorded("approved")]),
        (_("Rejected"), found.get("rejected_at"), by.get("rejected"), [found.get("rejected_reason")]),
        (_("Dispatched"), found.get("dispatched_at"), by.get("dispatched"), dispatched),
        (_("Signed for"), found.get("received_at"), found.get("received_by"),
         [found.get("receive_note"), recorded("received")]),
        (_("Returned and closed"), found.get("closed_at"), by.get("returned"), [found.get("return_note")]),
        (_("Cancelled"), found.get("cancelled_at"), by.get("cancelled"), [found.get("cancelled_reason")]),
    ]
    return [{"what": what, "when": day(moment) if len(str(moment)) == 10 else when(moment, "short"), "who": who,
             "said": [words for words in said if words]}
            for what, moment, who, said in steps if moment]


def _done(step: str, answer: dict) -> str:
    code = answer.get("code")
    return {
        "approve": lambda: _("Requisition %(code)s is approved; its stock is held in the depots below.", code=code),
        "reject": lambda: _("Requisition %(code)s is rejected.", code=code),
        "dispatch": lambda: _("Requisition %(code)s is dispatched on waybill %(waybill)s.", code=code,
                              waybill=answer.get("waybill_no")),
        "receive": lambda: _("The goods of requisition %(code)s are signed for.", code=code),
        "return": lambda: _("What is left of requisition %(code)s is returned; the requisition is closed.",
                            code=code),
        "cancel": lambda: _("Requisition %(code)s is cancelled; any stock held for it is released.", code=code),
    }[step]()
