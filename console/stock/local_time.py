"""The bureau's calendar (ERDM_TIMEZONE): what "today" is when expiry and inspection dates are reckoned, and what a
clock time typed into a form means."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.extensions["erdm_console_settings"].timezone)


def today() -> dt.date:
    """Today where the deployment is, as the services reckon expiry and overdue inspections."""
    return dt.datetime.now(zone()).date()
