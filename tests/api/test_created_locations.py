"""Every create answers 201 with a `Location` naming where to read the new record (issue 11 item 14a);
a replay of the same Idempotency-Key answers the same header."""
from __future__ import annotations

import re

from stockroom import API, in_days

UUID = "[0-9a-f-]{36}"


def created(response, pattern: str) -> str:
    """The Location of a 201, checked against `pattern`; it answers 200 when read (as the same caller)."""
    assert response.status_code == 201, response.get_data(as_text=True)
    location = response.headers.get("Location")
    assert location and re.fullmatch(pattern, location), location
    return location


def readable(client, location: str) -> dict:
    answer = client.get(location)
    assert answer.status_code == 200, (location, answer.get_data(as_text=True))
    return answer.get_json()


def test_resources_creates_point_at_their_records(resources_client, stockroom, depot, tents):
    warehouse = resources_client.post(f"{API}/warehouses", json={"code": "SH-LOC", "name": "定位库", "level": "county"})
    assert readable(resources_client, created(warehouse, f"/api/v1/warehouses/{UUID}"))["code"] == "SH-LOC"
    item = resources_client.post(f"{API}/items", json={"code": "LOC-1", "name": "救生衣", "category_code": "10401",
                                                       "unit": "件", "kind": "material"})
    assert readable(resources_client, created(item, f"/api/v1/items/{UUID}"))["code"] == "LOC-1"
    receipt = resources_client.post(f"{API}/stock/receipts", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                                   "quantity": 9, "batch_no": "B1",
                                                                   "expiry_date": in_days(99)})
    movement = readable(resources_client, created(receipt, f"/api/v1/movements/{UUID}"))
    assert (movement["type"], movement["batch_no"], movement["id"]) == ("receipt", "B1", receipt.get_json()["movement_id"])
    issue = resources_client.post(f"{API}/stock/issues", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                               "quantity": 1, "reason": "抢险"})
    assert readable(resources_client, created(issue, rf"/api/v1/movements\?batch_id={UUID}"))["items"][0]["type"] == \
        "issue"
    held = resources_client.post(f"{API}/reservations",
                                 json={"reference": "r", "lines": [{"item_id": tents["id"], "quantity": 1}]})
    assert readable(resources_client, created(held, f"/api/v1/reservations/{UUID}"))["status"] == "held"
    category = resources_client.post(f"{API}/categories", json={"code": "1040101", "name": "棉帐篷"})
    siblings = readable(resources_client, created(category, r"/api/v1/categories\?parent_code=10401"))["items"]
    assert [c["code"] for c in siblings] == ["1040101"]


def test_equipment_and_counts_point_at_what_they_wrote(resources_client, stockroom, depot, tents):
    pumps = stockroom.item(name="排涝泵", unit="台", kind="equipment", inspection_interval_days=90)
    unit = resources_client.post(f"{API}/equipment", json={"item_id": pumps["id"], "warehouse_id": depot["id"],
                                                           "serial_no": "P-9"})
    location = created(unit, f"/api/v1/equipment/{UUID}")
    inspection = resources_client.post(f"{location}/inspections", json={"result": "pass", "inspector": "李工",
                                                               "inspected_at": "2026-01-05T09:00:00+08:00"})
    assert readable(resources_client, created(inspection, location))["inspections"]
    stockroom.receive(depot, tents, 4)
    counted = resources_client.post(f"{API}/stock/adjustments",
                                    json={"warehouse_id": depot["id"], "item_id": tents["id"], "counted_quantity": 3,
                                          "reason": "盘点"})
    assert readable(resources_client, created(counted, rf"/api/v1/movements\?batch_id={UUID}"))["total"] == 1


def test_a_replayed_create_answers_the_same_location(resources_client, depot, tents):
    body = {"warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 2}
    first = resources_client.post(f"{API}/stock/receipts", json=body, headers={"Idempotency-Key": "loc-1"})
    again = resources_client.post(f"{API}/stock/receipts", json=body, headers={"Idempotency-Key": "loc-1"})
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.headers["Location"] == created(first, f"/api/v1/movements/{UUID}")


def test_plans_creates_point_at_the_plan_its_version_and_its_filings(plan_desk):
    client = plan_desk.client
    response = client.post(f"{API}/plans", json={"code": "YA-LOC", "title": "防汛预案", "type": "special",
                                                  "owner_org": "市应急管理局", "owner": "张伟"})
    plan = readable(client, created(response, f"/api/v1/plans/{UUID}"))
    plan_desk.step(plan, "submit")
    plan_desk.step(plan, "approve", approved_by="王局长")
    revision = client.post(f"{API}/plans/{plan['id']}/revisions", json={"reason": "risk_changed"})
    assert readable(client, created(revision, f"/api/v1/plans/{plan['id']}/versions/2"))["version"] == 2
    filing = client.post(f"{API}/plans/{plan['id']}/filings", json={"authority": "市应急管理局",
                                                                    "filed_at": "2026-01-05T09:00:00+08:00",
                                                                    "reference_no": "备-1"})
    if filing.status_code == 422:  # approved "now": a filing cannot precede it; file at the approval instead
        filing = client.post(f"{API}/plans/{plan['id']}/filings", json={
            "authority": "市应急管理局", "filed_at": plan_desk.get(plan)["approved_at"], "reference_no": "备-1"})
    assert readable(client, created(filing, f"/api/v1/plans/{plan['id']}/filings"))["total"] == 1


def test_drills_creates_point_at_the_drill_its_evaluation_and_its_findings(book):
    client, plan = book.client, book.approve_plan()
    response = client.post(f"{API}/drills", json=book.drill_body(plan))
    drill = readable(client, created(response, f"/api/v1/drills/{UUID}"))
    done = book.completed_drill(plan)
    finding = client.post(f"{API}/drills/{done['id']}/findings", json={"description": "通讯中断", "severity": "high"})
    assert readable(client, created(finding, f"/api/v1/drills/{done['id']}/findings"))["total"] == 1
    evaluation = client.post(f"{API}/drills/{done['id']}/evaluation", json={
        "scores": {"plan_suitability": 4, "preparation": 4, "command_coordination": 3, "response_actions": 4,
                   "equipment_materials": 5}, "rating": "good", "evaluator": "专家组"})
    assert readable(client, created(evaluation, f"/api/v1/drills/{done['id']}/evaluation"))["rating"] == "good"
    assert drill["status"] == "ready"
