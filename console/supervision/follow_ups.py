"""Look-backs (回头看): the re-checks of closed orders, scheduling one, and recording what it found — held, or
relapsed, when the service opens a new order for each order looked back at (linked from the list)."""
from __future__ import annotations

import datetime as dt
import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.filters import named
from console.gateway_api import Refused
from console.supervision import blp, choosers, local_time, refused
from console.supervision.follow_up_forms import FollowUpFilter, ResultForm, ScheduleForm
from console.supervision.forms import an_id, page_args
from console.supervision.roles import supervises, supervisors_only

LOOK_BACK_AFTER = dt.timedelta(days=90)  # the usual look-back: about three months after the order closed


def result_form(follow_up_id: str, *, blank: bool = False) -> ResultForm:
    return ResultForm(prefix=f"result-{follow_up_id}", **({"formdata": None} if blank else {}))


@blp.get("/follow-ups")
def follow_ups():
    return _list_page()


def _list_page(refused_form: tuple[str, ResultForm] | None = None):
    filters = FollowUpFilter()
    asked = filters.params()
    listing = gateway_api.get("/follow-ups", **asked, **page_args())
    forms = {}
    if supervises():
        forms = {found["id"]: result_form(found["id"], blank=True)
                 for found in listing.get("items", []) if found.get("status") == "scheduled"}
    notice = None
    if refused_form:
        follow_up_id, form = refused_form
        if follow_up_id in forms:
            forms[follow_up_id] = form
        else:  # no longer on this page, or no longer scheduled: its refusal at the top
            notice = form
    return render_template("supervision/follow_ups.html", listing=listing, filters=filters, asked=asked,
                           forms=forms, notice=notice, open_form=refused_form[0] if refused_form else None)


@blp.post("/follow-ups/<uuid:follow_up_id>/result")
@supervisors_only
def follow_up_result(follow_up_id: uuid.UUID):
    form = result_form(str(follow_up_id))
    if not form.validate_on_submit():
        return _list_page((str(follow_up_id), form)), 422
    try:
        answer = gateway_api.post(f"/follow-ups/{follow_up_id}/result", form.payload(), headers=form.headers)
    except Refused as refusal:
        status = refused.on_form(form, refusal)
        return _list_page((str(follow_up_id), form)), status
    if answer.get("status") == "relapsed":
        flash(_("The look-back found the hazards back: a new rectification order is issued for each order."),
              "success")
    else:
        flash(_("The look-back found the rectification held."), "success")
    return redirect(url_for("supervision.follow_ups", **request.args))


@blp.route("/follow-ups/new", methods=["GET", "POST"])
@supervisors_only
def schedule_follow_up():
    orgs = choosers.enterprises()
    org_id = an_id(request.args.get("org_id"))
    orders = choosers.closed_orders(org_id)
    form = ScheduleForm()
    form.order_ids.choices = [(order["id"], _order_label(order)) for order in orders]
    if request.method == "GET":
        form.order_ids.data = [order_id for order_id in request.args.getlist("order_id")
                               if any(order["id"] == order_id for order in orders)]
        form.due_date.data = local_time.today() + LOOK_BACK_AFTER
        return _schedule_page(form, orgs, org_id, orders)
    if not form.validate_on_submit():
        return _schedule_page(form, orgs, org_id, orders), 422
    try:
        gateway_api.post("/follow-ups", form.payload(), headers=form.headers)
    except Refused as refusal:
        status = refused.on_form(form, refusal)
        return _schedule_page(form, orgs, org_id, orders), status
    flash(_("The look-back is scheduled."), "success")
    return redirect(url_for("supervision.follow_ups"))


def _order_label(order: dict) -> str:
    hazards = "、".join(hazard.get("title") or "" for hazard in order.get("hazards") or [])
    return _("%(code)s · %(org)s · %(hazards)s", code=order.get("code"), org=named(order.get("org")),
             hazards=hazards or "—")


def _schedule_page(form: ScheduleForm, orgs: list[dict], org_id: str | None, orders: list[dict]):
    return render_template("supervision/follow_up_new.html", form=form, orgs=orgs, org_id=org_id, orders=orders)
