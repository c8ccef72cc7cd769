"""One version of a plan as written (and, once approved, as signed): its text, what it required, why it was
opened and who moved it through review and approval."""
from __future__ import annotations

from flask import render_template

from console import gateway_api
from console.plans import blp, choosers


@blp.get("/<uuid:plan_id>/versions/<int:number>")
def version_page(plan_id, number):
    plan = gateway_api.get(f"/plans/{plan_id}")
    version = gateway_api.get(f"/plans/{plan_id}/versions/{number}")
    version["requirements"] = choosers.name_items(version.get("requirements") or [])
    return render_template("plans/version.html", plan=plan, version=version)
