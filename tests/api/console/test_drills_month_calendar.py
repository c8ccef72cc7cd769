"""The drill calendar: a month of days from Monday, each drill on its day with its time, title and status."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from console import testing
from console.drills.month import Month, days_of
from tests.api.console import drills_records as records


def _calendar_answers(gateway, drills):
    gateway.on("GET", "/drills", testing.page_of(drills))
    gateway.on("GET", "/plans", records.plans_by_status)
    gateway.on("GET", "/calendar-feeds", testing.page_of([]))


def test_a_month_starts_on_monday_and_holds_whole_weeks():
    weeks = Month(2026, 12).weeks()
    assert weeks[0][0] == dt.date(2026, 11, 30) and weeks[0][0].weekday() == 0
    assert weeks[-1][-1] == dt.date(2027, 1, 3)
    assert all(len(week) == 7 for week in weeks) and len(weeks) == 5


def test_a_month_that_is_not_one_falls_back_to_the_default():
    assert str(Month.parse("2026-13", default=dt.date(2026, 12, 2))) == "2026-12"
    assert str(Month.parse("2027-01", default=dt.date(2026, 12, 2))) == "2027-01"
    assert str(Month(2026, 1).previous) == "2025-12" and str(Month(2026, 12).next) == "2027-01"


def test_a_drill_over_midnight_is_drawn_on_both_days_and_one_ending_at_midnight_on_one():
    zone = ZoneInfo("Asia/Shanghai")
    night = days_of(dt.datetime(2026, 12, 15, 22, tzinfo=zone), dt.datetime(2026, 12, 16, 2, tzinfo=zone))
    assert night == [dt.date(2026, 12, 15), dt.date(2026, 12, 16)]
    whole_day = days_of(dt.datetime(2026, 12, 15, tzinfo=zone), dt.datetime(2026, 12, 16, tzinfo=zone))
    assert whole_day == [dt.date(2026, 12, 15)]


def test_the_calendar_shows_each_drill_on_its_local_day_with_time_title_and_status(console, gateway):
    _calendar_answers(gateway, [records.drill(), records.drill(
        id="734f79b3-1b3f-46ed-91d8-c7b095259540", title="夜间照明保障演练", status="resource_shortfall",
        scheduled_start="2026-12-15T11:00:00+00:00", scheduled_end="2026-12-15T13:00:00+00:00")])
    answer = console.get("/drills/?month=2026-12")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    text = records.page_text(answer)
    assert "2026年12月" in text
    # 01:00 UTC is 09:00 in Asia/Shanghai, on the 10th; 11:00 UTC is 19:00 on the 15th.
    assert "09:00" in text and "2026年防汛实战演练" in text and "就绪" in text
    assert "19:00" in text and "夜间照明保障演练" in text and "物资不足" in text
    assert f'href="/drills/{records.DRILL_ID}"' in html
    assert records.DRILL_ID not in text and records.PLAN_ID not in text
    asked = [r for r in gateway.requests if r.url.path == "/api/v1/drills"][0]
    assert asked.url.params["from"] == "2026-11-30" and asked.url.params["to"] == "2027-01-03"


def test_the_calendar_links_the_neighbouring_months_and_marks_today(console, gateway):
    _calendar_answers(gateway, [])
    html = console.get("/drills/?month=2026-01").get_data(as_text=True)
    assert "month=2025-12" in html and "month=2026-02" in html
    this_month = console.get("/drills/").get_data(as_text=True)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    assert 'aria-current="date"' in this_month and f"{today.year}年{today.month}月" in this_month
    assert 'aria-current="date"' not in console.get(f"/drills/?month={today.year - 1}-01").get_data(as_text=True)


def test_the_calendar_shows_the_drills_of_one_plan_when_asked(console, gateway):
    _calendar_answers(gateway, [])
    console.get(f"/drills/?month=2026-12&plan_id={records.PLAN_ID}")
    asked = [r for r in gateway.requests if r.url.path == "/api/v1/drills"][-1]
    assert asked.url.params["plan_id"] == records.PLAN_ID
