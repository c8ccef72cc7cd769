"""An integrator's story through a real stack, on the embedded default and on RabbitMQ + PostgreSQL: an admin
subscribes a receiver to drill.completed, a drill is completed through the gateway, the receiver gets it signed."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from servicekit.testing import wait_until
from tests.e2e.realstack import rabbitmq_postgres_settings
from tests.e2e.stackrun import erdm_stack
from tests.webhooks.receiver import Receiver

ADMIN_KEY = "e2e-webhooks-admin-key-0123456789abcdef"  # the gateway wants 32+ characters
pytestmark = pytest.mark.slow


@pytest.fixture(params=["embedded", pytest.param("amqp-postgres", marks=[pytest.mark.rabbitmq, pytest.mark.postgres])])
def stack(request, tmp_path, tmp_path_factory):
    settings = {}
    if request.param == "amqp-postgres":
        settings = rabbitmq_postgres_settings(request.config, tmp_path_factory, instances=1)
    with erdm_stack(tmp_path, ADMIN_KEY, **settings) as (base, _process, _env):
        yield base


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def _client(base: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=15)


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def test_a_subscribed_receiver_gets_the_completed_drill_signed(stack, receiver):
    admin = _client(stack, ADMIN_KEY)
    subscription = _ok(admin.post("/webhooks", json={"url": receiver.url, "events": ["drill.completed"],
                                                     "secret": receiver.secret}), 201)
    planner = _client(stack, _ok(admin.post("/keys", json={"name": "planner-hooks", "role": "planner"}), 201)["key"])

    plan = _ok(planner.post("/plans", json={"code": "E2E-HOOK", "title": "危化品泄漏专项应急预案", "type": "special",
                                            "hazard_types": ["chemical"], "owner_org": "市应急管理局",
                                            "owner": "张伟"}), 201)
    _ok(planner.post(f"/plans/{plan['id']}/submit"))
    _ok(planner.post(f"/plans/{plan['id']}/approve", json={"approved_by": "李局长"}))
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    drill = _ok(planner.post("/drills", json={
        "plan_id": plan["id"], "title": "危化品泄漏桌面推演", "form": "tabletop", "scope": "single",
        "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=2)).isoformat(),
        "location": "区应急指挥中心", "organizer": "区应急局", "resources": []}), 201)
    wait_until(lambda: planner.get(f"/drills/{drill['id']}").json()["status"] == "ready", timeout=20)
    _ok(planner.post(f"/drills/{drill['id']}/start", json={}))
    _ok(planner.post(f"/drills/{drill['id']}/complete", json={"consumed": [], "participants_count": 12,
                                                                "summary": "按预案完成"}))

    wait_until(lambda: receiver.acknowledged, timeout=30)
    (seen,) = receiver.acknowledged
    assert seen.signed, "X-ERDM-Webhook-Signature is the HMAC-SHA256 of the body with the subscription's secret"
    envelope = seen.envelope
    assert (envelope["type"], envelope["source"], envelope["data"]["drill_id"]) == (
        "drill.completed", "drills", drill["id"])
    assert set(envelope) == {"id", "type", "occurred_at", "source", "correlation_id", "causation_id", "data"}
    assert seen.headers["x-erdm-event-type"] == "drill.completed"

    def delivered() -> dict | None:
        items = _ok(admin.get(f"/webhooks/{subscription['id']}/deliveries"))["items"]
        return items[0] if items and items[0]["status"] == "delivered" else None

    delivery = wait_until(delivered, timeout=10)
    assert delivery["id"] == seen.headers["x-erdm-webhook-id"] and delivery["event_id"] == envelope["id"]
    assert [attempt["status_code"] for attempt in delivery["attempts"]] == [200]
    assert receiver.requests == [seen]  # only the subscribed type, once
