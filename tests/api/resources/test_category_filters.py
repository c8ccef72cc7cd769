"""A category filter means "this class and the classes below it": `_` and `%` are characters, not wildcards."""
from __future__ import annotations

import pytest

from stockroom import url


@pytest.fixture
def shelves(stockroom, depot, tents, water):
    stockroom.receive(depot, tents, 3)
    stockroom.receive(depot, water, 4)
    return depot


def item_codes(client, category_code):
    response = client.get(url("/items", category_code=category_code))
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(item["code"] for item in response.get_json()["items"])


def balance_items(client, category_code):
    response = client.get(url("/stock", category_code=category_code))
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(balance["item_id"] for balance in response.get_json()["items"])


@pytest.mark.parametrize("pattern", ["_", "%", "1%", "1_4", "10_01", "%401"])
def test_a_wildcard_in_a_category_code_matches_nothing(resources_client, shelves, tents, water, pattern):
    assert item_codes(resources_client, pattern) == []
    assert balance_items(resources_client, pattern) == []
    export = resources_client.get(url("/stock/export", format="csv", category_code=pattern))
    assert export.status_code == 200 and len(export.data.decode("utf-8-sig").splitlines()) == 1, "the header only"


def test_a_category_code_still_finds_its_class_and_those_below(resources_client, shelves, tents, water):
    assert item_codes(resources_client, "104") == [tents["code"]]
    assert item_codes(resources_client, "1") == sorted([tents["code"], water["code"]])
    assert balance_items(resources_client, "10201") == [water["id"]]
