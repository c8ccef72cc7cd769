"""The gateway's readiness view: one line per approved plan, from the plans service's readiness and the drills
service's upcoming drills, paged like every list, partial when one is down or a list was too long to read whole."""
from __future__ import annotations

import datetime as dt
import uuid

import httpx
import pytest

from gateway import testing
from gateway.testing import ADMIN, bearer, close, create_key
from servicekit.signing import verify
from servicekit.testing import TEST_SECRET

PLAN, OTHER, SANDBAGS, ROPE = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
SANDBAGS_NAMED = {"id": SANDBAGS, "code": "BZD-01", "name": "编织袋", "unit": "条"}
ROPE_UNKNOWN = {"id": ROPE, "code": None, "name": None, "unit": None}  # the plans service has not heard of it yet
SOON = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).isoformat()
LATER = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).isoformat()
EARLIER = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)).isoformat()


def page(items, total=None):
    return {"items": items, "total": len(items) if total is None else total, "page": 1, "per_page": 500}


ANSWERS = {
    # As `GET /plans/readiness` answers: each line of every requirement, covered ones included.
    "/api/v1/plans/readiness": page([
        {"plan_id": PLAN, "code": "YA-1", "title": "防汛预案", "type": "special", "next_drill_due": "2027-01-01",
         "compliance": "ok", "needs_revision": False, "ready": False, "lines": [
             {"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "required": 500, "available": 300, "shortfall": 200},
             {"item_id": ROPE, "item": ROPE_UNKNOWN, "required": 20, "available": 0, "shortfall": 20},
             {"item_id": str(uuid.uuid4()), "item": None, "required": 1.5, "available": 7, "shortfall": 0}]},
        {"plan_id": OTHER, "code": "YA-2", "title": "消防预案", "type": "onsite", "next_drill_due": "2026-01-01",
         "compliance": "overdue", "needs_revision": True, "ready": True, "lines": []}]),
    # As `GET /drills?upcoming=true` answers: a drill running past its scheduled end is still the plan's drill.
    "/api/v1/drills": page([
        {"id": "d2", "plan_id": OTHER, "title": "超时演练", "status": "in_progress", "scheduled_start": EARLIER,
         "scheduled_end": EARLIER},
        {"id": "d1", "plan_id": PLAN, "title": "演练", "status": "ready", "scheduled_start": SOON,
         "scheduled_end": SOON},
        {"id": "d3", "plan_id": PLAN, "title": "后续演练", "status": "pending_resources", "scheduled_start": LATER,
         "scheduled_end": LATER}]),
    "/api/v1/corrective-actions": page([{"id": "a1", "plan_id": OTHER, "overdue": True},
                                        {"id": "a2", "plan_id": OTHER, "overdue": False}]),
    # The supervision service counts its orders by status (and overdue) and lists the live warnings.
    "/api/v1/rectification-orders": lambda params: page([], total={"issued": 3, "acknowledged": 2, "reported": 1}.get(
        params.get("status"), 4 if params.get("overdue") == "true" else 0)),
    "/api/v1/warnings": lambda params: page([{"id": "w1", "counts": {"sent": 2, "acknowledged": 1, "reported": 0,
                                                                     "resumed": 0}},
                                             {"id": "w2", "counts": {"sent": 0, "acknowledged": 3}}]),
}


@pytest.fixture
def services():
    state = {"down": set(), "calls": [], "queries": [], "requests": [], "answers": dict(ANSWERS)}

    def answer(request: httpx.Request) -> httpx.Response:
        state["calls"].append(request.url.path)
        state["requests"].append(request)
        state["queries"].append((request.url.path, dict(request.url.params)))
        verify(TEST_SECRET, "GET", request.url.raw_path.decode(), request.headers)  # signed like any forward
        if request.url.host.split(".")[0] in state["down"]:
            raise httpx.ConnectError("refused", request=request)
        found = state["answers"][request.url.path]
        return httpx.Response(200, json=found(dict(request.url.params)) if callable(found) else found)

    state["transport"] = httpx.MockTransport(answer)
    return state


@pytest.fixture
def transport(services):
    """What this module's gateways dial: the stand-in plans and drills services."""
    return services["transport"]


@pytest.fixture
def gateway(gateway_client):
    """The gateway in front of the stand-in services."""
    return gateway_client


def test_each_approved_plan_shows_shortfall_drill_and_actions(gateway, services):
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert (body["partial"], body["total"], body["page"], body["per_page"]) == (False, 2, 1, 50)
    assert body["unavailable"] == {} and body["truncated"] == {}
    flood, fire = body["items"]
    assert flood["shortfall"] == [
        {"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "required": 500, "available": 300, "shortfall": 200},
        {"item_id": ROPE, "item": ROPE_UNKNOWN, "required": 20, "available": 0, "shortfall": 20}]
    assert flood["resources_ready"] is False
    assert flood["next_drill"] == {"id": "d1", "title": "演练", "status": "ready", "scheduled_start": SOON,
                                   "scheduled_end": SOON}
    assert (flood["next_drill_due"], flood["compliance"], flood["needs_revision"]) == ("2027-01-01", "ok", False)
    assert (fire["resources_ready"], fire["compliance"], fire["open_corrective_actions"],
            fire["overdue_corrective_actions"]) == (True, "overdue", 2, 1)


def test_the_view_is_cached_briefly_and_readable_by_a_viewer(gateway, services):
    viewer = create_key(gateway, "viewer")["key"]
    assert gateway.get("/api/v1/readiness", headers=bearer(viewer)).status_code == 200
    calls = len(services["calls"])
    gateway.get("/api/v1/readiness", headers=ADMIN)
    assert len(services["calls"]) == calls
    assert gateway.get("/api/v1/readiness").status_code == 401


def test_the_cached_view_of_one_organisation_is_never_shown_to_another(gateway, services):
    gateway.post("/api/v1/orgs", headers=ADMIN, json={"code": "ENT-9", "name": "某化工有限公司", "kind": "enterprise",
                                                     "parent_code": "ROOT"})
    enterprise = gateway.post("/api/v1/keys", headers=ADMIN, json={
        "name": "企业钥匙", "role": "viewer", "org_code": "ENT-9", "scope": "own"}).get_json()["key"]
    assert gateway.get("/api/v1/readiness", headers=ADMIN).get_json()["total"] == 2  # the city's view, now cached
    services["answers"] = {**ANSWERS, "/api/v1/plans/readiness": page([])}  # what the enterprise's scope holds
    asked = len(services["calls"])
    assert gateway.get("/api/v1/readiness", headers=bearer(enterprise)).get_json()["total"] == 0
    assert len(services["calls"]) > asked, "the enterprise's view was asked of the services, not taken from the city's"
    enterprise_asks = [request for request in services["requests"] if request.url.path == "/api/v1/plans/readiness"]
    assert enterprise_asks[-1].headers["X-ERDM-Actor-Org-Path"] == "/ROOT/ENT-9/"
    assert gateway.get("/api/v1/readiness", headers=ADMIN).get_json()["total"] == 2  # the city's, still its own


def test_a_service_down_gives_a_partial_answer(gateway, services):
    services["down"].add("drills")
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and body["unavailable"] == {"drills": "unreachable"}
    flood = body["items"][0]
    assert flood["next_drill"] is None and flood["shortfall"] and flood["open_corrective_actions"] is None
    services["down"] = {"plans"}
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and body["items"] == [] and "plans" in body["unavailable"]


def test_a_drill_running_past_its_scheduled_end_is_the_plans_current_drill(gateway, services):
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    fire = body["items"][1]
    assert fire["next_drill"]["id"] == "d2" and fire["next_drill"]["status"] == "in_progress"


def test_the_gateway_asks_the_services_for_their_rules_instead_of_keeping_copies(gateway, services):
    gateway.get("/api/v1/readiness", headers=ADMIN)
    paging = {"page": "1", "per_page": "500"}
    one = {"per_page": "1"}
    assert sorted(services["queries"], key=repr) == sorted([
        ("/api/v1/corrective-actions", {"status": "open", **paging}), ("/api/v1/drills", {"upcoming": "true", **paging}),
        ("/api/v1/plans/readiness", paging),
        *(("/api/v1/rectification-orders", {"status": status, **one}) for status in ("issued", "acknowledged",
                                                                                       "reported")),
        ("/api/v1/rectification-orders", {"overdue": "true", **one}),
        ("/api/v1/warnings", {"status": "issued", "per_page": "500"})], key=repr)


def test_the_view_counts_open_and_overdue_orders_and_live_warnings_in_the_callers_scope(gateway, services):
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["oversight"] == {"open_orders": 6, "overdue_orders": 4, "live_warnings": 2,
                                 "targets_not_acknowledged": 2}
    asked = [r for r in services["requests"] if r.url.path.startswith(("/api/v1/rectification", "/api/v1/warnings"))]
    assert {r.headers["X-ERDM-Actor-Org-Path"] for r in asked} == {"/ROOT/"}, "asked as the caller, in its scope"


def test_the_supervision_service_down_leaves_the_plans_view_and_says_so(gateway, services):
    services["down"].add("supervision")
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert (body["partial"], body["oversight"], body["unavailable"]) == (True, None, {"supervision": "unreachable"})
    assert body["total"] == 2 and body["items"][0]["shortfall"]


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
    services["answers"]["/api/v1/drills"] = page(ANSWERS["/api/v1/drills"]["items"], total=1200)
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["partial"] is True and body["unavailable"] == {}
    assert "3 of 1200" in body["truncated"]["upcoming_drills"]


def test_a_service_answering_something_else_is_named_with_what_it_answered(gateway, services):
    services["answers"]["/api/v1/corrective-actions"] = {"not": "a page"}
    body = gateway.get("/api/v1/readiness", headers=ADMIN).get_json()
    assert body["unavailable"] == {"drills": "answered something other than a list page"}


@pytest.fixture
def real_services(plans_app, drills_app, supervision_app):
    """The gateway's upstream answered by the real plans, drills and supervision apps, in process."""
    apps = {"plans.internal": plans_app, "drills.internal": drills_app, "supervision.internal": supervision_app}
    return httpx.MockTransport(lambda request: httpx.WSGITransport(app=apps[request.url.host]).handle_request(request))


def test_the_view_says_what_the_plans_and_drills_services_say(real_services, plan_desk, plan_events, book,
                                                              make_settings):
    from tests.flows.drillbook import at

    plan = plan_desk.create()
    plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": SANDBAGS, "quantity": 500},
                                                                         {"item_id": ROPE, "quantity": 20}]})
    plan_desk.step(plan, "submit")
    plan_desk.step(plan, "approve", approved_by="王局长")
    plan_events("stock.changed", source="resources", warehouse_id=str(uuid.uuid4()), item_id=SANDBAGS,
                on_hand=300, reserved=0, available=300, version=1,
                item={**SANDBAGS_NAMED, "updated_at": "2026-01-01T00:00:00+00:00"})
    book.approve_plan(plan["id"])
    drill = book.schedule(plan["id"], scheduled_start=at(3), scheduled_end=at(3, 17))
    book.post(f"/drills/{book.schedule(plan['id'])['id']}/cancel", expect=200)

    app, client = testing.gateway_client(make_settings(), real_services)
    body = client.get("/api/v1/readiness", headers=ADMIN).get_json()
    close(app)
    assert (body["partial"], body["unavailable"]) == (False, {})
    [line] = body["items"]
    readiness = plan_desk.call("get", f"/{plan['id']}/readiness")
    assert line["resources_ready"] is readiness["ready"] is False
    assert line["shortfall"] == [row for row in readiness["lines"] if row["shortfall"]] == [
        {"item_id": SANDBAGS, "item": SANDBAGS_NAMED, "required": 500, "available": 300, "shortfall": 200},
        {"item_id": ROPE, "item": ROPE_UNKNOWN, "required": 20, "available": 0, "shortfall": 20}]
    assert line["next_drill"]["id"] == drill["id"] and line["next_drill"]["status"] == "ready"
    assert (line["open_corrective_actions"], line["overdue_corrective_actions"]) == (0, 0)
