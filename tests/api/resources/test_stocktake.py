"""Stocktake: a count of one lot, or of a depot's item spread over its lots first-expiry-first."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from services.resources.models import Movement
from stockroom import API, assert_problem, in_days


def lot_quantities(stockroom, warehouse, item):
    return {lot["batch_no"]: lot["quantity"]
            for lot in stockroom.lots(warehouse_id=warehouse["id"], item_id=item["id"], include_empty="true")}


def recorded_counts(resources_db, batch_id):
    """(lot_id, on_hand_delta, counted, expected, reason) of a stocktake's ledger lines, as stored."""
    with resources_db.session(readonly=True) as session:
        rows = session.scalars(select(Movement).where(Movement.batch_id == uuid.UUID(batch_id))
                               .order_by(Movement.seq)).all()
        return [(str(m.lot_id), m.on_hand_delta, m.counted_quantity, m.expected_quantity, m.reason) for m in rows]


def three_lots(stockroom, depot, water):
    soon = stockroom.receive(depot, water, 3, batch_no="SOON", expiry_date=in_days(10))
    mid = stockroom.receive(depot, water, 4, batch_no="MID", expiry_date=in_days(100))
    late = stockroom.receive(depot, water, 5, batch_no="LATE", expiry_date=in_days(300))
    return soon, mid, late


def test_a_shortage_comes_out_of_the_earliest_expiring_lots(stockroom, depot, water, resources_db):
    soon, mid, _ = three_lots(stockroom, depot, water)
    counted = stockroom.count(depot, water, 7, reason="盘亏：鼠害")
    assert (counted["counted_quantity"], counted["expected_quantity"], counted["difference"]) == (7, 12, -5)
    assert lot_quantities(stockroom, depot, water) == {"SOON": 0, "MID": 2, "LATE": 5}
    assert recorded_counts(resources_db, counted["batch_id"]) == [
        (soon["lot_id"], -3, 7, 12, "盘亏：鼠害"), (mid["lot_id"], -2, 7, 12, "盘亏：鼠害")]
    assert [m["id"] for m in stockroom.movements(type="adjustment")][::-1] == counted["movement_ids"]
    assert stockroom.balance(depot, water)["on_hand"] == 7
    stockroom.ledger_matches_balances()


def test_a_surplus_joins_the_earliest_expiring_lot(stockroom, depot, water, resources_db):
    soon, _, _ = three_lots(stockroom, depot, water)
    counted = stockroom.count(depot, water, 14.5, reason="盘盈")
    assert counted["difference"] == 2.5
    assert lot_quantities(stockroom, depot, water) == {"SOON": 5.5, "MID": 4, "LATE": 5}
    assert recorded_counts(resources_db, counted["batch_id"]) == [(soon["lot_id"], 2.5, 14.5, 12, "盘盈")]
    stockroom.ledger_matches_balances()


def test_a_surplus_where_the_books_hold_nothing_becomes_a_new_lot(stockroom, depot, tents):
    counted = stockroom.count(depot, tents, 6, reason="账外物资")
    assert (counted["expected_quantity"], counted["difference"]) == (0, 6)
    [lot] = stockroom.lots(warehouse_id=depot["id"], item_id=tents["id"])
    assert (lot["quantity"], lot["batch_no"]) == (6, None)
    assert stockroom.balance(depot, tents)["available"] == 6


def test_a_count_that_matches_the_books_writes_no_ledger_line(stockroom, depot, water):
    three_lots(stockroom, depot, water)
    counted = stockroom.count(depot, water, 12)
    assert (counted["difference"], counted["movement_ids"]) == (0, [])
    assert stockroom.movements(type="adjustment") == []


def test_counting_one_lot_changes_only_that_lot(stockroom, depot, water, resources_db):
    _, mid, _ = three_lots(stockroom, depot, water)
    counted = stockroom.count(depot, water, 1, lot_id=mid["lot_id"], reason="破损")
    assert (counted["lot_id"], counted["expected_quantity"], counted["difference"]) == (mid["lot_id"], 4, -3)
    assert lot_quantities(stockroom, depot, water) == {"SOON": 3, "MID": 1, "LATE": 5}
    assert recorded_counts(resources_db, counted["batch_id"]) == [(mid["lot_id"], -3, 1, 4, "破损")]
    counted = stockroom.count(depot, water, 0, lot_id=mid["lot_id"], reason="全部报废")
    assert lot_quantities(stockroom, depot, water) == {"SOON": 3, "MID": 0, "LATE": 5}
    stockroom.ledger_matches_balances()


def test_reserved_stock_is_not_counted_away(stockroom, depot, water):
    soon, _, _ = three_lots(stockroom, depot, water)
    stockroom.reserve((water, 5))  # 3 of SOON, 2 of MID
    refused = stockroom.count(depot, water, 4, status=409)
    assert refused["field"] == "counted_quantity"
    stockroom.count(depot, water, 2, lot_id=soon["lot_id"], status=409)
    assert stockroom.movements(type="adjustment") == []
    # Down to exactly what is reserved is fine: the free stock goes, latest-held last.
    stockroom.count(depot, water, 5)
    assert lot_quantities(stockroom, depot, water) == {"SOON": 3, "MID": 2, "LATE": 0}
    balance = stockroom.balance(depot, water)
    assert (balance["on_hand"], balance["reserved"], balance["available"]) == (5, 5, 0)
    stockroom.ledger_matches_balances()


def test_a_lot_of_another_depot_or_item_is_not_found(stockroom, depot, water, tents):
    other = stockroom.warehouse()
    elsewhere = stockroom.receive(other, water, 3)
    stockroom.receive(depot, water, 3)
    stockroom.count(depot, water, 1, lot_id=elsewhere["lot_id"], status=404)
    stockroom.count(depot, tents, 1, lot_id=elsewhere["lot_id"], status=404)
    stockroom.count(depot, water, 1, lot_id=str(uuid.uuid4()), status=404)
    assert stockroom.movements(type="adjustment") == []


def test_a_count_announces_the_new_balance(stockroom, depot, water, outbox):
    three_lots(stockroom, depot, water)
    stockroom.quota(depot, water, 10)
    stockroom.count(depot, water, 8)
    assert outbox("stock.changed")[-1][1]["on_hand"] == 8
    assert [e["available"] for _, e in outbox("stock.below_quota")] == [8]


def test_equipment_is_not_counted_in_bulk(stockroom, depot):
    pumps = stockroom.equipment_item(name="移动排涝泵车")
    stockroom.register(depot, pumps, "PUMP-01")
    assert stockroom.count(depot, pumps, 0, status=409)["field"] == "item_id"
    assert stockroom.balance(depot, pumps)["on_hand"] == 1


def test_a_bad_count_is_refused_field_by_field(resources_client, depot, water):
    body = {"warehouse_id": depot["id"], "item_id": water["id"], "counted_quantity": 1, "reason": "盘点"}
    assert_problem(resources_client.post(f"{API}/stock/adjustments", json={**body, "counted_quantity": -1}), 422,
                   "counted_quantity")
    assert_problem(resources_client.post(f"{API}/stock/adjustments", json={**body, "reason": ""}), 422, "reason")
    no_reason = {k: v for k, v in body.items() if k != "reason"}
    assert_problem(resources_client.post(f"{API}/stock/adjustments", json=no_reason), 422, "reason")
    assert_problem(resources_client.post(f"{API}/stock/adjustments", json={**body, "lot_id": "lot-7"}), 422, "lot_id")
