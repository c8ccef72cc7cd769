"""The legal cycles as pure date rules: drill every 12 or 6 months, evaluate every 3 years, file in 20 working days."""
from __future__ import annotations

import datetime as dt

import pytest

from services.plans.domain import cycles
from services.plans.domain.workdays import WorkCalendar, parse_dates

D = dt.date


@pytest.mark.parametrize("start, months, expected", [
    (D(2026, 1, 15), 12, D(2027, 1, 15)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),   # February has no 31st: its last day
    (D(2027, 8, 31), 6, D(2028, 2, 29)),   # a leap year's last day of February
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 12, 1), 1, D(2027, 1, 1)),
])
def test_months_are_added_by_the_calendar(start, months, expected):
    assert cycles.add_months(start, months) == expected


def test_a_comprehensive_or_special_plan_is_drilled_within_12_months_of_approval():
    for plan_type in ("comprehensive", "special"):
        assert cycles.next_drill_due(plan_type, approved_on=D(2026, 3, 1), last_drilled_on=None) == D(2027, 3, 1)


def test_an_onsite_plan_is_drilled_within_6_months():
    assert cycles.next_drill_due("onsite", approved_on=D(2026, 3, 1), last_drilled_on=None) == D(2026, 9, 1)


def test_the_drill_clock_restarts_at_the_last_completed_drill():
    assert cycles.next_drill_due("onsite", approved_on=D(2026, 3, 1), last_drilled_on=D(2026, 5, 20)) == D(2026, 11, 20)


def test_a_plan_is_evaluated_within_three_years_of_approval():
    assert cycles.evaluation_due(D(2024, 2, 29)) == D(2027, 2, 28)


def test_filing_within_20_working_days_skips_weekends():
    # Friday 2026-01-02: 20 working days are four full weeks, ending on a Friday.
    assert cycles.filing_due(D(2026, 1, 2), WorkCalendar()) == D(2026, 1, 30)
    # Approved on a Saturday: the count starts on Monday.
    assert cycles.filing_due(D(2026, 1, 3), WorkCalendar()) == D(2026, 1, 30)


def test_holidays_push_the_filing_date_and_make_up_days_pull_it_back():
    holidays = parse_dates("2026-01-05, 2026-01-06")
    assert cycles.filing_due(D(2026, 1, 2), WorkCalendar(holidays=holidays)) == D(2026, 2, 3)
    both = WorkCalendar(holidays=holidays, extra_workdays=parse_dates("2026-01-10"))
    assert cycles.filing_due(D(2026, 1, 2), both) == D(2026, 2, 2)


def test_a_malformed_holiday_list_fails_loudly():
    with pytest.raises(ValueError):
        parse_dates("2026-13-01")


def dues(drill, evaluation=D(2030, 1, 1), filing=D(2030, 1, 1), filed=False):
    return cycles.Dues(next_drill=drill, evaluation=evaluation, filing=filing, filed=filed)


def test_compliance_is_overdue_only_after_the_due_date():
    today = D(2026, 6, 1)
    assert cycles.compliance(dues(D(2026, 6, 1)), today=today) == "due_soon"
    assert cycles.compliance(dues(D(2026, 5, 31)), today=today) == "overdue"
    assert cycles.compliance(dues(D(2026, 7, 1)), today=today) == "due_soon"
    assert cycles.compliance(dues(D(2026, 7, 2)), today=today) == "ok"


def test_an_evaluation_falling_due_counts_like_a_drill():
    today = D(2026, 6, 1)
    assert cycles.compliance(dues(D(2027, 1, 1), evaluation=D(2026, 5, 31)), today=today) == "overdue"
    assert cycles.compliance(dues(D(2027, 1, 1), evaluation=D(2026, 6, 20)), today=today) == "due_soon"


def test_a_late_filing_is_filing_overdue_not_compliance_and_a_filed_plan_owes_none():
    today = D(2026, 6, 1)
    late_filing = dues(D(2027, 1, 1), filing=D(2026, 5, 1))
    assert (cycles.compliance(late_filing, today=today), cycles.filing_overdue(late_filing, today=today)) == (
        "ok", True)
    assert cycles.filing_overdue(dues(D(2027, 1, 1), filing=D(2026, 6, 1)), today=today) is False  # due today
    assert cycles.filing_overdue(dues(D(2027, 1, 1), filing=D(2026, 5, 1), filed=True), today=today) is False


def test_a_plan_not_in_force_owes_nothing():
    nothing = cycles.Dues(None, None, None, filed=False)
    assert cycles.compliance(nothing, today=D(2026, 1, 1)) == "ok"
    assert cycles.filing_overdue(nothing, today=D(2026, 1, 1)) is False


def test_the_holiday_calendar_is_read_from_the_environment():
    from services.plans.config import work_calendar

    calendar = work_calendar({"ERDM_PLANS_HOLIDAYS": "2026-10-01,2026-10-02", "ERDM_PLANS_EXTRA_WORKDAYS": "2026-10-10"})
    assert not calendar.is_working_day(D(2026, 10, 1)) and calendar.is_working_day(D(2026, 10, 10))
    assert work_calendar({}) == WorkCalendar()
