"""One fault test's corner of the bureau, driven through the gateway only: a depot stocked with one
material, an approved plan needing it, drills against it. Writes carry an Idempotency-Key and are
retried through an outage until they get an answer, as a careful client would."""
from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import httpx

from servicekit.testing import wait_until

RETRIED_STATUSES = {502, 503, 504}


class Bureau:
    def __init__(self, base: str, admin_key: str, tag: str) -> None:
        self.base = base
        admin = self._client(admin_key)
        keys = {role: self.write(admin, "POST", "/keys", {"name": f"{role}-{tag}", "role": role})["key"]
                for role in ("logistics", "planner")}
        admin.close()
        self.logistics, self.planner = self._client(keys["logistics"]), self._client(keys["planner"])
        self.depot = self.write(self.logistics, "POST", "/warehouses",
                                {"code": f"D-{tag}", "name": f"{tag} 应急物资储备库", "level": "municipal"})["id"]
        self.item = self.write(self.logistics, "POST", "/items", {
            "code": f"SB-{tag}", "name": f"{tag} 编织袋", "category_code": "3", "unit": "条", "kind": "material"})["id"]

    def _client(self, key: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=15)

    @staticmethod
    def write(client: httpx.Client, method: str, path: str, body: dict | None = None, *,
              within: float = 60.0) -> dict[str, Any]:
        """The answer of one write, repeated with its Idempotency-Key while the stack answers 502/503/504
        or not at all: a retry may never act twice."""
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + within
        while True:
            try:
                response = client.request(method, path, json=body, headers=headers)
                if response.status_code not in RETRIED_STATUSES:
                    assert response.status_code in (200, 201), f"{method} {path}: {response.status_code} {response.text}"
                    return response.json()
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"{method} {path} got no answer in {within}s"
            time.sleep(0.2)

    def receive(self, quantity: int) -> None:
        self.write(self.logistics, "POST", "/stock/receipts", {
            "warehouse_id": self.depot, "item_id": self.item, "quantity": quantity,
            "expiry_date": str(dt.date.today() + dt.timedelta(days=400))})

    def approved_plan(self, code: str) -> str:
        plan = self.write(self.planner, "POST", "/plans", {
            "code": code, "title": "城区防汛专项应急预案", "type": "special", "hazard_types": ["flood"],
            "owner_org": "市应急管理局", "owner": "张伟", "summary": "故障演练"})["id"]
        self.write(self.planner, "POST", f"/plans/{plan}/submit")
        self.write(self.planner, "POST", f"/plans/{plan}/approve", {"approved_by": "李局长"})
        # The drills service learns of the approval by event; a drill against the plan needs it there.
        return plan

    def schedule(self, plan: str, quantity: int, *, within: float = 60.0) -> str:
        start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)
        return self.write(self.planner, "POST", "/drills", {
            "plan_id": plan, "title": "防汛实战演练", "form": "live", "scope": "single",
            "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=4)).isoformat(),
            "location": "滨江公园", "organizer": "区应急局", "resources": [{"item_id": self.item, "quantity": quantity}]},
            within=within)["id"]

    def complete(self, drill: str, consumed: int) -> None:
        self.write(self.planner, "POST", f"/drills/{drill}/start", {})
        self.write(self.planner, "POST", f"/drills/{drill}/complete", {
            "consumed": [{"item_id": self.item, "quantity": consumed}], "participants_count": 20, "summary": "完成"})

    def drill_status(self, drill: str) -> str | None:
        try:
            response = self.planner.get(f"/drills/{drill}")
        except httpx.TransportError:
            return None
        return response.json()["status"] if response.status_code == 200 else None

    def wait_for_statuses(self, drills: list[str], status: str, *, timeout: float) -> None:
        wait_until(lambda: all(self.drill_status(drill) == status for drill in drills), timeout=timeout, interval=0.2)

    def balance(self) -> tuple[float, float]:
        """(on hand, reserved) of the material in the depot."""
        (line,) = self.logistics.get("/stock", params={"item_id": self.item, "warehouse_id": self.depot}).json()["items"]
        return line["on_hand"], line["reserved"]

    def close(self) -> None:
        self.logistics.close()
        self.planner.close()
