"""Hazards (事故隐患): the list by enterprise and level, an inspector recording one, and a hazard's page with the
orders issued for it — each said with codes and names, never an id, in Chinese by default."""
from __future__ import annotations

import pytest

from console import testing
from console.testing import visible_text
from stock_pages import asked, row_of
from supervision_answers import ENTERPRISES, FAN, IDS, MINE, ORDER, PROBE, as_person, hazard, order

NEW = "/supervision/hazards/new"


@pytest.fixture(autouse=True)
def directory(gateway):
    gateway.on("GET", "/orgs", testing.page_of(ENTERPRISES))
    gateway.on("GET", "/hazards", testing.page_of([hazard(), hazard(PROBE)], per_page=30, total=31))
    gateway.on("GET", f"/hazards/{FAN}", hazard())
    gateway.on("GET", "/rectification-orders", testing.page_of([order()]))


def test_the_list_names_each_hazard_its_level_and_enterprise_in_chinese(console):
    page = console.get("/supervision/hazards")
    text = visible_text(page.data)
    assert page.status_code == 200
    assert "主通风机无备用电源 重大事故隐患 ENT-MK-01 东山煤矿 主井口通风机房 2026-12-01 周监察" in text
    assert "瓦斯监测探头超期未校验 一般事故隐患" in text
    assert f'href="/supervision/hazards/{FAN}"' in page.get_data(as_text=True)
    assert not [record_id for record_id in IDS if record_id in text]


def test_the_filters_and_the_pager_ask_the_api_for_what_was_chosen(console, gateway):
    console.get(f"/supervision/hazards?org_id={MINE['id']}&level=major&page=2")
    assert asked(gateway, "/hazards")[-1] == {"org_id": MINE["id"], "level": "major", "page": "2", "per_page": "30"}
    assert asked(gateway, "/orgs")[-1]["kind"] == "enterprise"  # the chooser offers enterprises only


def test_a_level_typed_into_the_address_that_no_option_offers_is_no_filter(console, gateway):
    console.get("/supervision/hazards?level=catastrophic&org_id=not-an-id")
    assert "level" not in asked(gateway, "/hazards")[-1] and "org_id" not in asked(gateway, "/hazards")[-1]


def test_the_list_pages_through_what_the_api_counts(console):
    html = console.get("/supervision/hazards").get_data(as_text=True)
    assert "第 1 / 2 页（共 31 条）" in visible_text(html) and 'rel="next"' in html


def test_an_inspector_records_a_hazard_and_lands_on_its_page(console, gateway):
    gateway.on("POST", "/hazards", lambda request: testing.httpx.Response(201, json=hazard()))
    answer = testing.post_form(console, NEW, {
        "org_id": MINE["id"], "title": " 主通风机无备用电源 ", "level": "major",
        "description": "主通风机仅一路供电。", "location": "", "found_at": "2026-12-01", "found_by": "周监察"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/supervision/hazards/{FAN}"
    assert gateway.sent("POST", "/hazards") == [{
        "org_id": MINE["id"], "title": "主通风机无备用电源", "level": "major", "description": "主通风机仅一路供电。",
        "found_at": "2026-12-01", "found_by": "周监察"}]
    assert "事故隐患“主通风机无备用电源”已登记。" in visible_text(console.get(f"/supervision/hazards/{FAN}").data)


def test_the_record_form_offers_the_enterprises_by_code_and_name_and_today(console):
    html = console.get(f"{NEW}?org_id={MINE['id']}").get_data(as_text=True)
    assert f'<option selected value="{MINE["id"]}">ENT-MK-01 东山煤矿</option>' in html
    assert '<option value="major">重大事故隐患</option>' in html and 'type="date"' in html


def test_a_refused_field_is_said_beside_it_and_the_form_keeps_what_was_typed(console, gateway):
    gateway.on("POST", "/hazards", testing.problem(422, "Some fields are invalid.",
                                                   errors={"found_at": ["Must not lie in the future."]}))
    answer = testing.post_form(console, NEW, {
        "org_id": MINE["id"], "title": "主通风机无备用电源", "level": "major", "description": "仅一路供电",
        "found_at": "2099-01-01", "found_by": "周监察"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "found_at") == ["不得晚于当前时间。"]
    assert 'value="主通风机无备用电源"' in answer.get_data(as_text=True)


def test_what_the_form_itself_refuses_never_reaches_the_api(console, gateway):
    answer = testing.post_form(console, NEW, {"org_id": "", "title": "  ", "level": "major", "description": "x",
                                              "found_at": "", "found_by": "周监察"})
    assert answer.status_code == 422 and not gateway.sent("POST", "/hazards")
    for name in ("org_id", "title", "found_at"):
        assert testing.field_errors(answer.data, name) == ["此项为必填项。"]


def test_an_enterprise_outside_the_scope_is_said_at_the_top_of_the_form(console, gateway):
    gateway.on("POST", "/hazards", testing.problem(403, f"org {MINE['id']} lies outside your scope"))
    answer = testing.post_form(console, NEW, {
        "org_id": MINE["id"], "title": "t", "level": "general", "description": "d", "found_at": "2026-12-01",
        "found_by": "周监察"})
    assert answer.status_code == 403
    assert "您的角色或所属单位无权执行此操作。" in visible_text(answer.data) and MINE["id"] not in visible_text(answer.data)


@pytest.mark.parametrize("role", ["viewer", "logistics", "planner"])
def test_only_inspectors_and_admins_are_offered_the_record_form(console_app, gateway, role):
    person = as_person(console_app, gateway, role=role)
    assert "登记隐患" not in visible_text(person.get("/supervision/hazards").data)
    assert person.get(NEW).status_code == 403
    assert testing.post_form(person, NEW, {"title": "x"}, page="/supervision/hazards").status_code == 403


def test_an_inspector_is_offered_the_record_form(console_app, gateway):
    inspector = as_person(console_app, gateway, role="inspector")
    assert "登记隐患" in visible_text(inspector.get("/supervision/hazards").data)


def test_a_hazards_page_shows_what_was_found_and_the_orders_issued_for_it(console, gateway):
    page = console.get(f"/supervision/hazards/{FAN}")
    text = visible_text(page.data)
    assert "主通风机无备用电源 重大事故隐患" in text and "ENT-MK-01 东山煤矿" in text
    assert "主通风机仅一路供电，未按规定设置备用电源" in text
    assert "发现日期 2026-12-01 发现人 周监察" in text and "登记 2026-12-01，周监察" in text
    assert "ZG-20261202-3F9A1C 停产整顿 已下达 2026-12-20" in text
    assert f'href="/supervision/orders/{ORDER}"' in page.get_data(as_text=True)
    assert asked(gateway, "/rectification-orders")[-1]["hazard_id"] == FAN
    assert f'/supervision/orders/new?org_id={MINE["id"]}&amp;hazard_id={FAN}' in page.get_data(as_text=True)
    assert not [record_id for record_id in IDS if record_id in text]


def test_a_hazard_with_no_order_says_so(console, gateway):
    gateway.on("GET", "/rectification-orders", testing.page_of([]))
    assert "尚未针对该隐患下达整改指令。" in visible_text(console.get(f"/supervision/hazards/{FAN}").data)


def test_a_hazard_outside_the_scope_is_the_not_found_page(console, gateway):
    gateway.on("GET", f"/hazards/{FAN}", testing.problem(404, "hazard not found"))
    assert console.get(f"/supervision/hazards/{FAN}").status_code == 404


def test_the_record_of_a_row_shows_the_level_in_its_colour(console):
    row = row_of(console.get("/supervision/hazards").data, "主通风机无备用电源")
    assert 'class="badge badge-bad status-major"' in row
