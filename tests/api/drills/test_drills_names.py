"""People read names, not ids (issue 11 item 12) in the drills service: a plan taken by its code, items by
theirs (from the catalog copy kept from resources' events), plans and items named in answers, actors by name."""
from __future__ import annotations

import uuid

import pytest

from servicekit.signing import Actor
from servicekit.testing import signed_client
from tests.flows.drillbook import DrillBook

PLANNER = Actor(id="9a1f-key-of-li", name="演练科李娜", role="planner")
TENTS = str(uuid.uuid4())
TENTS_NAMED = {"id": TENTS, "code": "ZP-01", "name": "救灾帐篷", "unit": "顶"}


@pytest.fixture
def book(drills_app, drills_db):  # not the shared admin's book: answers must name this planner
    return DrillBook(signed_client(drills_app, actor=PLANNER), drills_db)


@pytest.fixture
def plan(book):  # not drills/conftest.py's: the plan needs a code and title to be named by
    return book.approve_plan(code="YA-FLOOD", title="城市防汛专项应急预案")


@pytest.fixture
def tents_known(book):
    """The resources service announced the item (item.changed), so the drills service can name it."""
    book.deliver("item.changed", {"item_id": TENTS, "item": {**TENTS_NAMED, "updated_at": "2026-12-01T08:00:00Z"},
                                  "kind": "consumable", "category_code": "ZP"})


def test_a_drill_is_scheduled_by_plan_code_and_item_codes_and_answers_names(book, plan, tents_known):
    body = {**book.drill_body(plan), "resources": [{"item_code": "ZP-01", "quantity": 12}]}
    del body["plan_id"]
    drill = book.post("/drills", {**body, "plan_code": "YA-FLOOD"})
    assert drill["plan_id"] == plan
    assert drill["plan"] == {"id": plan, "code": "YA-FLOOD", "name": "城市防汛专项应急预案"}
    assert drill["resources"] == [{"item_id": TENTS, "item": TENTS_NAMED, "quantity": 12}]
    assert drill["created_by"] == {"id": PLANNER.id, "name": PLANNER.name}
    assert book.last_schedule(drill["id"])["data"]["resources"] == [{"item_id": TENTS, "quantity": 12,
                                                                      "warehouse_id": None}]
    assert [d["id"] for d in book.get("/drills?plan_code=YA-FLOOD")["items"]] == [drill["id"]]


def test_codes_that_disagree_or_are_unknown_are_422_naming_the_field(book, plan, tents_known):
    other = book.approve_plan(code="YA-FIRE")
    both = book.post("/drills", {**book.drill_body(plan), "plan_code": "YA-FIRE"}, expect=422)
    assert {"plan_id", "plan_code"} <= set(both["errors"]) and other
    unknown = book.post("/drills", {**book.drill_body(None), "plan_id": None, "plan_code": "YA-NONE"}, expect=422)
    assert "plan_code" in unknown["errors"]
    not_heard = book.post("/drills", book.drill_body(plan, resources=[{"item_code": "SW-09", "quantity": 1}]),
                          expect=422)
    assert "item_code" in not_heard["errors"]["resources"]["0"]


def test_changing_a_drill_takes_codes_too(book, plan, tents_known):
    drill = book.schedule(plan)
    changed = book.patch(f"/drills/{drill['id']}", {"resources": [{"item_code": "ZP-01", "quantity": 2}]})
    assert changed["resources"][0]["item"] == TENTS_NAMED and changed["status"] == "pending_resources"


def test_a_shortfall_names_the_items_the_resources_service_named(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": TENTS, "quantity": 30}])
    book.reject(drill, [{"item_id": TENTS, "item": TENTS_NAMED, "requested": 30, "available": 4}])
    short = book.get(f"/drills/{drill['id']}")
    assert short["shortfall"] == [{"item_id": TENTS, "item": TENTS_NAMED, "requested": 30, "available": 4}]
    # The rejection taught the drills service the item: its lines are named now, and its code is taken.
    assert short["resources"][0]["item"] == TENTS_NAMED
    assert book.patch(f"/drills/{drill['id']}", {"resources": [{"item_code": "ZP-01", "quantity": 3}]})


def test_evaluations_findings_and_actions_name_who_and_which_plan(book, plan):
    done = book.completed_drill(plan)
    evaluation = book.post(f"/drills/{done['id']}/evaluation", {
        "scores": {"plan_suitability": 4, "preparation": 4, "command_coordination": 3, "response_actions": 4,
                   "equipment_materials": 5}, "rating": "good", "evaluator": "专家组"})
    me = {"id": PLANNER.id, "name": PLANNER.name}
    assert evaluation["recorded_by"] == me
    finding = book.post(f"/drills/{done['id']}/findings", {
        "description": "通讯中断", "severity": "high",
        "corrective_action": {"owner": "区应急管理局", "due_date": "2027-01-31", "description": "配备卫星电话"}})
    named_plan = {"id": plan, "code": "YA-FLOOD", "name": "城市防汛专项应急预案"}
    assert finding["recorded_by"] == me and finding["plan"] == named_plan
    [action] = book.get("/corrective-actions?plan_code=YA-FLOOD")["items"]
    assert action["plan"] == named_plan


def test_consuming_more_than_was_reserved_names_the_item(book, plan, tents_known):
    drill = book.ready_drill(plan, resources=[{"item_code": "ZP-01", "quantity": 2}])
    book.post(f"/drills/{drill['id']}/start", expect=200)
    refused = book.post(f"/drills/{drill['id']}/complete", {"consumed": [{"item_code": "ZP-01", "quantity": 5}],
                                                            "participants_count": 9, "summary": "x"}, expect=409)
    assert refused["excess"][0]["item"] == TENTS_NAMED and "ZP-01" in refused["detail"]
