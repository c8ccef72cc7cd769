"""A city bureau, one of its districts and an enterprise under it share one resources service: each sees and
changes only the depots (and their stock) in its scope; a depot outside it does not exist for them."""
from __future__ import annotations

import uuid

import pytest
from flask import g
from sqlalchemy import select
from sqlalchemy.orm import aliased

import orgtree
from orgtree import ORGS
from servicekit.signing import Actor
from servicekit.testing import signed_client
from services.resources.models import Balance, Lot, Movement, OrgDirectory, Warehouse
from stockroom import API, Stockroom, assert_problem, in_days, url



def actor(code: str, scope: str) -> Actor:
    return orgtree.actor(code, scope, role="logistics")


@pytest.fixture
def directory(resources_db):
    """The directory copy as org.changed left it: the city, two districts, an enterprise under one."""
    return orgtree.seed_directory(resources_db, OrgDirectory)


@pytest.fixture
def desks(resources_app, directory):
    """A Stockroom per caller: the city (subtree), the district PD (subtree), the enterprise (own), district XH."""
    return {name: Stockroom(signed_client(resources_app, actor=who)) for name, who in (
        ("city", actor("ROOT", "subtree")), ("district", actor("PD", "subtree")),
        ("enterprise", actor("ENT-001", "own")), ("xuhui", actor("XH", "subtree")))}


@pytest.fixture
def world(desks):
    """A depot of each organisation, made by its own people, each holding tents; the item is shared."""
    tents = desks["city"].item(name="救灾帐篷", unit="顶", category_code="10401", shelf_life_days=20)
    depots = {name: desks[name].warehouse(lat=31.2, lon=121.5) for name in desks}
    for name, depot in depots.items():
        desks[name].receive(depot, tents, 10, batch_no=f"B-{name}", expiry_date=in_days(5))
        desks[name].quota(depot, tents, 50)
    return depots, tents


SEES = {"city": {"city", "district", "enterprise", "xuhui"}, "district": {"district", "enterprise"},
        "enterprise": {"enterprise"}, "xuhui": {"xuhui"}}


def ids(rows, field="warehouse_id") -> set:
    return {row[field] for row in rows}


def depot_ids(depots, names) -> set:
    return {depots[name]["id"] for name in names}


def test_a_depot_belongs_to_its_creators_organisation_and_names_it(desks, world):
    depots, _ = world
    assert depots["enterprise"]["org_id"] == str(ORGS["ENT-001"][0])
    assert depots["enterprise"]["org"] == {"id": str(ORGS["ENT-001"][0]), "code": "ENT-001", "name": "东方化工有限公司"}
    assert depots["district"]["org"]["code"] == "PD"


def test_each_caller_lists_exactly_the_depots_in_its_scope(desks, world):
    depots, _ = world
    for name, seen in SEES.items():
        assert ids(desks[name].get("/warehouses")["items"], "id") == depot_ids(depots, seen), name


def test_a_depot_outside_the_scope_answers_404_to_reads_and_changes(desks, world):
    depots, _ = world
    enterprise, district = desks["enterprise"], desks["district"]
    for foreign in ("city", "district", "xuhui"):
        enterprise.get(f"/warehouses/{depots[foreign]['id']}", status=404)
        assert_problem(enterprise.client.patch(f"{API}/warehouses/{depots[foreign]['id']}", json={"name": "x"}), 404)
    district.get(f"/warehouses/{depots['xuhui']['id']}", status=404)
    assert district.get(f"/warehouses/{depots['enterprise']['id']}")["code"] == depots["enterprise"]["code"]


def test_creating_a_depot_for_an_organisation_outside_the_scope_is_403(desks, directory):
    refused = desks["enterprise"].post("/warehouses", {"code": "WH-X1", "name": "越权库", "level": "enterprise",
                                                       "org_code": "PD"}, status=403)
    assert "outside your scope" in refused["detail"]
    desks["district"].post("/warehouses", {"code": "WH-X2", "name": "越权库", "level": "county",
                                           "org_id": str(ORGS["XH"][0])}, status=403)


def test_a_district_creates_a_depot_for_an_enterprise_below_it(desks, directory):
    made = desks["district"].post("/warehouses", {"code": "WH-E1", "name": "企业库", "level": "enterprise",
                                                  "org_code": "ENT-001"})
    assert made["org"] == {"id": str(ORGS["ENT-001"][0]), "code": "ENT-001", "name": "东方化工有限公司"}
    assert desks["enterprise"].get(f"/warehouses/{made['id']}")["code"] == "WH-E1"


def test_an_organisation_the_copy_does_not_know_yet_is_422_asking_to_retry(desks, directory):
    refused = desks["city"].post("/warehouses", {"code": "WH-N1", "name": "新库", "level": "county",
                                                 "org_id": str(uuid.uuid4())}, status=422)
    assert "not known yet; retry in a moment" in refused["errors"]["org_id"][0]


def test_a_depots_organisation_never_changes(desks, world):
    depots, _ = world
    response = desks["city"].client.patch(f"{API}/warehouses/{depots['enterprise']['id']}", json={"org_code": "XH"})
    assert "never changes" in assert_problem(response, 422, "org_code")["errors"]["org_code"][0]


def test_writes_naming_a_foreign_depot_are_404(desks, world):
    depots, tents = world
    enterprise = desks["enterprise"]
    foreign, own = depots["district"], depots["enterprise"]
    body = {"warehouse_id": foreign["id"], "item_id": tents["id"], "quantity": 1}
    enterprise.post("/stock/receipts", body, status=404)
    enterprise.post("/stock/issues", {**body, "reason": "抢险"}, status=404)
    enterprise.count(foreign, tents, 0, status=404)
    enterprise.transfer(own, foreign, tents, 1, status=404)
    enterprise.transfer(foreign, own, tents, 1, status=404)
    enterprise.put("/quotas", {"warehouse_id": foreign["id"], "item_id": tents["id"], "min_quantity": 1}, status=404)
    enterprise.reserve((tents, 1, foreign), status=404)
    # By its code a foreign depot is as unknown as a code nobody has.
    refused = enterprise.post("/stock/receipts", {"warehouse_code": foreign["code"], "item_id": tents["id"],
                                                  "quantity": 1}, status=422)
    assert "warehouse_code" in refused["errors"]
    assert desks["city"].balance(foreign, tents)["on_hand"] == 10  # nothing moved


def test_a_reservation_without_a_depot_draws_only_from_depots_in_scope(desks, world):
    depots, tents = world
    short = desks["enterprise"].reserve((tents, 11,), status=409)
    assert short["shortfall"][0]["available"] == 10
    held = desks["district"].reserve((tents, 15,))
    assert ids(held["allocations"]) <= depot_ids(depots, SEES["district"])
    desks["xuhui"].get(f"/reservations/{held['id']}", status=404)
    assert desks["city"].get(f"/reservations/{held['id']}")["id"] == held["id"]
    desks["enterprise"].post(f"/reservations/{held['id']}/release", {}, status=404)


def test_lists_and_aggregates_leave_out_what_lies_outside_the_scope(desks, world):
    depots, tents = world
    for name, seen in SEES.items():
        desk, wanted = desks[name], depot_ids(depots, seen)
        assert ids(desk.get("/stock", per_page=500)["items"]) == wanted, name
        assert ids(desk.lots()) == wanted, name
        assert ids(desk.movements()) == wanted, name
        alerts = desk.get("/alerts", within_days=30)
        alerts = alerts["items"] if isinstance(alerts, dict) else alerts
        assert ids(alerts) == wanted, name
        nearest = desk.get("/stock/nearest", item_id=tents["id"], quantity=1, lat=31.2, lon=121.5)
        assert ids(nearest["items"]) == wanted and nearest["total_available"] == 10 * len(wanted), name
        exported = desk.client.get(url("/stock/export", format="csv")).get_data(as_text=True)
        assert {code for code in (depots[n]["code"] for n in desks) if code in exported} == \
            {depots[n]["code"] for n in seen}, name


def test_movements_filtered_by_a_foreign_depot_are_empty(desks, world):
    depots, _ = world
    enterprise = desks["enterprise"]
    assert enterprise.movements(warehouse_id=depots["district"]["id"]) == []
    assert enterprise.get("/stock", warehouse_id=depots["xuhui"]["id"])["items"] == []
    foreign_line = desks["city"].movements(warehouse_id=depots["district"]["id"])[0]
    enterprise.get(f"/movements/{foreign_line['id']}", status=404)


def test_equipment_is_seen_only_within_the_scope(desks, world):
    depots, _ = world
    radio = desks["city"].equipment_item(name="对讲机")
    units = {name: desks[name].register(depots[name], radio, f"SN-{name}") for name in ("district", "enterprise")}
    assert ids(desks["enterprise"].get("/equipment")["items"]) == {depots["enterprise"]["id"]}
    assert ids(desks["district"].get("/equipment")["items"]) == depot_ids(depots, {"district", "enterprise"})
    desks["enterprise"].get(f"/equipment/{units['district']['id']}", status=404)
    desks["enterprise"].register(depots["district"], radio, "SN-X", status=404)


def test_every_row_made_for_a_depot_takes_the_depots_organisation(desks, world, resources_db):
    depots, tents = world
    desks["city"].receive(depots["enterprise"], tents, 3, batch_no="C-1")
    with resources_db.session(readonly=True) as session:
        depot = uuid.UUID(depots["enterprise"]["id"])
        for model in (Lot, Balance, Movement):
            paths = set(session.scalars(select(model.org_path).where(model.warehouse_id == depot)))
            assert paths == {"/ROOT/PD/ENT-001/"}, model


def test_a_query_written_without_thinking_of_scope_is_still_filtered(resources_app, resources_db, world):
    """The kit's one filter: any ORM read inside a request sees only the signed actor's scope, joins and
    aliases included; outside a request (a worker, a sweep) it sees everything."""
    depots, _ = world
    with resources_app.test_request_context():
        g.actor = actor("ENT-001", "own")
        with resources_db.session(readonly=True) as session:
            assert set(session.scalars(select(Warehouse.code))) == {depots["enterprise"]["code"]}
            other = aliased(Warehouse)
            joined = session.execute(select(Lot.id, other.code).join(other, other.id == Lot.warehouse_id)).all()
            assert {code for _, code in joined} == {depots["enterprise"]["code"]}
            assert session.get(Warehouse, uuid.UUID(depots["xuhui"]["id"])) is None
    with resources_db.session(readonly=True) as session:
        assert len(session.scalars(select(Warehouse)).all()) == 4


def test_a_hold_a_service_asks_for_belongs_above_the_depots_it_draws_from(resources_app, desks, world):
    """A drill's hold comes from the drills service calling as itself: no scope, so it may draw anywhere, and
    it belongs to the nearest organisation above its depots, so the district sees it and the enterprise not."""
    depots, tents = world
    service = Stockroom(signed_client(resources_app, actor=Actor(id="drills", name="drills", role="service")))
    held = service.reserve((tents, 5, depots["enterprise"]), (tents, 5, depots["district"]), reference="drill:x")
    assert desks["district"].get(f"/reservations/{held['id']}")["id"] == held["id"]
    desks["enterprise"].get(f"/reservations/{held['id']}", status=404)
    desks["xuhui"].get(f"/reservations/{held['id']}", status=404)
