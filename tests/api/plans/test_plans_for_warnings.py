"""A severe-weather warning's plans (issue 16 item 4): the plans service hears `warning.issued` and
`GET /plans?activated_by={warning_id}` lists the approved special plans its kind opens, of the bureau that issued it,
its targets and the bureaus between, as far as the caller may see: what the duty leader opens on a red rainstorm."""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from contracts.catalogue import GATEWAY, SUPERVISION
from contracts.events import OrgChanged, WarningIssued
from servicekit.events import new_event
from servicekit.signing import Actor
from servicekit.testing import signed_client
from services.plans.domain.weather_warnings import HAZARDS_OF_KIND, WARNING_KINDS, concerned_paths, \
    hazards_opened_by, normalised
from services.plans.models import HeardWarning

PLANS = "/api/v1/plans"
AT = dt.datetime(2026, 7, 1, 6, 0, tzinfo=dt.timezone.utc)
# code -> (path, kind, district, industries): a city bureau, three district bureaus, two mines, a chemical works.
TREE = {
    "ROOT": ("/ROOT/", "bureau", None, []),
    "JB": ("/ROOT/JB/", "bureau", "江北区", []),
    "NS": ("/ROOT/NS/", "bureau", "南山区", []),
    "BH": ("/ROOT/BH/", "bureau", "滨海区", []),
    "MINE-1": ("/ROOT/JB/MINE-1/", "enterprise", "江北区", ["mining"]),
    "MINE-2": ("/ROOT/NS/MINE-2/", "enterprise", "南山区", ["mining"]),
    "CHEM-1": ("/ROOT/JB/CHEM-1/", "enterprise", "江北区", ["hazardous_chemicals"]),
}
ORG_IDS = {code: uuid.uuid4() for code in TREE}


def actor(code: str, scope: str = "subtree", *, org_id: uuid.UUID | None = None, path: str | None = None) -> Actor:
    return Actor(id=f"user-{code}", name=f"{code} 值班员", role="planner", org_id=str(org_id or ORG_IDS[code]),
                 org_path=path or TREE[code][0], scope=scope)


class Desk:
    """One organisation's planner at the plans API; every call asserts its expected status."""

    def __init__(self, client) -> None:
        self.client = client

    def call(self, method: str, path: str = "", status: int = 200, **kwargs):
        response = getattr(self.client, method)(PLANS + path, **kwargs)
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def draft(self, hazards: list[str], *, type: str = "special", **fields):
        body = {"code": f"YA-{uuid.uuid4().hex[:8]}", "title": "专项应急预案", "type": type, "hazard_types": hazards,
                "owner_org": "应急管理局", "owner": "值班领导", **fields}
        return self.call("post", "", 201, json=body)

    def in_review(self, hazards: list[str], **fields):
        plan = self.draft(hazards, **fields)
        return self.call("post", f"/{plan['id']}/submit")

    def approved(self, hazards: list[str], **fields):
        plan = self.in_review(hazards, **fields)
        return self.call("post", f"/{plan['id']}/approve", json={"approved_by": "局长"})

    def retired(self, hazards: list[str], **fields):
        plan = self.approved(hazards, **fields)
        return self.call("post", f"/{plan['id']}/retire", json={"reason": "机构调整"})

    def opened_by(self, warning_id, status: int = 200, **query):
        return self.call("get", "", status, query_string={"activated_by": str(warning_id), **query})

    def codes_opened_by(self, warning_id, **query) -> set[str]:
        return {plan["code"] for plan in self.opened_by(warning_id, per_page=500, **query)["items"]}


@pytest.fixture
def directory(plan_events):
    """The plans service's directory copy, as the gateway's org.changed left it."""
    for code, (path, kind, district, industries) in TREE.items():
        parent = path.rstrip("/").rsplit("/", 2)[-2] if code != "ROOT" else None
        plan_events("org.changed", source=GATEWAY, event=new_event(OrgChanged(
            org_id=ORG_IDS[code], code=code, name=f"{code} 单位", kind=kind, path=path, updated_at=AT,
            parent_id=ORG_IDS.get(parent), district=district, industries=industries), source=GATEWAY))
    return ORG_IDS


@pytest.fixture
def desk(plans_app, directory):
    """`desk("JB")` a planner of the district bureau (subtree); `desk("MINE-1", "own")` the mine's own."""

    def make(code: str, scope: str = "subtree", **kwargs) -> Desk:
        return Desk(signed_client(plans_app, actor=actor(code, scope, **kwargs)))

    return make


def warning(kind: str = "rainstorm", *, issuer: str = "ROOT", targets=("MINE-1", "MINE-2"), with_path: bool = True,
            **fields) -> WarningIssued:
    values = dict(warning_id=uuid.uuid4(), code="YJ-20260701-0001", kind=kind, level="red",
                  directive="stop_and_evacuate", valid_from=AT, valid_to=AT + dt.timedelta(hours=24),
                  districts=["江北区", "南山区"], industries=["mining"],
                  target_org_ids=[ORG_IDS.get(code, code) for code in targets],
                  org_id=ORG_IDS[issuer], org_path=TREE[issuer][0] if with_path else None)
    return WarningIssued(**{**values, **fields})


@pytest.fixture
def issue(plan_events):
    """Deliver warning.issued as the supervision service emits it; returns the event (its `data` the payload)."""

    def deliver(payload: WarningIssued, *, occurred_at: dt.datetime | None = None):
        event = new_event(payload, source=SUPERVISION)
        if occurred_at is not None:
            event = dataclasses.replace(event, occurred_at=occurred_at.isoformat())
        return plan_events(event.type, source=SUPERVISION, event=event)

    return deliver


@pytest.fixture
def city(desk):
    """The plans of the tree, each made by its own organisation's planners: code -> plan."""
    desks = {code: desk(code, "own") for code in TREE}
    plans = {
        "city rainstorm": desks["ROOT"].approved(["暴雨", "自然灾害"]),
        "JB flood": desks["JB"].approved(["flood", "内涝"]),
        "NS waterlogging": desks["NS"].approved(["Urban Waterlogging"]),
        "BH flood": desks["BH"].approved(["flood"]),
        "MINE-1 water": desks["MINE-1"].approved(["矿井水害", "透水"]),
        "MINE-1 heavy rain": desks["MINE-1"].approved(["Heavy-Rain"]),
        "MINE-2 flood": desks["MINE-2"].approved([" FLOOD "]),
        "MINE-1 fire": desks["MINE-1"].approved(["火灾", "fire"]),
        "MINE-1 draft": desks["MINE-1"].draft(["flood"]),
        "MINE-1 in review": desks["MINE-1"].in_review(["flood"]),
        "MINE-1 retired": desks["MINE-1"].retired(["flood"]),
        "MINE-1 comprehensive": desks["MINE-1"].approved(["flood"], type="comprehensive"),
        "MINE-1 onsite": desks["MINE-1"].approved(["flood"], type="onsite"),
        "CHEM-1 flood": desks["CHEM-1"].approved(["flood"]),
    }
    return {name: plan["code"] for name, plan in plans.items()}


def codes(city, *names) -> set[str]:
    return {city[name] for name in names}


OPENED_BY_CITY_RAINSTORM = ("city rainstorm", "JB flood", "NS waterlogging", "MINE-1 water", "MINE-1 heavy rain",
                            "MINE-2 flood")


def test_a_red_rainstorm_to_the_mines_of_two_districts_lists_the_approved_rain_and_flood_special_plans(
        city, desk, issue):
    red = warning("rainstorm")
    issue(red)
    answer = desk("ROOT").opened_by(red.warning_id)
    assert {plan["code"] for plan in answer["items"]} == codes(city, *OPENED_BY_CITY_RAINSTORM)
    assert answer["total"] == len(OPENED_BY_CITY_RAINSTORM)
    assert [plan["code"] for plan in answer["items"]] == sorted(plan["code"] for plan in answer["items"])
    first = answer["items"][0]
    # Each row as the register answers it.
    assert {"id", "code", "title", "type", "hazard_types", "status", "version", "org", "next_drill_due",
            "compliance", "requirements", "created_by"} <= set(first)
    assert {plan["status"] for plan in answer["items"]} == {"approved"}
    assert {plan["type"] for plan in answer["items"]} == {"special"}


def test_drafts_plans_in_review_retired_plans_other_hazards_and_other_plan_types_are_not_opened(city, desk, issue):
    red = warning("rainstorm")
    issue(red)
    opened = desk("ROOT").codes_opened_by(red.warning_id)
    for name in ("MINE-1 fire", "MINE-1 draft", "MINE-1 in review", "MINE-1 retired", "MINE-1 comprehensive",
                 "MINE-1 onsite"):
        assert city[name] not in opened, name


def test_only_the_issuer_its_targets_and_the_bureaus_between_have_their_plans_opened(city, desk, issue):
    to_jiangbei = warning("rainstorm", issuer="JB", targets=("MINE-1",), districts=["江北区"])
    issue(to_jiangbei)
    # The chemical works in the same district was not warned; the other districts and the city are not below JB.
    assert desk("ROOT").codes_opened_by(to_jiangbei.warning_id) == codes(
        city, "JB flood", "MINE-1 water", "MINE-1 heavy rain")


def test_each_caller_sees_only_the_opened_plans_in_its_scope(city, desk, issue):
    red = warning("rainstorm")
    issue(red)
    assert desk("JB").codes_opened_by(red.warning_id) == codes(city, "JB flood", "MINE-1 water", "MINE-1 heavy rain")
    assert desk("NS").codes_opened_by(red.warning_id) == codes(city, "NS waterlogging", "MINE-2 flood")
    assert desk("MINE-1", "own").codes_opened_by(red.warning_id) == codes(city, "MINE-1 water", "MINE-1 heavy rain")
    # The district bureau's own desk reaches neither the city that issued it nor a warned mine: as in the
    # supervision service, the warning is not there for it (its district's subtree desk above sees JB's plan).
    desk("JB", "own").opened_by(red.warning_id, 404)


def test_a_caller_who_reaches_neither_the_issuer_nor_a_target_gets_404_as_for_a_warning_never_heard_of(
        city, desk, issue):
    to_jiangbei = warning("rainstorm", issuer="JB", targets=("MINE-1",))
    issue(to_jiangbei)
    for outsider in (desk("CHEM-1", "own"), desk("NS"), desk("BH")):
        refused = outsider.opened_by(to_jiangbei.warning_id, 404)
        assert "not heard of yet; retry in a moment" in refused["detail"]
    assert desk("MINE-1", "own").codes_opened_by(to_jiangbei.warning_id) == codes(
        city, "MINE-1 water", "MINE-1 heavy rain")


def test_a_warning_not_heard_of_yet_is_404_asking_to_retry(desk, directory):
    unknown = uuid.uuid4()
    refused = desk("ROOT").opened_by(unknown, 404)
    assert refused["detail"] == f"Warning {unknown} is not heard of yet; retry in a moment."
    assert refused["status"] == 404


def test_an_activated_by_that_is_not_an_id_is_422_naming_it(desk, directory):
    refused = desk("ROOT").call("get", "?activated_by=red-rainstorm", 422)
    assert refused["errors"] == {"activated_by": ["Not a valid UUID."]}


def test_each_kind_opens_its_own_plans(desk, issue, city):
    root = desk("ROOT", "own")
    frost = root.approved(["低温雨雪冰冻"])["code"]
    heat = root.approved(["High Temperature"])["code"]
    landslide = root.approved(["泥石流", "滑坡"])["code"]
    typhoon = root.approved(["台风", "风暴潮"])["code"]
    expected = {"snowstorm": {frost}, "freezing": {frost}, "heat": {heat}, "geological": {landslide},
                "typhoon": {typhoon, city["city rainstorm"]}}
    umbrella = city["city rainstorm"]  # it also names 自然灾害: every weather warning opens it
    for kind, opened in expected.items():
        payload = warning(kind, targets=())
        issue(payload)
        assert desk("ROOT", "own").codes_opened_by(payload.warning_id) == opened | {umbrella}, kind
    other = warning("other", targets=())
    issue(other)
    assert desk("ROOT", "own").codes_opened_by(other.warning_id) == {umbrella}


def test_the_other_filters_apply_alongside(city, desk, issue):
    red = warning("rainstorm")
    issue(red)
    city_desk = desk("ROOT")
    assert city_desk.codes_opened_by(red.warning_id, q=city["MINE-2 flood"]) == {city["MINE-2 flood"]}
    assert city_desk.codes_opened_by(red.warning_id, hazard="flood") == codes(city, "JB flood")
    assert city_desk.codes_opened_by(red.warning_id, type="comprehensive") == set()
    assert city_desk.codes_opened_by(red.warning_id, compliance="ok") == codes(city, *OPENED_BY_CITY_RAINSTORM)


def test_the_opened_plans_come_a_page_at_a_time(city, desk, issue):
    red = warning("rainstorm")
    issue(red)
    city_desk = desk("ROOT")
    pages = [city_desk.opened_by(red.warning_id, page=page, per_page=4) for page in (1, 2, 3)]
    assert [(len(page["items"]), page["total"], page["page"], page["per_page"]) for page in pages] == [
        (4, 6, 1, 4), (2, 6, 2, 4), (0, 6, 3, 4)]
    listed = [plan["code"] for page in pages for plan in page["items"]]
    assert listed == sorted(codes(city, *OPENED_BY_CITY_RAINSTORM))


def test_a_plan_under_revision_is_opened_by_the_hazards_of_the_version_in_force(desk, issue, directory):
    mine = desk("MINE-1", "own")
    kept = mine.approved(["flood"])
    turned = mine.approved(["火灾"])
    for plan, hazards in ((kept, ["火灾"]), (turned, ["flood"])):
        mine.call("post", f"/{plan['id']}/revisions", 201, json={"reason": "risk_changed"})
        mine.call("patch", f"/{plan['id']}", json={"hazard_types": hazards})
    red = warning("rainstorm", issuer="JB", targets=("MINE-1",))
    issue(red)
    assert mine.codes_opened_by(red.warning_id) == {kept["code"]}


def test_a_warning_delivered_twice_changes_nothing(city, desk, issue, plan_events, plans_db):
    red = warning("rainstorm")
    event = issue(red)
    plan_events(event.type, source=SUPERVISION, event=event)  # the same event again: the inbox drops it
    issue(red, occurred_at=event.occurred)  # the same warning announced again under a new event id
    with plans_db.session(readonly=True) as session:
        kept = session.scalars(select(HeardWarning)).all()
    assert [(row.id, row.kind, row.announced_at) for row in kept] == [(red.warning_id, "rainstorm", event.occurred)]
    assert desk("ROOT").codes_opened_by(red.warning_id) == codes(city, *OPENED_BY_CITY_RAINSTORM)


def test_an_older_announcement_never_overwrites_a_newer_one(city, desk, issue, plans_db):
    first = warning("rainstorm", issuer="JB", targets=("MINE-1",))
    issue(first, occurred_at=AT)
    widened = dataclasses.replace(first, target_org_ids=[ORG_IDS["MINE-1"], ORG_IDS["CHEM-1"]])
    issue(widened, occurred_at=AT + dt.timedelta(minutes=5))
    issue(dataclasses.replace(first, kind="heat"), occurred_at=AT + dt.timedelta(minutes=1))
    with plans_db.session(readonly=True) as session:
        kept = session.get(HeardWarning, first.warning_id)
        assert (kept.kind, kept.target_org_ids) == ("rainstorm", [str(ORG_IDS["MINE-1"]), str(ORG_IDS["CHEM-1"])])
    assert desk("CHEM-1", "own").codes_opened_by(first.warning_id) == codes(city, "CHEM-1 flood")


def test_an_issuer_the_event_gives_no_path_for_is_placed_from_the_directory_else_at_the_root(desk, issue, plans_db,
                                                                                            city):
    from_jiangbei = warning("rainstorm", issuer="JB", targets=("MINE-1",), with_path=False)
    anonymous = warning("rainstorm", targets=(), with_path=False, org_id=None)
    issue(from_jiangbei)
    issue(anonymous)
    with plans_db.session(readonly=True) as session:
        assert session.get(HeardWarning, from_jiangbei.warning_id).issuer_org_path == "/ROOT/JB/"
        assert session.get(HeardWarning, anonymous.warning_id).issuer_org_path == "/ROOT/"
    assert desk("JB", "own").codes_opened_by(from_jiangbei.warning_id) == codes(city, "JB flood")
    desk("JB").opened_by(anonymous.warning_id, 404)


def test_a_target_the_directory_does_not_know_yet_still_sees_its_own_plans_opened(desk, issue, directory):
    newcomer_id = uuid.uuid4()
    newcomer = desk("MINE-1", "own", org_id=newcomer_id, path="/ROOT/JB/MINE-3/")
    its_plan = newcomer.approved(["暴雨"])
    red = warning("rainstorm", issuer="JB", targets=(newcomer_id,))
    issue(red)
    assert newcomer.codes_opened_by(red.warning_id) == {its_plan["code"]}


# The matching table itself (domain/weather_warnings.py): pure rules, no backend.

def test_every_warning_kind_of_the_spec_opens_its_own_name_and_the_umbrella_terms():
    assert set(HAZARDS_OF_KIND) == set(WARNING_KINDS)
    for kind in WARNING_KINDS:
        assert "自然灾害" in hazards_opened_by(kind)
        assert kind == "other" or kind in hazards_opened_by(kind)
    assert hazards_opened_by("sandstorm") == frozenset()


def test_the_vocabulary_is_written_as_it_is_matched():
    for kind, terms in HAZARDS_OF_KIND.items():
        assert {term for term in terms if normalised(term) != term} == set(), kind
    assert normalised(" Heavy Rain ") == normalised("heavy-rain") == "heavy_rain"
    assert "wheat" not in hazards_opened_by("heat") and "fire" not in hazards_opened_by("heat")


def test_the_concerned_organisations_run_from_the_issuer_down_to_each_target():
    assert concerned_paths("/ROOT/", ["/ROOT/JB/MINE-1/", "/ROOT/NS/MINE-2/"]) == {
        "/ROOT/", "/ROOT/JB/", "/ROOT/JB/MINE-1/", "/ROOT/NS/", "/ROOT/NS/MINE-2/"}
    assert concerned_paths("/ROOT/JB/", []) == {"/ROOT/JB/"}
    assert concerned_paths("/ROOT/JB/", ["/ROOT/NS/MINE-2/"]) == {"/ROOT/JB/", "/ROOT/NS/MINE-2/"}
