"""Issuing a severe-weather warning: its kind and level, the districts and industries it goes to (every enterprise
there within the issuer's scope is a target), how long it is in force, the directive (停产撤人 or a heightened
watch), the message, and how soon each enterprise must acknowledge it."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from console import gateway_api
from console.gateway_api import Refused
from console.supervision import blp, choosers, local_time, refused
from console.supervision.roles import supervisors_only
from console.supervision.warning_forms import IssueWarningForm


@blp.route("/warnings/new", methods=["GET", "POST"])
@supervisors_only
def issue_warning():
    form = IssueWarningForm()
    form.districts.choices = [(district, district) for district in choosers.districts(choosers.enterprises())]
    if request.method == "GET":
        form.valid_from.data = local_time.now_for_form()
        return _page(form)
    if not form.validate_on_submit():
        return _page(form), 422
    try:
        warning = gateway_api.post("/warnings", form.payload(), headers=form.headers)
    except Refused as refusal:
        where = "districts" if form.districts.choices else "other_districts"
        status = refused.on_form(form, refusal, fields={"districts": where})
        return _page(form), status
    flash(_("Warning %(code)s is issued to %(count)s enterprises; each must acknowledge it within %(minutes)s "
            "minutes.", code=warning.get("code"), count=len(warning.get("targets") or []),
            minutes=warning.get("ack_within_minutes")), "success")
    return redirect(url_for("supervision.warning", warning_id=warning["id"]))


def _page(form: IssueWarningForm):
    return render_template("supervision/warning_new.html", form=form)
