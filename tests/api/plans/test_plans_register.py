"""A plan owner registers plans, finds them again by type, status, unit, hazard and text, and edits drafts."""
from __future__ import annotations

import pytest


def test_a_plan_is_registered_as_a_draft_and_reads_back_unchanged(plan_desk):
    levels = [{"level": "I", "name": "特别重大", "criteria": "死亡30人以上", "actions": "市指挥部启动"},
              {"level": "II", "criteria": "死亡10人以上"}]
    plan = plan_desk.create(code="YA-FX-001", title="防汛防台专项应急预案", hazard_types=["flood", "typhoon"],
                            summary="适用于本市行政区域内的洪涝、台风灾害。", response_levels=levels)
    again = plan_desk.get(plan)
    assert again == plan
    assert (again["code"], again["status"], again["version"], again["compliance"]) == ("YA-FX-001", "draft", 1, "ok")
    assert again["response_levels"][0]["name"] == "特别重大" and again["hazard_types"] == ["flood", "typhoon"]
    assert (again["approved_at"], again["next_drill_due"], again["needs_revision"]) == (None, None, False)


def test_a_duplicate_code_is_409(plan_desk):
    plan_desk.create(code="YA-DUP")
    assert plan_desk.create(expected=409, code="YA-DUP")["status"] == 409


@pytest.mark.parametrize("fields, bad", [
    ({"type": "regional"}, "type"),
    ({"title": ""}, "title"),
    ({"hazard_types": "flood"}, "hazard_types"),
    ({"colour": "red"}, "colour"),
    ({"response_levels": [{"criteria": "no level"}]}, "response_levels"),
])
def test_bad_fields_are_422_by_name(plan_desk, fields, bad):
    assert bad in plan_desk.create(expected=422, **fields)["errors"]


def test_a_response_level_in_a_change_is_whole_or_422(plan_desk):
    plan = plan_desk.create()
    answer = plan_desk.call("patch", f"/{plan['id']}", 422, json={"response_levels": [{"criteria": "no level"}]})
    assert "response_levels" in answer["errors"]


def test_required_fields_are_named(plan_desk):
    answer = plan_desk.call("post", "", 422, json={"code": "YA-X"})
    assert {"title", "type", "owner_org", "owner"} <= set(answer["errors"])


def test_the_register_filters_and_searches(plan_desk):
    flood = plan_desk.approved(code="YA-FLOOD", title="防汛专项应急预案", hazard_types=["flood"], owner_org="水务局")
    fire = plan_desk.create(code="YA-FIRE", title="森林火灾专项应急预案", hazard_types=["forest_fire"])
    site = plan_desk.create(code="XC-CHEM", title="危化品泄漏现场处置方案", type="onsite", hazard_types=["hazmat", "fire"])

    def codes(**query):
        return [plan["code"] for plan in plan_desk.call("get", "", query_string=query)["items"]]

    assert codes() == ["XC-CHEM", "YA-FIRE", "YA-FLOOD"]
    assert codes(type="onsite") == [site["code"]]
    assert codes(status="approved") == [flood["code"]]
    assert codes(owner_org="水务局") == [flood["code"]]
    assert codes(hazard="hazmat") == [site["code"]]
    assert codes(hazard="fire") == [site["code"]]  # a whole hazard type, not part of one
    assert codes(q="火灾") == [fire["code"]]
    assert codes(q="xc-") == [site["code"]]  # either case, on every backend
    page = plan_desk.call("get", "", query_string={"per_page": 2, "page": 2})
    assert ([plan["code"] for plan in page["items"]], page["total"], page["page"], page["per_page"]) == (
        ["YA-FLOOD"], 3, 2, 2)
    assert "type" in plan_desk.call("get", "", 422, query_string={"type": "x"})["errors"]
    assert "compliance" in plan_desk.call("get", "", 422, query_string={"compliance": "late"})["errors"]


def test_a_draft_code_may_change_but_not_to_a_taken_one_nor_after_approval(plan_desk):
    plan_desk.create(code="YA-TAKEN")
    draft = plan_desk.create(code="YA-OLD")
    assert plan_desk.call("patch", f"/{draft['id']}", json={"code": "YA-NEW"})["code"] == "YA-NEW"
    assert plan_desk.call("patch", f"/{draft['id']}", 409, json={"code": "YA-TAKEN"})["status"] == 409
    plan = plan_desk.approved()
    plan_desk.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "other"})
    assert "code" in plan_desk.call("patch", f"/{plan['id']}", 409, json={"code": "YA-RENAMED"})["detail"]


def without_names(lines):
    """The lines as they were given (answers name each item beside its id)."""
    return [{name: value for name, value in line.items() if name != "item"} for line in lines]


def test_requirements_are_replaced_whole_and_announced(plan_desk, plans_outbox):
    plan = plan_desk.create()
    tents, water = "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0001", "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0002"
    first = plan_desk.call("put", f"/{plan['id']}/requirements",
                           json={"lines": [{"item_id": tents, "quantity": 20}, {"item_id": water, "quantity": 0.5}]})
    assert without_names(first["requirements"]) == [{"item_id": tents, "quantity": 20}, {"item_id": water, "quantity": 0.5}]
    second = plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": water, "quantity": 3}]})
    assert without_names(second["requirements"]) == [{"item_id": water, "quantity": 3}]
    assert [data["lines"] for _, data in plans_outbox("plan.requirements_changed")] == [
        [{"item_id": tents, "quantity": 20, "warehouse_id": None},
         {"item_id": water, "quantity": 0.5, "warehouse_id": None}],
        [{"item_id": water, "quantity": 3, "warehouse_id": None}]]
    twice = {"lines": [{"item_id": water, "quantity": 1}, {"item_id": water, "quantity": 2}]}
    assert "lines" in plan_desk.call("put", f"/{plan['id']}/requirements", 422, json=twice)["errors"]
    assert "lines" in plan_desk.call("put", f"/{plan['id']}/requirements", 422,
                                     json={"lines": [{"item_id": water, "quantity": 0}]})["errors"]


def test_a_retired_plan_keeps_its_requirements(plan_desk):
    plan = plan_desk.approved()
    plan_desk.step(plan, "retire")
    assert plan_desk.call("put", f"/{plan['id']}/requirements", 409, json={"lines": []})["current_status"] == "retired"


def test_a_post_retried_with_the_same_idempotency_key_registers_one_plan(plan_desk):
    body = {"code": "YA-IDEM", "title": "防汛专项应急预案", "type": "special", "owner_org": "市应急管理局", "owner": "张伟"}
    first = plan_desk.client.post("/api/v1/plans", json=body, headers={"Idempotency-Key": "k-1"})
    again = plan_desk.client.post("/api/v1/plans", json=body, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 201) and first.json["id"] == again.json["id"]
    assert plan_desk.call("get", "", query_string={"q": "YA-IDEM"})["total"] == 1
