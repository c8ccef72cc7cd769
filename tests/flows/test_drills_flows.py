"""The loop a drill closes, across resources, plans and drills over one bus: reserve, conduct, consume, evaluate, correct, revise."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.flows.drillbook import at, without_names

API = "/api/v1"


def call(client, method: str, path: str, body=None, expect: int = 200):
    response = getattr(client, method)(API + path, **({"json": body} if body is not None else {}))
    assert response.status_code == expect, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def depot(stack):
    resources = stack.client("resources")
    warehouse = call(resources, "post", "/warehouses", {"code": f"W{uuid.uuid4().hex[:6]}", "name": "市应急物资储备库",
                                                        "level": "municipal"}, 201)

    def stocked(name: str, quantity: float, unit: str = "件"):
        item = call(resources, "post", "/items", {"code": f"I{uuid.uuid4().hex[:6]}", "name": name,
                                                 "category_code": "1", "unit": unit, "kind": "material"}, 201)
        expiry = (dt.date.today() + dt.timedelta(days=200)).isoformat()
        call(resources, "post", "/stock/receipts", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                                    "quantity": quantity, "expiry_date": expiry}, 201)
        return item["id"]

    def balance(item_id: str) -> dict:
        [line] = call(resources, "get", f"/stock?item_id={item_id}")["items"]
        return line

    stocked.balance = balance
    return stocked


@pytest.fixture
def plan(stack):
    plans = stack.client("plans")
    created = call(plans, "post", "/plans", {"code": f"YA-{uuid.uuid4().hex[:6]}", "title": "城市防汛专项应急预案",
                                             "type": "special", "owner_org": "市应急管理局", "owner": "王科长"}, 201)
    call(plans, "post", f"/plans/{created['id']}/submit", {})
    call(plans, "post", f"/plans/{created['id']}/approve", {"approved_by": "李局长"})
    return created["id"]


def drill_body(plan_id: str, resources: list) -> dict:
    return {"plan_id": plan_id, "title": "防汛抢险实战演练", "form": "live", "scope": "comprehensive",
            "scheduled_start": at(5), "scheduled_end": at(5, 17), "location": "滨江大堤", "organizer": "市防指",
            "resources": resources}


def drill_status(stack, drill_id: str) -> dict:
    return call(stack.client("drills"), "get", f"/drills/{drill_id}")


def test_a_drill_reserves_stock_turns_ready_consumes_and_releases_and_the_plan_records_it(stack, depot, plan):
    sandbags, pumps = depot("编织袋", 500), depot("排涝泵", 4, unit="台")
    drills = stack.client("drills")
    # Scheduled right after approval: the plan.approved event has not been relayed yet, so the
    # drills service confirms the plan with the plans service.
    drill = call(drills, "post", "/drills", drill_body(plan, [{"item_id": sandbags, "quantity": 300},
                                                              {"item_id": pumps, "quantity": 2}]), 201)
    assert drill["status"] == "pending_resources"
    stack.settle()
    ready = drill_status(stack, drill["id"])
    assert ready["status"] == "ready" and ready["reservation_id"]
    assert (depot.balance(sandbags)["reserved"], depot.balance(sandbags)["available"]) == (300, 200)

    call(drills, "post", f"/drills/{drill['id']}/start", {})
    call(drills, "post", f"/drills/{drill['id']}/complete", {
        "consumed": [{"item_id": sandbags, "quantity": 120}], "participants_count": 85, "summary": "堤段加固完成"})
    stack.settle()
    assert (depot.balance(sandbags)["on_hand"], depot.balance(sandbags)["reserved"]) == (380, 0)
    assert (depot.balance(pumps)["on_hand"], depot.balance(pumps)["available"]) == (4, 4)
    assert drill_status(stack, drill["id"])["reservation_status"] == "consumed"
    recorded = call(stack.client("plans"), "get", f"/plans/{plan}")
    assert recorded["last_drilled_at"] is not None


def test_a_drill_the_stock_cannot_cover_shows_the_shortfall_and_holds_nothing(stack, depot, plan):
    tents = depot("救灾帐篷", 10, unit="顶")
    drill = call(stack.client("drills"), "post", "/drills",
                 drill_body(plan, [{"item_id": tents, "quantity": 25}]), 201)
    stack.settle()
    short = drill_status(stack, drill["id"])
    assert short["status"] == "resource_shortfall"
    assert without_names(short["shortfall"]) == [{"item_id": tents, "requested": 25, "available": 10}]
    assert short["shortfall"][0]["item"]["name"] == "救灾帐篷" and short["shortfall"][0]["item"]["unit"] == "顶"
    assert depot.balance(tents)["reserved"] == 0


def test_a_drill_short_of_stock_turns_ready_when_a_receipt_arrives_with_one_hold(stack, depot, plan):
    from tests.bus.helpers import reservations_for

    tents = depot("救灾帐篷", 10, unit="顶")
    drill = call(stack.client("drills"), "post", "/drills",
                 drill_body(plan, [{"item_id": tents, "quantity": 25}]), 201)
    stack.settle()
    assert drill_status(stack, drill["id"])["status"] == "resource_shortfall"
    warehouse = depot.balance(tents)["warehouse_id"]
    call(stack.client("resources"), "post", "/stock/receipts", {
        "warehouse_id": warehouse, "item_id": tents, "quantity": 20,
        "expiry_date": (dt.date.today() + dt.timedelta(days=300)).isoformat()}, 201)
    stack.settle()
    ready = drill_status(stack, drill["id"])
    assert ready["status"] == "ready" and ready["shortfall"] is None
    held = [r for r in reservations_for(stack.databases["resources"], f"drill:{drill['id']}") if r.status == "held"]
    assert [str(r.id) for r in held] == [ready["reservation_id"]]
    assert (depot.balance(tents)["reserved"], depot.balance(tents)["available"]) == (25, 5)


def test_a_short_drill_asked_again_by_hand_turns_ready_once_stock_is_there(stack, depot, plan):
    ropes = depot("救生绳", 5, unit="根")
    drills = stack.client("drills")
    drill = call(drills, "post", "/drills", drill_body(plan, [{"item_id": ropes, "quantity": 8}]), 201)
    stack.settle()
    assert call(drills, "post", f"/drills/{drill['id']}/retry-reservation", expect=202)["status"] == \
        "pending_resources"
    stack.settle()
    assert drill_status(stack, drill["id"])["status"] == "resource_shortfall"  # still only 5
    assert depot.balance(ropes)["reserved"] == 0


def test_a_cancelled_drill_gives_its_stock_back(stack, depot, plan):
    water = depot("瓶装饮用水", 100, unit="箱")
    drill = call(stack.client("drills"), "post", "/drills", drill_body(plan, [{"item_id": water, "quantity": 60}]),
                 201)
    stack.settle()
    assert depot.balance(water)["reserved"] == 60
    call(stack.client("drills"), "post", f"/drills/{drill['id']}/cancel", {"reason": "台风过境"})
    stack.settle()
    assert depot.balance(water)["reserved"] == 0
    assert drill_status(stack, drill["id"])["reservation_status"] == "released"


def test_a_reschedule_re_reserves_and_the_old_hold_is_released(stack, depot, plan):
    ropes = depot("救生绳", 50, unit="根")
    drills = stack.client("drills")
    drill = call(drills, "post", "/drills", drill_body(plan, [{"item_id": ropes, "quantity": 20}]), 201)
    stack.settle()
    first = drill_status(stack, drill["id"])["reservation_id"]
    call(drills, "patch", f"/drills/{drill['id']}", {"resources": [{"item_id": ropes, "quantity": 30}]})
    stack.settle()
    again = drill_status(stack, drill["id"])
    assert again["status"] == "ready" and again["reservation_id"] != first
    assert depot.balance(ropes)["reserved"] == 30


def test_a_finding_needing_revision_flags_the_plan_and_the_action_is_verified(stack, plan):
    drills = stack.client("drills")
    stack.settle()
    drill = call(drills, "post", "/drills", drill_body(plan, []), 201)
    call(drills, "post", f"/drills/{drill['id']}/start", {})
    call(drills, "post", f"/drills/{drill['id']}/complete", {"consumed": [], "participants_count": 20,
                                                             "summary": "桌面推演"})
    call(drills, "post", f"/drills/{drill['id']}/evaluation", {
        "scores": {"plan_suitability": 2, "preparation": 4, "command_coordination": 3, "response_actions": 3,
                   "equipment_materials": 4}, "rating": "fair", "evaluator": "专家组"}, 201)
    finding = call(drills, "post", f"/drills/{drill['id']}/findings", {
        "description": "预案未明确夜间转移路线", "severity": "high", "requires_plan_revision": True,
        "corrective_action": {"owner": "预案编制组", "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
                              "description": "修订转移路线章节"}}, 201)
    stack.settle()
    assert call(stack.client("plans"), "get", f"/plans/{plan}")["needs_revision"] is True
    action = finding["corrective_action"]["id"]
    call(drills, "post", f"/corrective-actions/{action}/complete", {"note": "已修订"})
    assert call(drills, "post", f"/corrective-actions/{action}/verify", {"verifier": "督查组"})["status"] == "verified"


def test_delivering_every_event_twice_changes_nothing(stack, depot, plan):
    sandbags = depot("编织袋", 500)
    drills = stack.client("drills")
    used = call(drills, "post", "/drills", drill_body(plan, [{"item_id": sandbags, "quantity": 100}]), 201)
    dropped = call(drills, "post", "/drills", drill_body(plan, [{"item_id": sandbags, "quantity": 50}]), 201)
    stack.settle()
    call(drills, "post", f"/drills/{used['id']}/start", {})
    call(drills, "post", f"/drills/{used['id']}/complete", {"consumed": [{"item_id": sandbags, "quantity": 40}],
                                                             "participants_count": 10, "summary": "完成"})
    call(drills, "post", f"/drills/{dropped['id']}/cancel", {})
    call(drills, "post", f"/drills/{used['id']}/findings", {"description": "x", "severity": "low",
                                                             "requires_plan_revision": True}, 201)
    stack.settle()

    def snapshot():
        return (depot.balance(sandbags), drill_status(stack, used["id"]), drill_status(stack, dropped["id"]),
                {k: v for k, v in call(stack.client("plans"), "get", f"/plans/{plan}").items()
                 if k not in ("updated_at",)},
                call(stack.client("resources"), "get", f"/movements?item_id={sandbags}")["total"])

    before = snapshot()
    assert stack.redeliver_everything() >= 8
    stack.settle()
    assert snapshot() == before
    assert before[0]["on_hand"] == 460 and before[0]["reserved"] == 0
