"""The rectification orders' list — overdue in red with its days, 停产整顿 marked, filtered by status, enterprise
and overdue — and issuing one: the enterprise chosen, its hazards ticked, the order sent as the API takes it."""
from __future__ import annotations

import httpx
import pytest

from console import testing
from console.testing import visible_text
from stock_pages import asked, row_of
from supervision_answers import ENTERPRISES, FAN, IDS, MINE, ORDER, PROBE, SECOND_MINE, as_person, hazard, order

NEW = "/supervision/orders/new"
FOR_MINE = f"{NEW}?org_id={MINE['id']}"
LATE = order("acknowledged", id="a1b2c3d4-0000-4000-8000-000000000043", code="ZG-20261115-0A1B2C",
             org_id=SECOND_MINE["id"], org=SECOND_MINE, due_date="2026-11-30", overdue=True, days_overdue=2,
             suspend_production=False, hazards=[{"id": PROBE, "title": "瓦斯监测探头超期未校验", "level": "general"}])


@pytest.fixture(autouse=True)
def answers(gateway):
    gateway.on("GET", "/orgs", testing.page_of(ENTERPRISES))
    gateway.on("GET", "/rectification-orders", testing.page_of([order(), LATE], per_page=30))
    gateway.on("GET", "/hazards", testing.page_of([hazard(), hazard(PROBE)]))


def test_the_list_shows_each_order_with_its_enterprise_hazards_status_and_due_date(console):
    html = console.get("/supervision/orders").get_data(as_text=True)
    text = visible_text(html)
    assert ("ZG-20261202-3F9A1C 停产整顿 2026-12-02 下达 ENT-MK-01 东山煤矿 主通风机无备用电源 重大事故隐患 "
            "瓦斯监测探头超期未校验 已下达 2026-12-20") in text
    assert f'<a href="/supervision/orders/{ORDER}">ZG-20261202-3F9A1C</a>' in html
    assert not [record_id for record_id in IDS if record_id in text]


def test_an_overdue_order_is_in_red_with_its_days_overdue_and_who_signed_it(console):
    row = row_of(console.get("/supervision/orders").data, "ZG-20261115-0A1B2C")
    assert 'class="order-row overdue"' in row and '<span class="due-overdue">2026-11-30</span>' in row
    assert "逾期 2 天" in row and "李安全" in visible_text(row) and "分管领导" in visible_text(row)
    assert "停产整顿" not in visible_text(row)


def test_the_filters_and_pager_ask_the_api_for_what_was_chosen(console, gateway):
    html = console.get(f"/supervision/orders?status=acknowledged&org_id={MINE['id']}&overdue=true&page=3")
    assert asked(gateway, "/rectification-orders")[-1] == {
        "status": "acknowledged", "org_id": MINE["id"], "overdue": "true", "page": "3", "per_page": "30"}
    page = html.get_data(as_text=True)
    assert '<option selected value="acknowledged">已签收</option>' in page
    assert 'checked id="filter-overdue" name="overdue" type="checkbox" value="true"' in page


def test_no_order_yet_and_none_matching_are_said_differently(console, gateway):
    gateway.on("GET", "/rectification-orders", testing.page_of([]))
    assert "尚未下达任何整改指令。" in visible_text(console.get("/supervision/orders").data)
    assert "没有符合筛选条件的整改指令。" in visible_text(console.get("/supervision/orders?status=closed").data)


def test_the_area_opens_on_the_orders(console):
    page = console.get("/supervision/")
    assert page.status_code == 200 and "ZG-20261202-3F9A1C" in visible_text(page.data)


def test_issuing_starts_by_choosing_the_enterprise(console, gateway):
    text = visible_text(console.get(NEW).data)
    assert "ENT-MK-01 东山煤矿" in text and "查看该企业的隐患" in text
    assert not gateway.sent("GET", "/hazards") and "须整改的事故隐患" not in text


def test_the_chosen_enterprises_hazards_are_offered_as_check_boxes_the_one_it_came_from_ticked(console, gateway):
    html = console.get(f"{FOR_MINE}&hazard_id={FAN}").get_data(as_text=True)
    assert asked(gateway, "/hazards")[-1]["org_id"] == MINE["id"]
    assert f'checked id="hazard_ids-0" name="hazard_ids" type="checkbox" value="{FAN}"' in html
    assert " required" not in html.split('id="hazard_ids"')[1].split("</ul>")[0]  # else a browser demands every box
    assert f'id="hazard_ids-1" name="hazard_ids" type="checkbox" value="{PROBE}"' in html
    text = visible_text(html)
    assert "向 ENT-MK-01 东山煤矿 下达整改指令" in text
    assert "主通风机无备用电源（重大事故隐患，2026-12-01 发现）" in text and "责令停产整顿" in text


def test_an_enterprise_with_no_hazard_is_sent_to_record_one_first(console, gateway):
    gateway.on("GET", "/hazards", testing.page_of([]))
    html = console.get(FOR_MINE).get_data(as_text=True)
    assert "ENT-MK-01 东山煤矿 尚无登记的事故隐患" in visible_text(html)
    assert f'href="/supervision/hazards/new?org_id={MINE["id"]}"' in html


def test_an_inspector_issues_an_order_to_stop_and_rectify(console, gateway):
    gateway.on("POST", "/rectification-orders", lambda request: httpx.Response(201, json=order()))
    answer = testing.post_form(console, FOR_MINE, {
        "hazard_ids": [FAN, PROBE], "requirements": "增设双回路供电。", "due_date": "2026-12-20",
        "issued_by": "周监察", "suspend_production": "y"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/supervision/orders/{ORDER}"
    assert gateway.sent("POST", "/rectification-orders") == [{
        "org_id": MINE["id"], "hazard_ids": [FAN, PROBE], "requirements": "增设双回路供电。",
        "due_date": "2026-12-20", "issued_by": "周监察", "suspend_production": True}]
    [sent] = [r for r in gateway.requests if r.method == "POST" and r.url.path == "/api/v1/rectification-orders"]
    assert sent.headers["Idempotency-Key"]
    gateway.on("GET", f"/rectification-orders/{ORDER}", order())
    assert "整改指令 ZG-20261202-3F9A1C 已下达至 ENT-MK-01 东山煤矿。" in visible_text(
        console.get(f"/supervision/orders/{ORDER}").data)


def test_an_order_without_suspension_says_so_to_the_api(console, gateway):
    gateway.on("POST", "/rectification-orders", lambda request: httpx.Response(201, json=order()))
    testing.post_form(console, FOR_MINE, {"hazard_ids": [PROBE], "requirements": "校验探头。",
                                          "due_date": "2026-12-20", "issued_by": "周监察"})
    assert gateway.sent("POST", "/rectification-orders")[0]["suspend_production"] is False


def test_no_hazard_ticked_is_refused_beside_the_check_boxes_before_the_api_is_asked(console, gateway):
    answer = testing.post_form(console, FOR_MINE, {"requirements": "x", "due_date": "2026-12-20",
                                                   "issued_by": "周监察"})
    assert answer.status_code == 422 and not gateway.sent("POST", "/rectification-orders")
    assert testing.field_errors(answer.data, "hazard_ids") == ["请至少勾选一项事故隐患。"]


def test_the_apis_refusal_of_a_field_is_beside_it_and_of_the_enterprise_at_the_top(console, gateway):
    gateway.on("POST", "/rectification-orders", testing.problem(422, "Some fields are invalid.", errors={
        "due_date": ["Must be today or later."], "org_id": ["Not an enterprise within your scope."]}))
    answer = testing.post_form(console, FOR_MINE, {"hazard_ids": [FAN], "requirements": "x",
                                                   "due_date": "2026-01-01", "issued_by": "周监察"})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "due_date") == ["Must be today or later."]
    assert '<div class="form-errors" role="alert">' in answer.get_data(as_text=True)
    assert "Not an enterprise within your scope." in visible_text(answer.data)


def test_a_hazard_under_another_open_order_is_the_apis_409_at_the_top(console, gateway):
    gateway.on("POST", "/rectification-orders", testing.problem(
        409, "主通风机无备用电源 is under open order ZG-20261120-11AA22 already."))
    answer = testing.post_form(console, FOR_MINE, {"hazard_ids": [FAN], "requirements": "x",
                                                   "due_date": "2026-12-20", "issued_by": "周监察"})
    assert answer.status_code == 409
    assert "主通风机无备用电源 is under open order ZG-20261120-11AA22 already." in visible_text(answer.data)
    assert "checked" in answer.get_data(as_text=True).split(f'value="{FAN}"')[0].rsplit("<input", 1)[1]


@pytest.mark.parametrize("role", ["viewer", "logistics", "planner"])
def test_only_inspectors_and_admins_issue_orders(console_app, gateway, role):
    person = as_person(console_app, gateway, role=role)
    assert "下达整改指令" not in visible_text(person.get("/supervision/orders").data)
    assert person.get(FOR_MINE).status_code == 403
