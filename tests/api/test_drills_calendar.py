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


def test_the_feed_keeps_the_newest_drills_when_it_reaches_its_cap(book, monkeypatch):
    from services.drills.service import calendar

    monkeypatch.setattr(calendar, "MAX_ENTRIES", 2)
    plan = book.approve_plan()
    book.schedule(plan, scheduled_start=at(3), scheduled_end=at(3, 12))
    middle = book.schedule(plan, scheduled_start=at(5), scheduled_end=at(5, 12))
    newest = book.schedule(plan, scheduled_start=at(60), scheduled_end=at(60, 12))
    feed = events(book)
    assert set(feed) == {f"drill-{middle['id']}@drills.erdm", f"drill-{newest['id']}@drills.erdm"}
    starts = [e.decoded("DTSTART") for e in feed.values()]
    assert starts == sorted(starts)


def test_drills_that_ended_over_a_year_ago_show_only_when_asked_for(book):
    plan = book.approve_plan()
    old = book.schedule(plan, scheduled_start=at(-400), scheduled_end=at(-400, 12))
    recent = book.schedule(plan, scheduled_start=at(-30), scheduled_end=at(-30, 12))
    assert [uid for uid in events(book)] == [f"drill-{recent['id']}@drills.erdm"]
    assert len(events(book, f"?from={at(-500)[:10]}")) == 2 and old["id"] in "".join(events(book, "?from=2000-01-01"))


@pytest.mark.parametrize("query", ["?from=0001-01-01", "?from=9999-12-31T23:00:00-05:00", "?from=2030-05-01T09:00"])
def test_a_from_out_of_range_or_without_offset_is_422(book, query):
    response = book.client.get("/api/v1/drills/calendar.ics" + query)
    assert response.status_code == 422 and "from" in response.get_json()["errors"]
