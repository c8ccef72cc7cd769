"""Moments as the deployment reckons them (ERDM_TIMEZONE): the API's timestamps shown locally, a form's local
date and time sent with its offset."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app

FORM_MOMENT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.extensions["erdm_console_settings"].timezone)


def today() -> dt.date:
    return dt.datetime.now(zone()).date()


def local(value: str | None) -> dt.datetime | None:
    """An API timestamp (ISO 8601 with offset) in the deployment's zone; None for none or nonsense."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(zone()) if moment.tzinfo else moment.replace(tzinfo=zone())


def from_form(text: str | None) -> str | None:
    """A datetime-local field's text as an ISO timestamp with the zone's offset. Text that is not a moment
    goes to the API as it is, so the refusal beside the field is the API's own; nothing typed is None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.strptime(text[:16], FORM_MOMENT)
    except ValueError:
        return text
    return moment.replace(tzinfo=zone()).isoformat()


def to_form(value: str | None) -> str:
    """An API timestamp as a datetime-local field shows it."""
    moment = local(value)
    return moment.strftime(FORM_MOMENT) if moment else ""
