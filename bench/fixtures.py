"""What the figures need, made through the gateway: a depot, stocked items, an approved plan that requires them."""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import httpx

from bench.procs import ADMIN_KEY


def client(base: str) -> httpx.Client:
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=15)


def ok(response: httpx.Response, status: int = 200) -> dict:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.method} {response.request.url}: {response.status_code} {response.text}")
    return response.json()


@dataclass
class World:
    warehouse_id: str
    item_id: str  # stocked plenty: reserved by drills and by the reservation figure
    plan_id: str


def build(base: str, *, stock: int = 1_000_000) -> World:
    tag = uuid.uuid4().hex[:8].upper()
    with client(base) as api:
        depot = ok(api.post("/warehouses", json={"code": f"BENCH-{tag}", "name": "压测储备库", "level": "municipal"}), 201)
        item = ok(api.post("/items", json={"code": f"BENCH-{tag}", "name": "编织袋", "category_code": "3",
                                           "unit": "条", "kind": "material"}), 201)
        ok(api.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": item["id"], "quantity": stock}), 201)
        plan = ok(api.post("/plans", json={"code": f"BENCH-{tag}", "title": "压测专项应急预案", "type": "special",
                                           "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "压测",
                                           "summary": "bench"}), 201)
        ok(api.put(f"/plans/{plan['id']}/requirements", json={"lines": [{"item_id": item["id"], "quantity": 1}]}))
        ok(api.post(f"/plans/{plan['id']}/submit"))
        ok(api.post(f"/plans/{plan['id']}/approve", json={"approved_by": "压测"}))
    return World(depot["id"], item["id"], plan["id"])


def drill_body(world: World, n: int) -> dict:
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7, minutes=n)
    return {"plan_id": world.plan_id, "title": f"压测演练 {n}", "form": "tabletop", "scope": "single",
            "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=2)).isoformat(),
            "location": "指挥中心", "organizer": "压测", "resources": [{"item_id": world.item_id, "quantity": 1}]}
