"""Using the stockpile in an emergency: a district asks the city for life jackets and pumps, the city's stock is
held first-expiry-first-out from its depots, leaves on a waybill, is signed for, and what is left comes back."""
from __future__ import annotations

import pytest

from requisitioning import REQUISITIONS, ask, draws, line, step, totals
from stockroom import depot_ref, in_days, url


def city_stock(city, stores, item, depot):
    balance = city.balance(stores[depot], stores[item])
    return balance["on_hand"], balance["reserved"], balance["available"]


def test_a_flood_requisition_approved_by_phone_travels_and_comes_back_and_the_city_ledger_tells_it(
        city, district, stores, outbox):
    jackets, pumps = stores["jackets"], stores["pumps"]
    made = ask(district, line(jackets, 200), line(pumps, 20), urgent=True, approved_by="市局李局长（电话批准）")
    assert (made["status"], made["urgent"], made["approved_at_submission"]) == ("approved", True, True)
    assert made["approved_by"] == "市局李局长（电话批准）" and made["code"].startswith("REQ-")
    assert made["requesting_org"]["code"] == "PD" and made["supplying_org"] == {
        "id": made["supplying_org_id"], "code": "ROOT", "name": "市应急管理局"}
    assert made["sides"] == ["requesting"]
    # Earliest expiry first across both city depots; the district's own stock is never drawn.
    assert draws(made) == [(stores["north"]["code"], "救生衣", "A", 120), (stores["south"]["code"], "救生衣", "C", 80),
                           (stores["south"]["code"], "排水泵", "P", 20)]
    assert city_stock(city, stores, "jackets", "north") == (220, 120, 100)
    assert district.balance(stores["own"], jackets)["reserved"] == 0

    seen_by_city = city.get(f"{REQUISITIONS}/{made['id']}")
    assert seen_by_city["sides"] == ["supplying"] and seen_by_city["allocations"] == made["allocations"]
    sent = step(city, made, "dispatch", {"waybill_no": "WB-20261202-01", "vehicle": "沪A·12345", "driver": "张师傅"})
    assert (sent["status"], sent["waybill_no"], sent["driver"]) == ("in_transit", "WB-20261202-01", "张师傅")
    assert totals(sent, jackets)["dispatched"] == 200 and totals(sent, pumps)["dispatched"] == 20
    assert city_stock(city, stores, "jackets", "north") == (100, 0, 100)
    assert city_stock(city, stores, "jackets", "south") == (20, 0, 20)
    assert city_stock(city, stores, "pumps", "south") == (5, 0, 5)

    got = step(district, made, "receive", {"received_by": "川沙镇王站长", "lines": [line(jackets, 198), line(pumps, 20)]})
    assert got["status"] == "received" and got["received_by"] == "川沙镇王站长"
    assert totals(got, jackets) | {} == {"quantity": 200, "dispatched": 200, "received": 198, "lost": 2,
                                         "returned": 0, "damaged": 0, "consumed": 0}

    closed = step(district, made, "return", {"note": "汛情解除", "lines": [
        {**line(jackets, 150), "warehouse_id": stores["north"]["id"], "condition": "usable"},
        {**line(jackets, 5), "warehouse_id": stores["north"]["id"], "condition": "damaged"},
        {**line(pumps, 20), "warehouse_id": stores["south"]["id"], "condition": "usable"}]})
    assert closed["status"] == "closed" and closed["closed_at"] and closed["return_note"] == "汛情解除"
    assert totals(closed, jackets) == {"quantity": 200, "dispatched": 200, "received": 198, "lost": 2,
                                       "returned": 150, "damaged": 5, "consumed": 43}
    assert totals(closed, pumps)["returned"] == 20 and totals(closed, pumps)["consumed"] == 0
    assert [(r["item"]["name"], r["quantity"], r["warehouse"], r["condition"]) for r in closed["returns"]] == [
        ("救生衣", 150, depot_ref(stores["north"]), "usable"), ("救生衣", 5, depot_ref(stores["north"]), "damaged"),
        ("排水泵", 20, depot_ref(stores["south"]), "usable")]

    # Usable goods are back as their own lots: A onto its own lot, 30 of C at the north depot with C's expiry;
    # the damaged 5 were handed back there too, and written off there.
    assert city_stock(city, stores, "jackets", "north") == (250, 0, 250)
    assert city_stock(city, stores, "jackets", "south") == (20, 0, 20)
    assert city_stock(city, stores, "pumps", "south") == (25, 0, 25)
    north_lots = {(lot["batch_no"], lot["expiry_date"]): lot["quantity"]
                  for lot in city.lots(warehouse_id=stores["north"]["id"], item_id=jackets["id"])}
    assert north_lots == {("A", in_days(30)): 120, ("B", in_days(200)): 100, ("C", in_days(60)): 30}

    story = [(m["type"], m["warehouse"]["code"], m["batch_no"], m["quantity"], m["on_hand_delta"], m["reserved_delta"])
             for m in reversed(city.movements(reference=made["code"], item_id=jackets["id"]))]
    north, south = stores["north"]["code"], stores["south"]["code"]
    assert story == [("reservation", north, "A", 120, 0, 120), ("reservation", south, "C", 80, 0, 80),
                     ("dispatch", north, "A", 120, -120, -120), ("dispatch", south, "C", 80, -80, -80),
                     ("loss", south, "C", 2, 0, 0),
                     ("return", north, "A", 120, 120, 0), ("return", north, "C", 30, 30, 0),
                     ("return", north, "C", 5, 5, 0), ("disposal", north, "C", 5, -5, 0),
                     ("consumption", south, "C", 43, 0, 0)]
    city.ledger_matches_balances()
    assert [(step["action"], step["by"]["name"]) for step in closed["history"]] == [
        ("submitted", "浦东新区应急管理局"), ("approved", "浦东新区应急管理局"), ("dispatched", "市应急管理局"),
        ("received", "浦东新区应急管理局"), ("returned", "浦东新区应急管理局")]

    announced = {kind: data for kind, data in outbox() if kind.startswith("requisition.")}
    assert set(announced) == {"requisition.approved", "requisition.dispatched", "requisition.closed"}
    assert announced["requisition.approved"]["approved_at_submission"] is True
    assert announced["requisition.dispatched"]["waybill_no"] == "WB-20261202-01"
    closed_event = announced["requisition.closed"]
    assert (closed_event["org_id"], closed_event["supplying_org_id"]) == (made["requesting_org_id"],
                                                                           made["supplying_org_id"])
    assert {(l["item"]["code"], l["consumed"]) for l in closed_event["lines"]} == {(jackets["code"], 43),
                                                                                  (pumps["code"], 0)}


def test_the_supplier_approves_a_submitted_requisition_and_can_bind_a_line_to_one_depot(city, district, stores):
    made = ask(district, line(stores["jackets"], 50, stores["south"]), purpose="drill", note="防汛演练")
    assert (made["status"], made["allocations"], made["approved_by"]) == ("submitted", [], None)
    assert made["lines"][0]["warehouse"] == depot_ref(stores["south"])
    approved = step(city, made, "approve", {"approved_by": "市局仓储科", "note": "同意"})
    assert (approved["status"], approved["approved_at_submission"], approved["approval_note"]) == \
        ("approved", False, "同意")
    assert draws(approved) == [(stores["south"]["code"], "救生衣", "C", 50)]
    city.ledger_matches_balances()


def test_an_urgent_requisition_without_an_approver_waits_for_the_supplier(district, stores):
    made = ask(district, line(stores["pumps"], 2), urgent=True)
    assert (made["status"], made["urgent"], made["approved_at_submission"]) == ("submitted", True, False)


def test_both_sides_list_it_and_the_side_filter_keeps_the_callers_own(city, district, xuhui, stores):
    asked = ask(district, line(stores["pumps"], 1))
    own = ask(city, line(stores["pumps"], 1), supplying_org_code="PD", purpose="training")
    ids = lambda listing: [r["id"] for r in listing["items"]]  # noqa: E731
    assert ids(city.get(REQUISITIONS)) == [own["id"], asked["id"]]
    assert ids(district.get(REQUISITIONS)) == [own["id"], asked["id"]]
    assert ids(city.get(REQUISITIONS, side="supplying")) == [asked["id"]]
    assert ids(city.get(REQUISITIONS, side="requesting")) == [own["id"]]
    assert ids(district.get(REQUISITIONS, side="requesting")) == [asked["id"]]
    assert ids(district.get(REQUISITIONS, purpose="training")) == [own["id"]]
    submitted = city.client.get(url(REQUISITIONS, status="submitted", requesting_org_id=asked["requesting_org_id"]))
    assert ids(submitted.get_json()) == [asked["id"]]
    assert xuhui.get(REQUISITIONS)["total"] == 0
    xuhui.get(f"{REQUISITIONS}/{asked['id']}", status=404)
    step(xuhui, asked, "approve", {"approved_by": "x"}, status=404)


def test_cancelling_an_approved_requisition_gives_its_hold_back(city, district, stores):
    made = ask(district, line(stores["pumps"], 20), urgent=True, approved_by="李局长")
    assert city_stock(city, stores, "pumps", "south") == (25, 20, 5)
    cancelled = step(district, made, "cancel", {"reason": "汛情缓解，不再需要"})
    assert (cancelled["status"], cancelled["cancelled_reason"]) == ("cancelled", "汛情缓解，不再需要")
    assert city_stock(city, stores, "pumps", "south") == (25, 0, 25)
    step(city, made, "dispatch", {"waybill_no": "WB-X"}, status=409)
    city.ledger_matches_balances()


def test_a_retried_dispatch_with_its_key_dispatches_once(city, district, stores):
    made = ask(district, line(stores["pumps"], 3), urgent=True, approved_by="李局长")
    key = {"headers": {"Idempotency-Key": "dispatch-once"}}
    first = step(city, made, "dispatch", {"waybill_no": "WB-1"}, **key)
    again = step(city, made, "dispatch", {"waybill_no": "WB-1"}, **key)
    assert again == first
    assert len(city.movements(type="dispatch", reference=made["code"])) == 1
    assert city_stock(city, stores, "pumps", "south") == (22, 0, 22)
    refused = step(city, made, "dispatch", {"waybill_no": "WB-1"}, status=409)
    assert refused["current_status"] == "in_transit"


@pytest.fixture
def units(city, stores):
    """Two serial-numbered rescue boats at the south depot."""
    boats = city.equipment_item(name="冲锋舟", interval_days=None)
    return boats, [city.register(stores["south"], boats, serial) for serial in ("CFZ-01", "CFZ-02")]


def test_equipment_goes_and_comes_back_unit_by_unit_and_a_damaged_unit_is_retired(city, district, stores, units):
    boats, registered = units
    made = ask(district, line(boats, 2), urgent=True, approved_by="李局长")
    step(city, made, "dispatch", {"waybill_no": "WB-B"})
    assert city.balance(stores["south"], boats)["on_hand"] == 0
    step(district, made, "receive", {"received_by": "王站长", "lines": [line(boats, 2)]})
    step(district, made, "return", {"lines": [
        {**line(boats, 1), "warehouse_id": stores["south"]["id"], "condition": "usable"},
        {**line(boats, 1), "warehouse_id": stores["south"]["id"], "condition": "damaged"}]})
    assert city.balance(stores["south"], boats)["on_hand"] == 1
    statuses = sorted((u["status"], u["in_stock"]) for u in city.get("/equipment", item_id=boats["id"])["items"])
    assert statuses == [("in_service", True), ("retired", False)]
    # A unit goes back to the depot it left, keeping its serial number.
    city.ledger_matches_balances()


def test_stock_in_transit_is_gone_from_its_depot_in_balances_exports_alerts_and_events(city, district, stores, outbox):
    jackets, north = stores["jackets"], stores["north"]
    city.quota(north, jackets, 150)
    made = ask(district, line(jackets, 120, north), urgent=True, approved_by="李局长")
    step(city, made, "dispatch", {"waybill_no": "WB-2"})
    assert city_stock(city, stores, "jackets", "north") == (100, 0, 100)
    exported = city.client.get(url("/stock/export", format="csv")).get_data(as_text=True)
    assert f"{north['code']},{north['name']},{jackets['code']},{jackets['name']}" in exported
    [row] = [r for r in exported.splitlines() if r.startswith(f"{north['code']},") and jackets["code"] in r]
    assert ",100," in row
    assert {(a["warehouse_id"], a["available"]) for a in city.alerts(kind="low_stock")} == {(north["id"], 100)}
    changed = [data for kind, data in outbox("stock.changed") if data["warehouse_id"] == north["id"]][-1]
    assert (changed["on_hand"], changed["reserved"], changed["available"]) == (100, 0, 100)
