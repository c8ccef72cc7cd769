"""People write moments as dates: `2026-12-01` is that day's start in ERDM_TIMEZONE, in every service."""
from __future__ import annotations

import dataclasses
import datetime as dt

from servicekit.testing import signed_client
from stockroom import assert_problem, local_today
from tests.flows.drillbook import DrillBook


def start_of(day: dt.date, hours_east: int = 8) -> str:
    """The UTC instant, as the API answers it, at which `day` begins in a zone `hours_east` of UTC."""
    moment = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone(dt.timedelta(hours=hours_east)))
    return moment.astimezone(dt.timezone.utc).isoformat()


def test_a_plan_is_approved_and_filed_on_plain_dates(plan_desk):
    approved_on = local_today() - dt.timedelta(days=40)
    plan = plan_desk.create()
    plan_desk.step(plan, "submit")
    approved = plan_desk.step(plan, "approve", approved_by="王局长", approved_at=approved_on.isoformat())
    assert approved["approved_at"] == start_of(approved_on)
    filed_on = approved_on + dt.timedelta(days=3)
    filing = plan_desk.call("post", f"/{plan['id']}/filings", 201, json={
        "authority": "市应急管理局", "filed_at": filed_on.isoformat(), "reference_no": "备-2026-001"})
    assert filing["filed_at"] == start_of(filed_on)


def test_a_plain_date_is_still_checked(plan_desk):
    plan = plan_desk.create()
    plan_desk.step(plan, "submit")
    for bad in ("2026-13-01", "1800-01-01"):
        answer = plan_desk.client.post(f"/api/v1/plans/{plan['id']}/approve",
                                       json={"approved_by": "王局长", "approved_at": bad})
        assert_problem(answer, 422, "approved_at")


def test_an_inspection_and_a_reservation_take_plain_dates(stockroom, depot):
    pumps = stockroom.equipment_item(interval_days=90)
    unit = stockroom.register(depot, pumps, "PUMP-001")
    today = local_today()
    inspection = stockroom.post(f"/equipment/{unit['id']}/inspections",
                                {"result": "pass", "inspected_at": today.isoformat(), "inspector": "李工"})
    assert inspection["next_inspection_due"] == (today + dt.timedelta(days=90)).isoformat()
    held = stockroom.reserve((pumps, 1),
                             expires_at=(today + dt.timedelta(days=7)).isoformat())
    assert held["expires_at"] == start_of(today + dt.timedelta(days=7))


def test_a_drill_is_scheduled_on_plain_dates(book):
    drill = book.schedule(book.approve_plan(), scheduled_start="2030-06-01", scheduled_end="2030-06-02")
    assert (drill["scheduled_start"], drill["scheduled_end"]) == (start_of(dt.date(2030, 6, 1)),
                                                                    start_of(dt.date(2030, 6, 2)))
    listed = book.get("/drills?from=2030-06-01&to=2030-06-01")["items"]
    assert [found["id"] for found in listed] == [drill["id"]]


def test_the_day_starts_in_the_configured_zone(settings, drills_db):
    from services.drills.app import create_app

    # A bureau that reckons its days in UTC: the service reads the zone from its settings (ERDM_TIMEZONE).
    app = create_app(dataclasses.replace(settings, timezone="UTC"), database=drills_db, required_processes=(),
                     plan_lookup=lambda _plan_id: None)
    book = DrillBook(signed_client(app), drills_db)
    drill = book.schedule(book.approve_plan(), scheduled_start="2030-06-01", scheduled_end="2030-06-02")
    assert drill["scheduled_start"] == start_of(dt.date(2030, 6, 1), hours_east=0)
