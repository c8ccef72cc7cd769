"""Logistics staff read the stock ledger (台账) as they kept it in spreadsheets: each movement's time, type, item,
depot, signed quantity, batch, who made it and why, filtered by depot, item and type."""
from __future__ import annotations

import re

from console import testing
from console.testing import visible_text
from tests.api.console.stock_pages import asked, row_of

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
CITY = {"id": "eaaf09e1-1ca2-447c-8eaf-7171dd95c032", "code": "WH-SH-01", "name": "市级应急物资储备库"}
TENT = {"id": "e7e506b0-79ae-43ae-b1c7-349d9057584d", "code": "TENT-01", "name": "单帐篷 12㎡", "unit": "顶"}
WATER = {"id": "26ccfb29-0e08-47f4-ace8-aa4b5ea35159", "code": "WATER-01", "name": "瓶装饮用水 550ml", "unit": "箱"}
LOT_ID = "0274635e-594a-4bd8-98cc-1ecd6b3bd06e"
DRILL_ID = "5d0f6a1e-8c3b-4f7a-9e2d-1b4c6a8e0f13"


def movement(number: int, kind: str, item: dict, *, quantity, on_hand_delta, reserved_delta=0, **extra) -> dict:
    """A ledger line as `GET /movements` answers it."""
    return {"id": f"00000000-0000-4000-8000-{number:012d}", "seq": number,
            "batch_id": f"00000000-0000-4000-9000-{number:012d}", "type": kind, "warehouse_id": CITY["id"],
            "warehouse": CITY, "item_id": item["id"], "item": item, "lot_id": LOT_ID, "batch_no": "T2024-01",
            "expiry_date": "2034-01-31", "quantity": quantity, "on_hand_delta": on_hand_delta,
            "reserved_delta": reserved_delta, "reservation_id": None, "reference": None, "reason": None, "note": None,
            "counted_quantity": None, "expected_quantity": None, "actor_id": "u-1", "actor_name": "李保管",
            "recorded_by": {"id": "u-1", "name": "李保管"}, "request_id": "r-1",
            "created_at": "2026-12-02T04:36:16.018730+00:00", **extra}


LEDGER = [
    movement(7, "adjustment", TENT, quantity=1, on_hand_delta=-1, reason="年度盘点", counted_quantity=29,
             expected_quantity=30),
    movement(5, "transfer_out", TENT, quantity=10, on_hand_delta=-10, reference="to WH-PD-02"),
    movement(4, "reservation", WATER, quantity=20, on_hand_delta=0, reserved_delta=20, reference="演练 DR-2026-03"),
    movement(1, "receipt", TENT, quantity=40, on_hand_delta=40, note="市财政采购"),
]


def row_text(answer, text: str) -> str:
    """What a person reads in the ledger's row that shows `text`."""
    return visible_text(row_of(answer.data, text)).strip()


def answer_choosers(gateway) -> None:
    gateway.on("GET", "/warehouses", testing.page_of([{**CITY, "level": "municipal", "org": ROOT, "active": True}]))
    gateway.on("GET", "/items", testing.page_of([{**TENT, "category_code": "10401", "kind": "material"},
                                                 {**WATER, "category_code": "10201", "kind": "material"}]))


def test_each_movement_shows_when_what_where_how_much_which_batch_who_and_why(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of(LEDGER))
    answer = console.get("/stock/movements")
    assert answer.status_code == 200
    assert row_text(answer, "年度盘点") == ("2026-12-02 12:36 盘点调整 TENT-01 单帐篷 12㎡ WH-SH-01 市级应急物资储备库 −1 顶 "
                                      "T2024-01 有效期至 2034-01-31 李保管 年度盘点 实盘 29，账面 30")
    assert "−10 顶" in row_text(answer, "调出") and "调往 WH-PD-02" in row_text(answer, "调出")
    assert "+40 顶" in row_text(answer, "市财政采购") and "入库" in row_text(answer, "市财政采购")
    reservation = row_text(answer, "演练 DR-2026-03")
    assert "预留" in reservation and "+20 箱" in reservation
    text = visible_text(answer.data)
    assert not any(record["id"] in text for record in LEDGER) and CITY["id"] not in text and LOT_ID not in text
    assert f'href="/stock/depots/{CITY["id"]}"' in answer.get_data(as_text=True)


def test_the_filters_and_the_page_are_passed_to_the_api_and_named_in_the_heading(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of(LEDGER[:1], page=3, per_page=50, total=420))
    answer = console.get(f"/stock/movements?warehouse_id={CITY['id']}&item_id={TENT['id']}&type=adjustment&page=3")
    assert asked(gateway, "/movements") == [{"warehouse_id": CITY["id"], "item_id": TENT["id"], "type": "adjustment",
                                             "page": "3", "per_page": "50"}]
    page = answer.get_data(as_text=True)
    assert "<h1>物资台账 · WH-SH-01 市级应急物资储备库 · TENT-01 单帐篷 12㎡ (顶)</h1>" in page
    assert f'<option selected value="{CITY["id"]}">WH-SH-01 市级应急物资储备库</option>' in page
    assert '<option selected value="adjustment">盘点调整</option>' in page
    assert "第 3 / 9 页（共 420 条）" in visible_text(answer.data)
    assert "page=4" in re.search(r'<a href="([^"]*)" rel="next">', page).group(1)


def test_the_filters_offer_retired_depots_and_items_whose_history_the_ledger_keeps(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([]))
    console.get("/stock/movements")
    assert asked(gateway, "/warehouses")[0]["include_inactive"] == "true"
    assert asked(gateway, "/items")[0]["include_inactive"] == "true"


def test_a_type_the_ledger_does_not_know_is_not_sent(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([]))
    answer = console.get("/stock/movements?type=teleport")
    assert answer.status_code == 200 and "type" not in asked(gateway, "/movements")[0]
    assert "暂无出入库记录" in visible_text(answer.data)


def test_every_type_is_offered_in_chinese(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([]))
    page = console.get("/stock/movements").get_data(as_text=True)
    for kind, word in (("receipt", "入库"), ("issue", "出库"), ("transfer_out", "调出"), ("transfer_in", "调入"),
                       ("adjustment", "盘点调整"), ("reservation", "预留"), ("release", "释放"), ("consumption", "消耗")):
        assert f'<option value="{kind}">{word}</option>' in page


def test_a_movement_recorded_before_names_were_kept_shows_a_dash_for_who(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([{**LEDGER[3], "actor_name": None,
                                                      "recorded_by": {"id": "key-1", "name": None}}]))
    row = row_text(console.get("/stock/movements"), "市财政采购")
    assert "key-1" not in row and " — " in row


def test_what_the_equipment_pages_write_in_the_ledger_is_said_in_chinese(console, gateway):
    answer_choosers(gateway)
    generator = {"id": "2808b3d8-cab8-4419-a587-17b8fffbd08f", "code": "GEN-01", "name": "柴油发电机组 30kW",
                 "unit": "台"}
    gateway.on("GET", "/movements", testing.page_of([
        movement(9, "adjustment", generator, quantity=1, on_hand_delta=-1, reason="retired: 发动机报废"),
        movement(8, "reservation", generator, quantity=1, on_hand_delta=0, reserved_delta=1,
                 reference=f"drill:{DRILL_ID}", reason="replaces a unit out of service"),
        movement(6, "release", generator, quantity=1, on_hand_delta=0, reserved_delta=-1,
                 reference=f"drill:{DRILL_ID}", reason="unit out of service"),
        movement(2, "receipt", generator, quantity=1, on_hand_delta=1, note="equipment unit GEN-2024-001")]))
    text = visible_text(console.get("/stock/movements").data)
    for said in ("装备退役：发动机报废", "替换停用装备", "装备停用", "装备 GEN-2024-001 登记入库"):
        assert said in text
    assert "out of service" not in text and "equipment unit" not in text and "retired:" not in text


def test_a_drills_hold_links_to_the_drill_instead_of_showing_its_id(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([movement(3, "reservation", WATER, quantity=20, on_hand_delta=0,
                                                              reserved_delta=20, reference=f"drill:{DRILL_ID}")]))
    answer = console.get("/stock/movements")
    assert f'<a href="/drills/{DRILL_ID}">演练预留</a>' in answer.get_data(as_text=True)
    assert DRILL_ID not in visible_text(answer.data)


def test_a_write_off_shows_its_reason_in_chinese_and_who_approved_it(console, gateway):
    answer_choosers(gateway)
    gateway.on("GET", "/movements", testing.page_of([movement(9, "disposal", WATER, quantity=6, on_hand_delta=-6,
                                                              reason="quality_failed", approved_by="王科长",
                                                              note="抽检不合格")]))
    row = row_text(console.get("/stock/movements"), "WATER-01")
    assert "报废" in row and "抽检不合格" in row and "批准人：王科长" in row
    assert "quality_failed" not in row
