"""Logistics staff keep the item catalog (物资目录): each item with its GB/T 38565 category by code and name, its unit,
kind, shelf life and inspection interval; they filter it and add items under a category chosen from the tree."""
from __future__ import annotations

import re

import httpx
import pytest

from console import testing
from console.testing import field_errors, visible_text
from tests.api.console.stock_pages import asked, reader

CATEGORIES = {"items": [
    {"code": "1", "name": "基本生活保障物资", "parent_code": None, "level": 1},
    {"code": "104", "name": "住宿用品", "parent_code": "1", "level": 2},
    {"code": "10401", "name": "帐篷", "parent_code": "104", "level": 3},
    {"code": "2", "name": "应急装备及配套物资", "parent_code": None, "level": 1},
    {"code": "20101", "name": "生命探测装备", "parent_code": "201", "level": 3},
]}
TENT = {"id": "e7e506b0-79ae-43ae-b1c7-349d9057584d", "code": "TENT-01", "name": "单帐篷 12㎡", "category_code": "10401",
        "unit": "顶", "kind": "material", "shelf_life_days": 3650, "inspection_interval_days": None, "active": True,
        "created_at": "2026-03-02T02:36:11+00:00", "updated_at": "2026-03-02T02:36:11+00:00"}
DETECTOR = {**TENT, "id": "5d1c2a8e-9b1f-4c7e-a0c3-2f6e7d8b9a10", "code": "LD-01", "name": "雷达生命探测仪",
            "category_code": "20101", "unit": "台", "kind": "equipment", "shelf_life_days": None,
            "inspection_interval_days": 180}


@pytest.fixture(autouse=True)
def catalog(gateway):
    gateway.on("GET", "/categories", CATEGORIES)
    gateway.on("GET", "/items", testing.page_of([DETECTOR, TENT]))


def test_the_catalog_shows_each_item_with_its_category_by_code_and_name(console):
    answer = console.get("/stock/items")
    text = visible_text(answer.data)
    assert answer.status_code == 200 and "物资目录" in text
    assert "TENT-01 单帐篷 12㎡ 10401 帐篷 顶 物资 3650 —" in text
    assert "LD-01 雷达生命探测仪 20101 生命探测装备 台 装备 — 180" in text
    assert TENT["id"] not in text and DETECTOR["id"] not in text
    assert f'href="/stock/movements?item_id={TENT["id"]}"' in answer.get_data(as_text=True)


def test_the_filters_and_the_page_reach_the_api(console, gateway):
    page = console.get("/stock/items?q=帐篷&kind=material&category_code=104&include_inactive=true&page=2")
    assert asked(gateway, "/items") == [{"q": "帐篷", "kind": "material", "category_code": "104",
                                         "include_inactive": "true", "page": "2"}]
    assert '<option selected value="104">\u00a0\u00a0\u00a0104 住宿用品</option>' in page.get_data(as_text=True)


def test_the_category_chooser_indents_each_class_below_its_parent(console):
    page = console.get("/stock/items").get_data(as_text=True)
    chooser = re.search(r'<select[^>]*id="category_code" name="category_code"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", chooser)[1:] == [
        "1 基本生活保障物资", "\u00a0" * 3 + "104 住宿用品", "\u00a0" * 6 + "10401 帐篷", "2 应急装备及配套物资",
        "\u00a0" * 6 + "20101 生命探测装备"]


def test_adding_an_item_sends_its_fields_and_shows_it_in_the_catalog(console, gateway):
    gateway.on("POST", "/items", httpx.Response(201, json={**TENT, "code": "QUILT-01", "name": "棉被"}))
    answer = testing.post_form(console, "/stock/items", {
        "code": "QUILT-01", "name": "棉被", "category_code": "10401", "unit": "床", "kind": "material",
        "shelf_life_days": "1825", "inspection_interval_days": ""}, page="/stock/items")
    assert answer.status_code == 302 and answer.headers["Location"] == "/stock/items?q=QUILT-01"
    assert gateway.sent("POST", "/items") == [{"code": "QUILT-01", "name": "棉被", "category_code": "10401",
                                               "unit": "床", "kind": "material", "shelf_life_days": 1825,
                                               "inspection_interval_days": None}]
    assert "物资 QUILT-01 棉被 已加入物资目录。" in visible_text(console.get(answer.headers["Location"]).data)


def test_an_item_code_already_taken_is_said_beside_the_code_and_the_form_kept(console, gateway):
    gateway.on("POST", "/items", testing.problem(409, "A item with code 'TENT-01' already exists.", field="code"))
    answer = testing.post_form(console, "/stock/items", {
        "code": "TENT-01", "name": "帐篷", "category_code": "10401", "unit": "顶", "kind": "material"},
        page="/stock/items")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert field_errors(page, "code") == ["该编码已被使用。"]
    assert 'value="帐篷"' in page and "already exists" not in page


def test_a_category_the_api_does_not_know_is_said_beside_the_chooser(console, gateway):
    gateway.on("POST", "/items", testing.problem(422, "Some fields are invalid.", errors={
        "category_code": ["No category 10401; see GET /api/v1/categories."]}))
    answer = testing.post_form(console, "/stock/items", {
        "code": "X-1", "name": "新物资", "category_code": "10401", "unit": "件", "kind": "material"},
        page="/stock/items")
    assert answer.status_code == 422
    assert field_errors(answer.data, "category_code") == ["No category 10401; see GET /api/v1/categories."]


def test_the_form_asks_for_what_is_missing_before_sending(console, gateway):
    answer = testing.post_form(console, "/stock/items", {"code": "X-1", "name": "", "category_code": "",
                                                          "unit": "件", "kind": "material",
                                                          "shelf_life_days": "0"}, page="/stock/items")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and gateway.sent("POST", "/items") == []
    assert field_errors(page, "name") == field_errors(page, "category_code") == ["此项为必填项。"]
    assert field_errors(page, "shelf_life_days")


def test_someone_who_only_reads_sees_the_catalog_without_the_form(console_app, gateway):
    viewer = reader(console_app, gateway)
    answer = viewer.get("/stock/items")
    assert "TENT-01" in visible_text(answer.data) and "新增物资" not in visible_text(answer.data)
    assert testing.post_form(viewer, "/stock/items", {"code": "X"}, page="/stock/items").status_code == 403
