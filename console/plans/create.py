"""Registering a plan: its code, title, type, hazards, who drew it up and who answers for it, and (for someone
whose scope reaches further) the organisation that owns it. It starts as version 1, a draft."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from console import gateway_api, refusals
from console.gateway_api import Refused
from console.plans import blp, choosers, conflicts
from console.plans.forms import NewPlanForm

REFUSALS_SHOWN = (403, 409, 422)


@blp.route("/new", methods=["GET", "POST"])
def new_plan():
    form = NewPlanForm()
    orgs = choosers.org_choices()
    mine = g.me.get("org") or {}
    form.org_id.choices = [("", _("My organisation (%(org)s)", org=(mine.get("name") or mine.get("code") or "—"))),
                           *(choice for choice in orgs or [] if choice[0] != mine.get("id"))]
    if not form.is_submitted():
        form.owner_org.data = mine.get("name")
    if not form.validate_on_submit():
        return render_template("plans/new.html", form=form, choose_org=bool(orgs and len(orgs) > 1)), \
            422 if form.is_submitted() else 200
    body = form.content()
    if form.org_id.data:
        body["org_id"] = form.org_id.data
    try:
        plan = gateway_api.post("/plans", body)
    except Refused as refusal:
        if refusal.status not in REFUSALS_SHOWN:
            raise
        refusals.apply(form, conflicts.said(refusal), fields={"org_code": "org_id"})
        return render_template("plans/new.html", form=form, choose_org=bool(orgs and len(orgs) > 1)), refusal.status
    flash(_("Plan %(code)s registered as version 1, a draft.", code=plan["code"]), "success")
    return redirect(url_for("plans.plan_page", plan_id=plan["id"]))
