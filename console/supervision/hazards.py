"""Hazards (事故隐患) found in inspections: the list by enterprise and level, recording one, and a hazard's page
with the rectification orders issued for it."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.gateway_api import Refused
from console.supervision import blp, choosers, local_time, refused
from console.supervision.forms import an_id, page_args
from console.supervision.hazard_forms import HazardFilter, HazardForm
from console.supervision.roles import supervisors_only


@blp.get("/hazards")
def hazards():
    orgs = choosers.enterprises()
    filters = HazardFilter(org_id=choosers.enterprise_choices(orgs, blank=_("All enterprises")))
    asked = filters.params()
    listing = gateway_api.get("/hazards", **asked, **page_args())
    return render_template("supervision/hazards.html", listing=listing, filters=filters, asked=asked)


@blp.route("/hazards/new", methods=["GET", "POST"])
@supervisors_only
def record_hazard():
    form = HazardForm(org_id=an_id(request.args.get("org_id")))
    form.org_id.choices = choosers.enterprise_choices(choosers.enterprises(), blank=_("Choose the enterprise"))
    if request.method == "GET":
        form.found_at.data = local_time.today()
        return _new_page(form)
    if not form.validate_on_submit():
        return _new_page(form), 422
    try:
        hazard = gateway_api.post("/hazards", form.payload(), headers=form.headers)
    except Refused as refusal:
        status = refused.on_form(form, refusal, fields={"org_code": "org_id"})
        return _new_page(form), status
    flash(_("The hazard “%(title)s” is recorded.", title=hazard.get("title")), "success")
    return redirect(url_for("supervision.hazard", hazard_id=hazard["id"]))


def _new_page(form: HazardForm):
    return render_template("supervision/hazard_new.html", form=form)


@blp.get("/hazards/<uuid:hazard_id>")
def hazard(hazard_id: uuid.UUID):
    found = gateway_api.get(f"/hazards/{hazard_id}")
    try:
        orders = gateway_api.all_pages("/rectification-orders", hazard_id=str(hazard_id))
    except Refused:
        orders = None  # the page says they could not be listed; the hazard itself still shows
    return render_template("supervision/hazard.html", hazard=found, orders=orders)
