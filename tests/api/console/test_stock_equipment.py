"""Equipment pages: the units with their inspection dates, one unit's inspections, registering a unit and
recording an inspection, as a logistics officer sees them."""
from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest

from console import testing
from console.testing import field_errors, visible_text
from tests.api.console.stock_pages import reader

DEPOT = {"id": "860b808d-8c77-44b4-b0ec-3f0a17027b33", "code": "WH-01", "name": "市级应急物资储备库"}
GENERATOR = {"id": "2808b3d8-cab8-4419-a587-17b8fffbd08f", "code": "GEN-01", "name": "柴油发电机组 30kW", "unit": "台"}
UNIT_ID = "4bf0be8c-7ad2-4915-85fb-bfdbe49050de"
TODAY = dt.date.today()


def unit_record(**changes) -> dict:
    """A unit as GET /equipment answers it (services/resources/api/equipment_schemas.py)."""
    record = {"id": UNIT_ID, "item_id": GENERATOR["id"], "item": GENERATOR, "warehouse_id": DEPOT["id"],
              "warehouse": DEPOT, "serial_no": "GEN-2024-001", "commissioned_on": "2024-05-01",
              "next_inspection_due": (TODAY + dt.timedelta(days=90)).isoformat(), "note": None,
              "status": "in_service", "status_reason": None, "lot_id": "35423fe3-5f7b-4860-bc3e-5d395e906851",
              "in_stock": True, "last_inspected_at": None, "created_at": "2026-12-02T12:36:17.256509+00:00",
              "inspections": []}
    record.update(changes)
    return record


FAILED = {"id": "758f8832-309a-44a2-ba1d-91f960b82384", "result": "fail", "inspected_at": "2026-12-01T01:30:00+00:00",
          "inspector": "李工", "note": "启动电瓶亏电", "next_inspection_due": "2027-03-01",
          "recorded_by": {"id": "8d0c7a7e-5f0e-4a52-9f43-3c1f5b1b2a01", "name": "王物资"},
          "created_at": "2026-12-02T12:36:20.773721+00:00"}


@pytest.fixture
def choosers(gateway):
    gateway.on("GET", "/warehouses", testing.page_of([{**DEPOT, "level": "municipal"}]))
    gateway.on("GET", "/items", testing.page_of([{**GENERATOR, "kind": "equipment"}]))


def test_the_units_list_shows_serials_items_depots_status_and_an_overdue_inspection_in_red(console, gateway, choosers):
    overdue = unit_record(id="9e9d7099-ee2a-4f7f-a274-d6d9b6ae476f", serial_no="GEN-2024-002",
                          next_inspection_due=(TODAY - dt.timedelta(days=3)).isoformat(), status="out_of_service",
                          status_reason="inspection overdue")
    inspected = unit_record(status="out_of_service", status_reason="failed inspection: 启动电瓶亏电",
                            last_inspected_at=FAILED["inspected_at"], inspections=[FAILED])
    gateway.on("GET", "/equipment", testing.page_of([inspected, overdue]))

    page = console.get("/stock/equipment")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = visible_text(html)
    assert "GEN-2024-001" in text and "GEN-01 柴油发电机组 30kW" in text and "WH-01 市级应急物资储备库" in text
    assert "停用" in text and "检验不合格：启动电瓶亏电" in text and "检验逾期" in text
    assert "2026-12-01" in text and "不合格" in text  # the last inspection: its day and its result
    assert re.search(r'<tr class="row-bad">\s*<td><a href="/stock/equipment/9e9d7099', html)
    assert f'href="/stock/depots/{DEPOT["id"]}"' in html
    for record_id in (UNIT_ID, DEPOT["id"], GENERATOR["id"]):
        assert record_id not in text


def test_the_units_filters_and_pager_pass_their_parameters_to_the_api(console, gateway, choosers):
    gateway.on("GET", "/equipment", testing.page_of([unit_record()], page=2, per_page=1, total=3))

    page = console.get(f"/stock/equipment?status=out_of_service&warehouse_id={DEPOT['id']}&serial_no=GEN&page=2")

    asked = [r for r in gateway.requests if r.url.path == "/api/v1/equipment"][-1].url.params
    assert dict(asked) == {"status": "out_of_service", "warehouse_id": DEPOT["id"], "serial_no": "GEN",
                           "page": "2", "per_page": "50"}
    html = page.get_data(as_text=True)
    assert "第 2 / 3 页" in html and "page=3" in html and "page=1" in html
    items_asked = [r for r in gateway.requests if r.url.path == "/api/v1/items"][-1].url.params
    assert items_asked["kind"] == "equipment"


def test_a_units_page_lists_its_inspections_newest_first_with_who_entered_them(console, gateway):
    passed = {**FAILED, "id": "2e5a3239-e8b4-467f-b200-a26af9f17a3f", "result": "pass", "note": "运行正常",
              "inspected_at": "2026-11-29T16:00:00+00:00"}
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record(status="out_of_service", inspections=[FAILED, passed],
                                                           last_inspected_at=FAILED["inspected_at"]))

    page = console.get(f"/stock/equipment/{UNIT_ID}")

    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert text.index("启动电瓶亏电") < text.index("运行正常")
    assert "2026-12-01 09:30" in text  # 01:30 UTC in Asia/Shanghai
    assert "李工" in text and "王物资" in text and "记录检验" in text
    assert UNIT_ID not in text and FAILED["id"] not in text


def test_recording_an_inspection_sends_the_result_the_moment_with_its_offset_and_the_inspector(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())
    gateway.on("POST", f"/equipment/{UNIT_ID}/inspections", httpx.Response(201, json=FAILED))

    answer = testing.post_form(console, f"/stock/equipment/{UNIT_ID}/inspections",
                               {"result": "fail", "inspected_at": "2026-12-01T09:30", "inspector": " 李工 ",
                                "note": "启动电瓶亏电"}, page=f"/stock/equipment/{UNIT_ID}")

    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/equipment/{UNIT_ID}"
    assert gateway.sent("POST", f"/equipment/{UNIT_ID}/inspections") == [
        {"result": "fail", "inspected_at": "2026-12-01T09:30:00+08:00", "inspector": "李工", "note": "启动电瓶亏电"}]
    assert "停用" in console.get(f"/stock/equipment/{UNIT_ID}").get_data(as_text=True)


def test_an_inspection_the_api_refuses_is_said_beside_its_field(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())
    gateway.on("POST", f"/equipment/{UNIT_ID}/inspections", testing.problem(
        422, "Some fields are invalid.", errors={"inspected_at": ["Must not be in the future."]}))

    answer = testing.post_form(console, f"/stock/equipment/{UNIT_ID}/inspections",
                               {"result": "pass", "inspected_at": "2030-01-01T08:00", "inspector": "李工"},
                               page=f"/stock/equipment/{UNIT_ID}")

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert field_errors(html, "inspected_at") == ["检验时间不能晚于现在。"]
    assert 'value="李工"' in html  # what was typed stays


def test_an_inspection_without_an_inspector_is_not_sent(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())

    answer = testing.post_form(console, f"/stock/equipment/{UNIT_ID}/inspections",
                               {"result": "pass", "inspected_at": "2026-12-01T08:00", "inspector": ""},
                               page=f"/stock/equipment/{UNIT_ID}")

    assert answer.status_code == 422
    assert field_errors(answer.data, "inspector") == ["此项为必填项。"]
    assert gateway.sent("POST", f"/equipment/{UNIT_ID}/inspections") == []


def test_registering_a_unit_sends_its_depot_item_serial_and_dates_then_opens_its_page(console, gateway, choosers):
    gateway.on("POST", "/equipment", httpx.Response(201, json=unit_record(serial_no="GEN-2025-009")))

    answer = testing.post_form(console, "/stock/equipment/new",
                               {"warehouse_id": DEPOT["id"], "item_id": GENERATOR["id"], "serial_no": "GEN-2025-009",
                                "commissioned_on": "2025-06-01", "next_inspection_due": "", "note": ""})

    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/equipment/{UNIT_ID}"
    assert gateway.sent("POST", "/equipment") == [{"warehouse_id": DEPOT["id"], "item_id": GENERATOR["id"],
                                                   "serial_no": "GEN-2025-009", "commissioned_on": "2025-06-01"}]


def test_a_serial_number_registered_already_is_said_beside_the_serial_number(console, gateway, choosers):
    gateway.on("POST", "/equipment", testing.problem(409, "GEN-01 unit GEN-2024-001 is already registered.",
                                                      field="serial_no"))

    answer = testing.post_form(console, "/stock/equipment/new",
                               {"warehouse_id": DEPOT["id"], "item_id": GENERATOR["id"], "serial_no": "GEN-2024-001"})

    assert answer.status_code == 409
    assert field_errors(answer.data, "serial_no") == ["GEN-01 序列号 GEN-2024-001 已登记过。"]


def test_decommissioning_a_unit_sends_the_reason(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())
    gateway.on("POST", f"/equipment/{UNIT_ID}/retire", unit_record(status="retired", status_reason="报废"))

    answer = testing.post_form(console, f"/stock/equipment/{UNIT_ID}/retire", {"reason": " 报废 "},
                               page=f"/stock/equipment/{UNIT_ID}")

    assert answer.status_code == 302
    assert gateway.sent("POST", f"/equipment/{UNIT_ID}/retire") == [{"reason": "报废"}]


def test_a_reserved_unit_cannot_be_decommissioned_and_the_page_says_why(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())
    gateway.on("POST", f"/equipment/{UNIT_ID}/retire", testing.problem(
        409, "Unit GEN-2024-001 is reserved; release the reservation first."))

    answer = testing.post_form(console, f"/stock/equipment/{UNIT_ID}/retire", {"reason": "报废"},
                               page=f"/stock/equipment/{UNIT_ID}")

    assert answer.status_code == 409
    html = answer.get_data(as_text=True)
    assert "<li>装备 GEN-2024-001 已被预留，请先释放预留。</li>" in html
    assert re.search(r'<details class="form-panel danger-zone" open>', html)  # the refused form stays open


def test_a_unit_outside_the_callers_scope_is_a_404_page(console, gateway):
    gateway.on("GET", f"/equipment/{UNIT_ID}", testing.problem(404, "No such equipment unit"))

    assert console.get(f"/stock/equipment/{UNIT_ID}").status_code == 404


def test_the_equipment_page_speaks_english_on_request(console, gateway, choosers):
    gateway.on("GET", "/equipment", testing.page_of([unit_record(status="retired")]))

    text = console.get("/stock/equipment?lang=en").get_data(as_text=True)

    assert "Next inspection due" in text and "Decommissioned" in text and "下次检验日期" not in text


def test_someone_who_only_reads_sees_the_units_but_is_offered_no_form_and_cannot_post_one(console_app, gateway,
                                                                                           choosers):
    gateway.on("GET", "/equipment", testing.page_of([unit_record()]))
    gateway.on("GET", f"/equipment/{UNIT_ID}", unit_record())
    viewer = reader(console_app, gateway)

    units = visible_text(viewer.get("/stock/equipment").get_data(as_text=True))
    assert "GEN-2024-001" in units and "登记装备" not in units
    unit_page = visible_text(viewer.get(f"/stock/equipment/{UNIT_ID}").get_data(as_text=True))
    assert "GEN-2024-001" in unit_page and "记录检验" not in unit_page and "办理装备退役" not in unit_page
    assert viewer.get("/stock/equipment/new").status_code == 403
    answer = testing.post_form(viewer, f"/stock/equipment/{UNIT_ID}/inspections",
                               {"result": "pass", "inspected_at": "2026-12-01T09:30", "inspector": "李工"},
                               page=f"/stock/equipment/{UNIT_ID}")
    assert answer.status_code == 403 and gateway.sent("POST", f"/equipment/{UNIT_ID}/inspections") == []
