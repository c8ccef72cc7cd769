"""Registering a plan: its code, title, type, hazards, who drew it up and who answers for it, and (for someone
whose scope reaches further) the organisation that owns it. It starts as version 1, a draft."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from console import gateway_api, refusals
from console.gateway_api import Refused
from console.plans import blp, choosers, conflicts
from console.plans.forms import NewPlanForm

REFUSALS_SHOWN = (403, 409, 422)


def _offer_organisations(form: NewPlanForm) -> bool:
    """Fill the organisation chooser: empty means the person's own; True when there is anything else to choose."""
    mine = g.me.get("org") or {}
    others = [choice for choice in choosers.org_choices() or [] if choice.value != mine.get("id")]
    form.org_id.choices = [SelectChoice("", _("My organisation (%(org)s)", org=mine.get("name") or mine.get("code"))),
                           *others]
    return bool(others)


@blp.route("/new", methods=["GET", "POST"])
def new_plan():
    form = NewPlanForm()
    choose_org = _offer_organisations(form)
    if not form.is_submitted():
        form.owner_org.data = (g.me.get("org") or {}).get("name")  # most plans are drawn up by their owner
    if not form.validate_on_submit():
        return _page(form, choose_org), 422 if form.is_submitted() else 200
    body = form.content()
    if choose_org and form.org_id.data:
        body["org_id"] = form.org_id.data
    try:
        plan = gateway_api.post("/plans", body)
    except Refused as refusal:
        if refusal.status not in REFUSALS_SHOWN:
            raise
        refusals.apply(form, conflicts.said(refusal))
        return _page(form, choose_org), refusal.status
    flash(_("Plan %(code)s registered as version 1, a draft.", code=plan["code"]), "success")
    return redirect(url_for("plans.plan_page", plan_id=plan["id"]))


def _page(form: NewPlanForm, choose_org: bool) -> str:
    return render_template("plans/new.html", form=form, choose_org=choose_org)
