"""Writing stock off (报废): an approved removal of part or all of one lot's free stock, told by the ledger."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

import orgtree
from servicekit.testing import signed_client
from services.resources.models import Movement, OrgDirectory
from stockroom import API, Stockroom, assert_problem, depot_ref, in_days, item_ref, travel

DISPOSALS = f"{API}/stock/disposals"


@pytest.fixture
def masks(stockroom):
    return stockroom.item(name="医用防护口罩", unit="盒", category_code="10201")


@pytest.fixture
def expired_lot(stockroom, depot, masks, monkeypatch):
    """Ten boxes of masks that expired yesterday, beside five fresh ones."""
    old = stockroom.receive(depot, masks, 10, batch_no="OLD", expiry_date=in_days(1))
    stockroom.receive(depot, masks, 5, batch_no="NEW", expiry_date=in_days(100))
    travel(monkeypatch, days=2)
    return old


def write_off(depot, lot, quantity, **fields):
    return {"warehouse_id": depot["id"], "lot_id": lot["lot_id"], "quantity": quantity, "reason": "expired",
            "approved_by": "王科长", **fields}


def lot_quantity(stockroom, depot, batch_no):
    [lot] = [lot for lot in stockroom.lots(warehouse_id=depot["id"], include_empty="true")
             if lot["batch_no"] == batch_no]
    return lot["quantity"]


def test_part_of_an_expired_lot_is_written_off_with_its_reason_approver_and_actor(
        resources_client, resources_db, stockroom, depot, masks, expired_lot, outbox):
    [alert] = stockroom.alerts(kind="expired")
    assert (alert["lot_id"], alert["quantity"], alert["reserved"]) == (expired_lot["lot_id"], 10, 0)
    response = resources_client.post(DISPOSALS, json=write_off(depot, expired_lot, 4, note="霉变，已拍照存档"))
    assert response.status_code == 201, response.get_json()
    written = response.get_json()
    assert response.headers["Location"].endswith(f"/movements/{written['movement_id']}")
    assert (written["type"], written["quantity"], written["on_hand_delta"]) == ("disposal", 4, -4)
    assert (written["lot_id"], written["batch_no"]) == (expired_lot["lot_id"], "OLD")
    assert written["warehouse"] == depot_ref(depot) and written["item"] == item_ref(masks)
    assert (written["reason"], written["approved_by"], written["note"]) == ("expired", "王科长", "霉变，已拍照存档")
    assert written["recorded_by"]["name"]
    assert lot_quantity(stockroom, depot, "OLD") == 6
    balance = stockroom.balance(depot, masks)
    assert (balance["on_hand"], balance["unusable"], balance["available"]) == (11, 6, 5)
    [line] = stockroom.movements(type="disposal")
    assert line["id"] == written["movement_id"] and line["approved_by"] == "王科长"
    with resources_db.session(readonly=True) as session:
        stored = session.scalar(select(Movement).where(Movement.id == uuid.UUID(written["movement_id"])))
        assert (stored.type, stored.reason, stored.approved_by, stored.actor_name) == \
            ("disposal", "expired", "王科长", written["recorded_by"]["name"])
    changed = outbox("stock.changed")[-1][1]
    assert (changed["warehouse_id"], changed["on_hand"], changed["batch_id"]) == \
        (depot["id"], 11, written["batch_id"])
    stockroom.ledger_matches_balances()


def test_the_whole_lot_is_written_off_and_its_expired_alert_goes(stockroom, depot, masks, expired_lot):
    stockroom.post("/stock/disposals", write_off(depot, expired_lot, 10))
    assert lot_quantity(stockroom, depot, "OLD") == 0
    assert stockroom.alerts(kind="expired") == []
    assert stockroom.balance(depot, masks)["on_hand"] == 5
    stockroom.ledger_matches_balances()


def test_more_than_the_lot_holds_is_refused_and_nothing_changes(stockroom, depot, masks, expired_lot, outbox):
    events = len(outbox())
    refused = stockroom.post("/stock/disposals", write_off(depot, expired_lot, 10.5), status=409)
    assert (refused["field"], refused["available"]) == ("quantity", 10)
    assert lot_quantity(stockroom, depot, "OLD") == 10 and stockroom.movements(type="disposal") == []
    assert len(outbox()) == events


def test_the_reserved_part_of_a_lot_is_protected(stockroom, depot, masks):
    lot = stockroom.receive(depot, masks, 10, batch_no="HELD")
    stockroom.reserve((masks, 4))
    refused = stockroom.post("/stock/disposals", write_off(depot, lot, 7, reason="damaged"), status=409)
    assert (refused["available"], refused["reserved"]) == (6, 4)
    stockroom.post("/stock/disposals", write_off(depot, lot, 6, reason="damaged"))
    balance = stockroom.balance(depot, masks)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (4, 4, 0)
    stockroom.ledger_matches_balances()


def test_equipment_is_retired_unit_by_unit_not_written_off(stockroom, depot):
    pumps = stockroom.equipment_item(name="移动排涝泵车")
    unit = stockroom.register(depot, pumps, "PUMP-01")
    body = {"warehouse_id": depot["id"], "lot_id": unit["lot_id"], "quantity": 1, "reason": "damaged",
            "approved_by": "王科长"}
    assert stockroom.post("/stock/disposals", body, status=409)["field"] == "item_id"
    assert stockroom.balance(depot, pumps)["on_hand"] == 1


def test_a_lot_of_another_depot_or_an_unknown_one_is_not_found(stockroom, depot, masks, expired_lot):
    other = stockroom.warehouse()
    assert stockroom.post("/stock/disposals", write_off(other, expired_lot, 1), status=404)["field"] == "lot_id"
    stockroom.post("/stock/disposals", write_off(depot, {"lot_id": str(uuid.uuid4())}, 1), status=404)
    unknown_depot = {"id": str(uuid.uuid4())}
    stockroom.post("/stock/disposals", write_off(unknown_depot, expired_lot, 1), status=404)
    assert stockroom.movements(type="disposal") == []


def test_another_organisations_lot_does_not_exist_for_the_caller(resources_app, resources_db):
    orgtree.seed_directory(resources_db, OrgDirectory)
    district = Stockroom(signed_client(resources_app, actor=orgtree.actor("PD", "subtree", role="logistics")))
    xuhui = Stockroom(signed_client(resources_app, actor=orgtree.actor("XH", "subtree", role="logistics")))
    masks = district.item(name="医用防护口罩", unit="盒", category_code="10201")
    depot = district.warehouse()
    lot = district.receive(depot, masks, 10)
    assert xuhui.post("/stock/disposals", write_off(depot, lot, 1), status=404)
    assert district.balance(depot, masks)["on_hand"] == 10


def test_a_retried_write_off_writes_off_once(resources_client, stockroom, depot, masks, expired_lot):
    key = {"Idempotency-Key": "disposal-2026-0001"}
    first = resources_client.post(DISPOSALS, json=write_off(depot, expired_lot, 3), headers=key)
    retry = resources_client.post(DISPOSALS, json=write_off(depot, expired_lot, 3), headers=key)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json() and retry.headers["Location"] == first.headers["Location"]
    assert lot_quantity(stockroom, depot, "OLD") == 7 and len(stockroom.movements(type="disposal")) == 1
    stockroom.ledger_matches_balances()


def test_the_depot_may_be_named_by_its_code(stockroom, depot, masks, expired_lot):
    body = write_off(depot, expired_lot, 2)
    del body["warehouse_id"]
    written = stockroom.post("/stock/disposals", {**body, "warehouse_code": depot["code"]})
    assert written["warehouse_id"] == depot["id"]


@pytest.mark.parametrize("change, field", [
    ({"reason": "lost"}, "reason"),
    ({"reason": None}, "reason"),
    ({"approved_by": ""}, "approved_by"),
    ({"approved_by": None}, "approved_by"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": -1}, "quantity"),
    ({"quantity": 1.0001}, "quantity"),
    ({"quantity": "ten"}, "quantity"),
    ({"lot_id": "not-a-uuid"}, "lot_id"),
    ({"warehouse_id": None}, "warehouse_id"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_refused_naming_the_field(resources_client, stockroom, depot, expired_lot, change, field):
    body = {**write_off(depot, expired_lot, 1), **change}
    assert_problem(resources_client.post(DISPOSALS, json=body), 422, field)
    assert stockroom.movements(type="disposal") == []


def test_missing_fields_are_each_named(resources_client, depot):
    response = resources_client.post(DISPOSALS, json={"warehouse_id": depot["id"]})
    assert_problem(response, 422, "lot_id", "quantity", "reason", "approved_by")
