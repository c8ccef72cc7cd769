"""A city's worth of stock, made through the gateway: depots, their receipts in one import, reserve quotas, plans.

What the console's home page reads: low-stock alerts (quotas above what some depots hold), lots expiring within
its 30-day window, and approved plans whose requirements some of the stock does not cover.
"""
from __future__ import annotations

import datetime as dt
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from bench.fixtures import client, ok

# Item 0 in every depot, in two lots; item 1 in every SECOND_ITEM_EVERY-th. Each position the import makes is
# one stock.changed event that the plans and drills workers apply (some 20 ms each), so depots x items is kept
# near the depots: the projection then catches up within the bench's minute.
ITEMS, SECOND_ITEM_EVERY = 2, 20
QUOTA = 100  # of item 0, in every QUOTA_EVERY-th depot; every LOW_EVERY-th depot holds less than it
QUOTA_EVERY, LOW_EVERY = 4, 8
EXPIRING_EVERY = 10  # every tenth depot's second lot of item 0 expires within the home page's 30 days
PLANS = 5  # approved, each requiring both items; the last SHORT_PLANS ask more than all depots hold
SHORT_PLANS = 2
THREADS = 8


@dataclass
class Seeded:
    depots: int
    lots: int
    quotas: int
    low_stock: int
    expiring: int
    plans: list[str]
    steps: dict[str, float]  # seconds of each step, in order
    projected: bool  # the plans service's stock projection caught up before measuring

    def describe(self) -> str:
        seeding = {name: seconds for name, seconds in self.steps.items() if name != "projection"}
        each = ", ".join(f"{name} {seconds:.1f}" for name, seconds in seeding.items())
        return (f"{self.depots:,} depots, {self.lots:,} lots in one POST /stock/import ({self.expiring:,} expiring "
                f"within 30 days), {self.quotas:,} quotas by PUT /quotas ({self.low_stock:,} below), "
                f"{len(self.plans)} approved plans ({SHORT_PLANS} short of stock), through the gateway in "
                f"{sum(seeding.values()):.0f} s ({each}); the plans service's stock projection "
                f"{'caught up' if self.projected else 'had not caught up'} {self.steps['projection']:.0f} s later")


def _lots(depots: int, today: dt.date) -> list[tuple[int, int, int, dt.date]]:
    """(depot, item, quantity, expiry) of every lot received."""
    far = today + dt.timedelta(days=3 * 365)
    lots = []
    for d in range(depots):
        low = d % LOW_EVERY == 0
        soon = today + dt.timedelta(days=1 + d % 29) if d % EXPIRING_EVERY == 0 else far
        lots += [(d, 0, 10 if low else 150, far), (d, 0, 10 if low else 50, soon)]
        if d % SECOND_ITEM_EVERY == 0:
            lots.append((d, 1, 40, far))
    return lots


def _csv(tag: str, lots: list[tuple[int, int, int, dt.date]]) -> bytes:
    lines = ["warehouse_code,item_code,quantity,batch_no,expiry_date"]
    lines += [f"D{tag}-{d:04d},I{tag}-{i},{quantity},B{n},{expiry.isoformat()}"
              for n, (d, i, quantity, expiry) in enumerate(lots)]
    return ("\n".join(lines) + "\n").encode()


def _in_parallel(calls) -> list:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda call: call(), calls))


def seed(base: str, *, depots: int = 1000, settle_seconds: float = 60.0) -> Seeded:
    started, steps = time.monotonic(), {}

    def step(name: str) -> None:
        steps[name] = time.monotonic() - started - sum(steps.values())

    tag, today = uuid.uuid4().hex[:6].upper(), dt.date.today()
    quotas = range(0, depots, QUOTA_EVERY)
    with client(base) as api:
        api.timeout = 120
        _in_parallel([lambda d=d: ok(api.post("/warehouses", json={"code": f"D{tag}-{d:04d}", "name": f"{d}号储备库",
                                                                   "level": "county"}), 201) for d in range(depots)])
        items = [ok(api.post("/items", json={"code": f"I{tag}-{i}", "name": f"物资{i}", "category_code": "3",
                                             "unit": "件", "kind": "material"}), 201) for i in range(ITEMS)]
        step("depots")
        # Quotas before stock: a quota is three times a depot's cost, and run after the import they would share
        # the two cores with the workers applying its events.
        _in_parallel([lambda d=d: ok(api.put("/quotas", json={"warehouse_code": f"D{tag}-{d:04d}",
                                                              "item_code": f"I{tag}-0", "min_quantity": QUOTA}))
                      for d in quotas])
        step("quotas")
        lots = _lots(depots, today)
        imported = ok(api.post("/stock/import", files={"file": ("depots.csv", _csv(tag, lots), "text/csv")}), 201)
        step("import")
        held = [sum(quantity for _, item, quantity, _ in lots if item == i) for i in range(ITEMS)]
        plans = [_approved_plan(api, tag, n, items, held) for n in range(PLANS)]
        step("plans")
        projected = _projection_caught_up(api, plans[0], items, held, settle_seconds)
        step("projection")
    return Seeded(depots, imported["imported"], len(quotas), sum(d % LOW_EVERY == 0 for d in quotas),
                  sum(expiry < today + dt.timedelta(days=30) for *_, expiry in lots), plans, steps, projected)


def _approved_plan(api: httpx.Client, tag: str, n: int, items: list[dict], held: list[int]) -> str:
    short = n >= PLANS - SHORT_PLANS
    plan = ok(api.post("/plans", json={"code": f"P{tag}-{n}", "title": f"压测预案 {n}", "type": "special",
                                       "hazard_types": ["flood"], "owner_org": "市应急管理局", "owner": "压测",
                                       "summary": "bench"}), 201)
    lines = [{"item_id": item["id"], "quantity": held[i] * 2 if short else held[i] // 2} for i, item in enumerate(items)]
    ok(api.put(f"/plans/{plan['id']}/requirements", json={"lines": lines}))
    ok(api.post(f"/plans/{plan['id']}/submit"))
    ok(api.post(f"/plans/{plan['id']}/approve", json={"approved_by": "压测"}))
    return plan["id"]


def _projection_caught_up(api: httpx.Client, plan_id: str, items: list[dict], held: list[int], budget: float) -> bool:
    """Whether the plans service counts every depot's stock (from the stock.changed events) within `budget`:
    measuring while its worker still applies the import's events would measure that worker too."""
    expected = {item["id"]: held[i] for i, item in enumerate(items)}
    deadline = time.monotonic() + budget
    while time.monotonic() < deadline:
        lines = ok(api.get(f"/plans/{plan_id}/readiness")).get("lines") or []
        if {line["item_id"]: line["available"] for line in lines} == expected:
            return True
        time.sleep(0.5)
    return False
