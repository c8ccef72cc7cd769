"""A city bureau, one of its districts and an enterprise under it share one plans service: each sees and changes
only the plans in its scope; a plan outside it does not exist for them."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import orgtree
from orgtree import ORGS
from servicekit.signing import Actor
from servicekit.testing import signed_client
from services.plans.models import OrgDirectory, PlanActivity, PlanVersion

PLANS = "/api/v1/plans"

DESKS = {"city": ("ROOT", "subtree"), "district": ("PD", "subtree"), "enterprise": ("ENT-001", "own"),
         "xuhui": ("XH", "subtree")}
SEES = {"city": {"city", "district", "enterprise", "xuhui"}, "district": {"district", "enterprise"},
        "enterprise": {"enterprise"}, "xuhui": {"xuhui"}}


def actor(code: str, scope: str) -> Actor:
    return orgtree.actor(code, scope, role="planner")


class Desk:
    """One organisation's planner at the plans API; every call asserts its expected status."""

    def __init__(self, client) -> None:
        self.client = client

    def call(self, method: str, path: str = "", status: int = 200, **kwargs):
        response = getattr(self.client, method)(PLANS + path, **kwargs)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def create(self, status: int = 201, **fields):
        body = {"code": f"YA-{uuid.uuid4().hex[:6]}", "title": "防汛专项应急预案", "type": "special",
                "owner_org": "应急管理局", "owner": "张伟", **fields}
        return self.call("post", "", status, json=body)

    def approved(self, **fields):
        plan = self.create(**fields)
        self.call("post", f"/{plan['id']}/submit")
        return self.call("post", f"/{plan['id']}/approve", json={"approved_by": "王局长"})


@pytest.fixture
def directory(plans_db):
    """The directory copy as org.changed left it: the city, two districts, an enterprise under one."""
    return orgtree.seed_directory(plans_db, OrgDirectory)


@pytest.fixture
def desks(plans_app, directory):
    return {name: Desk(signed_client(plans_app, actor=actor(*who))) for name, who in DESKS.items()}


@pytest.fixture
def world(desks):
    """An approved plan of each organisation, made by its own planners."""
    return {name: desks[name].approved(title=f"{name} 防汛预案") for name in desks}


def ids(rows) -> set:
    return {row.get("plan_id", row.get("id")) for row in rows}


def plan_ids(world, names) -> set:
    return {world[name]["id"] for name in names}


def test_a_plan_belongs_to_its_creators_organisation_and_names_it(world):
    assert world["enterprise"]["org_id"] == str(ORGS["ENT-001"][0])
    assert world["enterprise"]["org"] == {"id": str(ORGS["ENT-001"][0]), "code": "ENT-001", "name": "东方化工有限公司"}
    assert (world["district"]["org"]["code"], world["district"]["org_path"]) == ("PD", "/ROOT/PD/")


def test_each_caller_lists_exactly_the_plans_in_its_scope(desks, world):
    for name, seen in SEES.items():
        assert ids(desks[name].call("get", "?per_page=100")["items"]) == plan_ids(world, seen), name
        readiness = desks[name].call("get", "/readiness")["items"]
        assert ids(readiness) == plan_ids(world, seen), name


def test_a_plan_outside_the_scope_answers_404_to_every_read(desks, world):
    enterprise = desks["enterprise"]
    for foreign in ("city", "district", "xuhui"):
        plan_id = world[foreign]["id"]
        for path in ("", "/versions", "/versions/1", "/activity", "/filings", "/readiness"):
            enterprise.call("get", f"/{plan_id}{path}", 404)
    assert desks["district"].call("get", f"/{world['enterprise']['id']}")["code"] == world["enterprise"]["code"]
    desks["district"].call("get", f"/{world['xuhui']['id']}", 404)


def test_writes_naming_a_foreign_plan_are_404_and_change_nothing(desks, world):
    enterprise, foreign = desks["enterprise"], world["district"]["id"]
    enterprise.call("patch", f"/{foreign}", 404, json={"summary": "越权"})
    enterprise.call("put", f"/{foreign}/requirements", 404, json={"lines": []})
    enterprise.call("post", f"/{foreign}/revisions", 404, json={"reason": "drill_finding"})
    enterprise.call("post", f"/{foreign}/filings", 404, json={"authority": "市应急管理局", "reference_no": "备-1",
                                                                "filed_at": dt.datetime.now(dt.timezone.utc).isoformat()})
    enterprise.call("post", f"/{foreign}/retire", 404, json={})
    assert desks["city"].call("get", f"/{foreign}")["status"] == "approved"
    draft = desks["district"].create()
    enterprise.call("post", f"/{draft['id']}/submit", 404)
    assert desks["district"].call("get", f"/{draft['id']}")["status"] == "draft"


def test_creating_a_plan_for_an_organisation_outside_the_scope_is_403(desks, directory):
    refused = desks["enterprise"].create(403, org_code="PD")
    assert "outside your scope" in refused["detail"]
    desks["district"].create(403, org_id=str(ORGS["XH"][0]))


def test_a_district_creates_a_plan_for_an_enterprise_below_it_and_the_enterprise_sees_it(desks, directory):
    made = desks["district"].create(org_code="ENT-001")
    assert made["org"] == {"id": str(ORGS["ENT-001"][0]), "code": "ENT-001", "name": "东方化工有限公司"}
    assert desks["enterprise"].call("get", f"/{made['id']}")["code"] == made["code"]


def test_without_an_organisation_a_plan_is_the_callers_own(desks, directory):
    assert desks["xuhui"].create()["org"]["code"] == "XH"


def test_an_organisation_the_copy_does_not_know_yet_is_422_asking_to_retry(desks, directory):
    refused = desks["city"].create(422, org_id=str(uuid.uuid4()))
    assert "not known yet; retry in a moment" in refused["errors"]["org_id"][0]


def test_a_plans_organisation_never_changes(desks, world):
    draft = desks["city"].create()
    refused = desks["city"].call("patch", f"/{draft['id']}", 422, json={"org_code": "XH"})
    assert "never changes" in refused["errors"]["org_code"][0]


def test_a_code_taken_in_another_organisation_is_still_taken(desks, world):
    desks["xuhui"].create(409, code=world["district"]["code"])


def test_the_rows_of_a_plan_take_its_organisation(desks, world, plans_db):
    from sqlalchemy import select

    plan_id = uuid.UUID(world["enterprise"]["id"])
    with plans_db.session(readonly=True) as session:
        for model in (PlanVersion, PlanActivity):
            paths = set(session.scalars(select(model.org_path).where(model.plan_id == plan_id)))
            assert paths == {"/ROOT/PD/ENT-001/"}, model


def test_plan_events_carry_the_organisation(desks, world, plans_outbox):
    approved = [data for _, data in plans_outbox("plan.approved") if data["plan_id"] == world["enterprise"]["id"]]
    assert [(data["org_id"], data["org_path"]) for data in approved] == [(str(ORGS["ENT-001"][0]),
                                                                          "/ROOT/PD/ENT-001/")]
    desks["district"].call("post", f"/{world['district']['id']}/retire", json={"reason": "合并"})
    [(_, retired)] = plans_outbox("plan.retired")
    assert (retired["org_id"], retired["org_path"]) == (str(ORGS["PD"][0]), "/ROOT/PD/")


def test_a_plan_is_ready_by_the_depots_of_its_own_organisation_not_by_anothers(desks, plan_events):
    """Xuhui's depot holds plenty of the item; the enterprise's plan is short until its own depot has it."""
    tents = str(uuid.uuid4())
    plan = desks["enterprise"].create()
    desks["enterprise"].call("put", f"/{plan['id']}/requirements", json={"lines": [{"item_id": tents, "quantity": 10}]})

    def announce(path: str, available: int) -> None:
        plan_events("stock.changed", source="resources", warehouse_id=str(uuid.uuid4()), item_id=tents,
                    on_hand=available, reserved=0, available=available, version=1, org_path=path)

    announce("/ROOT/XH/", 500)
    announce("/ROOT/PD/", 200)  # the district above the enterprise: not the enterprise's own subtree either
    short = desks["enterprise"].call("get", f"/{plan['id']}/readiness")
    assert (short["ready"], short["lines"][0]["available"]) == (False, 0)
    announce("/ROOT/PD/ENT-001/", 12)
    ready = desks["enterprise"].call("get", f"/{plan['id']}/readiness")
    assert (ready["ready"], ready["lines"][0]["available"]) == (True, 12)
    # The district's plan counts its own depot and its enterprise's.
    district_plan = desks["district"].create()
    desks["district"].call("put", f"/{district_plan['id']}/requirements",
                           json={"lines": [{"item_id": tents, "quantity": 10}]})
    assert desks["district"].call("get", f"/{district_plan['id']}/readiness")["lines"][0]["available"] == 212
