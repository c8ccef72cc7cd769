"""A city bureau, one of its districts and an enterprise under it share one drills service: a drill belongs to its
plan's organisation, and each caller sees and changes only the drills (their findings, actions, calendar) in
its scope; a plan or drill outside it does not exist for them."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import orgtree
from orgtree import ORGS
from servicekit.signing import Actor
from servicekit.testing import signed_client
from services.drills.models import OrgDirectory
from tests.flows.drillbook import DrillBook

DESKS = {"city": ("ROOT", "subtree"), "district": ("PD", "subtree"), "enterprise": ("ENT-001", "own"),
         "xuhui": ("XH", "subtree")}
SEES = {"city": {"city", "district", "enterprise", "xuhui"}, "district": {"district", "enterprise"},
        "enterprise": {"enterprise"}, "xuhui": {"xuhui"}}
WATER = str(uuid.uuid4())


def actor(code: str, scope: str) -> Actor:
    return orgtree.actor(code, scope, role="planner")


def soon(hours: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3, hours=hours)).isoformat()


def body(plan_id: str, **fields) -> dict:
    return {"plan_id": plan_id, "title": "防汛演练", "form": "tabletop", "scope": "single",
            "scheduled_start": soon(0), "scheduled_end": soon(2), **fields}


@pytest.fixture
def directory(drills_db):
    return orgtree.seed_directory(drills_db, OrgDirectory)


@pytest.fixture
def desks(drills_app, drills_db, directory):
    """A DrillBook per organisation's planner (events delivered as the worker would)."""
    return {name: DrillBook(signed_client(drills_app, actor=actor(*who)), drills_db) for name, who in DESKS.items()}


@pytest.fixture
def plans(book, directory):
    """An approved plan of each organisation, as plan.approved told the drills service."""
    return {name: book.approve_plan(org_id=str(ORGS[code][0]), org_path=ORGS[code][1])
            for name, (code, _) in DESKS.items()}


@pytest.fixture
def drills(desks, plans):
    """A drill of each organisation's plan, scheduled by its own planners."""
    return {name: desks[name].post("/drills", body(plans[name], title=f"{name} 演练",
                                                   resources=[{"item_id": WATER, "quantity": 5}]))
            for name in desks}


def ids(rows) -> set:
    return {row["id"] for row in rows}


def drill_ids(drills, names) -> set:
    return {drills[name]["id"] for name in names}


def test_a_drill_belongs_to_its_plans_organisation_and_names_it(desks, plans, drills):
    assert drills["enterprise"]["org"] == {"id": str(ORGS["ENT-001"][0]), "code": "ENT-001", "name": "东方化工有限公司"}
    # The district schedules a drill of the enterprise's plan: the drill is the enterprise's.
    made = desks["district"].post("/drills", body(plans["enterprise"]))
    assert made["org_id"] == str(ORGS["ENT-001"][0])
    assert desks["enterprise"].get(f"/drills/{made['id']}")["id"] == made["id"]


def test_drill_scheduled_carries_the_plans_organisation_for_the_resources_service(desks, drills):
    scheduled = desks["district"].last_schedule(drills["district"]["id"])["data"]
    assert (scheduled["org_id"], scheduled["org_path"]) == (str(ORGS["PD"][0]), "/ROOT/PD/")


def test_each_caller_lists_exactly_the_drills_in_its_scope(desks, drills):
    for name, seen in SEES.items():
        assert ids(desks[name].get("/drills?per_page=100")["items"]) == drill_ids(drills, seen), name


def test_the_calendar_shows_only_the_drills_in_scope(desks, drills):
    for name, seen in SEES.items():
        feed = desks[name].get("/drills/calendar.ics").decode()
        shown = {drill_id for drill_id in drill_ids(drills, DESKS) if drill_id in feed}
        assert shown == drill_ids(drills, seen), name


def test_scheduling_a_drill_of_a_plan_outside_the_scope_is_404(desks, plans):
    desks["enterprise"].post("/drills", body(plans["district"]), expect=404)
    desks["district"].post("/drills", body(plans["xuhui"]), expect=404)
    # By its code a foreign plan is as unknown as a code nobody has.
    refused = desks["district"].post("/drills", {**body(plans["xuhui"]), "plan_id": None,
                                                 "plan_code": f"YA-{plans['xuhui'][:6]}"}, expect=422)
    assert "plan_code" in refused["errors"]


def test_a_plan_the_projection_has_not_heard_of_is_placed_by_the_plans_services_answer(desks, plans_known,
                                                                                          directory):
    """The HTTP fallback: the plans service answers the drills service whatever the scope; its answer names the
    plan's organisation, and the caller's scope decides."""
    fresh = str(uuid.uuid4())
    plans_known[fresh] = {"id": fresh, "status": "approved", "org_id": str(ORGS["XH"][0]), "org_path": "/ROOT/XH/"}
    desks["district"].post("/drills", body(fresh), expect=404)
    made = desks["xuhui"].post("/drills", body(fresh))
    assert made["org"]["code"] == "XH"


def test_a_drill_outside_the_scope_answers_404_to_reads_and_changes(desks, drills):
    enterprise, foreign = desks["enterprise"], drills["district"]["id"]
    enterprise.get(f"/drills/{foreign}", expect=404)
    response = enterprise.client.patch(f"/api/v1/drills/{foreign}", json={"title": "越权"})
    assert response.status_code == 404
    for step in ("start", "cancel", "retry-reservation"):
        enterprise.post(f"/drills/{foreign}/{step}", {}, expect=404)
    enterprise.get(f"/drills/{foreign}/findings", expect=404)
    enterprise.get(f"/drills/{foreign}/evaluation", expect=404)
    assert desks["district"].get(f"/drills/{foreign}")["status"] == "pending_resources"


def test_findings_and_corrective_actions_are_seen_only_within_the_scope(desks, drills):
    district, drill = desks["district"], drills["district"]
    district.hold(drill)
    district.post(f"/drills/{drill['id']}/start", {}, expect=200)
    finding = district.post(f"/drills/{drill['id']}/findings", {
        "description": "通讯中断", "severity": "high", "requires_plan_revision": True,
        "corrective_action": {"owner": "通讯保障组", "due_date": "2030-01-31", "description": "更换中继台"}})
    [announced] = district.outbox("finding.recorded")
    assert announced["data"]["org_id"] == str(ORGS["PD"][0])
    actions = district.get("/corrective-actions")["items"]
    assert [action["org"]["code"] for action in actions] == ["PD"]
    assert desks["city"].get("/corrective-actions")["total"] == 1
    assert desks["xuhui"].get("/corrective-actions")["total"] == 0
    assert desks["enterprise"].get("/corrective-actions")["total"] == 0
    action_id = actions[0]["id"]
    desks["xuhui"].get(f"/corrective-actions/{action_id}", expect=404)
    desks["xuhui"].post(f"/corrective-actions/{action_id}/complete", {}, expect=404)
    desks["xuhui"].post(f"/drills/{drill['id']}/findings", {"description": "越权", "severity": "low"}, expect=404)
    assert finding["id"] in {row["id"] for row in desks["city"].get(f"/drills/{drill['id']}/findings")["items"]}


def test_stock_arriving_in_another_districts_depot_does_not_wake_a_short_drill(desks, drills):
    """Restock asks again only when the depot lies in the drill's plan's organisation subtree."""
    district, drill = desks["district"], drills["district"]
    district.reject(drill, [{"item_id": WATER, "requested": 5, "available": 0}])
    asked = len(district.outbox("drill.scheduled"))

    def arrives(org_path: str, version: int) -> None:
        district.deliver("stock.changed", {"warehouse_id": str(uuid.uuid4()), "item_id": WATER, "on_hand": 50,
                                           "reserved": 0, "available": 50, "version": version,
                                           "org_path": org_path})

    arrives("/ROOT/XH/", 1)
    assert len(district.outbox("drill.scheduled")) == asked
    assert district.get(f"/drills/{drill['id']}")["status"] == "resource_shortfall"
    arrives("/ROOT/PD/ENT-001/", 1)
    assert len(district.outbox("drill.scheduled")) == asked + 1
    assert district.get(f"/drills/{drill['id']}")["status"] == "pending_resources"
