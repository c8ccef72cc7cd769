"""The plans service in the real stack (`python -m erdm run`), tried as a new plan owner would, through the gateway."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from servicekit.testing import wait_until
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-plans-admin-key-0123456789abcdef"  # the gateway wants 32+ characters
pytestmark = pytest.mark.slow


@pytest.fixture
def stack(tmp_path):
    with erdm_stack(tmp_path, ADMIN_KEY) as (base, _process, _env):
        yield base



def test_a_plan_owner_registers_approves_files_revises_and_sees_readiness_turn_ready(stack):
    admin = httpx.Client(base_url=f"{stack}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=10)
    assert "plans" in httpx.get(f"{stack}/readyz").json()["services"]
    planner_key = admin.post("/keys", json={"name": "预案科", "role": "planner"}).json()["key"]
    viewer_key = admin.post("/keys", json={"name": "指挥中心大屏", "role": "viewer"}).json()["key"]
    planner = httpx.Client(base_url=f"{stack}/api/v1", headers={"Authorization": f"Bearer {planner_key}"}, timeout=10)
    viewer = httpx.Client(base_url=f"{stack}/api/v1", headers={"Authorization": f"Bearer {viewer_key}"}, timeout=10)

    special = planner.post("/plans", json={"code": "E2E-FX", "title": "防汛专项应急预案", "type": "special",
                                           "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "张伟"})
    assert special.status_code == 201, special.text
    onsite = planner.post("/plans", json={"code": "E2E-XC", "title": "危化品泄漏现场处置方案", "type": "onsite",
                                          "hazard_types": ["hazmat"], "owner_org": "某化工企业", "owner": "李强"}).json()
    assert viewer.post("/plans", json={"code": "E2E-NO"}).status_code == 403
    special = special.json()
    for plan in (special, onsite):
        assert planner.post(f"/plans/{plan['id']}/submit").json()["status"] == "in_review"
    last_year = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)).isoformat()
    approved = planner.post(f"/plans/{special['id']}/approve", json={"approved_by": "王局长"}).json()
    registered = planner.post(f"/plans/{onsite['id']}/approve",
                              json={"approved_by": "厂长", "approved_at": last_year}).json()
    assert approved["status"] == "approved" and approved["next_drill_due"] > approved["filing_due"]
    assert registered["compliance"] == "overdue"
    assert [p["code"] for p in viewer.get("/plans", params={"compliance": "overdue"}).json()["items"]] == ["E2E-XC"]

    filing = planner.post(f"/plans/{special['id']}/filings", json={
        "authority": "市应急管理局", "filed_at": dt.datetime.now(dt.timezone.utc).isoformat(), "reference_no": "备-01"})
    assert filing.status_code == 201, filing.text
    revision = planner.post(f"/plans/{special['id']}/revisions", json={"reason": "risk_changed", "note": "新增易涝点"})
    assert revision.status_code == 201 and revision.json()["version"] == 2
    assert viewer.get(f"/plans/{special['id']}").json()["draft_version"] == 2

    depot = admin.post("/warehouses", json={"code": "E2E-D1", "name": "市级应急物资储备库", "level": "municipal"}).json()
    item = admin.post("/items", json={"code": "E2E-PUMP", "name": "移动排涝泵", "category_code": "2",
                                      "unit": "台", "kind": "material"}).json()
    # The requirements belong to the open revision; version 1 keeps its own (none) until version 2 is approved.
    planner.put(f"/plans/{special['id']}/requirements", json={"lines": [{"item_id": item["id"], "quantity": 4}]})
    assert viewer.get(f"/plans/{special['id']}/readiness").json()["lines"] == []
    assert planner.post(f"/plans/{special['id']}/submit").status_code == 200
    assert planner.post(f"/plans/{special['id']}/approve", json={"approved_by": "王局长"}).json()["version"] == 2
    assert viewer.get(f"/plans/{special['id']}/readiness").json()["ready"] is False
    admin.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": item["id"], "quantity": 5})
    ready = wait_until(lambda: viewer.get(f"/plans/{special['id']}/readiness").json()["ready"], timeout=10)
    assert ready is True
    assert viewer.get(f"/plans/{special['id']}/readiness").json()["lines"][0]["available"] == 5
    assert "/api/v1/plans/{plan_id}/readiness" in viewer.get("/openapi.json").json()["paths"]
