"""The nearest depot: which depots can supply a quantity of an item to a place, typed or taken from a depot."""
from __future__ import annotations

import re

from console import testing
from tests.api.console.stock_pages import asked

WH1 = {"id": "860b808d-8c77-44b4-b0ec-3f0a17027b33", "code": "WH-01", "name": "市级应急物资储备库"}
WH2 = {"id": "66fad830-e38f-4d4a-9f1d-e5b53b683e49", "code": "WH-02", "name": "北区储备点"}
JACKET = {"id": "70034709-ab69-4971-ae05-ae3628bf8583", "code": "LJ-001", "name": "救生衣", "unit": "件"}


def offer(depot, *, level, lat, lon, distance_km, available, sufficient, contact=None) -> dict:
    """One depot of GET /stock/nearest's answer (services/resources/api/equipment_schemas.py DepotOfferSchema)."""
    return {"warehouse_id": depot["id"], "warehouse": depot, "code": depot["code"], "name": depot["name"],
            "level": level, "lat": lat, "lon": lon, "contact": contact, "distance_km": distance_km,
            "available": available, "sufficient": sufficient}


def answer(lat, lon, *, coverable=True) -> dict:
    return {"item_id": JACKET["id"], "item": JACKET, "quantity": 100, "lat": lat, "lon": lon,
            "total_available": 280 if coverable else 80, "coverable": coverable,
            "items": [offer(WH1, level="municipal", lat=31.23, lon=121.47, distance_km=8.29, available=200,
                            sufficient=True, contact="张三 13800000000"),
                      offer(WH2, level="county", lat=31.4, lon=121.5, distance_km=11.12, available=80,
                            sufficient=False)][0 if coverable else 1:]}


def teach(gateway):
    gateway.on("GET", "/items", testing.page_of([JACKET]))
    gateway.on("GET", "/warehouses", testing.page_of([WH1, WH2]))


def test_the_empty_form_asks_nothing_of_the_search(console, gateway):
    teach(gateway)

    page = console.get("/stock/nearest")

    assert page.status_code == 200 and "查找储备库" in page.get_data(as_text=True)
    assert not [r for r in gateway.requests if r.url.path == "/api/v1/stock/nearest"]


def test_typed_coordinates_find_the_depots_nearest_first_with_what_they_hold(console, gateway):
    teach(gateway)
    gateway.on("GET", "/stock/nearest", answer(31.3, 121.5))

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=100&lat=31.3&lon=121.5")

    assert page.status_code == 200
    assert asked(gateway, "/stock/nearest") == [{"item_id": JACKET["id"], "quantity": "100", "lat": "31.3",
                                                  "lon": "121.5"}]
    html = page.get_data(as_text=True)
    results = html[html.index('data-testid="nearest-results"'):]
    depots = re.findall(r'<a href="/stock/depots/([^"]+)">([^<]+)</a>', results)
    assert depots == [(WH1["id"], "WH-01 市级应急物资储备库"), (WH2["id"], "WH-02 北区储备点")]
    assert "8.3 km" in results and "200 件" in results and "可全部满足" in results and "仅部分满足" in results
    assert "张三 13800000000" in results and "合计可用 280 件，足以满足需求" in results
    assert JACKET["id"] not in re.sub(r"<[^>]+>", " ", results)


def test_a_chosen_depot_lends_its_coordinates(console, gateway):
    teach(gateway)
    gateway.on("GET", f"/warehouses/{WH2['id']}", {**WH2, "level": "county", "lat": 31.4, "lon": 121.5})
    gateway.on("GET", "/stock/nearest", answer(31.4, 121.5, coverable=False))

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=100&origin={WH2['id']}&lat=&lon=")

    assert [(params["lat"], params["lon"]) for params in asked(gateway, "/stock/nearest")] == [("31.4", "121.5")]
    html = page.get_data(as_text=True)
    assert "起点 WH-02 北区储备点（31.4, 121.5）" in html
    assert "合计仅可用 80 件，不足以满足需求" in html


def test_a_depot_without_coordinates_is_said_beside_the_depot(console, gateway):
    teach(gateway)
    gateway.on("GET", f"/warehouses/{WH2['id']}", {**WH2, "level": "county", "lat": None, "lon": None})

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=100&origin={WH2['id']}")

    assert page.status_code == 422
    assert testing.field_errors(page.data, "origin") == ["该储备库没有坐标，请直接输入起点坐标。"]
    assert not [r for r in gateway.requests if r.url.path == "/api/v1/stock/nearest"]


def test_no_place_at_all_asks_for_coordinates(console, gateway):
    teach(gateway)

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=100")

    assert page.status_code == 422
    assert testing.field_errors(page.data, "lat") == ["请输入经纬度，或选择一个储备库以其坐标为起点。"]


def test_the_apis_refusal_is_said_beside_the_field(console, gateway):
    teach(gateway)
    gateway.on("GET", "/stock/nearest", testing.problem(422, "Some fields are invalid: quantity",
                                                        errors={"quantity": ["Must be a number."]}))

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=5&lat=31&lon=121")

    assert page.status_code == 422
    assert testing.field_errors(page.data, "quantity") == ["Must be a number."]


def test_a_latitude_beyond_the_pole_is_refused_here(console, gateway):
    teach(gateway)

    page = console.get(f"/stock/nearest?item_id={JACKET['id']}&quantity=5&lat=91&lon=121")

    assert page.status_code == 422 and testing.field_errors(page.data, "lat")
