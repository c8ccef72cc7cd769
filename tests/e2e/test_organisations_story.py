"""Issue 13 as a new user tries it, through the gateway of the real stack (embedded, and RabbitMQ + PostgreSQL):
the admin signs in and makes a district bureau with two enterprises and a person for each; each person signs in,
stocks a depot and sees only what its scope reaches; a drill reserves only from its own enterprise's depot; its
calendar feed opens without a header in a second iCalendar library (vobject), and is revoked; logout ends it."""
from __future__ import annotations

import datetime as dt

import httpx
import pytest
import vobject

from servicekit.testing import wait_until
from tests.e2e.realstack import rabbitmq_postgres_settings
from tests.e2e.stackrun import erdm_stack

ADMIN_KEY = "e2e-orgs-story-admin-key-0123456789abc"  # the stack wants one; the story signs in instead
ADMIN_PASSWORD = "e2e-admin-password-2026"  # what ERDM_ADMIN_PASSWORD gives the user `admin`
PASSWORD = "e2e-person-password-2026"  # every person's (10+ characters)
pytestmark = pytest.mark.slow

DISTRICT = {"code": "PD", "name": "浦东新区应急管理局", "kind": "bureau", "parent_code": "ROOT", "district": "浦东新区",
            "principal": {"name": "陈立新", "title": "局长"}, "deputies": [{"name": "刘海", "title": "副局长"}]}
ENT_A = {"code": "ENT-A", "name": "东方建设集团有限公司", "kind": "enterprise", "parent_code": "PD", "district": "浦东新区",
         "industries": ["construction"], "principal": {"name": "王建国", "title": "总经理"},
         "deputies": [{"name": "李安", "title": "安全副总"}, {"name": "周明", "title": "生产副总"}]}
ENT_B = {"code": "ENT-B", "name": "陆家嘴商业广场管理有限公司", "kind": "enterprise", "parent_code": "PD",
         "district": "浦东新区", "industries": ["crowded_venue"], "principal": {"name": "赵敏", "title": "董事长"},
         "deputies": [{"name": "孙强", "title": "分管安全副总经理"}]}
# username: (display name, organisation, role, scope)
PEOPLE = {"pd.logistics": ("钱多多", "PD", "logistics", "subtree"),
          "a.logistics": ("吴仓", "ENT-A", "logistics", "own"),
          "b.logistics": ("郑库", "ENT-B", "logistics", "own"),
          "a.planner": ("张伟", "ENT-A", "planner", "own")}


@pytest.fixture(params=["embedded", pytest.param("amqp-postgres", marks=[pytest.mark.rabbitmq, pytest.mark.postgres])])
def stack(request, tmp_path, tmp_path_factory):
    """`python -m erdm run` with the admin's password chosen, on the embedded default or on RabbitMQ + PostgreSQL."""
    settings = {"ERDM_ADMIN_PASSWORD": ADMIN_PASSWORD}
    if request.param == "amqp-postgres":
        settings |= rabbitmq_postgres_settings(request.config, tmp_path_factory, instances=1)
    with erdm_stack(tmp_path, ADMIN_KEY, **settings) as (base, _process, _env):
        yield base


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def _sign_in(base: str, username: str, password: str) -> httpx.Client:
    """What a person does first: username and password for a session token, then that token as the bearer."""
    signed_in = _ok(httpx.post(f"{base}/api/v1/sessions", json={"username": username, "password": password},
                               timeout=30), 201)
    assert signed_in["user"]["username"] == username and "password" not in signed_in["user"]
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {signed_in['token']}"},
                        timeout=15)


def _settles(check, timeout: float = 10.0) -> None:
    """Wait for `check()` to hold: an event travelling from one service to another (a few seconds at most)."""
    wait_until(check, timeout=timeout, interval=0.1)


def _once_known(send) -> httpx.Response:
    """The answer to a write naming another organisation, once the service's copy of the directory has heard of it:
    until `org.changed` arrives it is 422 "not known yet; retry in a moment", and a client does just that."""
    answers: list[httpx.Response] = []

    def answered() -> bool:
        answers.append(send())
        return answers[-1].status_code != 422 or "not known yet" not in answers[-1].text

    _settles(answered)
    return answers[-1]


def _feed_events(ics: str) -> dict[str, str]:
    """UID -> summary of each event, as a second iCalendar library (vobject, beside the services' icalendar) reads it."""
    calendar = vobject.readOne(ics)
    return {event.uid.value: event.summary.value for event in calendar.contents.get("vevent", [])}


def _depot_codes(person: httpx.Client) -> set[str]:
    return {depot["code"] for depot in _ok(person.get("/warehouses"))["items"]}


def _stocked_depots(person: httpx.Client, item_id: str) -> set[str]:
    return {row["warehouse_id"] for row in _ok(person.get("/stock", params={"item_id": item_id}))["items"]}


def test_a_district_and_two_enterprises_each_see_their_own_and_a_drill_draws_on_its_own_depot(stack):
    base = stack
    # The admin signs in with the password `make run` was given, and is the root's, over the whole tree.
    admin = _sign_in(base, "admin", ADMIN_PASSWORD)
    me = _ok(admin.get("/me"))
    assert (me["kind"], me["role"], me["org"]["code"], me["scope"]) == ("user", "admin", "ROOT", "subtree")

    # A district bureau and two enterprises under it, each with its head and deputies in charge.
    orgs = {org["code"]: _ok(admin.post("/orgs", json=org), 201) for org in (DISTRICT, ENT_A, ENT_B)}
    assert orgs["ENT-A"]["path"] == "/ROOT/PD/ENT-A/" and orgs["ENT-B"]["parent"]["code"] == "PD"
    assert orgs["ENT-A"]["principal"]["name"] == "王建国" and len(orgs["ENT-A"]["deputies"]) == 2
    for username, (display_name, org, role, scope) in PEOPLE.items():
        made = _ok(admin.post("/users", json={"username": username, "display_name": display_name, "password": PASSWORD,
                                              "role": role, "org_code": org, "scope": scope}), 201)
        assert (made["org"]["code"], made["scope"]) == (org, scope) and "password" not in made
    district, ent_a, ent_b, planner = (_sign_in(base, username, PASSWORD) for username in PEOPLE)
    assert _ok(ent_b.get("/me"))["org"] == {key: orgs["ENT-B"][key] for key in ("id", "code", "name", "path")}

    # Each signs in, makes a depot of its own and receives stock of one item of the shared catalog. The other
    # enterprise and the district hold more of it, expiring sooner: first-expiry-first-out would pick theirs.
    bags = _ok(district.post("/items", json={"code": "E2E-WB", "name": "编织袋", "category_code": "3", "unit": "条",
                                             "kind": "material"}), 201)
    today = dt.date.today()
    depots = {}
    for person, code, name, level, quantity, days in (
            (district, "PD-01", "浦东新区应急物资储备库", "county", 50, 30),
            (ent_a, "ENTA-01", "东方建设应急物资仓库", "enterprise", 30, 900),
            (ent_b, "ENTB-01", "陆家嘴广场应急物资仓库", "enterprise", 100, 60)):
        depots[code] = _ok(person.post("/warehouses", json={"code": code, "name": name, "level": level}), 201)
        _ok(person.post("/stock/receipts", json={"warehouse_id": depots[code]["id"], "item_id": bags["id"],
                                                 "quantity": quantity,
                                                 "expiry_date": str(today + dt.timedelta(days=days))}), 201)
    assert depots["ENTA-01"]["org"]["code"] == "ENT-A", "a depot is its maker's organisation's"

    # org.changed reached the resources service: every depot is answered with its organisation's name.
    def named_as_their_owners() -> bool:
        answered = {depot["code"]: depot["org"] for depot in _ok(district.get("/warehouses"))["items"]}
        return answered == {"PD-01": {"id": orgs["PD"]["id"], "code": "PD", "name": DISTRICT["name"]},
                            "ENTA-01": {"id": orgs["ENT-A"]["id"], "code": "ENT-A", "name": ENT_A["name"]},
                            "ENTB-01": {"id": orgs["ENT-B"]["id"], "code": "ENT-B", "name": ENT_B["name"]}}

    _settles(named_as_their_owners)
    assert _ok(ent_a.get(f"/warehouses/{depots['ENTA-01']['id']}"))["org"]["name"] == ENT_A["name"]

    # Each sees what its scope reaches: the district both enterprises (and its own), an enterprise its own.
    ids = {code: depot["id"] for code, depot in depots.items()}
    assert _depot_codes(district) == {"PD-01", "ENTA-01", "ENTB-01"}
    assert _depot_codes(ent_a) == {"ENTA-01"} and _depot_codes(ent_b) == {"ENTB-01"}
    assert _stocked_depots(district, bags["id"]) == set(ids.values())
    assert _stocked_depots(ent_a, bags["id"]) == {ids["ENTA-01"]}
    assert _stocked_depots(ent_b, bags["id"]) == {ids["ENTB-01"]}
    assert ent_a.get(f"/warehouses/{ids['ENTB-01']}").status_code == 404, "the other's depot does not exist"
    assert ent_b.get(f"/warehouses/{ids['ENTA-01']}").status_code == 404
    assert ent_a.post("/stock/issues", json={"warehouse_id": ids["ENTB-01"], "item_id": bags["id"], "quantity": 1,
                                             "reason": "借用"}).status_code == 404, "nor can its stock be drawn"
    refused = ent_a.post("/warehouses", json={"code": "ENTA-02", "name": "代建仓库", "level": "enterprise",
                                              "org_code": "ENT-B"})
    assert refused.status_code == 403, refused.text
    assert _ok(district.post("/warehouses", json={"code": "ENTB-02", "name": "陆家嘴广场二号仓库",
                                                  "level": "enterprise", "org_code": "ENT-B"}), 201)["org"]["code"] \
        == "ENT-B", "the district creates for an enterprise below it"

    # The enterprise's planner writes a plan, has it approved in its head's name, and drills it with resources.
    plan = _ok(planner.post("/plans", json={"code": "ENTA-FLOOD", "title": "工地防汛专项应急预案", "type": "special",
                                            "hazard_types": ["flood"], "owner_org": ENT_A["name"], "owner": "张伟",
                                            "summary": "基坑积水处置"}), 201)
    assert plan["org"]["code"] == "ENT-A"
    _ok(planner.put(f"/plans/{plan['id']}/requirements", json={"lines": [{"item_id": bags["id"], "quantity": 20}]}))
    _ok(planner.post(f"/plans/{plan['id']}/submit"))
    assert ent_a.post(f"/plans/{plan['id']}/approve", json={"approved_by": "吴仓"}).status_code == 403, \
        "logistics staff may not approve a plan"
    approved = _ok(planner.post(f"/plans/{plan['id']}/approve",
                                json={"approved_by": ENT_A["principal"]["name"]}))
    assert (approved["status"], approved["approved_by"]) == ("approved", "王建国")
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    drill = _ok(planner.post("/drills", json={
        "plan_id": plan["id"], "title": "基坑防汛实战演练", "form": "live", "scope": "single",
        "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=3)).isoformat(),
        "location": "东方建设二号工地", "organizer": ENT_A["name"],
        "resources": [{"item_id": bags["id"], "quantity": 20}]}), 201)
    _settles(lambda: _ok(planner.get(f"/drills/{drill['id']}"))["status"] == "ready")
    reservation_id = _ok(planner.get(f"/drills/{drill['id']}"))["reservation_id"]
    reservation = _ok(planner.get(f"/reservations/{reservation_id}"))
    assert {allocation["warehouse_id"] for allocation in reservation["allocations"]} == {ids["ENTA-01"]}, \
        "a drill reserves only from its plan's organisation's depots"
    assert sum(allocation["quantity"] for allocation in reservation["allocations"]) == 20
    assert _ok(ent_b.get("/stock", params={"item_id": bags["id"]}))["items"][0]["reserved"] == 0

    # The other enterprise has a drill too (the admin schedules it for them); the planner cannot see it.
    other_plan = _ok(_once_known(lambda: admin.post("/plans", json={
        "code": "ENTB-CROWD", "title": "商场人员密集场所疏散预案", "type": "onsite", "hazard_types": ["fire"],
        "owner_org": ENT_B["name"], "owner": "赵敏", "summary": "节假日客流疏散", "org_code": "ENT-B"})), 201)
    _ok(admin.post(f"/plans/{other_plan['id']}/submit"))
    _ok(admin.post(f"/plans/{other_plan['id']}/approve", json={"approved_by": ENT_B["principal"]["name"]}))
    other_drill = _ok(admin.post("/drills", json={
        "plan_id": other_plan["id"], "title": "商场疏散桌面推演", "form": "tabletop", "scope": "single",
        "scheduled_start": start.isoformat(), "scheduled_end": (start + dt.timedelta(hours=2)).isoformat(),
        "location": "陆家嘴商业广场", "organizer": ENT_B["name"], "resources": []}), 201)
    assert planner.get(f"/drills/{other_drill['id']}").status_code == 404
    assert {d["id"] for d in _ok(district.get("/drills"))["items"]} == {drill["id"], other_drill["id"]}

    # The planner's calendar feed: its URL opens with no header at all, in vobject, showing only its drill.
    feed = _ok(planner.post("/calendar-feeds", json={"name": "张伟's Outlook"}), 201)
    fetched = httpx.get(feed["url"], timeout=15)
    assert fetched.status_code == 200 and fetched.headers["content-type"].startswith("text/calendar"), fetched.text
    events = _feed_events(fetched.text)
    assert any(drill["id"] in uid and summary == "基坑防汛实战演练" for uid, summary in events.items()), events
    assert not any(other_drill["id"] in uid for uid in events), "the other enterprise's drill is not in the feed"
    district_feed = _ok(district.post("/calendar-feeds", json={"name": "区局值班日历"}), 201)
    district_events = _feed_events(httpx.get(district_feed["url"], timeout=15).text)
    assert all(any(d["id"] in uid for uid in district_events) for d in (drill, other_drill)), "the district sees both"
    assert planner.delete(f"/calendar-feeds/{feed['id']}").status_code == 204
    assert httpx.get(feed["url"], timeout=15).status_code == 404, "a revoked feed is gone at once"

    # Logging out ends the session: the token is refused from then on.
    assert planner.delete("/sessions/current").status_code == 204
    assert planner.get("/me").status_code == 401
    assert _ok(ent_a.get("/me"))["name"] == "吴仓", "another person's session is untouched"
