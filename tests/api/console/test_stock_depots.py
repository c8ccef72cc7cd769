"""Logistics staff find their depots in a list and on a map, open one to see its stock and lots, register, edit and
retire depots: all through the console, which reads and writes only through the gateway's API."""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from zoneinfo import ZoneInfo

import httpx
import pytest

from console import testing
from console.app import create_app
from console.settings import ConsoleSettings
from console.testing import field_errors, visible_text
from servicekit.config import Settings
from tests.api.console.stock_pages import asked, reader, row_of

ROOT = {"id": "0b6f2f0e-1c1d-4e0b-8f0a-7b8f5f6c9d01", "code": "ROOT", "name": "市应急管理局"}
DEPOT_ID = "eaaf09e1-1ca2-447c-8eaf-7171dd95c032"
DEPOT = {"id": DEPOT_ID, "code": "WH-SH-01", "name": "市级应急物资储备库", "level": "municipal",
         "address": "浦东新区川沙路 100 号", "lat": 31.19, "lon": 121.7, "contact": "张库管 021-5555 0101",
         "org_id": ROOT["id"], "org": ROOT, "active": True,
         "created_at": "2026-03-02T02:36:09.182005+00:00", "updated_at": "2026-03-02T02:36:09.182013+00:00"}
UNPLACED = {**DEPOT, "id": "c2c1f7b5-b5f8-4343-84c9-8647b608bbd7", "code": "WH-MH-03", "name": "闵行区储备点",
            "level": "county", "address": None, "lat": None, "lon": None, "contact": None}
TENT = {"id": "e7e506b0-79ae-43ae-b1c7-349d9057584d", "code": "TENT-01", "name": "单帐篷 12㎡", "unit": "顶"}
WATER = {"id": "26ccfb29-0e08-47f4-ace8-aa4b5ea35159", "code": "WATER-01", "name": "瓶装饮用水 550ml", "unit": "箱"}
GENERATOR = {"id": "2808b3d8-cab8-4419-a587-17b8fffbd08f", "code": "GEN-01", "name": "柴油发电机组 30kW", "unit": "台"}
UNIT_LOT_ID = "35423fe3-5f7b-4860-bc3e-5d395e906851"
DEPOT_REF = {"id": DEPOT_ID, "code": DEPOT["code"], "name": DEPOT["name"]}
IDS = (DEPOT_ID, ROOT["id"], TENT["id"], WATER["id"], "0274635e-594a-4bd8-98cc-1ecd6b3bd06e",
       "10a302ed-7c81-43ab-a669-003bf119ee80", "7bef4f08-3b23-46d5-89e5-bb260259410b")


def balance(item: dict, *, on_hand, available, min_quantity=0, reserved=0) -> dict:
    return {"warehouse_id": DEPOT_ID, "warehouse": DEPOT_REF, "item_id": item["id"], "item": item,
            "on_hand": on_hand, "reserved": reserved, "unusable": 0, "available": available,
            "min_quantity": min_quantity, "updated_at": "2026-12-02T04:36:16.353918+00:00"}


def lot(lot_id: str, item: dict, *, batch_no: str, expiry: dt.date | None, quantity) -> dict:
    return {"id": lot_id, "warehouse_id": DEPOT_ID, "warehouse": DEPOT_REF, "item_id": item["id"], "item": item,
            "batch_no": batch_no, "expiry_date": expiry.isoformat() if expiry else None, "quantity": quantity,
            "reserved": 0, "received_at": "2026-06-02T04:36:16.018730+00:00"}


@pytest.fixture
def viewer(console_app, gateway):
    return reader(console_app, gateway)


@pytest.fixture
def depot_stock(gateway, console_app):
    """The depot with two balances of materials (tents below their quota) and three lots of them (one expired, one
    expiring), and a generator: equipment, one serial-numbered unit in a lot of its own."""
    today = dt.datetime.now(ZoneInfo(console_app.extensions["erdm_console_settings"].timezone)).date()
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", DEPOT)
    gateway.on("GET", "/stock", testing.page_of([balance(WATER, on_hand=170, available=170),
                                                 balance(TENT, on_hand=29, available=29, min_quantity=50),
                                                 balance(GENERATOR, on_hand=1, available=1)], per_page=100))
    gateway.on("GET", "/items", testing.page_of([{**GENERATOR, "category_code": "20101", "kind": "equipment"}]))
    gateway.on("GET", "/stock/lots", testing.page_of([
        lot(IDS[4], WATER, batch_no="W2024-01", expiry=today - dt.timedelta(days=3), quantity=12),
        lot(IDS[5], WATER, batch_no="W2025-11", expiry=today + dt.timedelta(days=18), quantity=90),
        lot(IDS[6], TENT, batch_no="T2026-06", expiry=today + dt.timedelta(days=900), quantity=29),
        lot(UNIT_LOT_ID, GENERATOR, batch_no="GEN-2024-001", expiry=None, quantity=1),
    ], per_page=100))
    return today


def test_the_depot_list_shows_each_depot_by_code_and_name_with_its_owner_never_an_id(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT, UNPLACED]))
    answer = console.get("/stock/")
    assert answer.status_code == 200
    text = visible_text(answer.data)
    for shown in ("储备库", "WH-SH-01", "市级应急物资储备库", "市级", "县级", "ROOT 市应急管理局", "浦东新区川沙路 100 号",
                  "张库管 021-5555 0101", "31.19, 121.7"):
        assert shown in text
    assert not any(record_id in text for record_id in IDS)
    assert f'href="/stock/depots/{DEPOT_ID}"' in answer.get_data(as_text=True)


def test_the_list_passes_its_filters_and_page_to_the_api_and_to_the_map(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT], page=2, per_page=50, total=120))
    answer = console.get("/stock/?q=储备&level=municipal&include_inactive=true&page=2")
    assert asked(gateway, "/warehouses")[0] == {"q": "储备", "level": "municipal", "include_inactive": "true",
                                                 "page": "2"}
    page = answer.get_data(as_text=True)
    assert "第 2 / 3 页（共 120 条）" in page
    assert 'href="/stock/?q=%E5%82%A8%E5%A4%87&amp;level=municipal&amp;include_inactive=true&amp;page=3"' in page
    markers_url = html.unescape(re.search(r'data-markers-url="([^"]*)"', page).group(1))
    assert markers_url.startswith("/stock/depots/markers.json?")
    assert "level=municipal" in markers_url and "include_inactive=true" in markers_url


def test_a_level_the_api_does_not_know_is_not_sent(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([]))
    answer = console.get("/stock/?level=galactic")
    assert answer.status_code == 200
    assert "level" not in asked(gateway, "/warehouses")[0]
    assert "尚未登记任何储备库" in visible_text(answer.data)


def test_the_map_draws_every_depot_with_coordinates_on_every_page_linking_to_its_page(console, gateway):
    placed = [{**DEPOT, "id": f"00000000-0000-4000-8000-{n:012d}", "code": f"WH-{n:03d}", "lat": 31 + n / 100}
              for n in range(150)]

    def pages(request):
        page, per_page = int(request.url.params["page"]), int(request.url.params["per_page"])
        everything = [*placed, UNPLACED]
        return testing.page_of(everything[(page - 1) * per_page:page * per_page], page=page, per_page=per_page,
                               total=len(everything))

    gateway.on("GET", "/warehouses", pages)
    markers = console.get("/stock/depots/markers.json?level=municipal").get_json()["depots"]
    assert len(markers) == 150 and "WH-MH-03" not in {marker["code"] for marker in markers}
    assert markers[0] == {"code": "WH-000", "name": "市级应急物资储备库", "lat": 31.0, "lon": 121.7, "level": "市级",
                          "active": True, "url": "/stock/depots/00000000-0000-4000-8000-000000000000"}
    assert all(params["level"] == "municipal" for params in asked(gateway, "/warehouses"))


def test_the_map_is_drawn_by_leaflet_from_this_site_with_no_tiles_by_default_and_no_inline_script(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT]))
    page = console.get("/stock/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/vendor/leaflet/leaflet.css">' in page
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in page
    assert '<script src="/static/depot-map.js"></script>' in page
    assert 'data-tile-url=""' in page
    assert '<div class="map" hidden data-depot-map' in page  # shown by the script; without one, words stand in
    assert "地图需要启用 JavaScript；表格中列出了每个储备库及其坐标。" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and " style=" not in page


def test_a_deployment_names_its_tile_server_to_the_map(gateway, tmp_path):
    settings = Settings(internal_secret="test-secret", data_dir=tmp_path)
    tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    app = create_app(settings, console_settings=ConsoleSettings.from_settings(
        settings, environ={"ERDM_MAP_TILE_URL": tiles, "ERDM_MAP_ATTRIBUTION": "© 测绘"}),
        gateway_transport=httpx.MockTransport(gateway))
    client = app.test_client()
    testing.sign_in(client)
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT]))
    answer = client.get("/stock/")
    assert f'data-tile-url="{tiles}"' in answer.get_data(as_text=True)
    assert "https://*.tiles.example.org" in answer.headers["Content-Security-Policy"]


def test_registering_a_depot_sends_its_fields_and_opens_its_page(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([]))
    gateway.on("GET", "/orgs", testing.page_of([ROOT, {"id": "3", "code": "PD", "name": "浦东新区应急管理局"}]))
    gateway.on("POST", "/warehouses", httpx.Response(201, json={**DEPOT, "code": "WH-PD-02", "name": "浦东区仓库"}))
    form_page = console.get("/stock/").get_data(as_text=True)
    assert '<option value="PD">PD 浦东新区应急管理局</option>' in form_page
    answer = testing.post_form(console, "/stock/", {
        "code": " WH-PD-02 ", "name": "浦东区仓库", "level": "county", "org_code": "PD", "address": "张江路 1 号",
        "lat": "31.2100", "lon": "121.59", "contact": ""}, page="/stock/")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/depots/{DEPOT_ID}"
    assert gateway.sent("POST", "/warehouses") == [{
        "code": "WH-PD-02", "name": "浦东区仓库", "level": "county", "org_code": "PD", "address": "张江路 1 号",
        "lat": 31.21, "lon": 121.59, "contact": None}]
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", DEPOT)
    gateway.on("GET", "/stock", testing.page_of([]))
    gateway.on("GET", "/stock/lots", testing.page_of([]))
    assert "储备库 WH-PD-02 浦东区仓库 已登记。" in visible_text(console.get(answer.headers["Location"]).data)


def test_a_depot_without_coordinates_is_registered_off_the_map(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([]))
    gateway.on("GET", "/orgs", testing.page_of([ROOT]))
    gateway.on("POST", "/warehouses", httpx.Response(201, json=UNPLACED))
    answer = testing.post_form(console, "/stock/", {"code": "WH-MH-03", "name": "闵行区储备点", "level": "county",
                                                    "lat": "", "lon": ""}, page="/stock/")
    assert answer.status_code == 302
    assert gateway.sent("POST", "/warehouses") == [{"code": "WH-MH-03", "name": "闵行区储备点", "level": "county",
                                                    "address": None, "lat": None, "lon": None, "contact": None}]


def test_a_depot_code_already_taken_is_said_beside_the_code(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT]))
    gateway.on("GET", "/orgs", testing.page_of([ROOT]))
    gateway.on("POST", "/warehouses", testing.problem(409, "A warehouse with code 'WH-SH-01' already exists.",
                                                      field="code"))
    answer = testing.post_form(console, "/stock/", {"code": "WH-SH-01", "name": "重复", "level": "county"},
                               page="/stock/")
    assert answer.status_code == 409
    assert field_errors(answer.data, "code") == ["该编码已被使用。"]


def test_the_apis_field_refusal_is_put_beside_that_field_and_the_form_stays_open(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([]))
    gateway.on("GET", "/orgs", testing.page_of([ROOT, {"id": "3", "code": "PD", "name": "浦东新区应急管理局"}]))
    gateway.on("POST", "/warehouses", testing.problem(422, "Some fields are invalid.", errors={
        "org_code": ["Organisation PD is not known yet; retry in a moment."]}))
    answer = testing.post_form(console, "/stock/", {"code": "WH-9", "name": "新库", "level": "county",
                                                    "org_code": "PD"}, page="/stock/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert field_errors(page, "org_code") == ["Organisation PD is not known yet; retry in a moment."]
    assert '<details class="form-panel" open>' in page and '"detail"' not in page


def test_the_form_checks_coordinates_before_asking_the_api(console, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([]))
    gateway.on("GET", "/orgs", testing.page_of([ROOT]))
    answer = testing.post_form(console, "/stock/", {"code": "WH-9", "name": "", "level": "county", "lat": "95",
                                                    "lon": "NaN"}, page="/stock/")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and gateway.sent("POST", "/warehouses") == []
    assert field_errors(page, "lat") == ["应在 -90 到 90 之间。"]
    assert field_errors(page, "lon") == ["请输入数字。"]
    assert field_errors(page, "name") == ["此项为必填项。"]


def test_someone_who_only_reads_is_offered_no_form_and_cannot_post_one(viewer, gateway):
    gateway.on("GET", "/warehouses", testing.page_of([DEPOT]))
    assert "登记储备库" not in visible_text(viewer.get("/stock/").data)
    answer = testing.post_form(viewer, "/stock/", {"code": "X", "name": "X", "level": "county"}, page="/stock/")
    assert answer.status_code == 403 and gateway.sent("POST", "/warehouses") == []


def test_a_depot_page_shows_its_balances_by_item_and_colours_those_below_their_quota(console, gateway, depot_stock):
    answer = console.get(f"/stock/depots/{DEPOT_ID}")
    assert answer.status_code == 200
    text = visible_text(answer.data)
    for shown in ("WH-SH-01 市级应急物资储备库", "ROOT 市应急管理局", "张库管 021-5555 0101", "2026-03-02", "账面库存", "可用",
                  "储备定额", "WATER-01 瓶装饮用水 550ml", "TENT-01 单帐篷 12㎡"):
        assert shown in text
    tents = row_of(answer.data, "TENT-01 单帐篷 12㎡</a>")
    assert 'class="row-warn"' in tents and "低于储备定额" in tents and ">50<" in tents
    water = row_of(answer.data, "WATER-01 瓶装饮用水 550ml</a>")
    assert "row-warn" not in water and ">170<" in water
    assert not any(record_id in text for record_id in IDS)


def test_a_depot_page_lists_its_lots_with_expired_and_expiring_ones_coloured(console, gateway, depot_stock):
    today = depot_stock
    answer = console.get(f"/stock/depots/{DEPOT_ID}")
    expired = row_of(answer.data, "W2024-01")
    assert "row-bad" in expired and "已过期" in expired and (today - dt.timedelta(days=3)).isoformat() in expired
    expiring = row_of(answer.data, "W2025-11")
    assert "row-warn" in expiring and "临期" in expiring and "90 箱" in expiring
    later = row_of(answer.data, "T2026-06")
    assert "row-bad" not in later and "row-warn" not in later
    assert asked(gateway, "/stock/lots") == [{"warehouse_id": DEPOT_ID, "per_page": "100"}]
    assert asked(gateway, "/stock") == [{"warehouse_id": DEPOT_ID, "per_page": "100"}]


def test_a_depot_page_offers_its_ledger_and_each_operation_with_the_depot_chosen(console, gateway, depot_stock):
    page = console.get(f"/stock/depots/{DEPOT_ID}").get_data(as_text=True)
    for link in (f"/stock/movements?warehouse_id={DEPOT_ID}", f"/stock/receive?warehouse_id={DEPOT_ID}",
                 f"/stock/issue?warehouse_id={DEPOT_ID}&amp;item_id={TENT['id']}",
                 f"/stock/transfer?from_warehouse_id={DEPOT_ID}", f"/stock/depots/{DEPOT_ID}/edit",
                 f"/stock/count?warehouse_id={DEPOT_ID}&amp;item_id={WATER['id']}&amp;lot_id={IDS[5]}"):
        assert f'href="{link}"' in page
    markers = json.loads(html.unescape(re.search(r"data-markers='([^']*)'", page).group(1)))
    assert markers == [{"code": "WH-SH-01", "name": "市级应急物资储备库", "lat": 31.19, "lon": 121.7, "level": "市级",
                        "active": True, "url": f"/stock/depots/{DEPOT_ID}"}]


def test_equipment_at_a_depot_leads_to_its_units_not_to_the_material_operations(console, gateway, depot_stock):
    answer = console.get(f"/stock/depots/{DEPOT_ID}")
    generator = row_of(answer.data, "GEN-01 柴油发电机组 30kW</a>")
    assert f'href="/stock/equipment?warehouse_id={DEPOT_ID}&amp;item_id={GENERATOR["id"]}">装备明细</a>' in generator
    assert "/stock/issue" not in generator and "/stock/transfer" not in generator and "/stock/count" not in generator
    assert "/stock/count" not in row_of(answer.data, "GEN-2024-001")
    assert asked(gateway, "/items") == [{"kind": "equipment", "include_inactive": "true", "page": "1",
                                         "per_page": "100"}]


def test_the_second_page_of_lots_is_asked_for_by_its_own_parameter(console, gateway, depot_stock):
    console.get(f"/stock/depots/{DEPOT_ID}?lots_page=2")
    assert asked(gateway, "/stock/lots")[0]["page"] == "2"
    assert "page" not in asked(gateway, "/stock")[0]


def test_a_depot_outside_the_persons_organisation_is_not_found(console, gateway):
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", testing.problem(404, "No warehouse with that id."))
    answer = console.get(f"/stock/depots/{DEPOT_ID}")
    assert answer.status_code == 404 and "该记录不存在" in visible_text(answer.data)


def test_editing_a_depot_patches_the_version_that_was_read(console, gateway):
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", httpx.Response(200, json=DEPOT, headers={"ETag": '"v1"'}))
    gateway.on("PATCH", f"/warehouses/{DEPOT_ID}", {**DEPOT, "contact": "王库管"})
    form = console.get(f"/stock/depots/{DEPOT_ID}/edit").get_data(as_text=True)
    assert 'value="31.19"' in form and 'value="张库管 021-5555 0101"' in form
    answer = testing.post_form(console, f"/stock/depots/{DEPOT_ID}/edit", {
        "code": "WH-SH-01", "name": "市级应急物资储备库", "level": "municipal", "address": "",
        "lat": "31.19", "lon": "121.7", "contact": "王库管", "version": '"v1"'})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/depots/{DEPOT_ID}"
    patch = next(r for r in gateway.requests if r.method == "PATCH")
    assert patch.headers["If-Match"] == '"v1"'
    assert json.loads(patch.content) == {"code": "WH-SH-01", "name": "市级应急物资储备库", "level": "municipal",
                                         "address": None, "lat": 31.19, "lon": 121.7, "contact": "王库管"}


def test_an_edit_made_after_someone_elses_change_starts_again_from_the_new_version(console, gateway):
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", httpx.Response(200, json=DEPOT, headers={"ETag": '"v2"'}))
    gateway.on("PATCH", f"/warehouses/{DEPOT_ID}", testing.problem(412, "The record has changed since it was read."))
    answer = testing.post_form(console, f"/stock/depots/{DEPOT_ID}/edit", {
        "code": "WH-SH-01", "name": "新名称", "level": "municipal", "version": '"v1"'})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/depots/{DEPOT_ID}/edit"
    assert "他人已修改了该储备库" in visible_text(console.get(answer.headers["Location"]).data)


def test_retiring_a_depot_keeps_it_and_says_so(console, gateway, depot_stock):
    gateway.on("PATCH", f"/warehouses/{DEPOT_ID}", {**DEPOT, "active": False})
    answer = testing.post_form(console, f"/stock/depots/{DEPOT_ID}/retire", {}, page=f"/stock/depots/{DEPOT_ID}")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/stock/depots/{DEPOT_ID}"
    assert gateway.sent("PATCH", f"/warehouses/{DEPOT_ID}") == [{"active": False}]
    assert "已停用：历史记录保留" in visible_text(console.get(answer.headers["Location"]).data)


def test_a_retired_depot_offers_to_come_back_and_no_operation(console, gateway, depot_stock):
    gateway.on("GET", f"/warehouses/{DEPOT_ID}", {**DEPOT, "active": False})
    page = console.get(f"/stock/depots/{DEPOT_ID}").get_data(as_text=True)
    assert f'action="/stock/depots/{DEPOT_ID}/reinstate"' in page
    assert "/stock/receive?" not in page and "/stock/issue?" not in page
    gateway.on("PATCH", f"/warehouses/{DEPOT_ID}", DEPOT)
    testing.post_form(console, f"/stock/depots/{DEPOT_ID}/reinstate", {}, page=f"/stock/depots/{DEPOT_ID}")
    assert gateway.sent("PATCH", f"/warehouses/{DEPOT_ID}") == [{"active": True}]
