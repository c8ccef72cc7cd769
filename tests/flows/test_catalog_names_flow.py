"""Plans and drills learn the catalog's names from resources' events (never from its tables, never per
request): an item created or renamed in resources is named, and taken by its code, in plans and drills."""
from __future__ import annotations

import uuid

from tests.flows.drillbook import at
from tests.flows.test_drills_flows import call, drill_body, plan  # noqa: F401 - `plan` is the approved-plan fixture


def test_plans_and_drills_name_items_and_take_their_codes_once_resources_announced_them(stack, plan):
    resources, plans, drills = stack.client("resources"), stack.client("plans"), stack.client("drills")
    code = f"ZP-{uuid.uuid4().hex[:6]}"
    item = call(resources, "post", "/items", {"code": code, "name": "救灾帐篷", "category_code": "10401",
                                              "unit": "顶", "kind": "material"}, 201)
    depot = call(resources, "post", "/warehouses", {"code": f"W-{code}", "name": "市储备库", "level": "municipal"}, 201)
    # The approved version's requirements never change: a revision takes the new line.
    call(plans, "post", f"/plans/{plan}/revisions", {"reason": "resources_changed"}, 201)
    # Before the announcement has travelled, the other services do not know the code.
    refused = plans.put(f"/api/v1/plans/{plan}/requirements", json={"lines": [{"item_code": code, "quantity": 30}]})
    assert refused.status_code == 422 and "item_code" in refused.get_json()["errors"]["lines"]["0"]
    stack.settle()

    named = {"id": item["id"], "code": code, "name": "救灾帐篷", "unit": "顶"}
    call(plans, "put", f"/plans/{plan}/requirements", {"lines": [{"item_code": code, "quantity": 30}]})
    call(plans, "post", f"/plans/{plan}/submit", {})
    required = call(plans, "post", f"/plans/{plan}/approve", {"approved_by": "王局长"})
    assert required["requirements"][0]["item"] == named
    drill = call(drills, "post", "/drills", {**drill_body(plan, [{"item_code": code, "quantity": 10}])}, 201)
    assert drill["resources"][0]["item"] == named
    call(resources, "post", "/stock/receipts", {"warehouse_code": depot["code"], "item_code": code, "quantity": 12},
         201)
    stack.settle()
    assert call(drills, "get", f"/drills/{drill['id']}")["status"] == "ready"
    [line] = call(plans, "get", f"/plans/{plan}/readiness")["lines"]
    assert (line["item"], line["available"]) == (named, 2)  # 12 on hand, 10 held for the drill

    call(resources, "patch", f"/items/{item['id']}", {"name": "救灾帐篷（12㎡）"})
    stack.settle()
    assert call(plans, "get", f"/plans/{plan}")["requirements"][0]["item"]["name"] == "救灾帐篷（12㎡）"
    assert call(drills, "get", f"/drills/{drill['id']}")["resources"][0]["item"]["name"] == "救灾帐篷（12㎡）"


def test_a_drill_taken_by_plan_code_once_the_approval_travelled(stack, plan):
    code = call(stack.client("plans"), "get", f"/plans/{plan}")["code"]
    stack.settle()
    body = drill_body(plan, [])
    del body["plan_id"]
    drill = call(stack.client("drills"), "post", "/drills", {**body, "plan_code": code,
                                                              "scheduled_start": at(9), "scheduled_end": at(9, 12)}, 201)
    assert drill["plan"]["code"] == code and drill["plan"]["name"] == "城市防汛专项应急预案"
