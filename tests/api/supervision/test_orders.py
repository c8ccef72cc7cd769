"""An inspector orders a mine to rectify what was found; the mine's head or deputy in charge signs for it, the mine
reports it fixed, the inspector reviews until it closes (销号); overdue is computed on the day."""
from __future__ import annotations

import re

import pytest

from inspections import FOLLOW_UPS, ORDERS, Desk, day, events, on_day, pin_clock
from supervised import ORG_IDS


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


@pytest.fixture
def mine(desk):
    """MINE-1's own people, who answer its orders."""
    return Desk(desk("MINE-1", role="logistics", scope="own"))


def test_a_major_hazard_ordered_stopped_signed_by_the_deputy_fixed_twice_closed_and_still_held_three_months_on(
        inspector, mine, supervision_db, monkeypatch):
    hazard = inspector.hazard("MINE-1", level="major")
    order = inspector.order(hazard, suspend_production=True, due_date=day(14))
    assert (order["status"], order["suspend_production"], order["due_date"]) == ("issued", True, day(14))

    signed = mine.acknowledge(order, signed_by="赵安全", position="deputy")
    assert (signed["status"], signed["signed_by"], signed["signed_position"]) == ("acknowledged", "赵安全", "deputy")
    assert signed["acknowledged_at"] == "2026-12-02T01:30:00+00:00"

    on_day(monkeypatch, 10)
    reported = mine.report(order, completed_at=day(9))
    assert (reported["status"], reported["completed_at"]) == ("reported", "2026-12-10T16:00:00+00:00")

    failed = inspector.review(order, "failed", note="锚杆间距不合格", new_due_date=day(24))
    assert (failed["status"], failed["due_date"], failed["closed_at"]) == ("acknowledged", day(24), None)

    on_day(monkeypatch, 20)
    mine.report(order, measures="按 0.8 米间距重新补打锚杆", completed_at=day(19))
    closed = inspector.review(order, "passed", note="复查合格，予以销号")
    assert (closed["status"], closed["closed_by"], closed["overdue"]) == ("closed", "江北复查员", False)
    assert closed["closed_at"] == "2026-12-22T01:30:00+00:00"
    assert [(r["result"], r["previous_due_date"], r["new_due_date"]) for r in closed["reviews"]] == \
        [("failed", day(14), day(24)), ("passed", day(24), None)]

    look_back = inspector.look_back(order, due_date=day(110))
    on_day(monkeypatch, 110)
    held = inspector.result(look_back, "held", note="三个月后复查，整改效果保持")
    assert (held["status"], held["checker"], held["checked_at"]) == ("held", "回头看组", "2027-03-22T01:30:00+00:00")
    assert [line["new_order_id"] for line in held["orders"]] == [None]
    assert inspector.order_of(order)["status"] == "closed"
    assert mine.listed(ORDERS) == [order["id"]], "a look-back that held opens nothing"

    assert [e["order_id"] for e in events(supervision_db, "rectification.issued")] == [order["id"]]
    [acknowledged] = events(supervision_db, "rectification.acknowledged")
    assert (acknowledged["signed_by"], acknowledged["position"], acknowledged["org_id"]) == \
        ("赵安全", "deputy", str(ORG_IDS["MINE-1"]))
    [closed_event] = events(supervision_db, "rectification.closed")
    assert (closed_event["code"], closed_event["reviewer"]) == (order["code"], "江北复查员")


def test_an_order_answers_its_code_hazards_and_organisation_and_is_found_where_its_location_says(
        inspector, supervision_db):
    roof = inspector.hazard(title="顶板离层", found_at=day(-2))
    belt = inspector.hazard(title="皮带机无防护罩", level="general", found_at=day(-1))
    response = inspector.client.post("/api/v1" + ORDERS, json={
        "org_code": "MINE-1", "hazard_ids": [belt["id"], roof["id"]], "requirements": "限期整改",
        "due_date": day(7), "issued_by": "江北检查员"})
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert re.fullmatch(r"ZG-20261202-[0-9A-F]{6}", order["code"])
    assert order["hazards"] == [{"id": roof["id"], "title": "顶板离层", "level": "major"},
                                {"id": belt["id"], "title": "皮带机无防护罩", "level": "general"}]
    assert sorted(order["hazard_ids"]) == sorted([roof["id"], belt["id"]])
    assert order["org"] == {"id": str(ORG_IDS["MINE-1"]), "code": "MINE-1", "name": "MINE-1 单位"}
    assert order["created_by"] == {"id": "user-JB-inspector", "name": "JB inspector"}
    assert (order["suspend_production"], order["overdue"], order["days_overdue"], order["reviews"]) == \
        (False, False, 0, [])
    assert all(order[field] is None for field in ("signed_by", "signed_position", "acknowledged_at", "measures",
                                                  "completed_at", "reported_at", "closed_at", "closed_by",
                                                  "relapse_of_id"))
    assert inspector.get(response.headers["Location"].removeprefix("/api/v1")) == order
    [issued] = events(supervision_db, "rectification.issued")
    assert (issued["code"], issued["due_date"], issued["suspend_production"], sorted(issued["hazard_ids"])) == \
        (order["code"], day(7), False, sorted([roof["id"], belt["id"]]))


def test_an_order_naming_no_enterprise_goes_to_its_hazards_own(inspector):
    order = inspector.order(inspector.hazard("CHEM-1"))
    assert order["org"]["code"] == "CHEM-1"


def test_the_head_signs_as_principal(inspector, mine):
    order = inspector.order(inspector.hazard())
    signed = mine.acknowledge(order, signed_by="王矿长", position="principal")
    assert (signed["signed_by"], signed["signed_position"]) == ("王矿长", "principal")


def test_a_retried_issue_with_the_same_idempotency_key_issues_one_order(inspector, supervision_db):
    hazard = inspector.hazard()
    body = {"hazard_ids": [hazard["id"]], "requirements": "限期整改", "due_date": day(7), "issued_by": "江北检查员"}
    first = inspector.post(ORDERS, body, headers={"Idempotency-Key": "zg-mine-1-roof"})
    again = inspector.post(ORDERS, body, headers={"Idempotency-Key": "zg-mine-1-roof"})
    assert again == first
    assert inspector.listed(ORDERS) == [first["id"]]
    assert len(events(supervision_db, "rectification.issued")) == 1


def test_an_order_is_overdue_the_day_after_its_due_date_until_it_closes(inspector, mine, monkeypatch):
    order = inspector.order(inspector.hazard(), due_date=day(3))
    on_day(monkeypatch, 3)
    assert (mine.order_of(order)["overdue"], mine.order_of(order)["days_overdue"]) == (False, 0)
    assert inspector.listed(ORDERS, overdue="true") == []
    assert inspector.listed(ORDERS, overdue="false") == [order["id"]]

    on_day(monkeypatch, 5)
    late = mine.order_of(order)
    assert (late["status"], late["overdue"], late["days_overdue"]) == ("issued", True, 2)
    assert inspector.listed(ORDERS, overdue="true") == [order["id"]]
    assert inspector.listed(ORDERS, overdue="false") == []

    mine.acknowledge(order)
    reported = mine.report(order, completed_at=day(4))
    assert (reported["overdue"], reported["days_overdue"]) == (True, 2), "awaiting review is not yet closed"
    closed = inspector.review(order, "passed")
    assert (closed["overdue"], closed["days_overdue"]) == (False, 0)
    assert inspector.listed(ORDERS, overdue="true") == []


def test_a_failed_review_gives_an_overdue_order_a_new_due_date(inspector, mine, monkeypatch):
    order = inspector.order(inspector.hazard(), due_date=day(3))
    mine.acknowledge(order)
    on_day(monkeypatch, 6)
    mine.report(order, completed_at=day(5))
    back = inspector.review(order, "failed", new_due_date=day(10))
    assert (back["status"], back["overdue"], back["days_overdue"]) == ("acknowledged", False, 0)
    on_day(monkeypatch, 12)
    assert mine.order_of(order)["days_overdue"] == 2


def test_orders_are_listed_latest_first_and_filtered_by_status_enterprise_and_hazard(
        inspector, mine, monkeypatch):
    roof, belt = inspector.hazard(), inspector.hazard(title="皮带机无防护罩")
    first = inspector.order(roof)
    on_day(monkeypatch, 1)
    second = inspector.order(belt)
    on_day(monkeypatch, 2)
    at_chem = inspector.order(inspector.hazard("CHEM-1"))
    mine.acknowledge(first)
    assert inspector.listed(ORDERS) == [at_chem["id"], second["id"], first["id"]]
    assert inspector.listed(ORDERS, status="acknowledged") == [first["id"]]
    assert inspector.listed(ORDERS, status="issued", org_id=str(ORG_IDS["MINE-1"])) == [second["id"]]
    assert inspector.listed(ORDERS, hazard_id=belt["id"]) == [second["id"]]
    assert "status" in inspector.get(ORDERS, 422, status="closing")["errors"]


def test_each_caller_sees_the_orders_in_its_scope_only(desk):
    city = Desk(desk("ROOT"))
    at_mine_1 = city.order(city.hazard("MINE-1"))
    at_mine_2 = city.order(city.hazard("MINE-2"))
    assert set(city.listed(ORDERS)) == {at_mine_1["id"], at_mine_2["id"]}
    assert Desk(desk("JB")).listed(ORDERS) == [at_mine_1["id"]]
    south = Desk(desk("NS"))
    assert south.listed(ORDERS) == [at_mine_2["id"]]
    south.order_of(at_mine_1, expect=404)
    mine_2 = Desk(desk("MINE-2", role="logistics", scope="own"))
    assert mine_2.listed(ORDERS) == [at_mine_2["id"]]
    mine_2.order_of(at_mine_1, expect=404)
    assert mine_2.listed(FOLLOW_UPS) == []
