"""Readiness: what a plan requires against what the depots hold, as the resources service announced it."""
from __future__ import annotations

import uuid

import pytest

TENTS, WATER = str(uuid.uuid4()), str(uuid.uuid4())
NORTH, SOUTH = str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def stock(plan_events):
    """Announce a depot's position of an item, as the resources service's `stock.changed` does."""

    def changed(warehouse_id, item_id, available, version, **extra):
        return plan_events("stock.changed", source="resources", warehouse_id=warehouse_id, item_id=item_id,
                           on_hand=available, reserved=0, unusable=0, available=available, min_quantity=0,
                           version=version, **extra)

    return changed


@pytest.fixture
def plan(plan_desk):
    plan = plan_desk.create(title="城市内涝专项应急预案")
    plan_desk.call("put", f"/{plan['id']}/requirements",
                   json={"lines": [{"item_id": TENTS, "quantity": 50}, {"item_id": WATER, "quantity": 12.5}]})
    plan_desk.step(plan, "submit")
    return plan_desk.step(plan, "approve", approved_by="王局长")


def readiness(plan_desk, plan):
    return plan_desk.call("get", f"/{plan['id']}/readiness")


def test_a_plan_with_nothing_in_stock_is_not_ready(plan_desk, plan):
    answer = readiness(plan_desk, plan)
    assert answer["ready"] is False
    # Items the plans service has not heard of from the catalog yet are answered by id, with null names.
    unknown = {"code": None, "name": None, "unit": None}
    assert answer["lines"] == [{"item_id": TENTS, "item": {"id": TENTS, **unknown}, "required": 50, "available": 0,
                                "shortfall": 50},
                               {"item_id": WATER, "item": {"id": WATER, **unknown}, "required": 12.5, "available": 0,
                                "shortfall": 12.5}]


def test_stock_in_several_depots_adds_up_and_makes_the_plan_ready(plan_desk, plan, stock):
    stock(NORTH, TENTS, 30, version=1)
    stock(NORTH, WATER, 12.5, version=4)
    line = readiness(plan_desk, plan)["lines"][0]
    assert {name: line[name] for name in ("item_id", "required", "available", "shortfall")} == \
        {"item_id": TENTS, "required": 50, "available": 30, "shortfall": 20}
    stock(SOUTH, TENTS, 25, version=2)
    answer = readiness(plan_desk, plan)
    assert answer["ready"] is True
    assert [(line["available"], line["shortfall"]) for line in answer["lines"]] == [(55, 0), (12.5, 0)]


def test_a_duplicate_and_an_older_event_delivered_late_change_nothing(plan_desk, plan, stock):
    stock(NORTH, TENTS, 40, version=7)
    stock(NORTH, TENTS, 60, version=9)
    stock(NORTH, TENTS, 60, version=9)  # the same position again, under a new event id
    assert readiness(plan_desk, plan)["lines"][0]["available"] == 60
    stock(NORTH, TENTS, 5, version=8)   # an older position arriving after the newer one
    assert readiness(plan_desk, plan)["lines"][0]["available"] == 60


def test_a_redelivered_event_is_applied_once(plan_desk, plan, plan_events):
    data = {"warehouse_id": NORTH, "item_id": WATER, "on_hand": 20, "reserved": 0, "available": 20, "version": 3}
    first = plan_events("stock.changed", source="resources", **data)
    plan_events("stock.changed", source="resources", event=first)
    assert readiness(plan_desk, plan)["lines"][1]["available"] == 20


def test_a_position_going_down_is_taken_as_announced(plan_desk, plan, stock):
    stock(NORTH, TENTS, 60, version=1)
    stock(NORTH, TENTS, 10, version=2)  # an issue: the balance carried, not a decrement
    assert readiness(plan_desk, plan)["lines"][0]["shortfall"] == 40


def test_a_plan_requiring_nothing_is_ready(plan_desk):
    plan = plan_desk.create()
    assert readiness(plan_desk, plan) == {"plan_id": plan["id"], "ready": True, "lines": []}


def test_every_approved_plan_is_listed_with_its_readiness_by_the_same_rule(plan_desk, plan, stock):
    stock(NORTH, TENTS, 30, version=1, item={"id": TENTS, "code": "ZP-01", "name": "帐篷", "unit": "顶",
                                             "updated_at": "2026-01-01T00:00:00+00:00"})
    plan_desk.create(code="YA-draft")  # not approved: not listed
    covered = plan_desk.approved(code="YA-0", type="onsite")
    listed = plan_desk.call("get", "/readiness")
    assert (listed["total"], listed["page"], listed["per_page"]) == (2, 1, 50)
    first, second = listed["items"]
    assert (first["plan_id"], first["code"], first["type"], first["ready"], first["lines"]) == \
        (covered["id"], "YA-0", "onsite", True, [])
    assert {key: second[key] for key in ("plan_id", "ready", "lines")} == readiness(plan_desk, plan)
    assert second["lines"][0]["item"] == {"id": TENTS, "code": "ZP-01", "name": "帐篷", "unit": "顶"}
    assert (second["code"], second["title"], second["next_drill_due"], second["compliance"],
            second["needs_revision"]) == (plan["code"], plan["title"], plan["next_drill_due"], "ok", False)
    assert [row["plan_id"] for row in plan_desk.call("get", "/readiness?page=2&per_page=1")["items"]] == [plan["id"]]


def test_the_list_is_documented_and_does_not_shadow_a_plan(plan_desk):
    paths = plan_desk.client.get("/openapi.json").get_json()["paths"]
    assert "/api/v1/plans/readiness" in paths and "/api/v1/plans/{plan_id}" in paths
    assert plan_desk.call("get", "/readiness")["items"] == []
    plan_desk.call("get", f"/{uuid.uuid4()}", 404)
