"""A city bureau whose two depots hold life jackets and pumps, and a district that asks it for them: the desks and
calls the requisition tests share."""
from __future__ import annotations

from typing import Any

import pytest

import orgtree
from servicekit.testing import signed_client
from services.resources.models import OrgDirectory
from stockroom import Stockroom, in_days, local_today

REQUISITIONS = "/requisitions"


def desk(resources_app, code: str, scope: str = "subtree") -> Stockroom:
    return Stockroom(signed_client(resources_app, actor=orgtree.actor(code, scope, role="logistics")))


@pytest.fixture
def directory(resources_db):
    return orgtree.seed_directory(resources_db, OrgDirectory)


@pytest.fixture
def city(resources_app, directory) -> Stockroom:
    return desk(resources_app, "ROOT")


@pytest.fixture
def district(resources_app, directory) -> Stockroom:
    return desk(resources_app, "PD")


@pytest.fixture
def xuhui(resources_app, directory) -> Stockroom:
    return desk(resources_app, "XH")


@pytest.fixture(autouse=True)
def ledger_balances_after_each_test(city):
    """Whatever a test did, every depot's ledger sums to its balance when it ends (the city sees every depot)."""
    yield
    city.ledger_matches_balances()


@pytest.fixture
def stores(city, district):
    """The city's two depots: jackets in three batches (A expires first, then C, then B) and pumps; the district's
    own depot with jackets expiring before all of them (a requisition never draws from the requester's)."""
    jackets = city.item(name="救生衣", unit="件", category_code="10401")
    pumps = city.item(name="排水泵", unit="台", category_code="10401")
    north = city.warehouse(name="市北应急物资储备库")
    south = city.warehouse(name="市南应急物资储备库")
    own = district.warehouse(name="浦东区级储备库", level="county")
    city.receive(north, jackets, 120, batch_no="A", expiry_date=in_days(30))
    city.receive(north, jackets, 100, batch_no="B", expiry_date=in_days(200))
    city.receive(south, jackets, 100, batch_no="C", expiry_date=in_days(60))
    city.receive(south, pumps, 25, batch_no="P")
    district.receive(own, jackets, 10, batch_no="PD", expiry_date=in_days(5))
    return {"jackets": jackets, "pumps": pumps, "north": north, "south": south, "own": own}


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
