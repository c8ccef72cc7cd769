"""The bureau looks back at closed orders (回头看): held leaves them closed; a relapse opens a new order for the same
hazards, issued by the checker; only closed orders are looked back at, once at a time."""
from __future__ import annotations

import pytest

from inspections import FOLLOW_UPS, ORDERS, Desk, day, events, on_day, pin_clock
from supervised import ORG_IDS


@pytest.fixture(autouse=True)
def morning(monkeypatch):
    return pin_clock(monkeypatch)


@pytest.fixture
def inspector(desk):
    return Desk(desk("JB"))


@pytest.fixture
def mine(desk):
    return Desk(desk("MINE-1", role="logistics", scope="own"))


@pytest.fixture
def closed(inspector, mine, desk):
    """Close an order for new hazards at `org_code`, signed for and reported by the enterprise's own people."""

    def close(org_code: str = "MINE-1", **fields) -> dict:
        answerer = mine if org_code == "MINE-1" else Desk(desk(org_code, role="logistics", scope="own"))
        order = inspector.order(inspector.hazard(org_code), **fields)
        answerer.acknowledge(order, *(("赵安全", "deputy") if org_code == "MINE-1" else ("周总", "principal")))
        answerer.report(order)
        return inspector.review(order, "passed")

    return close


def test_a_relapse_opens_a_new_order_for_the_same_hazards_issued_by_the_checker(
        inspector, mine, closed, supervision_db, monkeypatch):
    roof = inspector.hazard(title="顶板离层", found_at=day(-2))
    belt = inspector.hazard(title="皮带机无防护罩", level="general", found_at=day(-1))
    first = inspector.order(roof, belt, suspend_production=True, requirements="补打锚杆，加装防护罩")
    mine.acknowledge(first)
    mine.report(first)
    inspector.review(first, "passed")
    look_back = inspector.look_back(first, note="汛前回头看")
    assert (look_back["status"], look_back["due_date"], look_back["note"], look_back["overdue"]) == \
        ("scheduled", day(90), "汛前回头看", False)

    on_day(monkeypatch, 92)
    relapsed = inspector.result(look_back, "relapsed", checker="市局回头看组", note="防护罩已拆除")
    assert (relapsed["status"], relapsed["checker"], relapsed["result_note"]) == \
        ("relapsed", "市局回头看组", "防护罩已拆除")
    [line] = relapsed["orders"]
    assert line["order"] == {"id": first["id"], "code": first["code"], "status": "closed"}
    new = mine.get(f"{ORDERS}/{line['new_order_id']}")
    assert line["new_order"] == {"id": new["id"], "code": new["code"], "status": "issued"}
    assert (new["relapse_of_id"], new["issued_by"], new["due_date"], new["status"]) == \
        (first["id"], "市局回头看组", day(92 + 30), "issued")
    assert (new["hazards"], new["requirements"], new["suspend_production"], new["org"]) == \
        (first["hazards"], "补打锚杆，加装防护罩", True, first["org"])
    assert new["code"].startswith("ZG-20270304-")
    assert mine.order_of(first)["status"] == "closed"
    issued = events(supervision_db, "rectification.issued")
    assert [(e["order_id"], e["relapse_of"]) for e in issued] == [(first["id"], None), (new["id"], first["id"])]


def test_a_relapse_may_set_the_new_orders_due_date(inspector, closed):
    look_back = inspector.look_back(closed(), closed())
    relapsed = inspector.result(look_back, "relapsed", new_due_date=day(10))
    new_orders = [inspector.get(f"{ORDERS}/{line['new_order_id']}") for line in relapsed["orders"]]
    assert [order["due_date"] for order in new_orders] == [day(10), day(10)]
    assert [order["relapse_of_id"] for order in new_orders] == [line["order_id"] for line in relapsed["orders"]]


def test_a_look_back_is_answered_where_its_location_says_and_listed_soonest_due_first(inspector, closed):
    later = inspector.look_back(closed(), due_date=day(180))
    response = inspector.client.post("/api/v1" + FOLLOW_UPS, json={"order_ids": [closed()["id"]], "due_date": day(60)})
    assert response.status_code == 201, response.get_json()
    sooner = response.get_json()
    assert inspector.get(response.headers["Location"].removeprefix("/api/v1")) == sooner
    assert sooner["org"]["code"] == "MINE-1" and sooner["created_by"]["name"] == "JB inspector"
    assert inspector.listed(FOLLOW_UPS) == [sooner["id"], later["id"]]


def test_look_backs_are_filtered_by_status_order_and_overdue(inspector, closed, monkeypatch):
    first, second = closed(), closed()
    held = inspector.result(inspector.look_back(first, due_date=day(5)), "held")
    waiting = inspector.look_back(second, due_date=day(5))
    assert inspector.listed(FOLLOW_UPS, status="held") == [held["id"]]
    assert inspector.listed(FOLLOW_UPS, order_id=second["id"]) == [waiting["id"]]
    on_day(monkeypatch, 6)
    assert inspector.get(f"{FOLLOW_UPS}/{waiting['id']}")["overdue"] is True
    assert inspector.listed(FOLLOW_UPS, overdue="true") == [waiting["id"]]
    assert inspector.listed(FOLLOW_UPS, overdue="false") == [held["id"]]


def test_a_closed_order_may_be_looked_back_at_again_once_the_last_look_back_held(inspector, closed):
    order = closed()
    inspector.result(inspector.look_back(order), "held")
    assert inspector.look_back(order, due_date=day(365))["status"] == "scheduled"


def test_only_closed_orders_are_looked_back_at_and_the_refusal_names_the_others(inspector, mine, closed):
    done = closed()
    issued = inspector.order(inspector.hazard())
    reported = inspector.order(inspector.hazard())
    mine.acknowledge(reported)
    mine.report(reported)
    problem = inspector.refused(FOLLOW_UPS, {"order_ids": [done["id"], issued["id"], reported["id"]],
                                             "due_date": day(30)}, 409)
    assert sorted(problem["order_ids"]) == sorted([issued["id"], reported["id"]])
    assert issued["code"] in problem["detail"] and reported["code"] in problem["detail"]
    assert inspector.listed(FOLLOW_UPS) == []


def test_an_order_awaiting_a_look_back_or_already_found_relapsed_is_409(inspector, closed):
    waiting, relapsed = closed(), closed()
    inspector.look_back(waiting)
    inspector.result(inspector.look_back(relapsed), "relapsed")
    for order in (waiting, relapsed):
        problem = inspector.refused(FOLLOW_UPS, {"order_ids": [order["id"]], "due_date": day(30)}, 409)
        assert problem["order_ids"] == [order["id"]]


@pytest.mark.parametrize("fields, field", [
    ({"due_date": day(-1)}, "due_date"),
    ({"order_ids": []}, "order_ids"),
    ({"order_ids": ["8a0c1b7e-0000-4000-8000-000000000000"]}, "order_ids"),
    ({"note": 7}, "note"),
])
def test_a_bad_look_back_is_422_naming_the_field(inspector, closed, fields, field):
    inspector.refused(FOLLOW_UPS, {"order_ids": [closed()["id"]], "due_date": day(30), **fields}, 422, field)


def test_a_result_is_recorded_once(inspector, closed):
    look_back = inspector.look_back(closed())
    inspector.result(look_back, "held")
    for result in ("held", "relapsed"):
        problem = inspector.refused(f"{FOLLOW_UPS}/{look_back['id']}/result", {"result": result, "checker": "x"}, 409)
        assert (problem["current_status"], problem["allowed_from"]) == ("held", ["scheduled"])


@pytest.mark.parametrize("fields, field", [
    ({"result": "held", "new_due_date": day(30)}, "new_due_date"),  # nothing to be due when it held
    ({"result": "relapsed", "new_due_date": day(0)}, "new_due_date"),
    ({"result": "worse"}, "result"),
    ({"checker": ""}, "checker"),
])
def test_a_result_that_cannot_stand_is_422_naming_the_field(inspector, closed, fields, field):
    look_back = inspector.look_back(closed())
    inspector.refused(f"{FOLLOW_UPS}/{look_back['id']}/result", {"result": "held", "checker": "x", **fields}, 422,
                      field)
    assert inspector.get(f"{FOLLOW_UPS}/{look_back['id']}")["status"] == "scheduled"


def test_a_relapse_whose_hazard_is_already_under_a_new_open_order_is_409(inspector, closed):
    order = closed()
    look_back = inspector.look_back(order)
    inspector.order(inspector.get(f"/hazards/{order['hazards'][0]['id']}"))
    problem = inspector.refused(f"{FOLLOW_UPS}/{look_back['id']}/result", {"result": "relapsed", "checker": "x"}, 409)
    assert problem["hazard_ids"] == [order["hazards"][0]["id"]]
    assert inspector.get(f"{FOLLOW_UPS}/{look_back['id']}")["status"] == "scheduled"


def test_a_look_back_spanning_two_enterprises_belongs_to_their_district(desk, inspector, closed):
    at_mine, at_chem = closed("MINE-1"), closed("CHEM-1")
    both = inspector.look_back(at_mine, at_chem)
    assert both["org"] == {"id": str(ORG_IDS["JB"]), "code": "JB", "name": "JB 单位"}
    assert [line["order"]["code"] for line in both["orders"]] == [at_mine["code"], at_chem["code"]]
    own = Desk(desk("MINE-1", role="logistics", scope="own"))
    own.get(f"{FOLLOW_UPS}/{both['id']}", expect=404)
    relapsed = inspector.result(both, "relapsed")
    assert [line["new_order"]["status"] for line in relapsed["orders"]] == ["issued", "issued"]
    assert relapsed["orders"][0]["new_order_id"] in own.listed(ORDERS)


def test_another_enterprise_and_another_district_do_not_see_the_look_back(desk, inspector, mine, closed):
    look_back = inspector.look_back(closed())
    assert mine.listed(FOLLOW_UPS) == [look_back["id"]]
    for outsider in (Desk(desk("MINE-2", role="logistics", scope="own")), Desk(desk("NS"))):
        assert outsider.listed(FOLLOW_UPS) == []
        outsider.get(f"{FOLLOW_UPS}/{look_back['id']}", expect=404)
        outsider.refused(f"{FOLLOW_UPS}/{look_back['id']}/result", {"result": "held", "checker": "x"}, 404)


def test_an_order_awaiting_the_citys_look_back_is_not_looked_back_at_again_by_its_district(desk, inspector, mine):
    city = Desk(desk("ROOT"))
    mine_2 = Desk(desk("MINE-2", role="logistics", scope="own"))
    closed_orders = []
    for org_code, answerer, signer in (("MINE-1", mine, "赵安全"), ("MINE-2", mine_2, "李副矿长")):
        order = city.order(city.hazard(org_code))
        answerer.acknowledge(order, signer, "deputy")
        answerer.report(order)
        closed_orders.append(city.review(order, "passed"))
    across = city.look_back(*closed_orders)
    assert across["org"]["code"] == "ROOT", "a look-back over two districts' mines is the city's"
    refused = inspector.look_back(closed_orders[0], status=409)
    assert "already awaiting a look-back" in refused["detail"]
    assert city.result(across, "held")["status"] == "held"
