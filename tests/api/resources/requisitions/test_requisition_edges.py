"""The edges of a requisition that a careful reviewer found: whose word approves it, who may cancel it, whole units,
one line per item, a long destination, a unit grounded while held, a dispatch dated before the approval."""
from __future__ import annotations

import pytest

from requisitioning import REQUISITIONS, ask, desk, draws, line, request, step
from stockroom import assert_problem, in_days, url


def test_only_an_organisation_above_the_requester_approves_by_telephone(district, xuhui, stores):
    pumps = stores["pumps"]
    refused = assert_problem(xuhui.client.post(url(REQUISITIONS), json=request(
        line(pumps, 1), supplying_org_code="PD", urgent=True, approved_by="自己")), 422, "approved_by")
    assert "PD approves this requisition itself" in refused["errors"]["approved_by"][0]
    asked = ask(xuhui, line(pumps, 1), supplying_org_code="PD", urgent=True)
    assert (asked["status"], asked["allocations"]) == ("submitted", [])


def test_a_bureau_above_both_sides_reaches_a_requisition_but_does_not_cancel_it(resources_app, city, district, stores):
    enterprise = desk(resources_app, "ENT-001", scope="own")
    asked = ask(enterprise, line(stores["pumps"], 1))  # to its parent, the district
    assert asked["supplying_org"]["code"] == "PD"
    refused = step(city, asked, "cancel", {"reason": "越级取消"}, status=403)
    assert "requesting or the supplying organisation" in refused["detail"]
    assert step(district, asked, "cancel", {"reason": "区局库存不足"})["status"] == "cancelled"


def test_each_item_is_asked_for_once(district, stores):
    refused = assert_problem(district.client.post(url(REQUISITIONS), json=request(
        line(stores["jackets"], 10, stores["north"]), line(stores["jackets"], 10, stores["south"]))), 422, "lines")
    assert "asked for on an earlier line" in refused["errors"]["lines"]["1"]["item_id"][0]


@pytest.fixture
def boats(city, stores):
    """Two rescue boats at the south depot, one at the north, and one of the district's own."""
    item = city.equipment_item(name="冲锋舟", interval_days=None)
    units = {serial: city.register(stores[depot], item, serial)
             for serial, depot in (("S-1", "south"), ("S-2", "south"), ("N-1", "north"))}
    return item, units


def test_equipment_is_signed_for_and_returned_in_whole_units(city, district, stores, boats):
    item, _ = boats
    made = ask(district, line(item, 2), urgent=True, approved_by="李局长")
    step(city, made, "dispatch", {"waybill_no": "WB-B"})
    refused = step(district, made, "receive", {"received_by": "王", "lines": [line(item, 1.5)]}, status=422)
    assert refused["errors"] == {"lines": {"0": {"quantity": ["Equipment comes in whole units."]}}}
    step(district, made, "receive", {"received_by": "王", "lines": [line(item, 2)]})
    half = {**line(item, 0.5), "warehouse_id": stores["south"]["id"], "condition": "usable"}
    assert step(district, made, "return", {"lines": [half]}, status=422)["errors"]["lines"]["0"]["quantity"]


def test_a_unit_grounded_while_held_is_replaced_from_the_suppliers_own_depots_and_the_requisition_follows(
        resources_app, city, district, xuhui, stores, boats):
    item, units = boats
    made = ask(xuhui, line(item, 1, stores["south"]), supplying_org_code="ROOT")
    approved = step(city, made, "approve", {"approved_by": "市局"})
    [(depot, _, _, _)] = draws(approved)
    held_serial = "S-1" if depot == stores["south"]["code"] else "S-2"
    city.inspect(units[held_serial], "fail", inspected_at=in_days(0))
    sent = step(city, made, "dispatch", {"waybill_no": "WB-G"})
    [moved] = sent["allocations"]
    assert moved["lot_id"] != units[held_serial]["lot_id"], "the grounded unit never leaves"
    assert moved["warehouse"]["code"] in {stores["south"]["code"], stores["north"]["code"]}
    city.ledger_matches_balances()


def test_a_long_destination_does_not_stop_a_dispatch(city, district, stores):
    made = ask(district, line(stores["pumps"], 1), urgent=True, approved_by="李局长", destination="川" * 500)
    assert step(city, made, "dispatch", {"waybill_no": "WB-L"})["status"] == "in_transit"


def test_a_dispatch_dated_before_the_day_of_its_approval_is_422(city, district, stores):
    made = ask(district, line(stores["pumps"], 1), urgent=True, approved_by="李局长")
    refused = step(city, made, "dispatch", {"waybill_no": "WB-1", "dispatched_at": in_days(-1)}, status=422)
    assert refused["errors"] == {"dispatched_at": ["Cannot lie before the day it was approved."]}
    assert step(city, made, "dispatch", {"waybill_no": "WB-1", "dispatched_at": in_days(0)})["status"] == "in_transit"
