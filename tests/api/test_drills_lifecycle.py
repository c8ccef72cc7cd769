"""A plan owner schedules drills of approved plans, watches the reservation saga, runs and cancels them."""
from __future__ import annotations

import uuid

import pytest

from tests.flows.drillbook import DrillBook, at

ITEM = str(uuid.uuid4())


@pytest.fixture
def book(drills_client, drills_db):
    return DrillBook(drills_client, drills_db)


@pytest.fixture
def plan(book):
    return book.approve_plan()


def test_a_drill_needing_stock_asks_for_it_and_waits(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 12.5}])
    assert drill["status"] == "pending_resources" and drill["reservation_id"] is None
    assert drill["resources"] == [{"item_id": ITEM, "quantity": 12.5}]
    [scheduled] = book.outbox("drill.scheduled")
    assert scheduled["data"]["drill_id"] == drill["id"] and scheduled["data"]["plan_id"] == plan
    assert scheduled["data"]["resources"] == [{"item_id": ITEM, "quantity": 12.5}]
    assert scheduled["data"]["scheduled_start"] and scheduled["data"]["scheduled_end"]


def test_a_held_reservation_makes_the_drill_ready(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 3}])
    reservation_id = str(uuid.uuid4())
    book.hold(drill, reservation_id)
    ready = book.get(f"/drills/{drill['id']}")
    assert (ready["status"], ready["reservation_id"], ready["reservation_status"]) == ("ready", reservation_id, "held")


def test_a_rejected_reservation_shows_the_shortfall(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 30}])
    shortfall = [{"item_id": ITEM, "requested": 30, "available": 4}]
    book.reject(drill, shortfall)
    short = book.get(f"/drills/{drill['id']}")
    assert short["status"] == "resource_shortfall" and short["shortfall"] == shortfall


def test_a_drill_without_resources_is_ready_at_once(book, plan):
    drill = book.schedule(plan)
    assert drill["status"] == "ready" and drill["resources"] == []


def test_only_approved_plans_can_be_drilled(book, plans_known):
    unknown = str(uuid.uuid4())
    assert book.post("/drills", book.drill_body(unknown), expect=409)["status"] == 409
    retired = book.approve_plan()
    book.deliver("plan.retired", {"plan_id": retired}, source="plans")
    assert "retired" in book.post("/drills", book.drill_body(retired), expect=409)["detail"]
    draft = str(uuid.uuid4())
    plans_known[draft] = {"id": draft, "status": "in_review"}
    book.post("/drills", book.drill_body(draft), expect=409)


def test_a_plan_approved_a_moment_ago_is_confirmed_with_the_plans_service(book, plans_known):
    fresh = str(uuid.uuid4())
    plans_known[fresh] = {"id": fresh, "status": "approved"}
    assert book.schedule(fresh)["plan_id"] == fresh


def test_a_late_approval_never_revives_a_retired_plan(book):
    plan = book.approve_plan()
    book.deliver("plan.retired", {"plan_id": plan}, source="plans")
    book.approve_plan(plan)
    book.post("/drills", book.drill_body(plan), expect=409)


def test_bad_input_is_422_by_field(book, plan):
    response = book.client.post("/api/v1/drills", json={**book.drill_body(plan), "form": "parade", "extra": 1,
                                                        "scheduled_end": at(6)})
    assert response.status_code == 422
    assert {"form", "extra"} <= set(response.get_json()["errors"])
    response = book.client.post("/api/v1/drills", json=book.drill_body(plan, scheduled_end=at(6)))
    assert response.status_code == 422 and "scheduled_end" in response.get_json()["errors"]
    twice = [{"item_id": ITEM, "quantity": 1}, {"item_id": ITEM, "quantity": 2}]
    response = book.client.post("/api/v1/drills", json=book.drill_body(plan, resources=twice))
    assert response.status_code == 422 and "resources" in response.get_json()["errors"]


def test_rescheduling_asks_again_and_ignores_the_answer_to_the_old_schedule(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    first = book.last_schedule(drill["id"])
    changed = book.patch(f"/drills/{drill['id']}", {"scheduled_start": at(8), "scheduled_end": at(8, 12)})
    assert changed["status"] == "pending_resources"
    second = book.last_schedule(drill["id"])
    assert second["id"] != first["id"]
    book.hold(drill, schedule=first)  # the answer to the superseded schedule arrives late
    assert book.get(f"/drills/{drill['id']}")["status"] == "pending_resources"
    book.hold(drill, schedule=second)
    assert book.get(f"/drills/{drill['id']}")["status"] == "ready"


def test_changing_only_the_title_does_not_re_reserve(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    book.hold(drill)
    changed = book.patch(f"/drills/{drill['id']}", {"title": "改名后的演练", "location": "新地点"})
    assert changed["status"] == "ready" and len(book.outbox("drill.scheduled")) == 1


def test_dropping_all_resources_makes_the_drill_ready_and_tells_resources(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    assert book.patch(f"/drills/{drill['id']}", {"resources": []})["status"] == "ready"
    assert book.last_schedule(drill["id"])["data"]["resources"] == []


def test_a_started_drill_cannot_be_changed(book, plan):
    drill = book.ready_drill(plan)
    book.post(f"/drills/{drill['id']}/start", expect=200)
    book.patch(f"/drills/{drill['id']}", {"title": "x"}, expect=409)


def test_the_status_machine_refuses_illegal_steps(book, plan):
    waiting = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    book.post(f"/drills/{waiting['id']}/start", expect=409)
    book.post(f"/drills/{waiting['id']}/complete", {"consumed": [], "participants_count": 1, "summary": "x"},
              expect=409)
    drill = book.ready_drill(plan)
    started = book.post(f"/drills/{drill['id']}/start", expect=200)
    assert started["status"] == "in_progress" and started["actual_start"]
    book.post(f"/drills/{drill['id']}/start", expect=409)
    done = book.post(f"/drills/{drill['id']}/complete", {"consumed": [], "participants_count": 12,
                                                         "summary": "顺利完成"}, expect=200)
    assert done["status"] == "completed" and done["participants_count"] == 12
    book.post(f"/drills/{drill['id']}/cancel", expect=409)
    book.post(f"/drills/{uuid.uuid4()}/start", expect=404)


def test_completing_emits_what_was_consumed_and_refuses_more_than_reserved(book, plan):
    drill = book.ready_drill(plan, [{"item_id": ITEM, "quantity": 10}])
    book.post(f"/drills/{drill['id']}/start", expect=200)
    too_much = book.post(f"/drills/{drill['id']}/complete", {"consumed": [{"item_id": ITEM, "quantity": 11}],
                                                             "participants_count": 5, "summary": "x"}, expect=409)
    assert "reserved" in too_much["detail"]
    other = book.post(f"/drills/{drill['id']}/complete", {"consumed": [{"item_id": str(uuid.uuid4()),
                                                                         "quantity": 1}],
                                                          "participants_count": 5, "summary": "x"}, expect=409)
    assert other["status"] == 409
    done = book.post(f"/drills/{drill['id']}/complete", {
        "consumed": [{"item_id": ITEM, "quantity": 4}], "participants_count": 40, "summary": "完成",
        "actual_end": at(7, 16)}, expect=200)
    assert done["consumed"] == [{"item_id": ITEM, "quantity": 4}]
    [completed] = book.outbox("drill.completed")
    assert completed["data"]["consumed"] == [{"item_id": ITEM, "quantity": 4}]
    assert completed["data"]["plan_id"] == plan and completed["data"]["completed_at"]


def test_cancelling_emits_drill_cancelled_and_later_answers_change_nothing(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    cancelled = book.post(f"/drills/{drill['id']}/cancel", {"reason": "台风预警"}, expect=200)
    assert cancelled["status"] == "cancelled"
    [event] = book.outbox("drill.cancelled")
    assert event["data"] == {"drill_id": drill["id"], "plan_id": plan, "reason": "台风预警"}
    book.hold(drill)
    assert book.get(f"/drills/{drill['id']}")["status"] == "cancelled"
    book.post(f"/drills/{drill['id']}/cancel", expect=409)


def test_a_redelivered_answer_changes_nothing(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    held = book.hold(drill)
    book.post(f"/drills/{drill['id']}/start", expect=200)
    book.apply(held)
    assert book.get(f"/drills/{drill['id']}")["status"] == "in_progress"


def test_a_lost_hold_turns_a_ready_drill_short(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    reservation_id = str(uuid.uuid4())
    book.hold(drill, reservation_id)
    book.deliver("reservation.released", {"reservation_id": reservation_id, "drill_id": drill["id"],
                                          "reference": f"drill:{drill['id']}", "reason": "expired"})
    after = book.get(f"/drills/{drill['id']}")
    assert (after["status"], after["reservation_status"]) == ("resource_shortfall", "released")


def test_listing_filters_by_plan_status_and_dates(book, plan):
    other = book.approve_plan()
    soon = book.schedule(plan, scheduled_start=at(2), scheduled_end=at(2, 12))
    later = book.schedule(plan, scheduled_start=at(40), scheduled_end=at(40, 12),
                          resources=[{"item_id": ITEM, "quantity": 1}])
    book.schedule(other)
    listed = book.get(f"/drills?plan_id={plan}")
    assert listed["total"] == 2 and [d["id"] for d in listed["items"]] == [soon["id"], later["id"]]
    assert [d["id"] for d in book.get("/drills?status=pending_resources")["items"]] == [later["id"]]
    day = at(2)[:10]
    assert [d["id"] for d in book.get(f"/drills?from={day}&to={day}")["items"]] == [soon["id"]]
    assert book.get("/drills?per_page=1&page=2")["items"][0]["id"] != soon["id"]
    assert book.client.get("/api/v1/drills?from=yesterday").status_code == 422


def test_chinese_text_round_trips(book, plan):
    drill = book.schedule(plan, title="危险化学品泄漏综合应急演练", scope="comprehensive", form="live")
    assert book.get(f"/drills/{drill['id']}")["title"] == "危险化学品泄漏综合应急演练"


def test_an_idempotent_retry_schedules_once(book, plan):
    body = book.drill_body(plan)
    first = book.client.post("/api/v1/drills", json=body, headers={"Idempotency-Key": "k1"})
    again = book.client.post("/api/v1/drills", json=body, headers={"Idempotency-Key": "k1"})
    assert first.get_json()["id"] == again.get_json()["id"] and len(book.outbox("drill.scheduled")) == 1
