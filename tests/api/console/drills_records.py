"""Records as the drills API and the gateway answer them (services/drills/api/schemas.py, gateway/feeds_api.py),
for the console's drills pages to be shown: names beside every id, timestamps in UTC with their offset."""
from __future__ import annotations

import re

import httpx

from console.testing import page_of

ORG = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
PLAN_ID = "8ce7f405-e338-4ed8-b2de-b4cda5eb9f54"
OTHER_PLAN_ID = "5d2a9c11-7b3e-4f60-9a18-2c4e7d90b3a1"
DRILL_ID = "e101ba1b-6585-4774-a282-b5f0afc9579d"
RESERVATION_ID = "d99661d5-a83e-40da-acf7-a9d358792777"
FINDING_ID = "3f1c5a2e-8d4b-4e7a-9c6f-0b2d1e4a5c77"
ACTION_ID = "7a9e2c4d-1b3f-4d5e-8a6c-9f0e1d2c3b4a"
DONE_ACTION_ID = "2b4d6f80-1a3c-4e5f-9b7d-0c2e4f6a8b9d"
FEED_ID = "ce287573-4224-4f35-bb93-5de75b19ed2d"
WAREHOUSE = {"id": "70d084c2-eb37-4ddc-a55b-c1d06b28c22c", "code": "WH-01", "name": "市应急物资储备库"}
LIFE_JACKET = {"id": "df96a163-f6e6-426c-b852-901d932f9537", "code": "LJ-001", "name": "救生衣", "unit": "件"}
FIRST_AID = {"id": "b5b5086e-1c2b-4074-84f0-a4407c15e960", "code": "JJ-002", "name": "急救包", "unit": "个"}
LIGHT_TOWER = {"id": "cdd1ea2b-ca22-4b06-99d8-e11474d4d3e6", "code": "ZM-003", "name": "移动照明灯塔", "unit": "台"}
ADMIN = {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"}


def plan(**changes) -> dict:
    record = {"id": PLAN_ID, "code": "YA-2026-01", "title": "防汛防台专项应急预案", "type": "special",
              "status": "approved", "version": 1, "org_id": ORG["id"], "org": ORG, "org_path": "/ROOT/"}
    return {**record, **changes}


def other_plan(**changes) -> dict:
    return plan(id=OTHER_PLAN_ID, code="YA-2026-03", title="城市内涝现场处置方案", type="onsite", **changes)


def line(item: dict, quantity) -> dict:
    return {"item_id": item["id"], "item": item, "quantity": quantity}


def drill(**changes) -> dict:
    record = {
        "id": DRILL_ID, "plan_id": PLAN_ID, "plan": {"id": PLAN_ID, "code": "YA-2026-01", "name": "防汛防台专项应急预案"},
        "title": "2026年防汛实战演练", "form": "live", "scope": "comprehensive",
        "scheduled_start": "2026-12-10T01:00:00+00:00", "scheduled_end": "2026-12-10T04:00:00+00:00",
        "location": "滨江公园", "organizer": "市应急管理局", "participants": [], "scenario": None,
        "resources": [line(LIFE_JACKET, 50), line(FIRST_AID, 10)],
        "status": "ready", "reservation_id": RESERVATION_ID, "org_id": ORG["id"], "org": ORG,
        "reservation_status": "held", "shortfall": None, "started_at": None, "actual_start": None,
        "actual_end": None, "completed_at": None, "consumed": None, "participants_count": None, "summary": None,
        "cancelled_at": None, "cancel_reason": None, "evaluated": False,
        "created_at": "2026-12-02T12:37:11.118621+00:00", "created_by": ADMIN,
        "updated_at": "2026-12-02T12:37:11.516443+00:00",
    }
    return {**record, **changes}


def reservation() -> dict:
    return {"id": RESERVATION_ID, "reference": f"drill:{DRILL_ID}", "status": "held", "allocations": [
        {"lot_id": "a07cd919-0898-4d9a-b5f3-dbf8afed4aaf", "warehouse_id": WAREHOUSE["id"], "warehouse": WAREHOUSE,
         "item_id": LIFE_JACKET["id"], "item": LIFE_JACKET, "quantity": 50, "consumed": 0, "expiry_date": None},
        {"lot_id": "4c06d665-68da-4fd5-93a0-485e200e66d9", "warehouse_id": WAREHOUSE["id"], "warehouse": WAREHOUSE,
         "item_id": FIRST_AID["id"], "item": FIRST_AID, "quantity": 10, "consumed": 0, "expiry_date": "2028-06-30"}]}


def evaluation(**changes) -> dict:
    record = {"id": "9c8b7a65-4321-4fed-cba9-876543210fed", "drill_id": DRILL_ID,
              "scores": {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
                         "equipment_materials": 2},
              "rating": "good", "evaluator": "省应急专家组 刘工", "comments": "通信保障需加强",
              "evaluated_at": "2026-12-10T06:00:00+00:00", "average_score": 3.6, "version": 1,
              "recorded_by": ADMIN, "recorded_at": "2026-12-10T06:00:00+00:00", "earlier_versions": []}
    return {**record, **changes}


def action(**changes) -> dict:
    record = {"id": ACTION_ID, "finding_id": FINDING_ID, "drill_id": DRILL_ID, "plan_id": PLAN_ID,
              "plan": {"id": PLAN_ID, "code": "YA-2026-01", "name": "防汛防台专项应急预案"}, "org": ORG,
              "owner": "市应急指挥中心 赵主任", "due_date": "2026-12-31", "description": "配齐卫星电话并组织通信演练",
              "status": "open", "overdue": False, "completed_at": None, "completion_note": None,
              "verified_at": None, "verifier": None, "verification_note": None,
              "created_at": "2026-12-10T06:10:00+00:00"}
    return {**record, **changes}


def finding(**changes) -> dict:
    record = {"id": FINDING_ID, "drill_id": DRILL_ID, "plan_id": PLAN_ID,
              "plan": {"id": PLAN_ID, "code": "YA-2026-01", "name": "防汛防台专项应急预案"},
              "description": "现场与指挥部之间通信中断约十分钟", "severity": "high", "requires_plan_revision": True,
              "corrective_action": action(), "recorded_at": "2026-12-10T06:10:00+00:00", "recorded_by": ADMIN}
    return {**record, **changes}


def feed(**changes) -> dict:
    record = {"id": FEED_ID, "name": "值班室 Outlook", "plan_id": None,
              "created_at": "2026-12-02T12:37:18.160016+00:00", "created_by": ADMIN}
    return {**record, **changes}


def page_text(answer) -> str:
    """What a person reads on the page: its HTML with the tags' attributes (URLs, hidden ids) left out."""
    html = answer.get_data(as_text=True)
    body = html.split("<main>", 1)[-1]
    return re.sub(r"<[^>]*>", " ", body)


def plans_by_status(request) -> "httpx.Response":
    """`GET /plans` as the plans service answers it: approved plans for ?status=approved, none retired."""
    status = request.url.params.get("status")
    return httpx.Response(200, json=page_of([plan()] if status in (None, "approved") else []))


def answer_drill_page(gateway, drill_record: dict, *, findings: list[dict] | None = None,
                      evaluation_record: dict | None = None) -> None:
    """Teach `gateway` what a drill's page asks: the drill, its findings, its evaluation, its reservation."""
    drill_id = drill_record["id"]
    gateway.on("GET", f"/drills/{drill_id}", drill_record)
    gateway.on("GET", f"/drills/{drill_id}/findings", page_of(findings or []))
    if evaluation_record is not None:
        gateway.on("GET", f"/drills/{drill_id}/evaluation", evaluation_record)
    gateway.on("GET", f"/reservations/{RESERVATION_ID}", reservation())
