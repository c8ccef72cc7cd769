"""The whole story through the gateway of a real stack, on the embedded default and on RabbitMQ + PostgreSQL:
stock a depot, approve a plan, drill it with reserved stock, evaluate, follow the finding up."""
from __future__ import annotations

import datetime as dt
import time

import httpx
import pytest
from icalendar import Calendar

from servicekit.testing import wait_until
from tests.e2e.realstack import connected_processes, rabbitmq_postgres_settings
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-story-admin-key-0123456789abcdef"  # the gateway wants 32+ characters
pytestmark = pytest.mark.slow


@pytest.fixture(params=["embedded", pytest.param("amqp-postgres", marks=[pytest.mark.rabbitmq, pytest.mark.postgres])])
def stack(request, tmp_path, tmp_path_factory):
    """The embedded default (one of each process), or two web processes and two workers per service
    competing on RabbitMQ queues over PostgreSQL, as a bureau scales out."""
    settings = {}
    if request.param == "amqp-postgres":
        settings = rabbitmq_postgres_settings(request.config, tmp_path_factory, instances=2)
    with erdm_stack(tmp_path, ADMIN_KEY, **settings) as (base, _process, _env):
        yield base, settings


def _client(base: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=15)


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _settles(check, timeout: float = 10.0) -> float:
    """Seconds until `check()` holds (the story's events travelling across services)."""
    started = time.monotonic()
    wait_until(check, timeout=timeout, interval=0.02)
    return time.monotonic() - started


def test_a_drill_reserves_uses_and_releases_stock_and_its_finding_reaches_the_plan(stack):
    stack, settings = stack
    admin = _client(stack, ADMIN_KEY)
    keys = {role: _ok(admin.post("/keys", json={"name": f"{role}-e2e", "role": role}), 201)["key"]
            for role in ("logistics", "planner")}
    logistics, planner = _client(stack, keys["logistics"]), _client(stack, keys["planner"])

    depot = _ok(logistics.post("/warehouses", json={"code": "E2E-D", "name": "区级应急物资储备库", "level": "county"}), 201)
    pumps = _ok(logistics.post("/items", json={"code": "E2E-SB", "name": "编织袋", "category_code": "3",
                                               "unit": "条", "kind": "material"}), 201)
    today = dt.date.today()
    soon = _ok(logistics.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": pumps["id"],
                                                       "quantity": 20, "expiry_date": str(today + dt.timedelta(days=60))}), 201)
    _ok(logistics.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": pumps["id"], "quantity": 30,
                                                "expiry_date": str(today + dt.timedelta(days=900))}), 201)

    plan = _ok(planner.post("/plans", json={"code": "E2E-FLOOD", "title": "城区防汛专项应急预案", "type": "special",
                                            "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "张伟",
                                            "summary": "城区内涝处置"}), 201)
    _ok(planner.put(f"/plans/{plan['id']}/requirements", json={"lines": [{"item_id": pumps["id"], "quantity": 10}]}))
    _ok(planner.post(f"/plans/{plan['id']}/submit"))
    _ok(planner.post(f"/plans/{plan['id']}/approve", json={"approved_by": "李局长"}))
    assert logistics.post("/drills", json={}).status_code == 403  # logistics staff may not write drills

    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)
    drill = _ok(planner.post("/drills", json={
        "plan_id": plan["id"], "title": "防汛实战演练", "form": "live", "scope": "single",
        "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=4)).isoformat(),
        "location": "滨江公园", "organizer": "区应急局", "resources": [{"item_id": pumps["id"], "quantity": 12}]}), 201)
    ready_after = _settles(lambda: planner.get(f"/drills/{drill['id']}").json()["status"] == "ready")
    reservation_id = planner.get(f"/drills/{drill['id']}").json()["reservation_id"]
    held = _ok(logistics.get(f"/reservations/{reservation_id}"))
    assert held["allocations"][0]["lot_id"] == soon["lot_id"], "the earliest-expiring stock is drilled with"

    _ok(planner.post(f"/drills/{drill['id']}/start", json={}))
    _ok(planner.post(f"/drills/{drill['id']}/complete", json={
        "consumed": [{"item_id": pumps["id"], "quantity": 8}], "participants_count": 46, "summary": "按预案完成"}))
    def stock_settled() -> bool:
        balance = logistics.get("/stock", params={"item_id": pumps["id"]}).json()["items"][0]
        return (balance["on_hand"], balance["reserved"]) == (42, 0)

    stock_after = _settles(stock_settled)
    plan_after = _settles(lambda: planner.get(f"/plans/{plan['id']}").json()["last_drilled_at"] is not None)

    _ok(planner.post(f"/drills/{drill['id']}/evaluation", json={
        "scores": {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
                   "equipment_materials": 4}, "rating": "good", "evaluator": "王专家", "comments": "通信需加强"}), 201)
    finding = _ok(planner.post(f"/drills/{drill['id']}/findings", json={
        "description": "应急通信中断 10 分钟", "severity": "high", "requires_plan_revision": True,
        "corrective_action": {"owner": "通信组", "due_date": str(today + dt.timedelta(days=30)),
                              "description": "配备卫星电话"}}), 201)
    flagged_after = _settles(lambda: planner.get(f"/plans/{plan['id']}").json()["needs_revision"] is True)
    action_id = finding["corrective_action"]["id"]
    assert planner.post(f"/corrective-actions/{action_id}/verify", json={"verifier": "赵科长"}).status_code == 409
    _ok(planner.post(f"/corrective-actions/{action_id}/complete", json={"note": "已配备"}))
    assert _ok(planner.post(f"/corrective-actions/{action_id}/verify",
                            json={"verifier": "赵科长", "note": "回头看合格"}))["status"] == "verified"

    calendar = Calendar.from_ical(planner.get("/drills/calendar.ics").content)
    assert any(drill["id"] in str(event.get("UID")) for event in calendar.walk("VEVENT"))
    view = _ok(planner.get("/readiness"))
    assert any(line.get("plan_id") == plan["id"] for line in view["items"])
    # Settle times are asserted loosely here; bench/ measures them properly.
    assert max(ready_after, stock_after, plan_after, flagged_after) < 10
    if settings:  # every instance took part: the gateway alternates web processes, both workers beat
        for service in ("resources", "plans", "drills"):
            connected = connected_processes(settings[f"ERDM_{service.upper()}_DATABASE_URL"])
            assert {f"{service}-{kind}-{n}" for kind in ("web", "worker") for n in (1, 2)} <= connected, connected
