"""The API's refusals put where a person looks: each 422 message beside its field, a 409's shortfall as named lines.

Never a raw problem document on screen. The validation messages the API writes in English are said in the
page's language when they are the common ones.
"""
from __future__ import annotations

from typing import Mapping

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm

from console.filters import named, quantity
from console.gateway_api import Refused

MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid date.": _l("Enter a date as YYYY-MM-DD."),
    "Not a valid datetime.": _l("Enter a date and time."),
    "Not a valid UUID.": _l("Choose a record from the list."),
    "Unknown field.": _l("This field is not accepted here."),
    "Field may not be null.": _l("This field is required."),
    "Shorter than minimum length 1.": _l("This field is required."),
    # servicekit/schemas.py Quantity: the API's word on a quantity the console's own forms let through.
    "Must be greater than 0.": _l("Enter a quantity above 0."),
    "Must be 0 or more.": _l("Enter 0 or more."),
    "Must have at most 3 decimal places.": _l("Give at most 3 decimal places."),
}


def said(message: str) -> str:
    return str(MESSAGES.get(message, message))


def apply(form: FlaskForm, refusal: Refused, *, fields: Mapping[str, str] | None = None) -> None:
    """Put `refusal` on `form`: a field's messages on that field (API name → form name through `fields`), the
    rest (and a 409's detail and shortfall) at the top of the form."""
    fields = dict(fields or {})
    placed = False
    for api_name, messages in refusal.errors.items():
        name = fields.get(api_name, api_name.split(".")[0] if api_name.split(".")[0] in form else api_name)
        field = form[name] if name in form else None
        if field is not None:
            field.errors = [*list(field.errors or []), *(said(message) for message in messages)]
            placed = True
        else:
            form.form_errors.extend(f"{api_name}: {said(message)}" for message in messages)
    if not placed or refusal.status != 422:
        form.form_errors.append(refusal.detail if refusal.status != 422 else _("Please correct the fields marked."))
    form.form_errors.extend(shortfall_lines(refusal))


def shortfall_lines(refusal: Refused) -> list[str]:
    """A 409's `shortfall` as sentences with the items' names."""
    lines = []
    for line in refusal.problem.get("shortfall") or []:
        item = line.get("item") or {"code": line.get("item_code"), "name": line.get("item_name")}
        lines.append(_("%(item)s: %(requested)s asked, %(available)s available",
                       item=named(item) if any(item.values()) else _("an item"),
                       requested=quantity(line.get("requested")), available=quantity(line.get("available"))))
    return lines
