"""Approvals racing for the same stock: exactly as many requisitions are approved as the stock covers, nothing is
held twice, and one requisition approved by several people at once is approved once."""
from __future__ import annotations

from collections import Counter

import pytest

from servicekit.testing import signed_client
from services.resources.models import OrgDirectory
from tests.api import orgtree
from tests.api.stockroom import API, Stockroom, local_today
from tests.real.test_concurrency import _ledger_matches, _run_together


@pytest.fixture
def desks(resources_app, resources_db):
    orgtree.seed_directory(resources_db, OrgDirectory)
    return {code: orgtree.actor(code, "subtree", role="logistics") for code in ("ROOT", "PD")}


@pytest.fixture
def pumps(resources_app, desks):
    """25 pumps in one of the city's depots."""
    city = Stockroom(signed_client(resources_app, actor=desks["ROOT"]))
    depot = city.warehouse(name="市级储备库")
    item = city.item(name="排水泵", unit="台")
    city.receive(depot, item, 25)
    return city, item


def _ask(resources_app, actor, item, quantity) -> dict:
    district = Stockroom(signed_client(resources_app, actor=actor))
    return district.post("/requisitions", {"purpose": "emergency", "destination": "安置点",
                                           "needed_by": local_today().isoformat(),
                                           "lines": [{"item_id": item["id"], "quantity": quantity}]})


def test_twenty_approvals_racing_for_25_pumps_approve_twelve_of_two_and_refuse_eight(resources_app, desks, pumps):
    city, item = pumps
    asked = [_ask(resources_app, desks["PD"], item, 2) for _ in range(20)]

    def approve(index):
        own = signed_client(resources_app, actor=desks["ROOT"])
        return own.post(f"{API}/requisitions/{asked[index]['id']}/approve", json={"approved_by": "市局"}).status_code

    assert Counter(_run_together(20, approve)) == {200: 12, 409: 8}
    [balance] = city.get("/stock", item_id=item["id"])["items"]
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (25, 24, 1)
    statuses = Counter(city.get(f"/requisitions/{made['id']}")["status"] for made in asked)
    assert statuses == {"approved": 12, "submitted": 8}
    _ledger_matches(city.client, item["id"], balance)


def test_one_requisition_approved_by_five_people_at_once_is_held_once(resources_app, desks, pumps):
    city, item = pumps
    made = _ask(resources_app, desks["PD"], item, 10)

    def approve(_index):
        own = signed_client(resources_app, actor=desks["ROOT"])
        return own.post(f"{API}/requisitions/{made['id']}/approve", json={"approved_by": "市局"}).status_code

    assert Counter(_run_together(5, approve)) == {200: 1, 409: 4}
    [balance] = city.get("/stock", item_id=item["id"])["items"]
    assert balance["reserved"] == 10
    assert len(city.get(f"/requisitions/{made['id']}")["allocations"]) == 1
    _ledger_matches(city.client, item["id"], balance)
