"""An evaluation can be corrected while the drill's follow-up is open, and keeps what it said before."""
from __future__ import annotations

import datetime as dt

import pytest

from servicekit.signing import Actor
from servicekit.testing import signed_client

SCORES = {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
          "equipment_materials": 4}
EXPERT = Actor(id="expert-2", name="复核专家", role="planner")


@pytest.fixture
def evaluated(book):
    drill = book.completed_drill(book.approve_plan())
    book.post(f"/drills/{drill['id']}/evaluation", {"scores": SCORES, "rating": "good", "evaluator": "市应急局专家组",
                                                    "comments": "总体有序"})
    return drill


def finding(book, drill, *, action: bool = True):
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    body = {"description": "通信中断 8 分钟", "severity": "high"}
    if action:
        body["corrective_action"] = {"owner": "通信科", "due_date": due, "description": "配备卫星电话"}
    return book.post(f"/drills/{drill['id']}/findings", body)


def verify(book, found):
    action = found["corrective_action"]["id"]
    book.post(f"/corrective-actions/{action}/complete", {"note": "已配备"}, expect=200)
    book.post(f"/corrective-actions/{action}/verify", {"verifier": "督查组"}, expect=200)


def test_a_correction_keeps_the_earlier_version_with_who_recorded_it_and_when(book, evaluated):
    path = f"/api/v1/drills/{evaluated['id']}/evaluation"
    first = book.client.get(path).get_json()
    assert first["version"] == 1 and first["earlier_versions"] == []
    response = signed_client(book.client.application, actor=EXPERT).patch(path, json={
        "scores": {"command_coordination": 2}, "rating": "fair", "comments": "指挥协调不足"})
    assert response.status_code == 200, response.get_data(as_text=True)
    current = book.client.get(path).get_json()
    assert current["version"] == 2 and current["rating"] == "fair" and current["recorded_by"] == {"id": EXPERT.id, "name": EXPERT.name}
    assert current["scores"] == {**SCORES, "command_coordination": 2} and current["average_score"] == 3.8
    assert current["recorded_at"] >= first["recorded_at"]
    [before] = current["earlier_versions"]
    assert before["version"] == 1 and before["rating"] == "good" and before["comments"] == "总体有序"
    assert before["scores"] == SCORES and before["recorded_by"] == first["recorded_by"]
    assert before["recorded_at"] == first["recorded_at"]


def test_a_correction_that_changes_nothing_makes_no_version(book, evaluated):
    again = book.patch(f"/drills/{evaluated['id']}/evaluation", {"rating": "good"})
    assert again["version"] == 1 and again["earlier_versions"] == []


def test_it_can_be_corrected_while_an_action_is_unverified_and_not_once_all_are(book, evaluated):
    path = f"/drills/{evaluated['id']}/evaluation"
    first, second = finding(book, evaluated), finding(book, evaluated)
    finding(book, evaluated, action=False)  # a finding that calls for no action keeps nothing open
    verify(book, first)
    assert book.patch(path, {"rating": "fair"})["version"] == 2
    verify(book, second)
    response = book.client.patch("/api/v1" + path, json={"rating": "poor"})
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert "verified" in response.get_json()["detail"]
    assert book.get(path)["rating"] == "fair"


def test_bad_corrections_are_422_naming_the_field_and_a_missing_evaluation_404(book, evaluated):
    response = book.client.patch(f"/api/v1/drills/{evaluated['id']}/evaluation",
                                 json={"scores": {"preparation": 9}, "rating": "superb"})
    assert response.status_code == 422 and {"scores", "rating"} <= set(response.get_json()["errors"])
    unevaluated = book.completed_drill(book.approve_plan())
    assert book.client.patch(f"/api/v1/drills/{unevaluated['id']}/evaluation",
                             json={"rating": "good"}).status_code == 404
