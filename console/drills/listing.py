"""The drills as a list: by scheduled start, filtered by plan and status, a page at a time."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from console import gateway_api
from console.drills import blp, choosers
from console.drills.vocabulary import SCOPES, STATUSES

PER_PAGE = 25


@blp.get("/list")
def listing():
    page = request.args.get("page", type=int, default=1)
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    listing = gateway_api.get("/drills", plan_id=choosers.id_arg("plan_id"), status=status,
                              page=page if page and page > 0 else 1, per_page=PER_PAGE)
    plans = choosers.drilled_plans()
    return render_template("drills/list.html", listing=listing, statuses=STATUSES, scopes=dict(SCOPES),
                           plan_choices=choosers.plan_filter_choices(plans, everything=_("All plans")))
