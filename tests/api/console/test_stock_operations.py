"""Logistics staff receive, issue, transfer and count stock with forms that choose depots and items by code and name,
say the API's refusals beside the fields (or, for too little stock, what is available), and return to the depot."""
from __future__ import annotations

import re

import httpx
import pytest

from console import testing
from console.testing import field_errors, visible_text
from tests.api.console.stock_pages import asked

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
CITY = {"id": "eaaf09e1-1ca2-447c-8eaf-7171dd95c032", "code": "WH-SH-01", "name": "市级应急物资储备库"}
PUDONG = {"id": "4bceb950-227c-4d1c-9cb0-d1dadcfd444b", "code": "WH-PD-02", "name": "浦东区应急物资仓库"}
TENT = {"id": "e7e506b0-79ae-43ae-b1c7-349d9057584d", "code": "TENT-01", "name": "单帐篷 12㎡", "unit": "顶"}
WATER = {"id": "26ccfb29-0e08-47f4-ace8-aa4b5ea35159", "code": "WATER-01", "name": "瓶装饮用水 550ml", "unit": "箱"}
LOT_ID = "10a302ed-7c81-43ab-a669-003bf119ee80"
IDS = (CITY["id"], PUDONG["id"], TENT["id"], WATER["id"], LOT_ID)


def depot(ref: dict, level: str = "municipal") -> dict:
    return {**ref, "level": level, "address": None, "lat": 31.2, "lon": 121.5, "contact": None, "org_id": ROOT["id"],
            "org": ROOT, "active": True, "created_at": "2026-03-02T02:36:09+00:00",
            "updated_at": "2026-03-02T02:36:09+00:00"}


def item(ref: dict, category_code: str) -> dict:
    return {**ref, "category_code": category_code, "kind": "material", "shelf_life_days": 365,
            "inspection_interval_days": None, "active": True, "created_at": "2026-03-02T02:36:11+00:00",
            "updated_at": "2026-03-02T02:36:11+00:00"}


def hidden_key(answer) -> str:
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', answer.get_data(as_text=True)).group(1)


@pytest.fixture(autouse=True)
def choosers(gateway):
    """Two depots, two material items, the city depot's lots and balances, as the API answers them."""
    gateway.on("GET", "/warehouses", testing.page_of([depot(CITY), depot(PUDONG, "county")], per_page=100))
    gateway.on("GET", "/items", testing.page_of([item(TENT, "10401"), item(WATER, "10201")], per_page=100))
    gateway.on("GET", "/stock", testing.page_of([
        {"warehouse_id": CITY["id"], "warehouse": CITY, "item_id": WATER["id"], "item": WATER, "on_hand": 200,
         "reserved": 0, "unusable": 0, "available": 200, "min_quantity": 0, "updated_at": "2026-12-02T04:36:16+00:00"}],
        per_page=100))
    gateway.on("GET", "/stock/lots", testing.page_of([
        {"id": LOT_ID, "warehouse_id": CITY["id"], "warehouse": CITY, "item_id": WATER["id"], "item": WATER,
         "batch_no": "W2025-11", "expiry_date": "2026-12-20", "quantity": 90, "reserved": 0,
         "received_at": "2026-12-02T04:36:16+00:00"}], per_page=100))


def test_the_receive_form_chooses_depots_and_materials_by_code_and_name_with_the_depot_from_the_link(console, gateway):
    answer = console.get(f"/stock/receive?warehouse_id={CITY['id']}")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'<option selected value="{CITY["id"]}">WH-SH-01 市级应急物资储备库</option>' in page
    assert f'<option value="{TENT["id"]}">TENT-01 单帐篷 12㎡ (顶)</option>' in page
    assert asked(gateway, "/items") == [{"kind": "material", "page": "1", "per_page": "100"}]
    text = visible_text(answer.data)
    assert "物资入库" in text and "WH-SH-01 市级应急物资储备库 现有库存" in text and "WATER-01 瓶装饮用水 550ml" in text
    assert not any(record_id in text for record_id in IDS)


def test_receiving_sends_the_lot_once_and_returns_to_the_depot_saying_what_came_in(console, gateway):
    gateway.on("POST", "/stock/receipts", httpx.Response(201, json={
        "lot_id": LOT_ID, "movement_id": "2befa607-40c8-46ca-9cd1-3e0c5ddb7d88", "warehouse_id": CITY["id"],
        "warehouse": CITY, "item_id": TENT["id"], "item": TENT, "quantity": 40, "batch_no": "T2024-01",
        "expiry_date": "2034-01-31", "lot_quantity": 40}))
    form = console.get("/stock/receive")
    answer = console.post("/stock/receive", data={
        "csrf_token": testing.csrf_token(console, "/stock/receive"), "idempotency_key": hidden_key(form),
        "warehouse_id": CITY["id"], "item_id": TENT["id"], "quantity": "40.000", "batch_no": "T2024-01",
        "expiry_date": "2034-01-31", "note": "市财政采购"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/depots/{CITY['id']}"
    assert gateway.sent("POST", "/stock/receipts") == [{
        "warehouse_id": CITY["id"], "item_id": TENT["id"], "quantity": 40, "batch_no": "T2024-01",
        "expiry_date": "2034-01-31", "note": "市财政采购"}]
    receipt = next(r for r in gateway.requests if r.method == "POST" and r.url.path == "/api/v1/stock/receipts")
    assert receipt.headers["Idempotency-Key"] == hidden_key(form)
    gateway.on("GET", f"/warehouses/{CITY['id']}", depot(CITY))
    text = visible_text(console.get(answer.headers["Location"]).data)
    assert "TENT-01 单帐篷 12㎡ 40 顶 已入库至 WH-SH-01 市级应急物资储备库，批次 T2024-01（该批次现有 40 顶）。" in text


def test_a_receipt_without_batch_or_expiry_sends_neither_and_a_fraction_stays_exact(console, gateway):
    gateway.on("POST", "/stock/receipts", httpx.Response(201, json={
        "warehouse_id": CITY["id"], "warehouse": CITY, "item_id": WATER["id"], "item": WATER, "quantity": 2.5,
        "batch_no": None, "expiry_date": None, "lot_quantity": 2.5}))
    testing.post_form(console, "/stock/receive", {"warehouse_id": CITY["id"], "item_id": WATER["id"],
                                                  "quantity": "2.5", "batch_no": "", "expiry_date": ""})
    assert gateway.sent("POST", "/stock/receipts") == [{"warehouse_id": CITY["id"], "item_id": WATER["id"],
                                                        "quantity": 2.5}]


@pytest.mark.parametrize("quantity, said", [("0", "请输入大于 0 的数量。"), ("1.2345", "最多保留 3 位小数。"), ("abc", "请输入数字。"),
                                            ("", "此项为必填项。")])
def test_a_quantity_the_api_would_refuse_is_said_beside_it_before_anything_is_sent(console, gateway, quantity, said):
    answer = testing.post_form(console, "/stock/receive", {"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                           "quantity": quantity})
    assert answer.status_code == 422
    assert field_errors(answer.data, "quantity") == [said]
    assert gateway.sent("POST", "/stock/receipts") == []


def test_the_apis_field_errors_are_put_beside_their_fields(console, gateway):
    gateway.on("POST", "/stock/receipts", testing.problem(
        422, "Some fields are invalid: batch_no, expiry_date",
        errors={"batch_no": ["Longer than maximum length 100."], "expiry_date": ["Not a valid date."]}))
    answer = testing.post_form(console, "/stock/receive", {"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                           "quantity": "1", "batch_no": "B",
                                                           "expiry_date": "2030-01-01"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert field_errors(page, "batch_no") == ["Longer than maximum length 100."]
    assert field_errors(page, "expiry_date") == ["请按 YYYY-MM-DD 输入日期。"]
    assert "Some fields are invalid" not in page


@pytest.mark.parametrize("message, said", [("Must be greater than 0.", "请输入大于 0 的数量。"),
                                           ("Must be 0 or more.", "请输入 0 或更大的数。"),
                                           ("Must have at most 3 decimal places.", "最多保留 3 位小数。")])
def test_the_apis_word_on_a_quantity_is_said_in_chinese_beside_it(console, gateway, message, said):
    gateway.on("POST", "/stock/receipts", testing.problem(422, "Some fields are invalid: quantity",
                                                          errors={"quantity": [message]}))
    answer = testing.post_form(console, "/stock/receive", {"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                           "quantity": "1"})
    assert answer.status_code == 422
    assert field_errors(answer.data, "quantity") == [said]


def test_stock_sent_into_a_retired_depot_is_refused_beside_the_depot_in_chinese(console, gateway):
    gateway.on("POST", "/stock/transfers", testing.problem(
        409, f"Depot {PUDONG['code']} ({PUDONG['name']}) is retired: it takes no new stock. PATCH it with "
             '{"active": true} to bring it back.', field="to_warehouse_id"))
    answer = testing.post_form(console, "/stock/transfer", {"from_warehouse_id": CITY["id"],
                                                            "to_warehouse_id": PUDONG["id"], "item_id": WATER["id"],
                                                            "quantity": "10"})
    assert answer.status_code == 409
    assert field_errors(answer.data, "to_warehouse_id") == [
        f"储备库 {PUDONG['code']} ({PUDONG['name']}) 已停用，不再接收新入库物资。"]


def test_issuing_more_than_is_available_shows_what_there_is_at_the_top_and_a_fresh_form(console, gateway):
    gateway.on("POST", "/stock/issues", testing.problem(
        409, "Not enough WATER-01 available at WH-SH-01: requested 500, available 200.",
        shortfall=[{"item_id": WATER["id"], "item": WATER, "requested": 500, "available": 200,
                    "warehouse_id": CITY["id"], "warehouse": CITY}]))
    form = console.get(f"/stock/issue?warehouse_id={CITY['id']}&item_id={WATER['id']}")
    sent_key = hidden_key(form)
    answer = console.post("/stock/issue", data={
        "csrf_token": testing.csrf_token(console, "/stock/issue"), "idempotency_key": sent_key,
        "warehouse_id": CITY["id"], "item_id": WATER["id"], "quantity": "500", "reason": "防汛抢险"})
    assert answer.status_code == 409
    errors = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', answer.get_data(as_text=True),
                       re.S).group(1)
    assert "WH-SH-01 市级应急物资储备库 可用库存不足：" in errors
    assert "WATER-01 瓶装饮用水 550ml：申请 500，可用 200" in errors
    assert "Not enough" not in errors and "shortfall" not in errors
    assert f'<option selected value="{WATER["id"]}">' in answer.get_data(as_text=True)
    assert hidden_key(answer) != sent_key  # the corrected form is a new request, not a replay of the refused one


def test_an_issue_sends_its_reason_and_says_which_lots_it_drew(console, gateway):
    gateway.on("POST", "/stock/issues", httpx.Response(201, json={
        "warehouse_id": CITY["id"], "warehouse": CITY, "item_id": WATER["id"], "item": WATER, "quantity": 30,
        "reason": "防汛抢险", "batch_id": "5a15e495-91a7-4f8d-a7a7-60261410f5da",
        "draws": [{"lot_id": LOT_ID, "batch_no": "W2025-11", "expiry_date": "2026-12-20", "quantity": 30,
                   "movement_id": "08f95af1-bfa0-464c-95a0-8011f99c38f1"}]}))
    answer = testing.post_form(console, "/stock/issue", {"warehouse_id": CITY["id"], "item_id": WATER["id"],
                                                         "quantity": "30", "reason": "防汛抢险"})
    assert gateway.sent("POST", "/stock/issues") == [{"warehouse_id": CITY["id"], "item_id": WATER["id"],
                                                      "quantity": 30, "reason": "防汛抢险"}]
    gateway.on("GET", f"/warehouses/{CITY['id']}", depot(CITY))
    text = visible_text(console.get(answer.headers["Location"]).data)
    assert "已从 WH-SH-01 市级应急物资储备库 出库 WATER-01 瓶装饮用水 550ml 30 箱（扣减批次：W2025-11 × 30）。" in text


def test_a_transfer_names_both_depots_and_returns_to_the_one_it_left(console, gateway):
    gateway.on("POST", "/stock/transfers", httpx.Response(201, json={
        "batch_id": "99aa931b-5067-4ec5-b489-3b40aaaaeb47", "from_warehouse_id": CITY["id"], "from_warehouse": CITY,
        "to_warehouse_id": PUDONG["id"], "to_warehouse": PUDONG, "item_id": TENT["id"], "item": TENT,
        "quantity": 10, "lines": []}))
    page = console.get(f"/stock/transfer?from_warehouse_id={CITY['id']}").get_data(as_text=True)
    assert f'<option selected value="{CITY["id"]}">WH-SH-01 市级应急物资储备库</option>' in page
    answer = testing.post_form(console, "/stock/transfer", {
        "from_warehouse_id": CITY["id"], "to_warehouse_id": PUDONG["id"], "item_id": TENT["id"], "quantity": "10",
        "reason": ""})
    assert answer.headers["Location"] == f"/stock/depots/{CITY['id']}"
    assert gateway.sent("POST", "/stock/transfers") == [{"from_warehouse_id": CITY["id"],
                                                         "to_warehouse_id": PUDONG["id"], "item_id": TENT["id"],
                                                         "quantity": 10}]
    gateway.on("GET", f"/warehouses/{CITY['id']}", depot(CITY))
    assert ("已将 TENT-01 单帐篷 12㎡ 10 顶 从 WH-SH-01 市级应急物资储备库 调拨至 WH-PD-02 浦东区应急物资仓库"
            in visible_text(console.get(answer.headers["Location"]).data))


def test_a_transfer_to_the_depot_it_leaves_is_refused_beside_the_destination(console, gateway):
    answer = testing.post_form(console, "/stock/transfer", {
        "from_warehouse_id": CITY["id"], "to_warehouse_id": CITY["id"], "item_id": TENT["id"], "quantity": "1"})
    assert answer.status_code == 422 and gateway.sent("POST", "/stock/transfers") == []
    assert field_errors(answer.data, "to_warehouse_id") == ["调入库不能与调出库相同。"]


def test_counting_one_lot_offers_the_depots_lots_by_batch_and_says_the_difference(console, gateway):
    page = console.get(f"/stock/count?warehouse_id={CITY['id']}&item_id={WATER['id']}&lot_id={LOT_ID}")
    assert (f'<option selected value="{LOT_ID}">WATER-01 瓶装饮用水 550ml · 批次 W2025-11 · 有效期至 2026-12-20 · 90 箱'
            '</option>') in page.get_data(as_text=True)
    assert asked(gateway, "/stock/lots") == [{"warehouse_id": CITY["id"], "page": "1", "per_page": "100"}]
    gateway.on("POST", "/stock/adjustments", httpx.Response(201, json={
        "batch_id": "bccbec9c-7c5c-4027-9560-71303671f2b6", "warehouse_id": CITY["id"], "warehouse": CITY,
        "item_id": WATER["id"], "item": WATER, "lot_id": LOT_ID, "counted_quantity": 89, "expected_quantity": 90,
        "difference": -1, "reason": "年度盘点", "movement_ids": []}))
    answer = testing.post_form(console, "/stock/count", {
        "warehouse_id": CITY["id"], "item_id": WATER["id"], "lot_id": LOT_ID, "counted_quantity": "89",
        "reason": "年度盘点"})
    assert gateway.sent("POST", "/stock/adjustments") == [{
        "warehouse_id": CITY["id"], "item_id": WATER["id"], "lot_id": LOT_ID, "counted_quantity": 89,
        "reason": "年度盘点"}]
    gateway.on("GET", f"/warehouses/{CITY['id']}", depot(CITY))
    assert "实盘 89 箱，账面 90，盘盈盘亏（-1）已记入台账。" in visible_text(console.get(answer.headers["Location"]).data)


def test_a_count_of_nothing_left_of_the_whole_item_is_sent_without_a_lot(console, gateway):
    gateway.on("POST", "/stock/adjustments", httpx.Response(201, json={
        "warehouse_id": CITY["id"], "warehouse": CITY, "item_id": TENT["id"], "item": TENT, "lot_id": None,
        "counted_quantity": 0, "expected_quantity": 0, "difference": 0, "reason": "复盘", "movement_ids": []}))
    answer = testing.post_form(console, "/stock/count", {"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                         "lot_id": "", "counted_quantity": "0", "reason": "复盘"})
    assert gateway.sent("POST", "/stock/adjustments") == [{"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                           "counted_quantity": 0, "reason": "复盘"}]
    gateway.on("GET", f"/warehouses/{CITY['id']}", depot(CITY))
    assert "与账面一致" in visible_text(console.get(answer.headers["Location"]).data)


def test_a_lot_not_found_is_said_without_the_ids_the_api_named(console, gateway):
    gateway.on("POST", "/stock/adjustments", testing.problem(404, f"No lot {LOT_ID} of TENT-01 at WH-SH-01."))
    answer = testing.post_form(console, "/stock/count", {"warehouse_id": CITY["id"], "item_id": TENT["id"],
                                                         "lot_id": LOT_ID, "counted_quantity": "3", "reason": "盘点"})
    assert answer.status_code == 404
    text = visible_text(answer.data)
    assert "所选储备库、物资或批次不存在" in text and LOT_ID not in text


def test_someone_who_only_reads_is_not_offered_the_operations(console_app, gateway):
    gateway.on("GET", "/me", {**testing.ME, "role": "planner"})
    planner = console_app.test_client()
    testing.sign_in(planner)
    for path in ("/stock/receive", "/stock/issue", "/stock/transfer", "/stock/count"):
        answer = planner.get(path)
        assert answer.status_code == 403 and "您的角色无权执行此操作" in visible_text(answer.data)
