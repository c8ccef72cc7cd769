"""A warning's page: what it says, how its targets stand (counts, each enterprise's acknowledgement and report,
those overdue to acknowledge, those never answering), the plans to open for it, and the forms the person may
send — an enterprise's answers on its own target while the warning is in force, the bureau's close (预警解除)."""
from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l

from console import gateway_api
from console.gateway_api import Refused
from console.supervision import blp, local_time, refused
from console.supervision.forms import StepForm
from console.supervision.roles import answers_for, supervises
from console.supervision.vocabulary import WARNING_STATUSES
from console.supervision.warning_forms import AcknowledgeTargetForm, CloseWarningForm, ReportTargetForm, ResumeForm
from console.words import label

# A target's step, the status it is taken from (services/supervision/domain/warnings.py STEPS) and its form.
TARGET_STEPS = {"acknowledge": ("sent", AcknowledgeTargetForm), "report": ("acknowledged", ReportTargetForm),
                "resume": ("reported", ResumeForm)}
CLOSE = "close"
# The statuses whose words differ from an order's (templates/supervision/_macros.html says them the same way).
STATUS_WORDS = {**WARNING_STATUSES, "acknowledged": _l("Acknowledged the warning"), "reported": _l("Reported back")}


def own_target(warning: dict) -> dict | None:
    """The target the signed-in person answers for: their own enterprise's."""
    return next((target for target in warning.get("targets") or [] if answers_for(target.get("org_id"))), None)


def offered(warning: dict) -> dict[str, StepForm]:
    """The blank forms the person may send on `warning` now, by step (a target's, or `close`)."""
    if warning.get("status") != "issued":  # a lifted warning takes no more answers
        return {}
    forms: dict[str, StepForm] = {}
    target = own_target(warning)
    step = next((name for name, (status, _form) in TARGET_STEPS.items()
                 if target and target.get("status") == status), None)
    if step:
        forms[step] = TARGET_STEPS[step][1](prefix=step, formdata=None)
        if step == "resume":
            forms[step].resumed_at.data = local_time.now_for_form()
    if supervises():
        forms[CLOSE] = CloseWarningForm(prefix=CLOSE, formdata=None)
    return forms


@blp.get("/warnings/<uuid:warning_id>")
def warning(warning_id: uuid.UUID):
    return _page(gateway_api.get(f"/warnings/{warning_id}"))


@blp.post("/warnings/<uuid:warning_id>/close")
def close_warning(warning_id: uuid.UUID):
    found = gateway_api.get(f"/warnings/{warning_id}")
    if not supervises():
        return render_template("error.html", status=403), 403
    return _take(found, CLOSE, CloseWarningForm(prefix=CLOSE), f"/warnings/{warning_id}/close")


@blp.post("/warnings/<uuid:warning_id>/targets/<uuid:org_id>/<any(acknowledge, report, resume):step>")
def target_step(warning_id: uuid.UUID, org_id: uuid.UUID, step: str):
    found = gateway_api.get(f"/warnings/{warning_id}")
    if not answers_for(str(org_id)):
        return render_template("error.html", status=403), 403
    return _take(found, step, TARGET_STEPS[step][1](prefix=step),
                 f"/warnings/{warning_id}/targets/{org_id}/{step}")


def _take(found: dict, step: str, form: StepForm, path: str):
    """Send `step`: back to the warning's page saying what happened, or the page again with the refusal beside
    the form (a lifted warning's or a moved-on target's 409 said in words)."""
    if not form.validate_on_submit():
        return _page(found, refused=(step, form)), 422
    try:
        answer = gateway_api.post(path, form.payload(), headers=form.headers)
    except Refused as refusal:
        if refusal.status == 404:
            raise
        status = refused.on_form(form, refusal, status_word=_status_word)
        if refusal.status == 409:
            found = gateway_api.get(f"/warnings/{found['id']}")  # it moved on: show where it stands
        return _page(found, refused=(step, form)), status
    flash(_done(step, answer), "success")
    return redirect(url_for("supervision.warning", warning_id=found["id"]))


def _status_word(status: str) -> str:
    """A status a 409 names, as this page says it: a warning's (issued, closed) or a target's."""
    return str(STATUS_WORDS.get(status) or label(status))


def _page(found: dict, *, refused: tuple[str, StepForm] | None = None):
    forms = offered(found)
    notice = None
    if refused:
        step, form = refused
        if step in forms:
            forms[step] = form
        else:  # no longer offered (lifted, or the target moved on): its refusal at the top of the page
            notice = form
    target = own_target(found)
    return render_template("supervision/warning.html", warning=found, forms=forms, notice=notice, own=target,
                           target_step=next((step for step in TARGET_STEPS if step in forms), None))


def _done(step: str, answer: dict) -> str:
    code = answer.get("code")
    return {
        "acknowledge": lambda: _("Warning %(code)s is acknowledged.", code=code),
        "report": lambda: _("Your report on warning %(code)s is sent.", code=code),
        "resume": lambda: _("Resumption of production is reported for warning %(code)s.", code=code),
        CLOSE: lambda: _("Warning %(code)s is lifted; %(count)s enterprises never acknowledged it.", code=code,
                         count=len(answer.get("not_acknowledged") or [])),
    }[step]()
