"""Scheduling a drill: approved plans to choose from, the form sent as the API's JSON, refusals beside the fields."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records

FORM = {
    "plan_id": records.PLAN_ID, "title": "2026年防汛实战演练", "drill_form": "live", "scope": "comprehensive",
    "scheduled_start": "2026-12-10T09:00", "scheduled_end": "2026-12-10T12:00", "location": "滨江公园",
    "organizer": "", "resources-0-item_code": "LJ-001", "resources-0-quantity": "50",
    "resources-1-item_code": "", "resources-1-quantity": "",
    "resources-2-item_code": " JJ-002 ", "resources-2-quantity": "2.5",
}


def _scheduling_answers(gateway):
    gateway.on("GET", "/plans", records.plans_by_status)
    gateway.on("GET", "/items", testing.page_of([records.LIFE_JACKET, records.FIRST_AID]))


def test_the_form_offers_only_approved_plans_by_code_and_title_and_the_catalog_codes(console, gateway):
    _scheduling_answers(gateway)
    answer = console.get(f"/drills/new?plan_id={records.PLAN_ID}")
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert f'<option selected value="{records.PLAN_ID}">YA-2026-01 防汛防台专项应急预案</option>' in html
    asked = [r for r in gateway.requests if r.url.path == "/api/v1/plans"]
    assert asked and all(r.url.params["status"] == "approved" for r in asked)
    assert '<option value="LJ-001" label="救生衣 (件)">' in html
    text = records.page_text(answer)
    assert "安排演练" in text and "桌面演练" in text and "综合演练" in text and "需预留的物资" in text
    assert records.PLAN_ID not in text


def test_a_scheduled_drill_is_sent_with_local_times_item_codes_and_numbers_and_its_page_opens(console, gateway):
    _scheduling_answers(gateway)
    gateway.on("POST", "/drills", httpx.Response(201, json=records.drill(status="pending_resources")))
    answer = testing.post_form(console, "/drills/new", FORM)
    assert answer.status_code == 302 and answer.headers["Location"] == f"/drills/{records.DRILL_ID}"
    assert gateway.sent("POST", "/drills") == [{
        "plan_id": records.PLAN_ID, "title": "2026年防汛实战演练", "form": "live", "scope": "comprehensive",
        "scheduled_start": "2026-12-10T09:00:00+08:00", "scheduled_end": "2026-12-10T12:00:00+08:00",
        "location": "滨江公园",
        "resources": [{"item_code": "LJ-001", "quantity": 50}, {"item_code": "JJ-002", "quantity": 2.5}],
    }]


def test_a_refused_schedule_puts_each_message_beside_its_field_and_its_row(console, gateway):
    _scheduling_answers(gateway)
    gateway.on("POST", "/drills", testing.problem(422, "Some fields are invalid", errors={
        "scheduled_end": ["Must be after scheduled_start."],
        "resources": {"1": {"item_code": ["No item with code 'JJ-002'."]}}}))
    answer = testing.post_form(console, "/drills/new", FORM, page="/drills/new")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<small class="error" data-field="scheduled_end">结束时间须晚于开始时间。</small>' in html
    # The second line sent came from the third row (the second was left empty): the message is beside it.
    third_row = html.split('id="resources-2-item_code"')[1].split("</td>")[0]
    assert "物资目录中没有编码为 JJ-002 的物资。" in third_row
    assert 'value="2026-12-10T09:00"' in html and "滨江公园" in html  # what was typed stays


def test_a_plan_no_longer_approved_is_said_above_the_form_without_its_id(console, gateway):
    _scheduling_answers(gateway)
    gateway.on("POST", "/drills", testing.problem(
        409, f"Plan {records.PLAN_ID} is retired; only an approved plan can be drilled.", field="plan_id"))
    answer = testing.post_form(console, "/drills/new", FORM, page="/drills/new")
    assert answer.status_code == 409
    text = records.page_text(answer)
    assert "只能针对已批准的预案安排演练" in text
    assert records.PLAN_ID not in text and "only an approved plan" not in text


def test_without_an_approved_plan_the_form_says_why_nothing_can_be_scheduled(console, gateway):
    gateway.on("GET", "/plans", testing.page_of([]))
    gateway.on("GET", "/items", testing.page_of([]))
    assert "尚无已批准的预案" in console.get("/drills/new").get_data(as_text=True)
