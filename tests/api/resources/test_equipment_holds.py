"""A unit out of service is never held for a drill: its hold moves to a usable unit; issued units leave the shelf."""
from __future__ import annotations



def test_a_held_unit_that_fails_inspection_hands_its_hold_to_another_unit(stockroom, depot):
    pumps = stockroom.equipment_item(code="PUMP-H", name="排水泵")
    first = stockroom.register(depot, pumps, "P-1")
    held = stockroom.reserve((pumps, 1), reference="drill:pumps")
    assert [a["lot_id"] for a in held["allocations"]] == [first["lot_id"]]
    second = stockroom.register(depot, pumps, "P-2")

    stockroom.inspect(first, "fail", note="密封圈老化")

    now = stockroom.get(f"/reservations/{held['id']}")
    assert now["status"] == "held"
    assert [a["lot_id"] for a in now["allocations"]] == [second["lot_id"]]
    balance = stockroom.balance(depot, pumps)
    assert (balance["on_hand"], balance["reserved"], balance["unusable"], balance["available"]) == (2, 1, 1, 0)
    stockroom.ledger_matches_balances()


def test_with_no_unit_to_take_over_the_hold_stays_and_the_unit_is_flagged(stockroom, depot):
    pumps = stockroom.equipment_item(code="PUMP-S", name="排水泵")
    only = stockroom.register(depot, pumps, "P-9")
    held = stockroom.reserve((pumps, 1), reference="drill:pumps")
    stockroom.inspect(only, "fail")
    assert stockroom.get(f"/reservations/{held['id']}")["allocations"][0]["lot_id"] == only["lot_id"]
    assert stockroom.get(f"/equipment/{only['id']}")["status"] == "out_of_service"


def test_an_issued_unit_is_no_longer_in_stock_nor_due_for_inspection_on_the_shelf(stockroom, depot):
    pumps = stockroom.equipment_item(code="PUMP-I", name="排水泵", interval_days=1)
    unit = stockroom.register(depot, pumps, "P-5", next_inspection_due=stockroom_date_past())
    stockroom.issue(depot, pumps, 1)
    assert stockroom.get(f"/equipment/{unit['id']}")["in_stock"] is False
    assert [a for a in stockroom.alerts(kind="inspection_due") if a.get("equipment_id") == unit["id"]] == []


def stockroom_date_past() -> str:
    from stockroom import in_days

    return in_days(-3)
