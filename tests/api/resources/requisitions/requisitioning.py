"""The calls the requisition tests share: a request's body, its steps, and what an answer drew and became."""
from __future__ import annotations

from typing import Any

import orgtree
from servicekit.testing import signed_client
from stockroom import Stockroom, local_today

REQUISITIONS = "/requisitions"


def desk(resources_app, code: str, scope: str = "subtree") -> Stockroom:
    return Stockroom(signed_client(resources_app, actor=orgtree.actor(code, scope, role="logistics")))


def line(item, quantity, warehouse=None) -> dict[str, Any]:
    return {"item_id": item["id"], "quantity": quantity, **({"warehouse_id": warehouse["id"]} if warehouse else {})}


def request(*lines, **fields) -> dict[str, Any]:
    return {"purpose": "emergency", "destination": "浦东新区川沙镇安置点", "incident_ref": "2026-汛-017",
            "needed_by": local_today().isoformat(), "lines": list(lines), **fields}


def ask(desk: Stockroom, *lines, status: int = 201, **fields) -> dict[str, Any]:
    return desk.post(REQUISITIONS, request(*lines, **fields), status=status)


def step(desk: Stockroom, requisition, action: str, body: dict | None = None, status: int = 200, **kwargs):
    return desk.post(f"{REQUISITIONS}/{requisition['id']}/{action}", body or {}, status=status, **kwargs)


def draws(requisition) -> list[tuple]:
    """(depot code, item name, batch, quantity) of each allocation, in FEFO order."""
    return [(a["warehouse"]["code"], a["item"]["name"], a["batch_no"], a["quantity"]) for a in requisition["allocations"]]


def totals(requisition, item) -> dict[str, Any]:
    [found] = [l for l in requisition["lines"] if l["item_id"] == item["id"]]
    return {k: found[k] for k in ("quantity", "dispatched", "received", "lost", "returned", "damaged", "consumed")}
