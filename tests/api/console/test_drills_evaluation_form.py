"""Evaluating a completed drill against the five AQ/T 9009 criteria."""
from __future__ import annotations

import httpx

from console import testing
from tests.api.console import drills_records as records

PAGE = f"/drills/{records.DRILL_ID}"
FORM = {"plan_suitability": "4", "preparation": "5", "command_coordination": "3", "response_actions": "4",
        "equipment_materials": "2", "rating": "good", "evaluator": "省应急专家组 刘工", "comments": "通信保障需加强"}


def test_the_evaluation_is_sent_with_five_scores_a_rating_and_the_evaluator(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="completed", consumed=[]))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/evaluation", httpx.Response(201, json=records.evaluation()))
    answer = testing.post_form(console, f"{PAGE}/evaluation", FORM, page=PAGE)
    assert answer.status_code == 302 and answer.headers["Location"] == f"{PAGE}#evaluation"
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/evaluation") == [{
        "scores": {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
                   "equipment_materials": 2},
        "rating": "good", "evaluator": "省应急专家组 刘工", "comments": "通信保障需加强"}]


def test_a_score_left_out_is_named_beside_its_criterion(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="completed", consumed=[]))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/evaluation", testing.problem(
        422, "Some fields are invalid", errors={"scores": {"preparation": ["Missing data for required field."]}}))
    answer = testing.post_form(console, f"{PAGE}/evaluation", {**FORM, "preparation": ""}, page=PAGE)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<small class="error" data-field="preparation">此项为必填项。</small>' in html
    assert "scores" not in records.page_text(answer)
    assert gateway.sent("POST", f"/drills/{records.DRILL_ID}/evaluation")[0]["scores"] == {
        "plan_suitability": 4, "command_coordination": 3, "response_actions": 4, "equipment_materials": 2}


def test_a_second_evaluation_is_refused_in_words(console, gateway):
    records.answer_drill_page(gateway, records.drill(status="completed", consumed=[]))
    gateway.on("POST", f"/drills/{records.DRILL_ID}/evaluation", testing.problem(
        409, f"Drill {records.DRILL_ID} was already evaluated on 2026-12-10T06:00:00+00:00."))
    answer = testing.post_form(console, f"{PAGE}/evaluation", FORM, page=PAGE)
    text = records.page_text(answer)
    assert answer.status_code == 409 and "该演练已评估过" in text and records.DRILL_ID not in text
