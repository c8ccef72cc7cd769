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
# The drill's fields its event shows (directly, or in the description): a change of any raises SEQUENCE.
SHOWN_FIELDS = ("title", "form", "scope", "status", "plan_id", "scheduled_start", "scheduled_end",
                "actual_start", "actual_end", "location", "organizer")
# iCalendar times are whole seconds; a drill started and completed within one must still end after it
# starts (RFC 5545 3.6.1: DTEND later than DTSTART; calcurse refuses the event otherwise).
SHORTEST = dt.timedelta(minutes=1)


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
    sequence: int
    updated_at: dt.datetime


def uid_for(drill_id: str) -> str:
    return f"drill-{drill_id}@{UID_DOMAIN}"


def event_window(start: dt.datetime, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Start and end to whole seconds, the end always after the start (at least SHORTEST later)."""
    start, end = start.replace(microsecond=0), end.replace(microsecond=0)
    return start, end if end > start else start + SHORTEST


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
        # Every change the event shows raises the sequence, which is how a client knows which copy is newer.
        event.add("sequence", entry.sequence)
        start, end = event_window(entry.start, entry.end)
        event.add("dtstart", start)
        event.add("dtend", end)
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
