"""The API's refusal of a stock form said on the page: in the page's language where the words are known, beside
the field it concerns where it names one, never as the raw problem document."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from console import refusals
from console.filters import named
from console.gateway_api import Refused
from console.stock.api_words import said

# Statuses the page answers with as they came; any other refusal of a form is the form's fault: 422.
KEPT_STATUSES = (403, 404, 409, 412)


def on_form(form: FlaskForm, refusal: Refused) -> int:
    """Put `refusal` on `form`; the status to answer the page with."""
    refusal = _in_words(refusal)
    problem, field = refusal.problem, refusal.problem.get("field")
    if refusal.status == 409 and problem.get("shortfall"):
        depot = next((line.get("warehouse") for line in problem["shortfall"] if line.get("warehouse")), None)
        form.form_errors.append(_("Not enough stock available at %(depot)s:", depot=named(depot)))
        form.form_errors.extend(refusals.shortfall_lines(refusal))
    elif refusal.status == 409 and field == "code" and "code" in form:
        form.code.errors = [*form.code.errors, _("This code is already in use.")]
    elif refusal.status == 409 and field and field in form:
        # A serial number registered already, a retired depot, an item of the wrong kind: beside what was chosen.
        form[field].errors = [*form[field].errors, refusal.detail]
    elif refusal.status == 404:
        # The detail names the records by id; the person chose them by name.
        form.form_errors.append(_("A depot, item or lot chosen was not found, or lies outside your organisation."))
    elif refusal.status == 403:
        form.form_errors.append(_("Your role or organisation may not do this."))
    elif refusal.status == 422 and "Idempotency-Key" in refusal.errors:
        form.form_errors.append(_("This form was already sent with other values. Check the ledger, then fill in "
                                  "a new form."))
    else:
        refusals.apply(form, refusal)
    if "idempotency_key" in form:
        form.idempotency_key.data = str(uuid.uuid4())  # the corrected form is a new request
    return refusal.status if refusal.status in KEPT_STATUSES else 422


def _in_words(refusal: Refused) -> Refused:
    """The refusal with the resources API's reasons it knows (api_words) said in the page's language."""
    problem = dict(refusal.problem)
    if problem.get("detail"):
        problem["detail"] = said(str(problem["detail"]))
    if isinstance(problem.get("errors"), dict):
        problem["errors"] = {name: [said(m) for m in messages] if isinstance(messages, list) else messages
                             for name, messages in problem["errors"].items()}
    return Refused(refusal.status, problem)
