"""A plan owner subscribes to the drill calendar: it parses back, and each drill keeps one UID across changes."""
from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tests.flows.drillbook import DrillBook, at


@pytest.fixture
def book(drills_client, drills_db):
    return DrillBook(drills_client, drills_db)


def events(book, query: str = "") -> dict[str, object]:
    response = book.client.get("/api/v1/drills/calendar.ics" + query)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_parses_back_with_one_event_per_drill(book):
    plan = book.approve_plan(title="防汛应急预案")
    drill = book.schedule(plan, title="城区防汛桌面演练", location="区应急指挥中心")
    [(uid, event)] = events(book).items()
    assert drill["id"] in uid
    assert str(event["SUMMARY"]) == "城区防汛桌面演练" and str(event["LOCATION"]) == "区应急指挥中心"
    assert event.decoded("DTSTART") == dt.datetime.fromisoformat(drill["scheduled_start"])
    assert "防汛应急预案" in str(event["DESCRIPTION"])


def test_a_rescheduled_drill_keeps_its_uid_and_raises_its_sequence(book):
    plan = book.approve_plan()
    drill = book.schedule(plan)
    [(uid, before)] = events(book).items()
    book.patch(f"/drills/{drill['id']}", {"scheduled_start": at(9), "scheduled_end": at(9, 11)})
    [(uid_after, after)] = events(book).items()
    assert uid_after == uid and int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1


def test_a_cancelled_drill_stays_marked_cancelled_and_plans_filter(book):
    plan, other = book.approve_plan(), book.approve_plan()
    drill = book.schedule(plan)
    book.schedule(other)
    book.post(f"/drills/{drill['id']}/cancel", expect=200)
    mine = events(book, f"?plan_id={plan}")
    assert [str(e["STATUS"]) for e in mine.values()] == ["CANCELLED"]
    assert len(events(book)) == 2 and len(events(book, "?include_cancelled=false")) == 1
