"""`GET /drills?upcoming=true`: the drills still ahead of their plans, as the drills service alone decides it."""
from __future__ import annotations

from tests.flows.drillbook import at


def listed(book, query: str) -> list[str]:
    return [drill["id"] for drill in book.get(f"/drills?{query}")["items"]]


def test_upcoming_drills_are_those_to_come_or_under_way(book):
    plan = book.approve_plan()
    ahead = book.schedule(plan, scheduled_start=at(3), scheduled_end=at(3, 17))
    overrun = book.schedule(plan, scheduled_start=at(-3), scheduled_end=at(-3, 17))
    book.post(f"/drills/{overrun['id']}/start", expect=200)  # still running days after its scheduled end
    missed = book.schedule(plan, scheduled_start=at(-5), scheduled_end=at(-5, 17))  # never started
    cancelled = book.schedule(plan, scheduled_start=at(4), scheduled_end=at(4, 17))
    book.post(f"/drills/{cancelled['id']}/cancel", expect=200)
    done = book.completed_drill(plan)

    assert listed(book, "upcoming=true") == [overrun["id"], ahead["id"]]
    assert set(listed(book, "upcoming=false")) == {missed["id"], cancelled["id"], done["id"]}
    assert listed(book, f"upcoming=true&plan_id={plan}&status=ready") == [ahead["id"]]


def test_upcoming_is_documented_and_must_be_a_boolean(book):
    parameters = book.client.get("/openapi.json").get_json()["paths"]["/api/v1/drills"]["get"]["parameters"]
    assert "upcoming" in {parameter["name"] for parameter in parameters}
    response = book.client.get("/api/v1/drills?upcoming=soon")
    assert response.status_code == 422 and "upcoming" in response.get_json()["errors"]
