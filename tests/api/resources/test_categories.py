"""The GB/T 38565-2020 classification tree an officer files items under."""
from __future__ import annotations

from stockroom import API, assert_problem, url

TOP_CLASSES = {"1": "基本生活保障物资", "2": "应急装备及配套物资", "3": "工程材料与机械加工设备"}


def categories(client, **params):
    response = client.get(url("/categories", **params))
    assert response.status_code == 200
    return response.get_json()["items"]


def test_the_tree_is_seeded_with_the_three_top_classes_in_chinese(resources_client):
    top = categories(resources_client, level=1)
    assert {c["code"]: c["name"] for c in top} == TOP_CLASSES
    assert all(c["parent_code"] is None and c["level"] == 1 for c in top)


def test_every_seeded_class_sits_below_its_parent_parents_first(resources_client):
    everything = categories(resources_client)
    assert len(everything) > len(TOP_CLASSES)
    seen = set()
    for category in everything:
        assert set(category) == {"code", "name", "parent_code", "level"}
        if category["level"] > 1:
            assert category["parent_code"] == category["code"][:-2] and category["parent_code"] in seen
        assert len(category["code"]) == 2 * category["level"] - 1
        seen.add(category["code"])


def test_the_tree_can_be_walked_one_level_at_a_time(resources_client):
    children = categories(resources_client, parent_code="2")
    assert children and all(c["parent_code"] == "2" and c["level"] == 2 for c in children)
    grandchildren = categories(resources_client, parent_code=children[0]["code"])
    assert grandchildren and all(c["level"] == 3 for c in grandchildren)
    assert {c["level"] for c in categories(resources_client, level=3)} == {3}
    assert categories(resources_client, parent_code="3", level=3) == []


def test_an_admin_adds_a_class_below_an_existing_one(resources_client):
    response = resources_client.post(f"{API}/categories", json={"code": "1040198", "name": "救灾专用棉帐篷"})
    assert response.status_code == 201
    assert response.get_json() == {"code": "1040198", "name": "救灾专用棉帐篷", "parent_code": "10401", "level": 4}
    assert any(c["code"] == "1040198" for c in categories(resources_client, parent_code="10401"))


def test_a_code_that_breaks_the_standard_is_refused_naming_code(resources_client):
    for code in ("4", "2011", "20100", "1a1"):
        response = resources_client.post(f"{API}/categories", json={"code": code, "name": "错误分类"})
        assert_problem(response, 422, "code")


def test_a_class_under_a_missing_parent_is_refused(resources_client):
    response = resources_client.post(f"{API}/categories", json={"code": "1049801", "name": "无上级分类"})
    body = assert_problem(response, 422, "code")
    assert "10498" in body["errors"]["code"][0]


def test_a_class_that_already_exists_is_a_conflict(resources_client):
    response = resources_client.post(f"{API}/categories", json={"code": "2", "name": "应急装备及配套物资"})
    assert_problem(response, 409)


def test_a_class_needs_a_name_and_nothing_else(resources_client):
    assert_problem(resources_client.post(f"{API}/categories", json={"code": "10498"}), 422, "name")
    response = resources_client.post(f"{API}/categories", json={"code": "10498", "name": "x", "level": 3})
    assert_problem(response, 422, "level")
