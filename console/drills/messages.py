"""The drills API's validation messages in the page's language (beyond the common ones console/refusals.py
knows), so that a refused drill form never shows the API's English."""
from __future__ import annotations

import re

from flask_babel import gettext as _, lazy_gettext as _l

from console import refusals
from console.gateway_api import Refused

UNKNOWN_ITEM = re.compile(r"^No item with code '(.*)'\.$")
MESSAGES = {
    "Each item may appear only once.": _l("Each item may appear only once."),
    "Must be greater than 0.": _l("Enter a quantity above zero."),
    "Must be a number.": _l("Enter a number."),
    "Must have at most 3 decimal places.": _l("Enter at most 3 decimal places."),
    "Must be after scheduled_start.": _l("The end must come after the start."),
    "Must not precede actual_start.": _l("The end must come after the start."),
    "Not a valid aware datetime.": _l("Enter a date and time."),
}


def said(message: str) -> str:
    unknown = UNKNOWN_ITEM.match(message)
    if unknown:
        return _("No item with code %(code)s in the catalog.", code=unknown.group(1))
    if message.startswith("Missing data for required field"):  # also "…: give `plan_id` or `plan_code`."
        return refusals.said("Missing data for required field.")
    return str(MESSAGES.get(message) or refusals.said(message))


def translated(refusal: Refused) -> Refused:
    """`refusal` with every field message said in the page's language (flattened: `lines.0.quantity`)."""
    errors = {field: [said(message) for message in messages] for field, messages in refusal.errors.items()}
    return Refused(refusal.status, {**refusal.problem, "errors": errors})
