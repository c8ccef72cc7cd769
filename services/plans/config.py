"""The plans service's identity on the bus and in the stack, and its own settings (the holiday calendar)."""
from __future__ import annotations

import os
from typing import Mapping

from contracts.catalogue import PLANS
from services.plans.domain.workdays import WorkCalendar, parse_dates

NAME = PLANS
TITLE = "ERDM plans"
DESCRIPTION = ("Emergency plans (应急预案): versions, review and approval, filing, revisions, the legal drill and "
               "evaluation cycles, and readiness against live stock.")


def work_calendar(environ: Mapping[str, str] | None = None) -> WorkCalendar:
    """`ERDM_PLANS_HOLIDAYS` and `ERDM_PLANS_EXTRA_WORKDAYS`: comma-separated `YYYY-MM-DD` dates."""
    env = os.environ if environ is None else environ
    return WorkCalendar(holidays=parse_dates(env.get("ERDM_PLANS_HOLIDAYS")),
                        extra_workdays=parse_dates(env.get("ERDM_PLANS_EXTRA_WORKDAYS")))
