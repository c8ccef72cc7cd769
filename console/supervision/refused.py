"""The supervision API's refusals put where a person looks: each field's message beside it (the service's own
rules said in the page's language), a step the record's status no longer allows said with that status in words,
the wrong role or organisation at the top of the form — never the problem document."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm

from console import refusals, words
from console.gateway_api import Refused
from console.supervision.forms import SentForm

# The messages of the service's rules (services/supervision/domain), known by the words they contain (those naming
# districts and industries hold them between these words).
RULE_MESSAGES = (
    (r"Must not lie in the future", _l("Must not lie in the future.")),
    (r"Must lie after valid_from", _l("Must be later than the start of validity.")),
    (r"would have ended already", _l("Must lie in the future: the warning would have ended already.")),
    (r"^No enterprise within your scope lies in .*nothing was issued", _l(
        "No enterprise within your scope lies in these districts; nothing was issued.")),
    (r"^No enterprise within your scope in .* works in .*nothing was issued", _l(
        "No enterprise in these districts works in these industries; nothing was issued.")),
    ("Required when the review fails", _l("Give the new due date when the review fails.")),
    ("Only a failed review sets a new due date", _l("Only a failed review sets a new due date.")),
    ("Only a relapse opens new orders", _l("Only a relapse opens new orders, with a due date.")),
    ("Must not precede stopped_at", _l("Must not be earlier than when production stopped.")),
)
# Whoever signs must be the one registered for the position (SPEC: else 422 on signed_by); the service's words
# for it name the organisation by id, so the page says it again.
NOT_REGISTERED = _l("This is not the name registered for that position on the organisation: its head (一把手) or "
                    "a deputy in charge (分管领导) signs.")
# Statuses the page answers with as they came; any other refusal of a form is the form's fault: 422.
KEPT_STATUSES = (403, 404, 409)


def on_form(form: FlaskForm, refusal: Refused, *, fields: Mapping[str, str | None] | None = None,
            status_word: Callable[[str], str] = words.label) -> int:
    """Put `refusal` on `form` (API field names → form field names through `fields`; a field named None there is
    not on the form, and its messages go at the top); the status to answer the page with. `status_word` says a
    record's status as this page does."""
    problem = dict(refusal.problem)
    fields = dict(fields or {})
    moved = False
    if isinstance(problem.get("errors"), dict):
        problem["errors"] = _translated(problem["errors"])
        for name in [name for name in problem["errors"] if name in fields and fields[name] is None]:
            messages = problem["errors"].pop(name)
            form.form_errors.extend(refusals.said(str(message))
                                    for message in (messages if isinstance(messages, list) else [messages]))
            moved = True
    if refusal.status == 409 and problem.get("warning_status"):
        problem["detail"] = _("The warning is %(status)s: it takes no more answers.",
                              status=status_word(problem["warning_status"]))
    elif refusal.status == 409 and problem.get("current_status"):
        problem["detail"] = _("This step cannot be taken now: it stands at “%(status)s”. Reload the page to see "
                              "what changed.", status=status_word(problem["current_status"]))
    elif refusal.status == 403:
        problem["detail"] = _("Your role or organisation may not do this.")
    elif refusal.status == 404:
        # The detail names records by id; the person chose them by name.
        problem["detail"] = _("A record chosen was not found, or lies outside your organisation.")
    if not (moved and refusal.status == 422 and not problem["errors"]):  # else all is said at the top already
        refusals.apply(form, Refused(refusal.status, problem),
                       fields={name: field for name, field in fields.items() if field is not None})
    if isinstance(form, SentForm):
        form.renew()
    return refusal.status if refusal.status in KEPT_STATUSES else 422


def _translated(errors):
    if isinstance(errors, dict):
        return {key: (_signer_messages(value) if key == "signed_by" else _translated(value))
                for key, value in errors.items()}
    if isinstance(errors, list):
        return [_translated(message) for message in errors]
    if isinstance(errors, str):
        return next((str(said) for pattern, said in RULE_MESSAGES if re.search(pattern, errors)), errors)
    return errors


def _signer_messages(messages):
    """A signer refused for being nobody registered; the schema's own messages (missing, too long) as they are."""
    if not isinstance(messages, list):
        return messages
    return [message if message in refusals.MESSAGES or "length" in message else str(NOT_REGISTERED)
            for message in messages]
