"""Depots and catalog items: registered, read, changed, listed, and refused when wrong."""
from __future__ import annotations

import uuid

from stockroom import API, assert_problem, url

DEPOT = {"code": "SH-PD-01", "name": "上海市浦东新区应急物资储备库", "level": "county",
         "address": "上海市浦东新区川沙路 1号", "lat": 31.19, "lon": 121.70, "contact": "王主任 021-5800 0000"}
ITEM = {"code": "TENT-12", "name": "12平方米单帐篷", "category_code": "10401", "unit": "顶", "kind": "material",
        "shelf_life_days": 3650}


def test_a_depot_is_registered_and_read_back_with_its_chinese_text_unchanged(resources_client):
    created = resources_client.post(f"{API}/warehouses", json=DEPOT)
    assert created.status_code == 201
    body = created.get_json()
    uuid.UUID(body["id"])
    assert {k: body[k] for k in DEPOT} == DEPOT
    fetched = resources_client.get(f"{API}/warehouses/{body['id']}")
    assert fetched.status_code == 200 and fetched.get_json() == body
    assert "上海市浦东新区应急物资储备库".encode() in fetched.data


def test_a_depot_is_changed_field_by_field(resources_client):
    depot = resources_client.post(f"{API}/warehouses", json=DEPOT).get_json()
    response = resources_client.patch(f"{API}/warehouses/{depot['id']}", json={"contact": "李科长", "level": "municipal"})
    assert response.status_code == 200
    changed = response.get_json()
    assert (changed["contact"], changed["level"], changed["name"]) == ("李科长", "municipal", DEPOT["name"])
    assert resources_client.get(f"{API}/warehouses/{depot['id']}").get_json()["contact"] == "李科长"


def test_depot_codes_are_unique_on_create_and_on_change(resources_client, stockroom):
    resources_client.post(f"{API}/warehouses", json=DEPOT)
    assert_problem(resources_client.post(f"{API}/warehouses", json={**DEPOT, "name": "另一个库"}), 409)
    other = stockroom.warehouse()
    assert_problem(resources_client.patch(f"{API}/warehouses/{other['id']}", json={"code": DEPOT["code"]}), 409)


def test_a_bad_depot_is_refused_field_by_field(resources_client):
    body = assert_problem(resources_client.post(f"{API}/warehouses", json={**DEPOT, "level": "village", "lat": 91}),
                          422, "level", "lat")
    assert "level" in body["detail"]
    assert_problem(resources_client.post(f"{API}/warehouses", json={"name": "无编码"}), 422, "code", "level")
    assert_problem(resources_client.post(f"{API}/warehouses", json={**DEPOT, "capacity": 10}), 422, "capacity")
    assert_problem(resources_client.post(f"{API}/warehouses", json={**DEPOT, "id": str(uuid.uuid4())}), 422, "id")


def test_malformed_json_is_a_400_problem(resources_client):
    response = resources_client.post(f"{API}/warehouses", data=b'{"code": "X", ', content_type="application/json")
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_an_unknown_depot_or_item_is_404(resources_client):
    missing = uuid.uuid4()
    assert_problem(resources_client.get(f"{API}/warehouses/{missing}"), 404)
    assert_problem(resources_client.patch(f"{API}/warehouses/{missing}", json={"name": "x"}), 404)
    assert_problem(resources_client.get(f"{API}/items/{missing}"), 404)
    assert_problem(resources_client.get(f"{API}/warehouses/not-a-uuid"), 404)


def test_a_method_the_path_does_not_have_is_405_with_allow(resources_client):
    response = resources_client.delete(f"{API}/warehouses")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_depots_are_listed_in_pages_by_code(resources_client):
    for n in range(5):
        resources_client.post(f"{API}/warehouses", json={**DEPOT, "code": f"D-{n}", "name": f"储备库{n}"})
    first = resources_client.get(url("/warehouses", page=1, per_page=2)).get_json()
    assert (first["total"], first["page"], first["per_page"]) == (5, 1, 2)
    assert [w["code"] for w in first["items"]] == ["D-0", "D-1"]
    last = resources_client.get(url("/warehouses", page=3, per_page=2)).get_json()
    assert [w["code"] for w in last["items"]] == ["D-4"]
    assert resources_client.get(url("/warehouses", page=4, per_page=2)).get_json()["items"] == []
    assert resources_client.get(url("/warehouses", q="储备库3")).get_json()["total"] == 1
    assert_problem(resources_client.get(url("/warehouses", per_page=0)), 422, "per_page")


def test_an_item_is_catalogued_under_an_existing_category(resources_client):
    created = resources_client.post(f"{API}/items", json=ITEM)
    assert created.status_code == 201
    item = created.get_json()
    assert {k: item[k] for k in ITEM} == ITEM
    assert resources_client.get(f"{API}/items/{item['id']}").get_json() == item


def test_an_item_under_an_unknown_category_is_refused_naming_the_field(resources_client):
    assert_problem(resources_client.post(f"{API}/items", json={**ITEM, "category_code": "10498"}), 422, "category_code")
    item = resources_client.post(f"{API}/items", json=ITEM).get_json()
    assert_problem(resources_client.patch(f"{API}/items/{item['id']}", json={"category_code": "999"}), 422,
                   "category_code")


def test_an_item_is_renamed_but_never_changes_kind(resources_client):
    item = resources_client.post(f"{API}/items", json=ITEM).get_json()
    renamed = resources_client.patch(f"{API}/items/{item['id']}", json={"name": "12平方米棉帐篷", "shelf_life_days": None})
    assert renamed.status_code == 200
    assert (renamed.get_json()["name"], renamed.get_json()["shelf_life_days"]) == ("12平方米棉帐篷", None)
    assert_problem(resources_client.patch(f"{API}/items/{item['id']}", json={"kind": "equipment"}), 409)


def test_item_codes_are_unique_and_bad_items_are_refused(resources_client):
    resources_client.post(f"{API}/items", json=ITEM)
    assert_problem(resources_client.post(f"{API}/items", json={**ITEM, "name": "重复"}), 409)
    assert_problem(resources_client.post(f"{API}/items", json={**ITEM, "code": "X", "kind": "consumable"}), 422, "kind")
    assert_problem(resources_client.post(f"{API}/items", json={**ITEM, "code": "X", "colour": "绿"}), 422, "colour")
    assert_problem(resources_client.post(f"{API}/items", json={**ITEM, "code": "X", "shelf_life_days": 0}), 422,
                   "shelf_life_days")


def test_items_are_listed_by_class_including_everything_below_it(resources_client):
    resources_client.post(f"{API}/items", json=ITEM)
    resources_client.post(f"{API}/items", json={**ITEM, "code": "WATER", "name": "瓶装水", "category_code": "10201"})
    resources_client.post(f"{API}/items", json={**ITEM, "code": "HELMET", "name": "安全帽", "category_code": "20101",
                                                "kind": "equipment"})
    assert [i["code"] for i in resources_client.get(url("/items", category_code="1")).get_json()["items"]] == \
        ["TENT-12", "WATER"]
    assert resources_client.get(url("/items", category_code="104")).get_json()["total"] == 1
    assert [i["code"] for i in resources_client.get(url("/items", kind="equipment")).get_json()["items"]] == ["HELMET"]
    page = resources_client.get(url("/items", per_page=1, page=2)).get_json()
    assert set(page) == {"items", "total", "page", "per_page"} and page["total"] == 3 and len(page["items"]) == 1


def test_searching_by_code_treats_wildcards_as_plain_characters(resources_client):
    for code in ("GZ_01", "GZX01", "GZ%02"):
        resources_client.post(f"{API}/warehouses", json={**DEPOT, "code": code})
    assert [w["code"] for w in resources_client.get(url("/warehouses", q="Z_")).get_json()["items"]] == ["GZ_01"]
    assert [w["code"] for w in resources_client.get(url("/warehouses", q="%")).get_json()["items"]] == ["GZ%02"]
    resources_client.post(f"{API}/items", json={**ITEM, "code": "MASK_N95"})
    resources_client.post(f"{API}/items", json={**ITEM, "code": "MASKXN95"})
    assert resources_client.get(url("/items", q="K_N")).get_json()["total"] == 1
