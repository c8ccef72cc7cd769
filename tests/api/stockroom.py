"""The resources API as a logistics officer uses it, for the tests: URLs, problem checks, a Stockroom, slow inserts."""
from __future__ import annotations

import datetime as dt
import itertools
import time
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import event

from servicekit import clock

API = "/api/v1"
PROBLEM = "application/problem+json"
RECEIPTS = f"{API}/stock/receipts"
_codes = itertools.count(1)


def local_today() -> dt.date:
    return clock.local_today("Asia/Shanghai")


def in_days(n: int) -> str:
    return (local_today() + dt.timedelta(days=n)).isoformat()


def url(path: str, **params) -> str:
    """`API + path` with its query in the URL itself: SignedClient signs only the path it is given,
    so a `query_string=` keyword would reach the service unsigned (401)."""
    params = {name: value for name, value in params.items() if value is not None}
    return API + path + ("?" + urlencode(params) if params else "")


def assert_problem(response, status: int, *fields: str) -> dict[str, Any]:
    """An error answer in the one shape: problem+json naming each of `fields` under `errors`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["request_id"]
    for field in fields:
        assert field in body.get("errors", {}), body
    return body


def item_ref(item) -> dict[str, Any]:
    """How an answer names an item beside its id."""
    return {"id": item["id"], "code": item["code"], "name": item["name"], "unit": item["unit"]}


def depot_ref(warehouse) -> dict[str, Any]:
    """How an answer names a depot beside its id."""
    return {"id": warehouse["id"], "code": warehouse["code"], "name": warehouse["name"]}


def reservation_line(item, quantity, warehouse=None) -> dict[str, Any]:
    line = {"item_id": item["id"], "quantity": quantity}
    if warehouse is not None:
        line["warehouse_id"] = warehouse["id"]
    return line


def receipt(depot, item) -> dict[str, Any]:
    """Ten of `item` into `depot`: what the signed-request and gateway-deadline tests post to RECEIPTS."""
    return {"warehouse_id": depot["id"], "item_id": item["id"], "quantity": 10, "batch_no": "B1"}


class Stockroom:
    """Calls the API the way a logistics officer would, failing loudly on a refusal it did not expect."""

    def __init__(self, client) -> None:
        self.client = client

    def post(self, path: str, body: dict | None = None, status: int = 201, **kwargs) -> dict[str, Any]:
        response = self.client.post(API + path, json=body, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def get(self, path: str, status: int = 200, **params) -> dict[str, Any]:
        response = self.client.get(url(path, **params))
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def warehouse(self, **fields) -> dict[str, Any]:
        n = next(_codes)
        body = {"code": f"WH-{n:03d}", "name": f"第{n}号应急物资储备库", "level": "municipal", **fields}
        return self.post("/warehouses", body)

    def item(self, **fields) -> dict[str, Any]:
        n = next(_codes)
        body = {"code": f"IT-{n:03d}", "name": f"物资{n}", "category_code": "10401", "unit": "顶",
                "kind": "material", **fields}
        return self.post("/items", body)

    def receive(self, warehouse, item, quantity, **fields) -> dict[str, Any]:
        return self.post("/stock/receipts", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                             "quantity": quantity, **fields})

    def issue(self, warehouse, item, quantity, reason="抢险救灾", status=201) -> dict[str, Any]:
        return self.post("/stock/issues", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                           "quantity": quantity, "reason": reason}, status=status)

    def reserve(self, *lines, reference="drill:test", status=201, **fields) -> dict[str, Any]:
        """`lines` are (item, quantity) or (item, quantity, warehouse)."""
        body = {"reference": reference, "lines": [reservation_line(*line) for line in lines], **fields}
        return self.post("/reservations", body, status=status)

    def balance(self, warehouse, item) -> dict[str, Any]:
        items = self.get("/stock", warehouse_id=warehouse["id"], item_id=item["id"])["items"]
        assert len(items) == 1, items
        return items[0]

    def movements(self, **params) -> list[dict[str, Any]]:
        return self.get("/movements", per_page=500, **params)["items"]

    def lots(self, **params) -> list[dict[str, Any]]:
        return self.get("/stock/lots", per_page=500, **params)["items"]

    # --- issue 4: quotas, transfers, stocktake, equipment, spreadsheets -------------------------
    def put(self, path: str, body: dict, status: int = 200) -> dict[str, Any]:
        response = self.client.put(API + path, json=body)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def quota(self, warehouse, item, min_quantity, status=200) -> dict[str, Any]:
        return self.put("/quotas", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                    "min_quantity": min_quantity}, status=status)

    def transfer(self, source, target, item, quantity, status=201, **fields) -> dict[str, Any]:
        return self.post("/stock/transfers", {"from_warehouse_id": source["id"], "to_warehouse_id": target["id"],
                                              "item_id": item["id"], "quantity": quantity, **fields}, status=status)

    def count(self, warehouse, item, counted, reason="月度盘点", status=201, **fields) -> dict[str, Any]:
        return self.post("/stock/adjustments", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                                "counted_quantity": counted, "reason": reason, **fields},
                         status=status)

    def equipment_item(self, interval_days: int | None = 90, **fields) -> dict[str, Any]:
        return self.item(kind="equipment", unit="台", category_code="2", inspection_interval_days=interval_days,
                         **fields)

    def register(self, warehouse, item, serial_no, status=201, **fields) -> dict[str, Any]:
        return self.post("/equipment", {"warehouse_id": warehouse["id"], "item_id": item["id"],
                                        "serial_no": serial_no, **fields}, status=status)

    def inspect(self, unit, result, inspected_at=None, status=201, **fields) -> dict[str, Any]:
        at = inspected_at or clock.now()
        body = {"result": result, "inspected_at": at if isinstance(at, str) else at.isoformat(),
                "inspector": "王工", **fields}
        return self.post(f"/equipment/{unit['id']}/inspections", body, status=status)

    def alerts(self, **params) -> list[dict[str, Any]]:
        body = self.get("/alerts", per_page=500, **params)
        assert body["total"] == len(body["items"])
        return body["items"]

    def ledger_matches_balances(self) -> None:
        """Summing the ledger per depot and item gives every balance, on hand and reserved."""
        sums: dict[tuple[str, str], list] = {}
        for movement in self.movements():
            pair = sums.setdefault((movement["warehouse_id"], movement["item_id"]), [0, 0])
            pair[0] += movement["on_hand_delta"]
            pair[1] += movement["reserved_delta"]
        balances = self.get("/stock", per_page=500)["items"]
        assert {(b["warehouse_id"], b["item_id"]): [b["on_hand"], b["reserved"]] for b in balances
                if (b["warehouse_id"], b["item_id"]) in sums} == {k: [round(v, 3) for v in vs]
                                                                   for k, vs in sums.items()}


def travel(monkeypatch, **delta) -> dt.datetime:
    """Move the service's clock forward (`days=2`); every later request sees the new time."""
    moved = clock.now() + dt.timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: moved)
    return moved


def slowed_inserts(database, seconds: float):
    """The database takes `seconds` over each INSERT, as a service under load might: no sleep in the code."""

    def slow(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO LOTS"):
            time.sleep(seconds)

    event.listen(database.engine, "before_cursor_execute", slow)
    return lambda: event.remove(database.engine, "before_cursor_execute", slow)
