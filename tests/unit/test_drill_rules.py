"""The drill rules without I/O: the status machines, what may be consumed, scores, the calendar's UIDs."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from icalendar import Calendar

from services.drills.domain import lifecycle
from services.drills.domain.calendar import CalendarEntry, build_calendar, uid_for
from services.drills.domain.evaluation import average_score
from services.drills.domain.lines import merge_lines, over_reserved


@pytest.mark.parametrize("action, status, target", [
    ("start", "ready", "in_progress"), ("complete", "in_progress", "completed"),
    ("cancel", "pending_resources", "cancelled"), ("cancel", "in_progress", "cancelled"),
])
def test_legal_drill_steps(action, status, target):
    assert lifecycle.next_drill_status(action, status) == target


@pytest.mark.parametrize("action, status", [
    ("start", "pending_resources"), ("start", "resource_shortfall"), ("complete", "ready"),
    ("cancel", "completed"), ("cancel", "cancelled"),
])
def test_illegal_drill_steps_are_refused(action, status):
    with pytest.raises(lifecycle.IllegalTransition):
        lifecycle.next_drill_status(action, status)


def test_a_corrective_action_is_verified_only_after_it_is_done():
    with pytest.raises(lifecycle.IllegalTransition):
        lifecycle.next_action_status("verify", "open")
    assert lifecycle.next_action_status("verify", lifecycle.next_action_status("complete", "open")) == "verified"


def test_a_drill_without_resources_is_ready_at_once():
    assert lifecycle.status_after_scheduling([]) == "ready"
    assert lifecycle.status_after_scheduling([{"item_id": "a", "quantity": "1"}]) == "pending_resources"


def test_consumption_is_checked_item_by_item_against_the_hold():
    reserved = [{"item_id": "a", "quantity": "10"}, {"item_id": "b", "quantity": "2.5"}]
    assert over_reserved([{"item_id": "a", "quantity": 10}, {"item_id": "b", "quantity": 2.5}], reserved) == []
    assert over_reserved([{"item_id": "b", "quantity": 2.501}, {"item_id": "c", "quantity": 1}], reserved) == [
        {"item_id": "b", "consumed": Decimal("2.501"), "reserved": Decimal("2.5")},
        {"item_id": "c", "consumed": Decimal("1"), "reserved": Decimal(0)}]
    assert merge_lines([{"item_id": "a", "quantity": 1}, {"item_id": "a", "quantity": "0.5"}]) == {"a": Decimal("1.5")}


def test_the_average_of_the_five_criteria():
    assert average_score({"plan_suitability": 4, "preparation": 5, "command_coordination": 3,
                          "response_actions": 4, "equipment_materials": 3}) == Decimal("3.80")


def test_the_calendar_keeps_one_uid_per_drill_and_marks_cancellations():
    start = dt.datetime(2026, 12, 1, 1, tzinfo=dt.timezone.utc)
    entry = CalendarEntry(drill_id="d-1", title="防汛演练", form="live", scope="single", status="cancelled",
                          start=start, end=start + dt.timedelta(hours=4), location=None, organizer=None,
                          plan_label="YA-1", sequence=2, updated_at=start)
    [event] = Calendar.from_ical(build_calendar([entry])).walk("VEVENT")
    assert str(event["UID"]) == uid_for("d-1") and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2 and str(event["SUMMARY"]) == "防汛演练"


def test_an_event_always_ends_after_it_starts_even_within_one_second():
    from services.drills.domain.calendar import SHORTEST, event_window

    start = dt.datetime(2026, 12, 1, 8, 0, 0, 200_000, tzinfo=dt.timezone.utc)
    assert event_window(start, start + dt.timedelta(milliseconds=500)) == (start.replace(microsecond=0),
                                                                         start.replace(microsecond=0) + SHORTEST)
    assert event_window(start, start + dt.timedelta(hours=2))[1] == (start + dt.timedelta(hours=2)).replace(
        microsecond=0)


def test_a_short_drill_lacks_the_items_named_short_or_else_all_it_needs():
    from services.drills.domain.lines import lacking_items

    needs = [{"item_id": "a", "quantity": "1"}, {"item_id": "b", "quantity": "2"}]
    assert lacking_items([{"item_id": "b", "requested": 2, "available": 0}], needs) == {"b"}
    assert lacking_items([], needs) == lacking_items([{"error": "Unknown item"}], needs) == {"a", "b"}


def test_an_evaluation_stays_correctable_until_every_action_is_verified():
    from services.drills.domain.evaluation import correctable

    assert correctable([])  # no findings yet
    assert correctable(["verified", "done"]) and correctable(["open", None])
    assert not correctable(["verified", "verified"]) and not correctable(["verified", None])
    assert not correctable([None])  # findings that call for no action leave nothing to follow up
