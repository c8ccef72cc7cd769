"""Issuing a rectification order: the enterprise chosen first (its hazards are then offered as check boxes), what
must be done and by when, who signs it, and whether production stops until it is closed (停产整顿)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.filters import day, named
from console.gateway_api import Refused
from console.supervision import blp, choosers, refused
from console.supervision.forms import an_id
from console.supervision.order_forms import IssueOrderForm
from console.supervision.roles import supervisors_only
from console.words import label

# The enterprise is chosen above the form, not on it: the API's word about it goes at the form's top.
FIELDS = {"org_id": None, "org_code": None}


@blp.route("/orders/new", methods=["GET", "POST"])
@supervisors_only
def new_order():
    orgs = choosers.enterprises()
    org_id = an_id(request.args.get("org_id"))
    org = next((found for found in orgs if found["id"] == org_id), None)
    if org is None:  # nothing chosen yet (or an enterprise outside the person's scope): choose it first
        return _page(orgs, None, None, [])
    hazards = choosers.hazards_of(org["id"])
    form = IssueOrderForm()
    form.hazard_ids.choices = [(hazard["id"], _hazard_label(hazard)) for hazard in hazards]
    if request.method == "GET":
        form.hazard_ids.data = [hazard_id for hazard_id in request.args.getlist("hazard_id")
                                if any(hazard["id"] == hazard_id for hazard in hazards)]
        return _page(orgs, org, form, hazards)
    if not form.validate_on_submit():
        return _page(orgs, org, form, hazards), 422
    try:
        order = gateway_api.post("/rectification-orders", form.payload(org["id"]), headers=form.headers)
    except Refused as refusal:
        status = refused.on_form(form, refusal, fields=FIELDS)
        return _page(orgs, org, form, hazards), status
    flash(_("Rectification order %(code)s is issued to %(org)s.", code=order.get("code"), org=named(order.get("org"))),
          "success")
    return redirect(url_for("supervision.order", order_id=order["id"]))


def _hazard_label(hazard: dict) -> str:
    return _("%(title)s (%(level)s, found %(day)s)", title=hazard.get("title"), level=label(hazard.get("level")),
             day=day(hazard.get("found_at")))


def _page(orgs: list[dict], org: dict | None, form: IssueOrderForm | None, hazards: list[dict]):
    return render_template("supervision/order_new.html", orgs=orgs, org=org, form=form, hazards=hazards)
