"""A plan owner schedules drills of approved plans, watches the reservation saga, runs and cancels them."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.flows.drillbook import at, without_names

ITEM = str(uuid.uuid4())
BEIJING = dt.timezone(dt.timedelta(hours=8))
STARTED = dt.datetime.now(BEIJING).replace(minute=0, second=0, microsecond=0)


def hours_ago(hours: float) -> str:
    """An instant `hours` before the top of this hour, Beijing time: in the past however long the tests run."""
    return (STARTED - dt.timedelta(hours=hours)).isoformat()


def test_a_drill_needing_stock_asks_for_it_and_waits(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 12.5}])
    assert drill["status"] == "pending_resources" and drill["reservation_id"] is None
    assert without_names(drill["resources"]) == [{"item_id": ITEM, "quantity": 12.5}]
    [scheduled] = book.outbox("drill.scheduled")
    assert scheduled["data"]["drill_id"] == drill["id"] and scheduled["data"]["plan_id"] == plan
    assert scheduled["data"]["resources"] == [{"item_id": ITEM, "quantity": 12.5, "warehouse_id": None}]
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
    assert short["status"] == "resource_shortfall" and without_names(short["shortfall"]) == shortfall


def test_a_drill_without_resources_is_ready_at_once(book, plan):
    drill = book.schedule(plan)
    assert drill["status"] == "ready" and drill["resources"] == []


def test_only_approved_plans_can_be_drilled(book, plans_known):
    unknown = str(uuid.uuid4())
    assert book.post("/drills", book.drill_body(unknown), expect=409)["status"] == 409
    retired = book.approve_plan()
    book.deliver("plan.retired", {"plan_id": retired, "code": f"YA-{retired[:6]}"}, source="plans")
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
    book.deliver("plan.retired", {"plan_id": plan, "code": f"YA-{plan[:6]}"}, source="plans")
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


def test_a_resource_line_in_a_change_is_whole_or_422(book, plan):
    drill = book.schedule(plan)
    answer = book.patch(f"/drills/{drill['id']}", {"resources": [{"quantity": 1}]}, expect=422)
    assert "resources" in answer["errors"]


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
        "actual_start": hours_ago(3), "actual_end": hours_ago(1)}, expect=200)
    assert dt.datetime.fromisoformat(done["actual_end"]) == dt.datetime.fromisoformat(hours_ago(1))
    assert without_names(done["consumed"]) == [{"item_id": ITEM, "quantity": 4}]
    [completed] = book.outbox("drill.completed")
    assert completed["data"]["consumed"] == [{"item_id": ITEM, "quantity": 4, "warehouse_id": None}]
    assert completed["data"]["plan_id"] == plan and completed["data"]["completed_at"]


def test_cancelling_emits_drill_cancelled_and_later_answers_change_nothing(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    cancelled = book.post(f"/drills/{drill['id']}/cancel", {"reason": "台风预警"}, expect=200)
    assert cancelled["status"] == "cancelled"
    [event] = book.outbox("drill.cancelled")
    assert event["data"] == {"drill_id": drill["id"], "plan_id": plan, "reason": "台风预警", "org_id": None}
    book.hold(drill)
    assert book.get(f"/drills/{drill['id']}")["status"] == "cancelled"
    book.post(f"/drills/{drill['id']}/cancel", expect=409)


def test_a_redelivered_answer_changes_nothing(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    held = book.hold(drill)
    book.post(f"/drills/{drill['id']}/start", expect=200)
    book.apply(held)
    assert book.get(f"/drills/{drill['id']}")["status"] == "in_progress"


def test_an_answer_without_drill_id_is_matched_by_its_reference_and_one_naming_no_drill_is_ignored(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    schedule = book.last_schedule(drill["id"])
    book.deliver("reservation.held", {"reservation_id": str(uuid.uuid4()), "reference": "演练备用", "status": "held",
                                      "allocations": []}, causation_id=schedule["id"])
    assert book.get(f"/drills/{drill['id']}")["status"] == "pending_resources"
    reservation_id = str(uuid.uuid4())
    book.deliver("reservation.held", {"reservation_id": reservation_id, "reference": f"drill:{drill['id']}",
                                      "status": "held", "allocations": []}, causation_id=schedule["id"])
    ready = book.get(f"/drills/{drill['id']}")
    assert (ready["status"], ready["reservation_id"]) == ("ready", reservation_id)


def test_a_lost_hold_turns_a_ready_drill_short(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    reservation_id = str(uuid.uuid4())
    book.hold(drill, reservation_id)
    book.deliver("reservation.released", {"reservation_id": reservation_id, "drill_id": drill["id"],
                                          "reference": f"drill:{drill['id']}", "status": "released",
                                          "allocations": [], "reason": "expired"})
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


def test_an_illegal_step_names_the_action_and_the_statuses_it_is_allowed_from(book, plan):
    waiting = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    refused = book.post(f"/drills/{waiting['id']}/start", expect=409)
    assert (refused["action"], refused["current_status"], refused["allowed_from"]) == \
        ("start", "pending_resources", ["ready"])


def test_a_drill_is_not_reported_as_run_in_the_future(book, plan):
    drill = book.ready_drill(plan)
    book.post(f"/drills/{drill['id']}/start", {"actual_start": at(1)}, expect=422)
    book.post(f"/drills/{drill['id']}/start", {"actual_start": hours_ago(2)}, expect=200)
    report = {"consumed": [], "participants_count": 8, "summary": "完成"}
    for field in ("actual_start", "actual_end"):
        refused = book.post(f"/drills/{drill['id']}/complete", {**report, field: at(1)}, expect=422)
        assert list(refused["errors"]) == [field] and field in refused["detail"]
    backwards = book.post(f"/drills/{drill['id']}/complete", {
        **report, "actual_start": hours_ago(1), "actual_end": hours_ago(2)}, expect=422)
    assert list(backwards["errors"]) == ["actual_end"]
    assert book.get(f"/drills/{drill['id']}")["status"] == "in_progress"
    done = book.post(f"/drills/{drill['id']}/complete", {**report, "actual_end": hours_ago(0)}, expect=200)
    assert done["status"] == "completed"


@pytest.mark.parametrize("field, value", [
    ("scheduled_start", "0001-01-01T09:00:00+00:00"),
    ("scheduled_end", "9999-12-31T23:00:00-05:00"),
    ("scheduled_start", "2030-05-01T09:00:00"),  # no offset: which zone was meant is anybody's guess
    ("scheduled_end", "1899-12-31T23:00:00+00:00"),
])
def test_timestamps_out_of_range_or_without_offset_are_422_by_field(book, plan, field, value):
    response = book.client.post("/api/v1/drills", json=book.drill_body(plan, **{field: value}))
    assert response.status_code == 422 and field in response.get_json()["errors"]


@pytest.mark.parametrize("query, field", [
    ("to=9999-12-31", "to"), ("from=0001-01-01", "from"), ("from=2030-05-01T09:00:00", "from"),
    ("to=9999-12-31T23:00:00-05:00", "to"),
])
def test_date_filters_out_of_range_are_422_by_field(book, query, field):
    response = book.client.get(f"/api/v1/drills?{query}")
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_date_filter_covers_the_whole_day_in_the_bureaus_zone(book, plan):
    # Midnight in Beijing is 16:00 the day before in UTC: still the Beijing day asked for.
    midnight = book.schedule(plan, scheduled_start=at(5, 0), scheduled_end=at(5, 1))
    evening = book.schedule(plan, scheduled_start=at(4, 20), scheduled_end=at(4, 22))
    day, day_before = at(5)[:10], at(4)[:10]
    assert [d["id"] for d in book.get(f"/drills?from={day}&to={day}")["items"]] == [midnight["id"]]
    assert [d["id"] for d in book.get(f"/drills?from={day_before}&to={day_before}")["items"]] == [evening["id"]]


def test_every_schedule_carries_a_revision_that_counts_up(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 2}])
    assert book.last_schedule(drill["id"])["data"]["schedule_revision"] == 1
    book.patch(f"/drills/{drill['id']}", {"scheduled_start": at(8), "scheduled_end": at(8, 12)})
    book.patch(f"/drills/{drill['id']}", {"resources": [{"item_id": ITEM, "quantity": 3}]})
    revisions = [e["data"]["schedule_revision"] for e in book.outbox("drill.scheduled")]
    assert revisions == [1, 2, 3] and all(e["occurred_at"] for e in book.outbox("drill.scheduled"))


def test_a_drill_whose_hold_was_released_cannot_consume_from_it(book, plan):
    drill = book.schedule(plan, resources=[{"item_id": ITEM, "quantity": 5}])
    reservation_id = str(uuid.uuid4())
    book.hold(drill, reservation_id)
    book.post(f"/drills/{drill['id']}/start", {"actual_start": hours_ago(2)}, expect=200)
    # The hold lapsed (or was released by hand) while the drill ran.
    book.deliver("reservation.released", {"reservation_id": reservation_id, "drill_id": drill["id"],
                                          "reference": f"drill:{drill['id']}", "status": "released",
                                          "allocations": [], "reason": "expired"})
    running = book.get(f"/drills/{drill['id']}")
    assert (running["status"], running["reservation_status"]) == ("in_progress", "released")
    report = {"participants_count": 20, "summary": "完成"}
    refused = book.post(f"/drills/{drill['id']}/complete",
                        {**report, "consumed": [{"item_id": ITEM, "quantity": 2}]}, expect=409)
    assert "released" in refused["detail"] and refused["reservation_status"] == "released"
    assert book.outbox("drill.completed") == []
    done = book.post(f"/drills/{drill['id']}/complete", {**report, "consumed": []}, expect=200)
    assert done["status"] == "completed" and done["consumed"] == []


def test_the_plans_service_is_asked_before_the_write_transaction_opens(book, drills_app, drills_db, plans_known):
    """Asking the plans service under SQLite's write lock would stall every other writer meanwhile."""
    asked = []

    def lookup(plan_id):
        asked.append(str(plan_id))
        if drills_db.is_sqlite:  # another writer gets the lock at once: the request holds none yet
            raw = drills_db.engine.raw_connection()
            try:
                raw.execute("PRAGMA busy_timeout=200")
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("ROLLBACK")
            finally:
                raw.execute("PRAGMA busy_timeout=30000")
                raw.close()
        return plans_known.get(str(plan_id))

    drills_app.extensions["drills.plan_lookup"] = lookup
    fresh, other = str(uuid.uuid4()), str(uuid.uuid4())
    plans_known[fresh] = {"id": fresh, "status": "approved"}
    plans_known[other] = {"id": other, "status": "approved"}
    drill = book.schedule(fresh)
    assert book.patch(f"/drills/{drill['id']}", {"plan_id": other})["plan_id"] == other
    assert asked == [fresh, other]
    book.patch(f"/drills/{drill['id']}", {"plan_id": other, "title": "同一预案"})
    assert asked == [fresh, other]  # the plan did not change: nobody is asked


def test_plans_unreachable_is_503_and_an_unknown_plan_on_patch_is_409(book, plan, drills_app):
    from services.drills.adapters.plans_http import PlansUnavailable

    def unreachable(plan_id):
        raise PlansUnavailable("The plans service cannot be reached; retry shortly.")

    drill = book.schedule(plan)
    drills_app.extensions["drills.plan_lookup"] = unreachable
    assert book.post("/drills", book.drill_body(str(uuid.uuid4())), expect=503)["status"] == 503
    book.patch(f"/drills/{drill['id']}", {"plan_id": str(uuid.uuid4())}, expect=503)
    drills_app.extensions["drills.plan_lookup"] = lambda plan_id: None
    book.patch(f"/drills/{drill['id']}", {"plan_id": str(uuid.uuid4())}, expect=409)
    assert book.schedule(plan)["plan_id"] == plan  # a plan the projection knows needs no call
