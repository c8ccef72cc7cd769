"""Requirements belong to a version: a revision changes its own, approval puts them in force, approved ones stay."""
from __future__ import annotations

import pytest

TENTS, PUMPS = "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0101", "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0102"
DEPOT = "0b8f0a52-8a3b-4a65-9f5a-1c7b7b6c0199"


@pytest.fixture
def approved(plan_desk):
    """Version 1 approved requiring 20 tents."""
    plan = plan_desk.create()
    plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": TENTS, "quantity": 20}]})
    plan_desk.step(plan, "submit")
    return plan_desk.step(plan, "approve", approved_by="王局长")


def plain(lines: list[dict]) -> list[dict]:
    """Requirement lines without the item's names (those are the names tests' business)."""
    return [{"item_id": line["item_id"], "quantity": line["quantity"]} for line in lines]


def versions(plan_desk, plan) -> dict[int, list]:
    return {v["version"]: plain(v["requirements"]) for v in plan_desk.call("get", f"/{plan['id']}/versions")["items"]}


def test_a_draft_answers_its_requirements_before_it_is_approved(plan_desk):
    plan = plan_desk.create()
    plan_desk.call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": PUMPS, "quantity": 3}]})
    assert versions(plan_desk, plan) == {1: [{"item_id": PUMPS, "quantity": 3}]}


def test_an_approved_version_answers_its_requirements(plan_desk, approved):
    assert versions(plan_desk, approved) == {1: [{"item_id": TENTS, "quantity": 20}]}
    assert plain(plan_desk.call("get", f"/{approved['id']}/versions/1")["requirements"]) == [{"item_id": TENTS, "quantity": 20}]


def test_an_approved_version_s_requirements_do_not_change_without_a_revision(plan_desk, approved):
    answer = plan_desk.call("put", f"/{approved['id']}/requirements", 409, json={"lines": []})
    assert answer["current_status"] == "approved" and "revision" in answer["detail"]
    assert plain(plan_desk.get(approved)["requirements"]) == [{"item_id": TENTS, "quantity": 20}]


def test_a_revision_changes_its_own_requirements_and_approval_puts_them_in_force(plan_desk, approved, plans_outbox,
                                                                                 plan_events):
    plan_events("stock.changed", source="resources", warehouse_id=DEPOT, item_id=TENTS, on_hand=25, reserved=0,
                unusable=0, available=25, min_quantity=0, version=1)
    plan_desk.call("post", f"/{approved['id']}/revisions", 201, json={"reason": "resources_changed"})
    assert versions(plan_desk, approved)[2] == [{"item_id": TENTS, "quantity": 20}]  # the draft starts from v1's
    new_lines = [{"item_id": TENTS, "quantity": 30}, {"item_id": PUMPS, "quantity": 2}]
    plan_desk.call("put", f"/{approved['id']}/requirements", json={"lines": new_lines})

    # In force until the revision is approved: version 1's list, for the plan and for readiness.
    assert plain(plan_desk.get(approved)["requirements"]) == [{"item_id": TENTS, "quantity": 20}]
    readiness = plan_desk.call("get", f"/{approved['id']}/readiness")
    assert readiness["ready"] is True and [line["item_id"] for line in readiness["lines"]] == [TENTS]
    assert versions(plan_desk, approved) == {1: [{"item_id": TENTS, "quantity": 20}], 2: new_lines}
    changes_before = len(plans_outbox("plan.requirements_changed"))

    plan_desk.step(approved, "submit")
    in_force = plan_desk.step(approved, "approve", approved_by="王局长")
    assert in_force["version"] == 2 and plain(in_force["requirements"]) == new_lines
    assert plain(plan_desk.get(approved)["requirements"]) == new_lines
    readiness = plan_desk.call("get", f"/{approved['id']}/readiness")
    assert readiness["ready"] is False and [line["item_id"] for line in readiness["lines"]] == [TENTS, PUMPS]
    changes = plans_outbox("plan.requirements_changed")
    # Event lines name no depot: an explicit null, as every absent optional field of a payload.
    assert len(changes) == changes_before + 1
    assert changes[-1][1]["lines"] == [{**line, "warehouse_id": None} for line in new_lines]
    [(_, approval)] = plans_outbox("plan.approved")[-1:]
    assert approval["version"] == 2
    assert approval["requirements"] == [{**line, "warehouse_id": None} for line in new_lines]
    assert versions(plan_desk, approved)[1] == [{"item_id": TENTS, "quantity": 20}]  # v1's record stands


def test_approving_a_revision_with_the_same_requirements_announces_no_change(plan_desk, approved, plans_outbox):
    plan_desk.call("post", f"/{approved['id']}/revisions", 201, json={"reason": "other"})
    plan_desk.call("patch", f"/{approved['id']}", json={"summary": "只改文字"})
    plan_desk.step(approved, "submit")
    before = len(plans_outbox("plan.requirements_changed"))
    assert plain(plan_desk.step(approved, "approve", approved_by="王局长")["requirements"]) == [
        {"item_id": TENTS, "quantity": 20}]
    assert len(plans_outbox("plan.requirements_changed")) == before
