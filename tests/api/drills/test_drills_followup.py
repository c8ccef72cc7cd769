"""After a drill: its AQ/T 9009 evaluation, findings that flag the plan, corrective actions followed to verification."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

SCORES = {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
          "equipment_materials": 4}


@pytest.fixture
def drill(book, plan):
    return book.completed_drill(plan)


def finding_body(**overrides):
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return {"description": "指挥部与现场通信中断 8 分钟", "severity": "high", "requires_plan_revision": True,
            "corrective_action": {"owner": "区应急管理局通信科", "due_date": due, "description": "配备卫星电话"},
            **overrides}


def test_a_completed_drill_is_evaluated_once(book, drill):
    evaluation = book.post(f"/drills/{drill['id']}/evaluation", {
        "scores": SCORES, "rating": "good", "evaluator": "市应急局专家组", "comments": "总体有序"})
    assert evaluation["scores"] == SCORES and evaluation["rating"] == "good" and evaluation["average_score"] == 4.0
    assert book.get(f"/drills/{drill['id']}/evaluation")["id"] == evaluation["id"]
    assert book.get(f"/drills/{drill['id']}")["evaluated"] is True
    book.post(f"/drills/{drill['id']}/evaluation", {"scores": SCORES, "rating": "good", "evaluator": "x"},
              expect=409)


def test_only_completed_drills_are_evaluated(book, plan):
    ready = book.ready_drill(plan)
    book.post(f"/drills/{ready['id']}/evaluation", {"scores": SCORES, "rating": "fair", "evaluator": "x"},
              expect=409)
    book.get(f"/drills/{ready['id']}/evaluation", expect=404)


def test_scores_must_be_one_to_five_for_every_criterion(book, drill):
    response = book.client.post(f"/api/v1/drills/{drill['id']}/evaluation", json={
        "scores": {**SCORES, "preparation": 6}, "rating": "superb", "evaluator": "x"})
    assert response.status_code == 422
    assert {"scores", "rating"} <= set(response.get_json()["errors"])
    missing = {k: v for k, v in SCORES.items() if k != "response_actions"}
    response = book.client.post(f"/api/v1/drills/{drill['id']}/evaluation", json={
        "scores": missing, "rating": "good", "evaluator": "x"})
    assert response.status_code == 422


@pytest.mark.parametrize("evaluated_at", ["0001-01-01T00:00:00+00:00", "9999-12-31T23:00:00-05:00",
                                          "2030-05-01T09:00:00"])
def test_an_evaluation_time_out_of_range_or_without_offset_is_422_by_field(book, drill, evaluated_at):
    response = book.client.post(f"/api/v1/drills/{drill['id']}/evaluation", json={
        "scores": SCORES, "rating": "good", "evaluator": "x", "evaluated_at": evaluated_at})
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["evaluated_at"]


def test_an_evaluation_time_with_an_offset_is_kept_as_that_instant(book, drill):
    evaluation = book.post(f"/drills/{drill['id']}/evaluation", {
        "scores": SCORES, "rating": "good", "evaluator": "x", "evaluated_at": "2030-05-01T09:00:00+08:00"})
    assert dt.datetime.fromisoformat(evaluation["evaluated_at"]) == \
        dt.datetime(2030, 5, 1, 1, tzinfo=dt.timezone.utc)


def test_a_due_date_out_of_range_is_422_by_field(book, drill):
    body = finding_body(corrective_action={"owner": "x", "due_date": "9999-12-31", "description": "y"})
    response = book.client.post(f"/api/v1/drills/{drill['id']}/findings", json=body)
    assert response.status_code == 422 and "corrective_action" in response.get_json()["errors"]


def test_a_finding_is_recorded_with_its_action_and_announced(book, drill, plan):
    finding = book.post(f"/drills/{drill['id']}/findings", finding_body())
    action = finding["corrective_action"]
    assert (finding["severity"], finding["plan_id"], action["status"], action["overdue"]) == \
        ("high", plan, "open", False)
    [event] = book.outbox("finding.recorded")
    assert event["data"] == {"finding_id": finding["id"], "drill_id": drill["id"], "plan_id": plan,
                             "severity": "high", "requires_plan_revision": True,
                             "description": "指挥部与现场通信中断 8 分钟",
                             "org_id": None}  # a plan approved without an organisation: the root's
    listed = book.get(f"/drills/{drill['id']}/findings")
    assert listed["total"] == 1 and listed["items"][0]["id"] == finding["id"]


def test_findings_wait_for_the_drill_to_start(book, plan):
    ready = book.ready_drill(plan)
    book.post(f"/drills/{ready['id']}/findings", finding_body(), expect=409)
    book.post(f"/drills/{uuid.uuid4()}/findings", finding_body(), expect=404)


def test_an_action_goes_open_done_verified_and_never_skips(book, drill):
    action = book.post(f"/drills/{drill['id']}/findings", finding_body())["corrective_action"]
    book.post(f"/corrective-actions/{action['id']}/verify", {"verifier": "督查组"}, expect=409)
    done = book.post(f"/corrective-actions/{action['id']}/complete", {"note": "已采购两部卫星电话"}, expect=200)
    assert done["status"] == "done" and done["completion_note"] == "已采购两部卫星电话"
    book.post(f"/corrective-actions/{action['id']}/complete", {"note": "again"}, expect=409)
    verified = book.post(f"/corrective-actions/{action['id']}/verify", {"verifier": "督查组", "note": "回头看合格"},
                         expect=200)
    assert (verified["status"], verified["verifier"]) == ("verified", "督查组")
    book.post(f"/corrective-actions/{action['id']}/verify", {"verifier": "督查组"}, expect=409)
    assert book.client.post(f"/api/v1/corrective-actions/{action['id']}/verify", json={}).status_code == 422
    book.post(f"/corrective-actions/{uuid.uuid4()}/complete", {}, expect=404)


def test_actions_filter_by_status_owner_plan_and_overdue(book, drill, plan):
    late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    overdue = book.post(f"/drills/{drill['id']}/findings", finding_body(corrective_action={
        "owner": "消防救援大队", "due_date": late, "description": "补充破拆工具"}))["corrective_action"]
    on_time = book.post(f"/drills/{drill['id']}/findings", finding_body(severity="low"))["corrective_action"]
    other_drill = book.completed_drill(book.approve_plan())
    book.post(f"/drills/{other_drill['id']}/findings", finding_body())
    assert [a["id"] for a in book.get("/corrective-actions?overdue=true")["items"]] == [overdue["id"]]
    assert book.get(f"/corrective-actions/{overdue['id']}")["overdue"] is True
    assert {a["id"] for a in book.get(f"/corrective-actions?plan_id={plan}")["items"]} == {overdue["id"],
                                                                                         on_time["id"]}
    assert [a["id"] for a in book.get("/corrective-actions?owner=消防救援大队")["items"]] == [overdue["id"]]
    book.post(f"/corrective-actions/{on_time['id']}/complete", {}, expect=200)
    assert [a["id"] for a in book.get("/corrective-actions?status=done")["items"]] == [on_time["id"]]
    assert book.get("/corrective-actions")["total"] == 3


def test_a_finding_without_an_action_is_allowed(book, drill):
    finding = book.post(f"/drills/{drill['id']}/findings", {"description": "桌面推演节奏偏快", "severity": "low"})
    assert finding["corrective_action"] is None and finding["requires_plan_revision"] is False
