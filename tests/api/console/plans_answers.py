"""The plans API's answers as the plans pages' tests feed them to the stand-in gateway: shaped as
services/plans/api/schemas.py dumps them, names beside every id."""
from __future__ import annotations

import copy
import re

from console import testing

PLAN_ID = "6d76ee59-9faf-4a91-a71e-9dc845536461"
OTHER_PLAN_ID = "1f0e3c54-2b7d-4c35-9a51-7d0a0c1b2e77"
ROOT = {"id": testing.ME["org"]["id"], "code": "ROOT", "name": "市应急管理局"}
ENTERPRISE = {"id": "3a9d6c1e-0b6f-4f2e-8d7c-5e4b3a291807", "code": "ENT-001", "name": "华东化工有限公司"}
PERSON = {"id": testing.ME["id"], "name": "王物资"}

WATER = {"id": "9a0add23-19f5-46b7-913e-0c50b16ad1fc", "code": "WAT-001", "name": "瓶装饮用水", "unit": "箱"}
BOAT = {"id": "850d3935-fe6c-40f8-a5b0-1cefde060e80", "code": "KAYAK-01", "name": "冲锋舟", "unit": "艘"}
RADIO = {"id": "5b0cf618-9029-4d88-8086-5a54a40e183e", "code": "RADIO-01", "name": "手持对讲机", "unit": "台"}
ITEMS = (WATER, BOAT, RADIO)

# Every id these answers carry: none may be read on a page, only sit in its links and form values.
IDS = (PLAN_ID, OTHER_PLAN_ID, ROOT["id"], ENTERPRISE["id"], PERSON["id"], *(item["id"] for item in ITEMS))


def line(item: dict, quantity) -> dict:
    return {"item_id": item["id"], "item": dict(item), "quantity": quantity}


def plan(**changes) -> dict:
    """An approved comprehensive plan, drilled once, filed, its next drill overdue."""
    answer = {
        "id": PLAN_ID, "code": "ZH-2026-01", "title": "市突发事件总体应急预案", "type": "comprehensive",
        "hazard_types": ["自然灾害", "事故灾难"], "owner_org": "市应急管理局", "owner": "李局长",
        "summary": "规定全市突发事件的组织体系、运行机制和保障措施。", "response_levels": [],
        "org_id": ROOT["id"], "org": dict(ROOT), "org_path": "/ROOT/", "status": "approved", "version": 1,
        "draft_version": None, "approved_at": "2025-05-31T16:00:00+00:00", "approved_by": "张市长",
        "retired_at": None, "last_drilled_at": "2025-06-10T02:00:00+00:00", "next_drill_due": "2026-06-10",
        "evaluation_due": "2028-06-01", "filing_due": "2025-06-27", "filed_at": "2025-06-19T16:00:00+00:00",
        "needs_revision": False, "compliance": "overdue", "filing_overdue": False,
        "requirements": [line(WATER, 200), line(BOAT, 4)],
        "created_at": "2025-05-20T01:00:00+00:00", "created_by": dict(PERSON),
        "updated_at": "2025-05-31T16:00:00+00:00", "updated_by": dict(PERSON),
    }
    answer.update(changes)
    return answer


def draft_plan(**changes) -> dict:
    """A plan never approved: version 1, a draft, owing nothing yet."""
    return plan(**{"status": "draft", "approved_at": None, "approved_by": None, "last_drilled_at": None,
                   "next_drill_due": None, "evaluation_due": None, "filing_due": None, "filed_at": None,
                   "compliance": "ok", **changes})


def version(number: int = 1, **changes) -> dict:
    base = plan()
    answer = {name: base[name] for name in ("title", "type", "hazard_types", "owner_org", "owner", "summary",
                                            "response_levels", "requirements", "created_at", "created_by",
                                            "updated_at", "updated_by")}
    answer.update({
        "plan_id": PLAN_ID, "version": number, "status": "approved", "reason": None, "note": None,
        "finding_id": None, "submitted_at": "2025-05-28T02:00:00+00:00", "submitted_by": dict(PERSON),
        "approved_at": "2025-05-31T16:00:00+00:00", "approved_by": "张市长", "approval_recorded_by": dict(PERSON),
        "closed_at": None,
    })
    answer.update(changes)
    return copy.deepcopy(answer)


def revision(number: int = 2, **changes) -> dict:
    """An open revision: a draft opened because the risks changed."""
    return version(number, **{"status": "draft", "reason": "risk_changed", "note": "新增地铁运营风险",
                              "submitted_at": None, "submitted_by": None, "approved_at": None,
                              "approved_by": None, "approval_recorded_by": None,
                              "created_at": "2026-11-30T02:00:00+00:00", **changes})


def filing(**changes) -> dict:
    answer = {"id": "c685c582-14ab-45d7-934a-e3d0e07ad2f2", "plan_id": PLAN_ID, "version": 1,
              "authority": "省应急管理厅", "filed_at": "2025-06-19T16:00:00+00:00", "reference_no": "备-2025-0031",
              "recorded_at": "2025-06-20T03:00:00+00:00", "recorded_by": dict(PERSON)}
    answer.update(changes)
    return answer


def readiness(*lines, plan_id: str = PLAN_ID) -> dict:
    """`lines` as (item, required, available)."""
    answer = [{"item_id": item["id"], "item": dict(item), "required": required, "available": available,
               "shortfall": max(0, required - available)} for item, required, available in lines]
    return {"plan_id": plan_id, "ready": all(entry["shortfall"] == 0 for entry in answer), "lines": answer}


def catalog_item(item: dict) -> dict:
    return {**item, "category_code": "10201", "kind": "material", "shelf_life_days": None,
            "inspection_interval_days": None, "active": True}


def serve_plan(gateway, *, answer: dict | None = None, versions=None, filings=None, ready=None) -> dict:
    """Teach `gateway` the plan page's four calls (and the item catalog for the forms); the plan it answers."""
    answer = answer or plan()
    gateway.on("GET", f"/plans/{answer['id']}", answer)
    gateway.on("GET", f"/plans/{answer['id']}/versions",
               testing.page_of(versions if versions is not None else [version(1)]))
    gateway.on("GET", f"/plans/{answer['id']}/filings",
               testing.page_of(filings if filings is not None else [filing()]))
    gateway.on("GET", f"/plans/{answer['id']}/readiness",
               ready or readiness((WATER, 200, 500), (BOAT, 4, 2), plan_id=answer["id"]))
    gateway.on("GET", "/items", testing.page_of([catalog_item(item) for item in ITEMS]))
    return answer


TAGS = re.compile(r"<[^>]+>")


def visible_text(response) -> str:
    """What a person reads on the page: the HTML without its tags (and so without links' and fields' values)."""
    html = response.get_data(as_text=True)
    body = html.split("<main>", 1)[-1]
    return " ".join(TAGS.sub(" ", body).split())


def shows_no_ids(response) -> bool:
    text = visible_text(response)
    return not any(identifier in text for identifier in IDS)
