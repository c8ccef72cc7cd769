"""Moments as the bureau reckons them (ERDM_TIMEZONE): today, and a form's local date and time sent with its
offset (a warning's validity, when production stopped or resumed)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app

FORM_MOMENT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.extensions["erdm_console_settings"].timezone)


def now() -> dt.datetime:
    return dt.datetime.now(zone())


def today() -> dt.date:
    return now().date()


def now_for_form() -> str:
    """This minute, as a datetime-local field shows it."""
    return now().strftime(FORM_MOMENT)


def from_form(text: str | None) -> str | None:
    """A datetime-local field's text as an ISO timestamp with the zone's offset. Text that is not a moment goes to
    the API as it is, so the refusal beside the field is the API's own; nothing typed is None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.strptime(text[:16], FORM_MOMENT)
    except ValueError:
        return text
    return moment.replace(tzinfo=zone()).isoformat()
