"""A plan owner subscribes to the drill calendar: it parses back, and each drill keeps one UID across changes."""
from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tests.flows.drillbook import at


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
    from services.drills.use_cases import calendar

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


def both_parsers(book) -> tuple[dict, dict]:
    """The feed as icalendar reads it and as vobject (a second, independent parser) reads it: uid -> event."""
    import vobject

    body = book.client.get("/api/v1/drills/calendar.ics").get_data(as_text=True)
    second = {event.uid.value: event for event in vobject.readOne(body).vevent_list}
    return events(book), second


def sequences(book, drill_id: str) -> tuple[int, int]:
    first, second = both_parsers(book)
    uid = f"drill-{drill_id}@drills.erdm"
    return int(first[uid]["SEQUENCE"]), int(second[uid].sequence.value)


def test_sequence_rises_across_schedule_start_and_complete_in_both_parsers(book):
    drill = book.ready_drill(book.approve_plan())
    seen = [sequences(book, drill["id"])]
    book.post(f"/drills/{drill['id']}/start", expect=200)
    seen.append(sequences(book, drill["id"]))
    book.post(f"/drills/{drill['id']}/complete", {"consumed": [], "participants_count": 12, "summary": "完成"},
              expect=200)
    seen.append(sequences(book, drill["id"]))
    assert all(first == second for first, second in seen), seen
    assert seen[0][0] < seen[1][0] < seen[2][0], seen


def test_sequence_rises_when_a_drill_is_cancelled_in_both_parsers(book):
    drill = book.schedule(book.approve_plan(), resources=[{"item_id": "9a4c5a9e-3c6b-4a59-9d8b-2f0f2d0d1a11",
                                                            "quantity": 2}])
    before = sequences(book, drill["id"])
    book.post(f"/drills/{drill['id']}/cancel", {"reason": "台风"}, expect=200)
    after = sequences(book, drill["id"])
    first, second = both_parsers(book)
    uid = f"drill-{drill['id']}@drills.erdm"
    assert after[0] > before[0] and after[1] > before[1]
    assert str(first[uid]["STATUS"]) == second[uid].status.value == "CANCELLED"


def test_a_drill_started_and_completed_within_a_second_ends_after_it_starts(book):
    drill = book.ready_drill(book.approve_plan())
    moment = at(-1, 8)  # both ends given, the same instant
    book.post(f"/drills/{drill['id']}/start", {"actual_start": moment}, expect=200)
    book.post(f"/drills/{drill['id']}/complete", {"consumed": [], "participants_count": 5, "summary": "即开即止",
                                                  "actual_start": moment, "actual_end": moment}, expect=200)
    first, second = both_parsers(book)
    uid = f"drill-{drill['id']}@drills.erdm"
    assert first[uid].decoded("DTEND") > first[uid].decoded("DTSTART")
    assert second[uid].dtend.value > second[uid].dtstart.value
