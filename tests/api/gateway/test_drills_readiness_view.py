"""The gateway's readiness view: one line per approved plan from the three services, paged like every list,
partial when one is down or a list was too long to read whole."""
from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from gateway.testing import (ADMIN, RESOURCES_URL, bearer, close, create_key, gateway_client, settings_factory,
                             sqlite_gateway_url)
from servicekit.signing import verify
from servicekit.testing import TEST_SECRET

PLANS_URL, DRILLS_URL = "http://plans.internal:8002", "http://drills.internal:8003"
PLAN, OTHER, SANDBAGS, ROPE = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
# Resources names its items; the plans service's copy may not have heard of one yet.
SANDBAGS_NAMED = {"id": SANDBAGS, "code": "BZD-01", "name": "编织袋", "unit": "条"}
ROPE_AS_PLANS_KNOW_IT = {"id": ROPE, "code": "SS-02", "name": "救生绳", "unit": "根"}
SOON = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).isoformat()
EARLIER = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)).isoformat()


def page(items, total=None):
    return {"items": items, "total": len(items) if total is None else total, "page": 1, "per_page": 500}


ANSWERS = {
    "/api/v1/plans": page([
        {"id": PLAN, "code": "YA-1", "title": "防汛预案", "type": "special", "next_drill_due": "2027-01-01",
         "compliance": "ok", "needs_revision": False, "requirements": [
             {"item_id": SANDBAGS, "item": {"id": SANDBAGS, "code": None, "name": None, "unit": None}, "quantity": 500},
             {"item_id": ROPE, "item": ROPE_AS_PLANS_KNOW_IT, "quantity": 20}]},
        {"id": OTHER, "code": "YA-2", "title": "消防预案", "type": "onsite", "next_drill_due": "2026-01-01",
         "compliance": "overdue", "needs_revision": True, "requirements": []}]),
    "/api/v1/stock": page([{"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "warehouse_id": str(uuid.uuid4()),
                            "available": 200},
                           {"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "warehouse_id": str(uuid.uuid4()),
                            "available": 100}]),
    "/api/v1/drills": page([
        {"id": "d1", "plan_id": PLAN, "title": "演练", "status": "ready", "scheduled_start": SOON,
         "scheduled_end": SOON},
        {"id": "d0", "plan_id": PLAN, "title": "取消", "status": "cancelled", "scheduled_start": SOON,
         "scheduled_end": SOON}]),
    "/api/v1/corrective-actions": page([{"id": "a1", "plan_id": OTHER, "overdue": True},
                                        {"id": "a2", "plan_id": OTHER, "overdue": False}]),
}
# A drill still running two days after its scheduled end: not "from now", yet the plan's current drill.
RUNNING = page([{"id": "d2", "plan_id": OTHER, "title": "超时演练", "status": "in_progress",
                 "scheduled_start": EARLIER, "scheduled_end": EARLIER}])


@pytest.fixture
def services():
    state = {"down": set(), "calls": [], "queries": [], "answers": dict(ANSWERS)}

    def answer(request: httpx.Request) -> httpx.Response:
        state["calls"].append(request.url.path)
        state["queries"].append((request.url.path, dict(request.url.params)))
        verify(TEST_SECRET, "GET", request.url.raw_path.decode(), request.headers)  # signed like any forward
        if request.url.host.split(".")[0] in state["down"]:
            raise httpx.ConnectError("refused", request=request)
        if request.url.path == "/api/v1/drills" and request.url.params.get("status") == "in_progress":
            return httpx.Response(200, json=RUNNING)
        return httpx.Response(200, json=state["answers"][request.url.path])

    state["transport"] = httpx.MockTransport(answer)
    return state


@pytest.fixture
def gateway(services, request, tmp_path_factory):
    settings = settings_factory(sqlite_gateway_url(request, tmp_path_factory))(
        service_urls={"resources": RESOURCES_URL, "plans": PLANS_URL, "drills": DRILLS_URL})
    app, client = gateway_client(settings, services["transport"])
    yield client
    close(app)


def test_each_approved_plan_shows_shortfall_drill_and_actions(gateway, services):
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert (body["partial"], body["total"], body["page"], body["per_page"]) == (False, 2, 1, 50)
    assert body["unavailable"] == {} and body["truncated"] == {}
    flood, fire = body["items"]
    assert flood["shortfall"] == [
        {"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "required": 500, "available": 300, "shortfall": 200},
        {"item_id": ROPE, "item": ROPE_AS_PLANS_KNOW_IT, "required": 20, "available": 0, "shortfall": 20}]
    assert flood["resources_ready"] is False and flood["next_drill"]["id"] == "d1"
    assert (fire["resources_ready"], fire["compliance"], fire["open_corrective_actions"],
            fire["overdue_corrective_actions"]) == (True, "overdue", 2, 1)


def test_the_view_is_cached_briefly_and_readable_by_a_viewer(gateway, services):
    viewer = create_key(gateway, "viewer")["key"]
    assert gateway.get("/api/v1/readiness", headers=bearer(viewer)).status_code == 200
    calls = len(services["calls"])
    gateway.get("/api/v1/readiness", headers=ADMIN)
    assert len(services["calls"]) == calls
    assert gateway.get("/api/v1/readiness").status_code == 401


def test_a_service_down_gives_a_partial_answer(gateway, services):
    services["down"].add("drills")
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and "drills" in body["unavailable"]
    assert body["items"][0]["next_drill"] is None and body["items"][0]["shortfall"]
    services["down"] = {"plans"}
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and body["items"] == [] and "plans" in body["unavailable"]


def test_a_drill_running_past_its_scheduled_end_is_the_plans_current_drill(gateway, services):
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    fire = body["items"][1]
    assert fire["next_drill"]["id"] == "d2" and fire["next_drill"]["status"] == "in_progress"
    assert ("/api/v1/drills", {"status": "in_progress", "page": "1", "per_page": "500"}) in services["queries"]


def test_the_view_is_paged_like_every_list(gateway, services):
    second = gateway.get("/api/v1/readiness?page=2&per_page=1", headers=ADMIN).get_json()
    assert (second["total"], second["page"], second["per_page"]) == (2, 2, 1)
    assert [item["plan_id"] for item in second["items"]] == [OTHER]
    assert gateway.get("/api/v1/readiness?page=3&per_page=1", headers=ADMIN).get_json()["items"] == []
    refused = gateway.get("/api/v1/readiness?per_page=0", headers=ADMIN)
    assert refused.status_code == 422 and "per_page" in refused.get_json()["errors"]


def test_a_list_cut_at_its_row_cap_makes_the_answer_partial(gateway, services, monkeypatch):
    from gateway import readiness

    monkeypatch.setattr(readiness, "MAX_PAGES", 1)
    services["answers"]["/api/v1/stock"] = page(ANSWERS["/api/v1/stock"]["items"], total=1200)
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and body["unavailable"] == {}
    assert "2 of 1200" in body["truncated"]["stock"]
