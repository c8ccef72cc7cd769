"""Recording a drill's finding with the corrective action it calls for."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records

PAGE = f"/drills/{records.DRILL_ID}"
FORM = {"description": "现场与指挥部之间通信中断约十分钟", "severity": "high", "requires_plan_revision": "y",
        "action_owner": "市应急指挥中心 赵主任", "action_due_date": "2026-12-31",
        "action_description": "配齐卫星电话并组织通信演练"}


def test_a_finding_is_sent_with_its_corrective_action(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/findings", httpx.Response(201, json=records.finding()))
    answer = testing.post_form(console, f"{PAGE}/findings", FORM, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == f"{PAGE}#findings"
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/findings") == [{
        "description": "现场与指挥部之间通信中断约十分钟", "severity": "high", "requires_plan_revision": True,
        "corrective_action": {"owner": "市应急指挥中心 赵主任", "due_date": "2026-12-31",
                              "description": "配齐卫星电话并组织通信演练"}}]


def test_a_finding_that_calls_for_no_action_is_sent_without_one(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/findings", httpx.Response(201, json=records.finding()))
    testing.post_form(console, f"{PAGE}/findings", {"description": "签到表填写不规范", "severity": "low"}, page=PAGE)
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/findings") == [{
        "description": "签到表填写不规范", "severity": "low", "requires_plan_revision": False}]


def test_an_action_without_its_due_date_is_named_beside_that_field(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/findings", testing.problem(422, "Some fields are invalid", errors={
        "corrective_action": {"due_date": ["Missing data for required field."]}}))
    answer = testing.post_form(console, f"{PAGE}/findings", {**FORM, "action_due_date": ""}, page=PAGE)
    assert answer.status_code == 422
    assert '<small class="error" data-field="action_due_date">此项为必填项。</small>' in answer.get_data(as_text=True)


def test_a_finding_before_the_drill_starts_is_refused_in_words(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="in_progress"))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/findings", testing.problem(
        409, f"Drill {records.DRILL_ID} is ready; findings are recorded once it has started.",
        current_status="ready"))
    answer = testing.post_form(console, f"{PAGE}/findings", FORM, page=PAGE)
    text = records.page_text(answer)
    assert answer.status_code == 409 and "演练开始后方可记录发现的问题。" in text and records.DRILL_ID not in text
