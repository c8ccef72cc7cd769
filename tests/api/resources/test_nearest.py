"""Which depots can supply a need: those holding enough, nearest first, then the partial holders."""
from __future__ import annotations

import uuid

import pytest

from stockroom import API, assert_problem, in_days, travel, url

SHANGHAI = {"lat": 31.2304, "lon": 121.4737}
JIAXING = {"lat": 30.7522, "lon": 120.7500}
HANGZHOU = {"lat": 30.2741, "lon": 120.1551}
NEAR_JIAXING = {"lat": 30.80, "lon": 120.80}  # a flooded village about 7 km from the Jiaxing depot
SHANGHAI_JIAXING_KM = 87.1  # great-circle distance, computed independently


def nearest(stockroom, item, quantity, place, status=200):
    return stockroom.get("/stock/nearest", status=status, item_id=item["id"], quantity=quantity, **place)


@pytest.fixture
def depots(stockroom):
    return {"上海": stockroom.warehouse(name="上海市应急物资储备库", contact="021-1234", **SHANGHAI),
            "嘉兴": stockroom.warehouse(name="嘉兴市应急物资储备库", **JIAXING),
            "杭州": stockroom.warehouse(name="杭州市应急物资储备库", **HANGZHOU)}


def test_depots_holding_enough_come_first_nearest_first_then_partial_holders(stockroom, depots, tents):
    stockroom.receive(depots["上海"], tents, 50)
    stockroom.receive(depots["嘉兴"], tents, 4)
    stockroom.receive(depots["杭州"], tents, 20)
    answer = nearest(stockroom, tents, 10, NEAR_JIAXING)
    assert [(o["name"][:2], o["sufficient"], o["available"]) for o in answer["items"]] == [
        ("上海", True, 50), ("杭州", True, 20), ("嘉兴", False, 4)]
    assert [o["distance_km"] for o in answer["items"][:2]] == sorted(o["distance_km"] for o in answer["items"][:2])
    assert answer["items"][2]["distance_km"] < answer["items"][0]["distance_km"], "the nearest is only partial"
    assert (answer["quantity"], answer["total_available"], answer["coverable"]) == (10, 74, True)
    first = answer["items"][0]
    assert (first["warehouse_id"], first["code"], first["contact"]) == (depots["上海"]["id"], depots["上海"]["code"],
                                                                        "021-1234")
    assert (first["lat"], first["lon"]) == (SHANGHAI["lat"], SHANGHAI["lon"])


def test_distance_is_the_great_circle_in_km(stockroom, depots, tents):
    stockroom.receive(depots["上海"], tents, 5)
    stockroom.receive(depots["嘉兴"], tents, 5)
    at_shanghai = nearest(stockroom, tents, 1, SHANGHAI)["items"]
    assert [o["name"][:2] for o in at_shanghai] == ["上海", "嘉兴"]
    assert at_shanghai[0]["distance_km"] == 0
    assert at_shanghai[1]["distance_km"] == pytest.approx(SHANGHAI_JIAXING_KM, rel=0.01)
    at_jiaxing = nearest(stockroom, tents, 1, JIAXING)["items"]
    assert [o["name"][:2] for o in at_jiaxing] == ["嘉兴", "上海"]
    assert at_jiaxing[1]["distance_km"] == at_shanghai[1]["distance_km"]


def test_when_nobody_holds_enough_the_partial_holders_are_nearest_first(stockroom, depots, tents):
    stockroom.receive(depots["上海"], tents, 3)
    stockroom.receive(depots["嘉兴"], tents, 2)
    answer = nearest(stockroom, tents, 8, SHANGHAI)
    assert [(o["name"][:2], o["sufficient"]) for o in answer["items"]] == [("上海", False), ("嘉兴", False)]
    assert (answer["total_available"], answer["coverable"]) == (5, False)


def test_depots_without_coordinates_or_without_available_stock_are_left_out(stockroom, depots, tents):
    somewhere = stockroom.warehouse(name="坐标未登记的仓库")
    stockroom.receive(somewhere, tents, 100)
    stockroom.receive(depots["嘉兴"], tents, 5)
    stockroom.receive(depots["杭州"], tents, 6)
    stockroom.reserve((tents, 6, depots["杭州"]))  # Hangzhou's tents are all held for a drill
    answer = nearest(stockroom, tents, 1, SHANGHAI)
    assert [o["warehouse_id"] for o in answer["items"]] == [depots["嘉兴"]["id"]]
    assert answer["total_available"] == 5


def test_expired_and_grounded_stock_offers_nothing(stockroom, depots, monkeypatch):
    masks = stockroom.item(name="医用防护口罩", unit="盒")
    pumps = stockroom.equipment_item(name="移动排涝泵车")
    stockroom.receive(depots["上海"], masks, 10, expiry_date=in_days(1))
    stockroom.receive(depots["嘉兴"], masks, 2, expiry_date=in_days(100))
    unit = stockroom.register(depots["上海"], pumps, "PUMP-1")
    stockroom.register(depots["嘉兴"], pumps, "PUMP-2")
    stockroom.inspect(unit, "fail")
    assert [o["name"][:2] for o in nearest(stockroom, pumps, 1, SHANGHAI)["items"]] == ["嘉兴"]
    travel(monkeypatch, days=3)
    answer = nearest(stockroom, masks, 5, SHANGHAI)
    assert [(o["name"][:2], o["available"], o["sufficient"]) for o in answer["items"]] == [("嘉兴", 2, False)]


def test_an_item_nobody_holds_has_no_offers(stockroom, depots, tents):
    answer = nearest(stockroom, tents, 1, SHANGHAI)
    assert (answer["items"], answer["total_available"], answer["coverable"]) == ([], 0, False)


def test_quantity_may_have_decimals_in_the_query(stockroom, depots, water):
    stockroom.receive(depots["上海"], water, 2.5)
    [offer] = nearest(stockroom, water, "2.5", SHANGHAI)["items"]
    assert offer["sufficient"] is True
    [offer] = nearest(stockroom, water, "2.501", SHANGHAI)["items"]
    assert offer["sufficient"] is False


def test_a_bad_search_is_refused_field_by_field(resources_client, tents):
    base = {"item_id": tents["id"], "quantity": 1, **SHANGHAI}
    for field, value in (("lat", 91), ("lon", -181), ("lat", "north"), ("quantity", 0), ("quantity", "some"),
                         ("quantity", "1.0001"), ("item_id", "tent")):
        assert_problem(resources_client.get(url("/stock/nearest", **{**base, field: value})), 422, field)
    without_lat = {k: v for k, v in base.items() if k != "lat"}
    assert_problem(resources_client.get(url("/stock/nearest", **without_lat)), 422, "lat")
    assert_problem(resources_client.get(url("/stock/nearest", **{**base, "item_id": str(uuid.uuid4())})), 404)
    assert resources_client.get(f"{API}/stock/nearest").status_code == 422
