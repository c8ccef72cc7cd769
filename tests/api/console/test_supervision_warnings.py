"""Severe-weather warnings: the list (in force or lifted, by kind and level) with each one's level in its colour
and how many enterprises have acknowledged it, and an inspector issuing a red rainstorm warning to the mines of
two districts with the order to stop production and evacuate."""
from __future__ import annotations

import httpx
import pytest

from console import testing
from console.testing import visible_text
from stock_pages import asked, row_of
from supervision_answers import ENTERPRISES, IDS, WARNING, as_person, warning

LIST = "/supervision/warnings"
NEW = "/supervision/warnings/new"
FILLED = {"kind": "rainstorm", "level": "red", "districts": ["浦东新区", "闵行区"], "other_districts": "",
          "industries": ["mining"], "valid_from": "2026-12-02T14:00", "valid_to": "2026-12-03T14:00",
          "directive": "stop_and_evacuate", "message": "预计未来24小时将出现大暴雨，请立即停产撤人。",
          "issued_by": "市局总值班室 刘洋", "ack_within_minutes": "30"}


@pytest.fixture(autouse=True)
def answers(gateway):
    gateway.on("GET", "/orgs", testing.page_of(ENTERPRISES))
    gateway.on("GET", "/warnings", testing.page_of([warning()], per_page=30))


def test_the_list_shows_each_warning_its_level_in_colour_and_who_has_not_acknowledged(console):
    html = console.get(LIST).get_data(as_text=True)
    row = row_of(html, "YJ-20261202-7B2D4E")
    assert 'class="warning-row level-red"' in row
    assert '<span class="badge warning-level level-red">红色预警</span>' in row
    text = visible_text(row)
    assert "YJ-20261202-7B2D4E 暴雨" in text and "浦东新区、闵行区 矿山" in text
    assert "2026-12-02 14:00 至 2026-12-03 14:00" in text and "停产撤人 生效中" in text
    assert "1 / 2 1 家未叫应" in text
    assert f'href="/supervision/warnings/{WARNING}"' in row
    assert not [record_id for record_id in IDS if record_id in visible_text(html)]


def test_a_warning_to_every_industry_says_so(console, gateway):
    gateway.on("GET", "/warnings", testing.page_of([warning(industries=[], level="yellow", status="closed")]))
    text = visible_text(console.get(LIST).data)
    assert "全部行业" in text and "黄色预警" in text and "已解除" in text


def test_the_filters_and_pager_reach_the_api(console, gateway):
    html = console.get(f"{LIST}?status=issued&kind=rainstorm&level=red&page=2").get_data(as_text=True)
    assert asked(gateway, "/warnings")[-1] == {"status": "issued", "kind": "rainstorm", "level": "red",
                                               "page": "2", "per_page": "30"}
    assert '<option selected value="issued">生效中</option>' in html and '<option value="closed">已解除</option>' in html


def test_the_issue_form_offers_the_districts_the_enterprises_lie_in_and_the_industries(console, gateway):
    html = console.get(NEW).get_data(as_text=True)
    assert asked(gateway, "/orgs")[-1]["kind"] == "enterprise"
    for district in ("浦东新区", "闵行区", "金山区"):
        assert f'name="districts" type="checkbox" value="{district}"' in html
    assert 'name="industries" type="checkbox" value="mining"> <label for="industries-0">矿山</label>' in html
    assert '<option value="stop_and_evacuate">停产撤人</option>' in html
    assert 'name="ack_within_minutes" required type="number" value="30"' in html
    assert 'name="valid_from" required type="datetime-local" value="20' in html  # from now, filled in


def test_an_inspector_issues_a_red_rainstorm_warning_to_the_mines_of_two_districts(console, gateway):
    gateway.on("POST", "/warnings", lambda request: httpx.Response(201, json=warning()))
    answer = testing.post_form(console, NEW, FILLED)
    assert answer.status_code == 302 and answer.headers["Location"] == f"{LIST}/{WARNING}"
    assert gateway.sent("POST", "/warnings") == [{
        "kind": "rainstorm", "level": "red", "districts": ["浦东新区", "闵行区"], "industries": ["mining"],
        "valid_from": "2026-12-02T14:00:00+08:00", "valid_to": "2026-12-03T14:00:00+08:00",
        "issued_by": "市局总值班室 刘洋", "directive": "stop_and_evacuate",
        "message": "预计未来24小时将出现大暴雨，请立即停产撤人。", "ack_within_minutes": 30}]
    gateway.on("GET", f"/warnings/{WARNING}", warning())
    assert "预警 YJ-20261202-7B2D4E 已发送至 2 家企业，各企业须在 30 分钟内叫应。" in visible_text(
        console.get(f"{LIST}/{WARNING}").data)


def test_districts_typed_are_added_to_those_ticked_and_no_industry_means_every_one(console, gateway):
    gateway.on("POST", "/warnings", lambda request: httpx.Response(201, json=warning()))
    testing.post_form(console, NEW, {**FILLED, "districts": ["浦东新区"], "other_districts": "奉贤区、 闵行区，浦东新区",
                                     "industries": []})
    sent = gateway.sent("POST", "/warnings")[0]
    assert sent["districts"] == ["浦东新区", "奉贤区", "闵行区"] and sent["industries"] == []


def test_no_district_is_refused_beside_the_districts_before_the_api_is_asked(console, gateway):
    answer = testing.post_form(console, NEW, {**FILLED, "districts": [], "other_districts": " "})
    assert answer.status_code == 422 and not gateway.sent("POST", "/warnings")
    assert testing.field_errors(answer.data, "districts") == ["请至少勾选或填写一个区县。"]


def test_a_warning_that_would_reach_nobody_is_refused_beside_the_field_the_api_names(console, gateway):
    gateway.on("POST", "/warnings", testing.problem(422, "Some fields are invalid.", errors={
        "industries": ["No enterprise within your scope in 浦东新区、闵行区 works in fireworks; nothing was issued."],
        "valid_to": ["Must lie after valid_from."]}))
    answer = testing.post_form(console, NEW, {**FILLED, "industries": ["fireworks"]})
    assert answer.status_code == 422
    assert testing.field_errors(answer.data, "industries") == ["所列区县内没有属于所选行业的企业，预警未发布。"]
    assert testing.field_errors(answer.data, "valid_to") == ["须晚于生效时间。"]
    assert 'checked id="districts-2" name="districts" type="checkbox" value="闵行区"' in answer.get_data(as_text=True)


def test_the_apis_refusal_of_the_districts_is_beside_the_typed_ones_when_none_can_be_ticked(console, gateway):
    gateway.on("GET", "/orgs", testing.page_of([]))
    gateway.on("POST", "/warnings", testing.problem(422, "Some fields are invalid.", errors={
        "districts": ["No enterprise within your scope lies in 崇明区; nothing was issued."]}))
    answer = testing.post_form(console, NEW, {**FILLED, "districts": [], "other_districts": "崇明区"})
    assert 'name="districts" type="checkbox"' not in answer.get_data(as_text=True)
    assert testing.field_errors(answer.data, "other_districts") == ["您管辖范围内没有位于所列区县的企业，预警未发布。"]


@pytest.mark.parametrize("role", ["viewer", "logistics", "planner"])
def test_only_inspectors_and_admins_issue_warnings(console_app, gateway, role):
    person = as_person(console_app, gateway, role=role)
    assert "发布预警" not in visible_text(person.get(LIST).data)
    assert person.get(NEW).status_code == 403
