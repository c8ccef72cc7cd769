"""The key's identity travels signed to the service, lands on the ledger, and a replayed signature is refused."""
from __future__ import annotations

import time

import httpx
import pytest

import servicekit.signing
from gateway.testing import ADMIN, assert_problem, bearer, create_key
from servicekit.signing import HEADER_SIGNATURE, SIGNED_HEADERS


class Recording(httpx.BaseTransport):
    """The real service behind, and the last request the gateway sent it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.last = inner, None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.last = request
        return self.inner.handle_request(request)


@pytest.fixture
def transport(resources_app):
    """What this module's gateways dial: the real resources app, the last request recorded."""
    return Recording(httpx.WSGITransport(app=resources_app))


def test_what_a_logistics_key_writes_is_recorded_under_its_name(gateway_client):
    key = create_key(gateway_client, "logistics", "市应急物资储备中心 仓管员")
    officer = bearer(key["key"])
    depot = gateway_client.post("/api/v1/warehouses", json={"code": "ID-01", "name": "市级储备库", "level": "municipal"},
                                headers=officer)
    assert depot.status_code == 201, depot.get_data(as_text=True)
    item = gateway_client.post("/api/v1/items", json={"code": "ID-TENT", "name": "救灾帐篷", "category_code": "1",
                                                      "unit": "顶", "kind": "material"}, headers=officer).get_json()
    receipt = gateway_client.post("/api/v1/stock/receipts", headers=officer,
                                  json={"warehouse_id": depot.get_json()["id"], "item_id": item["id"], "quantity": 12})
    assert receipt.status_code == 201, receipt.get_data(as_text=True)

    viewer = bearer(create_key(gateway_client, "viewer")["key"])
    movements = gateway_client.get(f"/api/v1/movements?item_id={item['id']}", headers=viewer).get_json()["items"]
    assert [(m["actor_id"], m["actor_name"]) for m in movements] == [(key["id"], "市应急物资储备中心 仓管员")]
    assert_problem(gateway_client.post("/api/v1/stock/issues", headers=viewer, json={
        "warehouse_id": depot.get_json()["id"], "item_id": item["id"], "quantity": 1, "reason": "test"}), 403)


def test_a_captured_signature_is_refused_after_its_window_or_on_another_path(gateway_client, transport, resources_app,
                                                                           monkeypatch):
    assert gateway_client.get("/api/v1/warehouses?page=1", headers=ADMIN).status_code == 200
    captured = {name: transport.last.headers[name] for name in SIGNED_HEADERS}
    service = resources_app.test_client()
    assert service.get("/api/v1/warehouses?page=1", headers=captured).status_code == 200

    assert_problem(service.get("/api/v1/warehouses?page=2", headers=captured), 401, mentions="bad gateway signature")
    assert_problem(service.get("/api/v1/items?page=1", headers=captured), 401)
    assert_problem(service.get("/api/v1/warehouses?page=1"), 401, mentions="not signed")

    class JustPastTheWindow:
        @staticmethod
        def time() -> float:
            return time.time() + 301

    monkeypatch.setattr(servicekit.signing, "time", JustPastTheWindow)
    assert_problem(service.get("/api/v1/warehouses?page=1", headers=captured), 401, mentions="outside the accepted window")
    tampered = {**captured, HEADER_SIGNATURE: "0" * 64}
    assert_problem(service.get("/api/v1/warehouses?page=1", headers=tampered), 401)
