"""Look-backs (回头看): the list with each order looked at and, after a relapse, the new order it opened; an
inspector schedules one over closed orders and records what it found."""
from __future__ import annotations

import httpx
import pytest

from console import testing
from console.testing import visible_text
from stock_pages import asked
from supervision_answers import (ENTERPRISES, FOLLOW_UP, IDS, MINE, NEW_ORDER, ORDER, as_person, follow_up,
                                 order)

LIST = "/supervision/follow-ups"
NEW = "/supervision/follow-ups/new"
RESULT = f"{LIST}/{FOLLOW_UP}/result"
PREFIX = f"result-{FOLLOW_UP}"


@pytest.fixture(autouse=True)
def answers(gateway):
    gateway.on("GET", "/orgs", testing.page_of(ENTERPRISES))
    gateway.on("GET", "/follow-ups", testing.page_of([follow_up()], per_page=30))
    gateway.on("GET", "/rectification-orders", testing.page_of([order("closed")]))


def test_the_list_shows_each_look_back_with_its_orders_by_code(console):
    html = console.get(LIST).get_data(as_text=True)
    text = visible_text(html)
    assert "2027-03-12 复查双回路供电运行记录 ENT-MK-01 东山煤矿 ZG-20261202-3F9A1C 待回头看" in text
    assert f'<a href="/supervision/orders/{ORDER}">ZG-20261202-3F9A1C</a>' in html
    assert not [record_id for record_id in IDS if record_id in text]


def test_a_relapse_links_to_the_new_order_it_opened(console, gateway):
    gateway.on("GET", "/follow-ups", testing.page_of([follow_up("relapsed")]))
    html = console.get(LIST).get_data(as_text=True)
    assert f'<a href="/supervision/orders/{NEW_ORDER}">ZG-20270310-9C1D2E</a>' in html
    text = visible_text(html)
    assert "问题反弹" in text and "新整改指令 ZG-20270310-9C1D2E" in text and "备用电源线路被拆除" in text
    assert "登记回头看结论" not in text  # checked already: no result to record


def test_the_status_filter_and_pager_reach_the_api(console, gateway):
    console.get(f"{LIST}?status=held&page=2")
    assert asked(gateway, "/follow-ups")[-1] == {"status": "held", "page": "2", "per_page": "30"}


def test_the_inspector_records_that_the_rectification_held(console, gateway):
    gateway.on("POST", f"/follow-ups/{FOLLOW_UP}/result", follow_up("held"))
    answer = testing.post_form(console, RESULT, {f"{PREFIX}-result": "held", f"{PREFIX}-checker": "周监察",
                                                 f"{PREFIX}-note": "备用电源切换正常",
                                                 f"{PREFIX}-new_due_date": "2027-04-10"}, page=LIST)
    assert answer.status_code == 302 and answer.headers["Location"] == LIST
    assert gateway.sent("POST", f"/follow-ups/{FOLLOW_UP}/result") == [
        {"result": "held", "checker": "周监察", "note": "备用电源切换正常"}]
    assert "回头看结论：整改成效巩固。" in visible_text(console.get(LIST).data)


def test_a_relapse_sends_the_new_orders_due_date_and_says_new_orders_were_issued(console, gateway):
    gateway.on("POST", f"/follow-ups/{FOLLOW_UP}/result", follow_up("relapsed"))
    testing.post_form(console, RESULT, {f"{PREFIX}-result": "relapsed", f"{PREFIX}-checker": "周监察",
                                        f"{PREFIX}-new_due_date": "2027-04-10"}, page=LIST)
    assert gateway.sent("POST", f"/follow-ups/{FOLLOW_UP}/result") == [
        {"result": "relapsed", "checker": "周监察", "new_due_date": "2027-04-10"}]
    assert "回头看发现问题反弹：已为每项整改指令重新下达整改指令。" in visible_text(console.get(LIST).data)


def test_a_result_without_a_checker_is_refused_beside_it_with_its_form_open(console, gateway):
    answer = testing.post_form(console, RESULT, {f"{PREFIX}-result": "held", f"{PREFIX}-checker": " "}, page=LIST)
    assert answer.status_code == 422 and not gateway.sent("POST", f"/follow-ups/{FOLLOW_UP}/result")
    assert testing.field_errors(answer.data, f"{PREFIX}-checker") == ["此项为必填项。"]
    assert f'id="result-{FOLLOW_UP}" open' in answer.get_data(as_text=True)


def test_a_look_back_recorded_already_is_the_apis_409_at_the_top(console, gateway):
    gateway.on("POST", f"/follow-ups/{FOLLOW_UP}/result", testing.problem(
        409, "Cannot result from status 'held'; only from scheduled.", action="result", current_status="held"))
    gateway.on("GET", "/follow-ups", testing.page_of([follow_up("held")]))
    answer = testing.post_form(console, RESULT, {f"{PREFIX}-result": "held", f"{PREFIX}-checker": "周监察"},
                               page=LIST)
    assert answer.status_code == 409
    assert "当前无法办理此步骤：状态已是“成效巩固”。" in visible_text(answer.data)


def test_scheduling_offers_the_closed_orders_the_one_it_came_from_ticked(console, gateway):
    html = console.get(f"{NEW}?order_id={ORDER}").get_data(as_text=True)
    assert asked(gateway, "/rectification-orders")[-1]["status"] == "closed"
    assert f'checked id="order_ids-0" name="order_ids" type="checkbox" value="{ORDER}"' in html
    assert "ZG-20261202-3F9A1C · ENT-MK-01 东山煤矿 · 主通风机无备用电源、瓦斯监测探头超期未校验" in visible_text(html)
    assert 'name="due_date" required type="date" value="20' in html  # three months on, filled in


def test_the_enterprise_chosen_narrows_the_closed_orders(console, gateway):
    console.get(f"{NEW}?org_id={MINE['id']}")
    assert asked(gateway, "/rectification-orders")[-1]["org_id"] == MINE["id"]


def test_an_inspector_schedules_a_look_back(console, gateway):
    gateway.on("POST", "/follow-ups", lambda request: httpx.Response(201, json=follow_up()))
    answer = testing.post_form(console, NEW, {"order_ids": [ORDER], "due_date": "2027-03-12",
                                              "note": "复查双回路供电运行记录"})
    assert answer.status_code == 302 and answer.headers["Location"] == LIST
    assert gateway.sent("POST", "/follow-ups") == [
        {"order_ids": [ORDER], "due_date": "2027-03-12", "note": "复查双回路供电运行记录"}]


def test_no_order_ticked_is_refused_beside_the_check_boxes(console, gateway):
    answer = testing.post_form(console, NEW, {"due_date": "2027-03-12"})
    assert answer.status_code == 422 and not gateway.sent("POST", "/follow-ups")
    assert testing.field_errors(answer.data, "order_ids") == ["请至少勾选一项整改指令。"]


def test_an_order_not_closed_is_the_apis_refusal_beside_the_orders(console, gateway):
    gateway.on("POST", "/follow-ups", testing.problem(422, "Some fields are invalid.", errors={
        "order_ids": ["ZG-20261202-3F9A1C is not closed."]}))
    answer = testing.post_form(console, NEW, {"order_ids": [ORDER], "due_date": "2027-03-12"})
    assert testing.field_errors(answer.data, "order_ids") == ["ZG-20261202-3F9A1C is not closed."]


@pytest.mark.parametrize("role", ["viewer", "planner"])
def test_only_inspectors_schedule_and_record_look_backs(console_app, gateway, role):
    person = as_person(console_app, gateway, role=role)
    text = visible_text(person.get(LIST).data)
    assert "安排回头看" not in text and "登记回头看结论" not in text
    assert person.get(NEW).status_code == 403
    assert testing.post_form(person, RESULT, {f"{PREFIX}-result": "held"}, page=LIST).status_code == 403
