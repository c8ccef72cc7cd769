"""The API's refusal of a requisition form put where a person looks: a line's message beside that line's field, a
409's shortfall as named items, a step the state no longer allows and the wrong side's refusal at the top of the
form in the page's language — never the problem document."""
from __future__ import annotations

import re

from flask_babel import gettext as _, lazy_gettext as _l

from console import refusals
from console.gateway_api import Refused
from console.stock.api_words import said
from console.stock.requisition_forms import SentForm
from console.words import label

# A step named as the sentences below say it ("You cannot … this requisition").
STEP_WORDS = {"approve": _l("approve"), "reject": _l("reject"), "dispatch": _l("dispatch"),
              "receive": _l("sign for"), "return": _l("settle the return of"), "cancel": _l("cancel")}
# services/resources/domain/requisitions.py next_status: the side a step belongs to, as the API words its 403.
WRONG_SIDE = re.compile(r"Only the (?P<side>supplying|requesting) organisation may (?P<step>\w+) a requisition\.?")
# Statuses the page answers with as they came; any other refusal of a form is the form's fault: 422.
KEPT_STATUSES = (403, 404, 409)


def on_form(form: SentForm, refusal: Refused) -> int:
    """Put `refusal` on `form`; the status to answer the page with."""
    problem = refusal.problem
    if refusal.status == 409 and problem.get("shortfall"):
        form.form_errors.append(str(form.SHORTFALL))
        form.form_errors.extend(refusals.shortfall_lines(refusal))
    elif refusal.status == 409 and problem.get("current_status") and problem.get("action") in STEP_WORDS:
        form.form_errors.append(_("You cannot %(step)s this requisition: it is “%(status)s” now.",
                                  step=STEP_WORDS[problem["action"]], status=label(problem["current_status"])))
    elif refusal.status == 403:
        form.form_errors.append(wrong_side(refusal.detail))
    elif refusal.status == 404:
        # The detail names the records by id; the person chose them by name.
        form.form_errors.append(_("An item, depot or organisation chosen was not found, or lies outside your "
                                  "organisation."))
    elif refusal.status == 422:
        refusals.apply(form, _beside_lines(form, refusal))
    else:
        form.form_errors.append(said(refusal.detail))
    form.renew()
    return refusal.status if refusal.status in KEPT_STATUSES else 422


def wrong_side(detail: str) -> str:
    """The API's refusal of a step taken from the wrong side, in the page's language when it is the known one."""
    match = WRONG_SIDE.fullmatch(detail.strip())
    if not match:
        return said(detail)
    step = STEP_WORDS.get(match["step"], match["step"])
    if match["side"] == "supplying":
        return _("Only the supplying organisation may %(step)s a requisition.", step=step)
    return _("Only the requesting organisation may %(step)s a requisition.", step=step)


def _beside_lines(form: SentForm, refusal: Refused) -> Refused:
    """Put each `lines.N.<field>` message beside the field line N was sent from; the refusal with the rest (which
    refusals.apply puts beside the form's own fields, asking to correct what is marked)."""
    rest: dict[str, list[str]] = {}
    for name, messages in refusal.errors.items():
        found = re.fullmatch(r"lines\.(\d+)(?:\.(\w+))?", name)
        line = form.sent_lines[int(found[1])] if found and int(found[1]) < len(form.sent_lines) else None
        if line is None:
            rest[name] = messages
            continue
        field = line.get(found[2]) or next(iter(line.values()))
        field.errors = [*list(field.errors or []), *(refusals.said(message) for message in messages)]
    return Refused(refusal.status, {**refusal.problem, "errors": rest})
