"""Every step of a requisition refused from the wrong state (409), by the wrong side (403) or with a bad body
(422 naming the field), and nothing changes when it is."""
from __future__ import annotations

import pytest

from requisitioning import REQUISITIONS, ask, line, request, step
from stockroom import assert_problem, in_days, url

STEPS = {  # action -> a good body for it, given the stores
    "approve": lambda s: {"approved_by": "市局仓储科"},
    "reject": lambda s: {"reason": "库存需保障本级"},
    "cancel": lambda s: {"reason": "不再需要"},
    "dispatch": lambda s: {"waybill_no": "WB-1"},
    "receive": lambda s: {"received_by": "王站长", "lines": [line(s["pumps"], 2)]},
    "return": lambda s: {"lines": []},
}


def at(status: str, city, district, stores) -> dict:
    """A requisition of two pumps brought to `status` by the steps that lead there."""
    made = ask(district, line(stores["pumps"], 2))
    path = {"submitted": [], "approved": ["approve"], "rejected": ["reject"], "cancelled": ["cancel"],
            "in_transit": ["approve", "dispatch"], "received": ["approve", "dispatch", "receive"],
            "closed": ["approve", "dispatch", "receive", "return"]}[status]
    for action in path:
        step(district if action in ("receive", "return") else city, made, action, STEPS[action](stores))
    return made


ALLOWED = {"approve": {"submitted"}, "reject": {"submitted"}, "cancel": {"submitted", "approved"},
           "dispatch": {"approved"}, "receive": {"in_transit"}, "return": {"received"}}
STATUSES = ("submitted", "approved", "rejected", "cancelled", "in_transit", "received", "closed")


@pytest.mark.parametrize("status", STATUSES)
def test_each_step_from_a_state_it_does_not_leave_is_409_naming_the_state(city, district, stores, status):
    made = at(status, city, district, stores)
    before = city.get(f"{REQUISITIONS}/{made['id']}")
    for action, allowed in ALLOWED.items():
        if status in allowed:
            continue
        desk = district if action in ("receive", "return") else city
        refused = step(desk, made, action, STEPS[action](stores), status=409)
        assert (refused["current_status"], refused["action"]) == (status, action)
    assert city.get(f"{REQUISITIONS}/{made['id']}") == before
    city.ledger_matches_balances()


@pytest.mark.parametrize("action", ["approve", "reject", "dispatch"])
def test_only_the_supplying_side_approves_rejects_and_dispatches(city, district, stores, action):
    made = at("approved" if action == "dispatch" else "submitted", city, district, stores)
    refused = step(district, made, action, STEPS[action](stores), status=403)
    assert "supplying organisation" in refused["detail"]


@pytest.mark.parametrize("action", ["receive", "return"])
def test_only_the_requesting_side_receives_and_returns_even_a_bureau_above_it(city, district, stores, action):
    made = at("in_transit" if action == "receive" else "received", city, district, stores)
    refused = step(city, made, action, STEPS[action](stores), status=403)
    assert "requesting organisation" in refused["detail"]


def test_approval_the_stock_does_not_cover_is_409_naming_the_item_and_holds_nothing(city, district, stores):
    made = ask(district, line(stores["jackets"], 500), line(stores["pumps"], 2))
    refused = step(city, made, "approve", STEPS["approve"](stores), status=409)
    [short] = refused["shortfall"]
    assert (short["item"]["name"], short["requested"], short["available"]) == ("救生衣", 500, 320)
    assert city.get(f"{REQUISITIONS}/{made['id']}")["status"] == "submitted"
    assert all(b["reserved"] == 0 for b in city.get("/stock")["items"])


def test_an_urgent_approval_the_stock_does_not_cover_creates_nothing(city, district, stores):
    ask(district, line(stores["pumps"], 26), urgent=True, approved_by="李局长", status=409)
    assert district.get(REQUISITIONS)["total"] == 0


@pytest.mark.parametrize("fields, field", [
    ({"approved_by": "李局长"}, "approved_by"),
    ({"needed_by": in_days(-1)}, "needed_by"),
    ({"purpose": "party"}, "purpose"),
    ({"destination": ""}, "destination"),
    ({"lines": []}, "lines"),
    ({"supplying_org_code": "PD"}, "supplying_org_code"),
    ({"supplying_org_code": "NOBODY"}, "supplying_org_code"),
])
def test_a_bad_request_is_422_naming_the_field(district, stores, fields, field):
    body = request(line(stores["pumps"], 1), **fields)
    assert_problem(district.client.post(url(REQUISITIONS), json=body), 422, field)
    assert district.get(REQUISITIONS)["total"] == 0


def test_a_line_naming_a_depot_that_is_not_the_suppliers_own_is_422(district, stores):
    body = request(line(stores["pumps"], 1, stores["own"]))
    refused = assert_problem(district.client.post(url(REQUISITIONS), json=body), 422, "lines")
    assert refused["errors"]["lines"] == {"0": {"warehouse_id": ["Not an active depot of ROOT (市应急管理局)."]}}


def test_the_city_has_no_parent_to_ask_by_default(city, stores):
    refused = assert_problem(city.client.post(url(REQUISITIONS), json=request(line(stores["pumps"], 1))), 422,
                             "supplying_org_id")
    assert "no parent" in refused["errors"]["supplying_org_id"][0]


def test_receiving_more_than_was_dispatched_or_leaving_an_item_out_is_422(city, district, stores):
    made = ask(district, line(stores["pumps"], 2), line(stores["jackets"], 3), urgent=True, approved_by="李局长")
    step(city, made, "dispatch", STEPS["dispatch"](stores))
    too_many = step(district, made, "receive", {"received_by": "王", "lines": [line(stores["pumps"], 3),
                                                                              line(stores["jackets"], 3)]}, status=422)
    assert too_many["errors"] == {"lines": {"0": {"quantity": ["Only 2 were dispatched."]}}}
    left_out = step(district, made, "receive", {"received_by": "王", "lines": [line(stores["pumps"], 2)]}, status=422)
    assert stores["jackets"]["code"] in left_out["errors"]["lines"][0]
    foreign = step(district, made, "receive", {"received_by": "王", "lines": [
        line(stores["pumps"], 2), line(stores["jackets"], 3), {"item_code": "NOPE", "quantity": 1}]}, status=422)
    assert foreign["errors"] == {"lines": {"2": {"item_code": ["No item with code 'NOPE'."]}}}
    assert city.get(f"{REQUISITIONS}/{made['id']}")["status"] == "in_transit"


def test_returning_more_than_arrived_or_to_a_depot_not_the_suppliers_is_422(city, district, stores):
    made = at("in_transit", city, district, stores)
    step(district, made, "receive", {"received_by": "王", "lines": [line(stores["pumps"], 1)]})
    back = lambda quantity, depot, condition="usable": {  # noqa: E731
        **line(stores["pumps"], quantity), "warehouse_id": depot["id"], "condition": condition}
    too_many = step(district, made, "return", {"lines": [back(1, stores["south"]), back(1, stores["south"], "damaged")]},
                    status=422)
    assert list(too_many["errors"]["lines"]) == ["1"] and "quantity" in too_many["errors"]["lines"]["1"]
    own_depot = step(district, made, "return", {"lines": [back(1, stores["own"])]}, status=422)
    assert own_depot["errors"] == {"lines": {"0": {"warehouse_id": ["Not a depot of the supplying organisation."]}}}
    bad_condition = step(district, made, "return", {"lines": [back(1, stores["south"], "lost")]}, status=422)
    assert "condition" in bad_condition["errors"]["lines"]["0"]
    assert city.get(f"{REQUISITIONS}/{made['id']}")["status"] == "received"
    city.ledger_matches_balances()


def test_a_dispatch_dated_in_the_future_is_422(city, district, stores):
    made = at("approved", city, district, stores)
    refused = step(city, made, "dispatch", {"waybill_no": "WB-1", "dispatched_at": in_days(2)}, status=422)
    assert list(refused["errors"]) == ["dispatched_at"]


def test_a_requisitions_hold_is_not_released_or_used_through_the_reservations_api(city, district, stores):
    made = at("approved", city, district, stores)
    reservation = f"/reservations/{made_reservation(city, made)}"
    for action, body in (("release", {}), ("consume", {"lines": [line(stores["pumps"], 1)]})):
        refused = city.post(f"{reservation}/{action}", body, status=409)
        assert refused["requisition_code"] == made["code"] and "cancel or dispatch" in refused["detail"]
    assert step(city, made, "dispatch", STEPS["dispatch"](stores))["status"] == "in_transit"


def made_reservation(city, made) -> str:
    """The id of the reservation holding a requisition's stock, as its ledger lines name it."""
    [held] = city.movements(type="reservation", reference=made["code"])
    return held["reservation_id"]
