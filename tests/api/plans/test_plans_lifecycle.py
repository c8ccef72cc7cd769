"""A plan owner takes a plan through review, approval, revision and retirement; every wrong step is refused."""
from __future__ import annotations

import datetime as dt

import pytest

from servicekit import clock


def problem(response_json, status):
    assert response_json["status"] == status
    return response_json


def test_a_plan_is_drafted_submitted_approved_and_retired(plan_desk, plans_outbox):
    plan = plan_desk.create()
    assert (plan["status"], plan["version"], plan["draft_version"]) == ("draft", 1, None)
    assert plan_desk.step(plan, "submit")["status"] == "in_review"
    approved = plan_desk.step(plan, "approve", approved_by="王局长")
    assert (approved["status"], approved["approved_by"]) == ("approved", "王局长")
    assert approved["approved_at"] is not None and approved["next_drill_due"] is not None
    retired = plan_desk.step(plan, "retire", reason="机构撤并")
    assert retired["status"] == "retired" and retired["next_drill_due"] is None
    assert [event_type for event_type, _ in plans_outbox()] == ["plan.approved", "plan.retired"]
    _, data = plans_outbox("plan.retired")[0]
    assert (data["plan_id"], data["code"], data["version"]) == (plan["id"], plan["code"], 1)


@pytest.mark.parametrize("steps, refused, current", [
    ([], "approve", "draft"),
    ([], "retire", "draft"),
    (["submit"], "submit", "in_review"),
    (["submit"], "retire", "in_review"),
    (["submit", "approve"], "submit", "approved"),
    (["submit", "approve"], "approve", "approved"),
    (["submit", "approve", "retire"], "retire", "retired"),
    (["submit", "approve", "retire"], "submit", "retired"),
    (["submit", "approve", "retire"], "approve", "retired"),
])
def test_an_illegal_step_is_409_naming_the_current_status(plan_desk, steps, refused, current):
    plan = plan_desk.create()
    for step in steps:
        plan_desk.step(plan, step, **({"approved_by": "王局长"} if step == "approve" else {}))
    body = {"approved_by": "王局长"} if refused == "approve" else {}
    answer = problem(plan_desk.step(plan, refused, 409, **body), 409)
    assert answer["current_status"] == current and current in answer["detail"]


def test_approval_defaults_to_now_may_lie_in_the_past_but_never_in_the_future(plan_desk, fixed_clock):
    now = fixed_clock(dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.timezone.utc))
    plan = plan_desk.create()
    plan_desk.step(plan, "submit")
    future = problem(plan_desk.step(plan, "approve", 422, approved_by="王局长",
                                    approved_at=(now + dt.timedelta(minutes=5)).isoformat()), 422)
    assert "approved_at" in future["errors"]
    assert problem(plan_desk.step(plan, "approve", 422, approved_at=now.isoformat()), 422)["errors"].keys() == {
        "approved_by"}
    assert problem(plan_desk.step(plan, "approve", 422, approved_by="王局长", approved_at="2026-01-01T08:00:00"),
                   422)["errors"].keys() == {"approved_at"}  # a timestamp needs its offset
    approved = plan_desk.step(plan, "approve", approved_by="王局长")
    assert approved["approved_at"] == now.isoformat()


@pytest.mark.parametrize("approved_at", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
                                         "1899-12-31T23:59:59+00:00"])
def test_an_approval_dated_outside_any_plausible_year_is_422_naming_the_field(plan_desk, approved_at):
    plan = plan_desk.create()
    plan_desk.step(plan, "submit")
    refused = problem(plan_desk.step(plan, "approve", 422, approved_by="王局长", approved_at=approved_at), 422)
    assert refused["errors"].keys() == {"approved_at"}
    assert plan_desk.get(plan)["status"] == "in_review"


def test_the_approval_event_carries_the_plan_and_its_requirements(plan_desk, plans_outbox):
    plan = plan_desk.create(type="onsite", title="危化品泄漏现场处置方案")
    item = "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0001"
    plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": item, "quantity": 2.5}]})
    plan_desk.step(plan, "submit")
    approved = plan_desk.step(plan, "approve", approved_by="王局长")
    [(_, data)] = plans_outbox("plan.approved")
    assert data == {"plan_id": plan["id"], "code": plan["code"], "title": "危化品泄漏现场处置方案", "type": "onsite",
                    "version": 1, "approved_at": approved["approved_at"],
                    "requirements": [{"item_id": item, "quantity": 2.5,
                                      "warehouse_id": None}],
                    # made by the admin, who has no organisation: the root's (its id unknown to this copy)
                    "org_id": None, "org_path": "/ROOT/"}


def test_an_approved_version_never_changes(plan_desk):
    plan = plan_desk.approved()
    refused = problem(plan_desk.call("patch", f"/{plan['id']}", 409, json={"title": "改个标题"}), 409)
    assert refused["current_status"] == "approved"
    assert plan_desk.get(plan)["title"] == plan["title"]


def test_a_draft_and_a_version_under_review_can_be_edited(plan_desk):
    plan = plan_desk.create()
    edited = plan_desk.call("patch", f"/{plan['id']}", json={"title": "城市防汛专项应急预案", "hazard_types": ["flood", "内涝"]})
    assert (edited["title"], edited["hazard_types"]) == ("城市防汛专项应急预案", ["flood", "内涝"])
    plan_desk.step(plan, "submit")
    assert plan_desk.call("patch", f"/{plan['id']}", json={"summary": "评审意见已吸收"})["summary"] == "评审意见已吸收"
    assert plan_desk.call("get", f"/{plan['id']}/versions/1")["summary"] == "评审意见已吸收"


def test_a_revision_opens_the_next_version_while_the_approved_one_stays_in_force(plan_desk, plans_outbox):
    plan = plan_desk.approved(title="地震综合应急预案", type="comprehensive")
    draft = plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "command_changed",
                                                                          "note": "指挥部成员调整"})
    assert (draft["version"], draft["status"], draft["reason"]) == (2, "draft", "command_changed")
    plan_desk.call("patch", f"/{plan['id']}", json={"title": "地震综合应急预案（2027修订）"})
    shown = plan_desk.get(plan)
    assert (shown["version"], shown["draft_version"], shown["status"], shown["title"]) == (
        1, 2, "approved", "地震综合应急预案")
    assert plan_desk.step(plan, "submit")["status"] == "approved"  # the plan in force; the draft is under review
    versions = plan_desk.call("get", f"/{plan['id']}/versions")["items"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "approved"), (2, "in_review")]

    approved = plan_desk.step(plan, "approve", approved_by="王局长")
    assert (approved["version"], approved["draft_version"], approved["title"]) == (2, None, "地震综合应急预案（2027修订）")
    listed = plan_desk.call("get", f"/{plan['id']}/versions")
    versions = listed["items"]
    assert (listed["total"], listed["page"], listed["per_page"]) == (2, 1, 50)
    assert [(v["version"], v["status"]) for v in versions] == [(1, "superseded"), (2, "approved")]
    assert versions[0]["title"] == "地震综合应急预案" and versions[0]["closed_at"] is not None
    assert [data["version"] for _, data in plans_outbox("plan.approved")] == [1, 2]
    [(_, required)] = plans_outbox("plan.revision_required")
    assert (required["plan_id"], required["reason"]) == (plan["id"], "command_changed")


def test_revisions_are_refused_unless_the_plan_is_approved_and_none_is_open(plan_desk):
    draft = plan_desk.create()
    assert problem(plan_desk.call("post", f"/{draft['id']}/revisions", 409, json={"reason": "other"}),
                   409)["current_status"] == "draft"
    plan = plan_desk.approved()
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "law_changed"})
    assert problem(plan_desk.call("post", f"/{plan['id']}/revisions", 409, json={"reason": "other"}),
                   409)["draft_version"] == 2
    bad = plan_desk.call("post", f"/{plan['id']}/revisions", 422, json={"reason": "whim"})
    assert "reason" in bad["errors"]


def test_a_revision_cannot_be_approved_before_the_version_it_replaces(plan_desk):
    plan = plan_desk.approved(approved_at=clock.now() - dt.timedelta(days=10))
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "risk_changed"})
    plan_desk.step(plan, "submit")
    early = (clock.now() - dt.timedelta(days=20)).isoformat()
    assert "approved_at" in plan_desk.step(plan, "approve", 422, approved_by="王局长", approved_at=early)["errors"]


def test_retiring_a_plan_withdraws_its_open_revision(plan_desk):
    plan = plan_desk.approved()
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "other"})
    retired = plan_desk.step(plan, "retire")
    assert (retired["status"], retired["draft_version"]) == ("retired", None)
    versions = plan_desk.call("get", f"/{plan['id']}/versions")["items"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "retired"), (2, "withdrawn")]
    assert plan_desk.call("patch", f"/{plan['id']}", 409, json={"title": "x"})["current_status"] == "retired"


def test_every_write_records_its_actor(plan_desk):
    plan = plan_desk.approved()
    history = plan_desk.call("get", f"/{plan['id']}/activity")["items"]
    assert [entry["action"] for entry in history] == ["created", "submitted", "approved"]
    assert {entry["actor_id"] for entry in history} == {"admin"}
    assert all(entry["request_id"] for entry in history)
    version = plan_desk.call("get", f"/{plan['id']}/versions/1")
    assert (version["created_by"], version["submitted_by"], version["approval_recorded_by"]) == ({"id": "admin", "name": "admin"},) * 3


def test_an_unknown_plan_or_version_is_404(plan_desk):
    missing = "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0fff"
    assert plan_desk.call("get", f"/{missing}", 404)["status"] == 404
    assert plan_desk.step({"id": missing}, "submit", 404)["status"] == 404
    plan = plan_desk.create()
    assert "version 7" in plan_desk.call("get", f"/{plan['id']}/versions/7", 404)["detail"]
    for number in ("0", "2147483648", "99999999999999999999999"):  # none can exist; never a 500
        assert plan_desk.call("get", f"/{plan['id']}/versions/{number}", 404)["status"] == 404


def test_versions_are_listed_a_page_at_a_time(plan_desk):
    plan = plan_desk.approved()
    for _ in range(2):
        plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "other"})
        plan_desk.step(plan, "submit")
        plan_desk.step(plan, "approve", approved_by="王局长")
    second = plan_desk.call("get", f"/{plan['id']}/versions", query_string={"page": 2, "per_page": 2})
    assert (second["total"], second["page"], second["per_page"]) == (3, 2, 2)
    assert [v["version"] for v in second["items"]] == [3]
    assert "per_page" in plan_desk.call("get", f"/{plan['id']}/versions", 422,
                                        query_string={"per_page": 0})["errors"]
