"""The drill calendar as iCalendar (RFC 5545): one VEVENT per drill, its UID stable so clients update in place."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from icalendar import Calendar, Event

PRODID = "-//ERDM//Drills//ZH"
UID_DOMAIN = "drills.erdm"

# A cancelled drill stays in the feed, marked so, so a subscribed client strikes it out instead of
# keeping a stale copy.
ICS_STATUS = {"cancelled": "CANCELLED", "pending_resources": "TENTATIVE", "resource_shortfall": "TENTATIVE"}
FORM_NAMES = {"tabletop": "桌面演练", "live": "实战演练"}
SCOPE_NAMES = {"single": "单项", "comprehensive": "综合"}


@dataclass(frozen=True)
class CalendarEntry:
    drill_id: str
    title: str
    form: str
    scope: str
    status: str
    start: dt.datetime
    end: dt.datetime
    location: str | None
    organizer: str | None
    plan_label: str
    revision: int
    updated_at: dt.datetime


def uid_for(drill_id: str) -> str:
    return f"drill-{drill_id}@{UID_DOMAIN}"


def build_calendar(entries: Iterable[CalendarEntry], *, name: str = "ERDM 应急演练") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", uid_for(entry.drill_id))
        event.add("dtstamp", entry.updated_at)
        event.add("last-modified", entry.updated_at)
        # Each reschedule raises the sequence, which is how a client knows which copy is newer.
        event.add("sequence", max(entry.revision - 1, 0))
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        event.add("summary", entry.title)
        event.add("status", ICS_STATUS.get(entry.status, "CONFIRMED"))
        if entry.location:
            event.add("location", entry.location)
        description = [f"{FORM_NAMES.get(entry.form, entry.form)} · {SCOPE_NAMES.get(entry.scope, entry.scope)}",
                       f"预案 plan: {entry.plan_label}", f"status: {entry.status}"]
        if entry.organizer:
            description.append(f"organizer: {entry.organizer}")
        event.add("description", "\n".join(description))
        event.add("categories", ["drill", entry.form])
        calendar.add_component(event)
    return calendar.to_ical()
