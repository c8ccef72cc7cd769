"""Issue 15 as a new user tries it, through the gateway of the real stack (embedded, and RabbitMQ + PostgreSQL): in a
flood a district bureau asks the city for 200 life jackets and 20 pumps, approved by telephone; the city dispatches
on a waybill; the district signs for 198 jackets and returns 150 usable, 5 damaged and the pumps; the city's ledger
tells the story line by line, and its stock is back where the return put it."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest

from servicekit.clock import DEFAULT_TIMEZONE, local_today
from servicekit.testing import wait_until
from tests.e2e.realstack import rabbitmq_postgres_settings
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-requisition-story-admin-key-0123456789"
ADMIN_PASSWORD = "e2e-admin-password-2026"
PASSWORD = "e2e-person-password-2026"
pytestmark = pytest.mark.slow

PEOPLE = {  # username: (display name, organisation, role)
    "city.logistics": ("市局仓储科 周强", "ROOT", "logistics"),
    "pd.logistics": ("浦东应急局 钱多多", "PD", "logistics"),
    "pd.viewer": ("浦东值班员", "PD", "viewer"),
}


@pytest.fixture(params=["embedded", pytest.param("amqp-postgres", marks=[pytest.mark.rabbitmq, pytest.mark.postgres])])
def stack(request, tmp_path, tmp_path_factory):
    settings = {"ERDM_ADMIN_PASSWORD": ADMIN_PASSWORD}
    if request.param == "amqp-postgres":
        settings |= rabbitmq_postgres_settings(request.config, tmp_path_factory, instances=1)
    with erdm_stack(tmp_path, ADMIN_KEY, **settings) as (base, _process, _env):
        yield base


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _sign_in(base: str, username: str, password: str) -> httpx.Client:
    token = _ok(httpx.post(f"{base}/api/v1/sessions", json={"username": username, "password": password},
                           timeout=30), 201)["token"]
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=15)


def _once_known(send) -> httpx.Response:
    """A write that needs the resources service's copy of the directory: retried while it says "not known yet"."""
    answers: list[httpx.Response] = []

    def answered() -> bool:
        answers.append(send())
        return answers[-1].status_code != 422 or "not known yet" not in answers[-1].text

    wait_until(answered, timeout=10, interval=0.1)
    return answers[-1]


def test_a_district_borrows_from_the_city_in_a_flood_and_the_city_ledger_tells_it(stack):
    admin = _sign_in(stack, "admin", ADMIN_PASSWORD)
    _ok(admin.post("/orgs", json={"code": "PD", "name": "浦东新区应急管理局", "kind": "bureau", "parent_code": "ROOT"}),
        201)
    for username, (display_name, org, role) in PEOPLE.items():
        _ok(admin.post("/users", json={"username": username, "display_name": display_name, "password": PASSWORD,
                                       "role": role, "org_code": org, "scope": "subtree"}), 201)
    city, district, viewer = (_sign_in(stack, username, PASSWORD) for username in PEOPLE)

    # The city's reserve: jackets in two depots (batch A expires first), pumps in the second.
    jackets = _ok(city.post("/items", json={"code": "LJ-001", "name": "救生衣", "category_code": "2", "unit": "件",
                                            "kind": "material"}), 201)
    pumps = _ok(city.post("/items", json={"code": "PS-001", "name": "排水泵", "category_code": "2", "unit": "台",
                                          "kind": "material"}), 201)
    today = local_today(DEFAULT_TIMEZONE)  # the bureau's date: the stack reckons `needed_by` in its zone
    for code, name in (("SH-N", "市北应急物资储备库"), ("SH-S", "市南应急物资储备库")):
        _ok(city.post("/warehouses", json={"code": code, "name": name, "level": "municipal"}), 201)
    for depot, item, quantity, batch, days in (("SH-N", "LJ-001", 150, "A", 40), ("SH-S", "LJ-001", 100, "B", 300),
                                               ("SH-S", "PS-001", 30, "P", None)):
        _ok(city.post("/stock/receipts", json={
            "warehouse_code": depot, "item_code": item, "quantity": quantity, "batch_no": batch,
            **({"expiry_date": str(today + dt.timedelta(days=days))} if days else {})}), 201)

    # The district asks; the city's duty leader approved it by telephone.
    ask = {"purpose": "emergency", "incident_ref": "2026-汛-017", "destination": "浦东新区川沙镇安置点",
           "needed_by": str(today), "urgent": True, "approved_by": "市局李局长（电话批准）",
           "lines": [{"item_code": "LJ-001", "quantity": 200}, {"item_code": "PS-001", "quantity": 20}]}
    assert viewer.post("/requisitions", json=ask).status_code == 403, "a viewer asks for nothing"
    made = _ok(_once_known(lambda: district.post("/requisitions", json=ask)), 201)
    assert (made["status"], made["approved_at_submission"], made["supplying_org"]["code"]) == ("approved", True, "ROOT")
    assert [(a["warehouse"]["code"], a["batch_no"], a["quantity"]) for a in made["allocations"]] == [
        ("SH-N", "A", 150), ("SH-S", "B", 50), ("SH-S", "P", 20)]
    path = f"/requisitions/{made['id']}"
    assert district.post(f"{path}/dispatch", json={"waybill_no": "X"}).status_code == 403

    _ok(city.post(f"{path}/dispatch", json={"waybill_no": "WB-20261202-01", "vehicle": "沪A·12345", "driver": "张师傅"}))
    _ok(district.post(f"{path}/receive", json={"received_by": "川沙镇王站长", "lines": [
        {"item_code": "LJ-001", "quantity": 198}, {"item_code": "PS-001", "quantity": 20}]}))
    closed = _ok(district.post(f"{path}/return", json={"note": "汛情解除", "lines": [
        {"item_code": "LJ-001", "quantity": 150, "warehouse_code": "SH-N", "condition": "usable"},
        {"item_code": "LJ-001", "quantity": 5, "warehouse_code": "SH-N", "condition": "damaged"},
        {"item_code": "PS-001", "quantity": 20, "warehouse_code": "SH-S", "condition": "usable"}]}))
    [jacket_line] = [line for line in closed["lines"] if line["item"]["code"] == "LJ-001"]
    assert (closed["status"], jacket_line["lost"], jacket_line["returned"], jacket_line["damaged"],
            jacket_line["consumed"]) == ("closed", 2, 150, 5, 43)

    # The city's ledger, oldest first: held, left on the waybill, 2 lost on the way, back, written off, used
    # (what is lost or comes back counts against the latest-expiring batch the field had not used first).
    ledger = _ok(city.get("/movements", params={"reference": made["code"], "item_id": jackets["id"],
                                                "per_page": 50}))["items"]
    assert [(m["type"], m["warehouse"]["code"], m["batch_no"], m["quantity"]) for m in reversed(ledger)] == [
        ("reservation", "SH-N", "A", 150), ("reservation", "SH-S", "B", 50),
        ("dispatch", "SH-N", "A", 150), ("dispatch", "SH-S", "B", 50),
        ("loss", "SH-S", "B", 2),
        ("return", "SH-N", "A", 150), ("return", "SH-N", "B", 5), ("disposal", "SH-N", "B", 5),
        ("consumption", "SH-S", "B", 43)]
    stock = {(row["warehouse"]["code"], row["item"]["code"]): row["on_hand"]
             for row in _ok(city.get("/stock", params={"per_page": 50}))["items"]}
    assert stock == {("SH-N", "LJ-001"): 150, ("SH-S", "LJ-001"): 50, ("SH-S", "PS-001"): 30}
    # The district sees the requisition, never the city's depots themselves.
    assert _ok(district.get(path))["sides"] == ["requesting"]
    assert district.get("/warehouses").json()["total"] == 0
    assert pumps["id"] in {line["item_id"] for line in closed["lines"]}
