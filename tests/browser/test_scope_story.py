"""Scope, as two enterprises' people meet it in their browsers: each sees only its own organisation's depots (in the
list and on the map), plans and drills, and its own things on the home page; the other's depot, plan or drill
opened by its address is the not-found page, as if it did not exist."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from servicekit.testing import wait_until
from tests.browser.browsers import sync_api
from tests.browser.people import Person, seed_person, sign_in
from tests.browser.steps import days_from_today, unique

expect = sync_api().expect  # without Playwright the module skips (fails under CI=true)
pytestmark = [pytest.mark.browser, pytest.mark.slow]

# How long the drills service may take to hear that a plan was approved (it learns it from the plans service's event).
PLAN_HEARD_S = 30


@dataclass(frozen=True)
class Enterprise:
    """An enterprise under the root with its planner, and what the admin made for it: a depot on the map holding a
    lot that expires soon, an approved plan short of what it requires, and a drill of that plan next week."""

    person: Person
    depot: dict
    plan: dict
    drill: dict


def _created(answer) -> dict:
    assert answer.status_code == 201, answer.text
    return answer.json()


def seed_enterprise(api, *, name: str, short: str, planner: str, item: dict, lat: float, lon: float) -> Enterprise:
    """Everything through the API with the admin key and the enterprise's organisation: this story is about who
    sees what, not how it was made (the logistics and planner stories make theirs through the pages)."""
    person = seed_person(api, display_name=planner, role="planner", org_name=name)
    org_code = person.org["code"]
    depot = _created(api.post("/warehouses", json={"code": unique("SC"), "name": f"{short}应急物资库",
                                                   "level": "enterprise", "org_code": org_code, "lat": lat,
                                                   "lon": lon}))
    _created(api.post("/stock/receipts", json={"warehouse_id": depot["id"], "item_id": item["id"], "quantity": 40,
                                               "batch_no": unique("LOT"), "expiry_date": days_from_today(10)}))
    plan = _created(api.post("/plans", json={
        "code": unique("SC-YA"), "title": f"{short}生产安全事故综合应急预案", "type": "comprehensive",
        "hazard_types": ["火灾"], "owner_org": name, "owner": planner, "org_id": person.org["id"]}))
    lines = api.put(f"/plans/{plan['id']}/requirements",
                    json={"lines": [{"item_id": item["id"], "quantity": 100}]})
    assert lines.status_code == 200, lines.text
    for step, body in (("submit", {}), ("approve", {"approved_by": f"{short}总经理"})):
        answer = api.post(f"/plans/{plan['id']}/{step}", json=body)
        assert answer.status_code == 200, answer.text
    drill = {"plan_id": plan["id"], "title": f"{short}消防疏散演练 {unique('D')}", "form": "tabletop",
             "scope": "single", "scheduled_start": f"{days_from_today(3)}T09:00:00+08:00",
             "scheduled_end": f"{days_from_today(3)}T11:00:00+08:00", "location": "办公楼一层会议室",
             "organizer": name, "resources": []}

    def scheduled():
        answer = api.post("/drills", json=drill)
        assert answer.status_code in (201, 409), answer.text  # 409 until the drills service hears of the plan
        return answer.json() if answer.status_code == 201 else None

    return Enterprise(person, depot, plan, wait_until(scheduled, timeout=PLAN_HEARD_S, interval=0.5))


def markers_of_depots_page(page) -> list[str]:
    """The depots list's codes, as its table shows them and as the map draws them (depot-map.js asks the JSON)."""
    with page.expect_response(lambda answer: answer.url.endswith("/stock/depots/markers.json")) as markers:
        page.goto("/stock/")
    assert markers.value.ok
    return [depot["code"] for depot in markers.value.json()["depots"]]


def expect_lists_only_its_own(page, own: Enterprise, other: Enterprise) -> None:
    """Depots (the list and the map), plans, drills (the list and the month) and the home page's panels."""
    assert markers_of_depots_page(page) == [own.depot["code"]]
    expect(page.locator("table.depots tbody tr td:first-child")).to_have_text([own.depot["code"]])

    page.goto("/plans/")
    expect(page.locator("table.plan-register tbody td.code")).to_have_text([own.plan["code"]])

    page.goto("/drills/list")
    expect(page.locator("table.drills tbody tr td:nth-child(2)")).to_have_text([own.drill["title"]])
    page.goto(f"/drills/?month={days_from_today(3)[:7]}")
    expect(page.locator("table.month a.drill .title")).to_have_text([own.drill["title"]])

    page.goto("/")
    expect(page.locator("[data-panel=short-plans] tbody tr td:first-child")).to_have_text(
        [f"{own.plan['code']} {own.plan['title']}"])
    expect(page.locator("[data-panel=upcoming-drills] tbody tr td:first-child")).to_have_text([own.drill["title"]])
    expect(page.locator("[data-panel=alerts] tbody tr td:nth-child(2)")).to_have_text(
        [f"{own.depot['code']} {own.depot['name']}"])
    for theirs in (other.depot["code"], other.plan["code"], other.drill["title"]):
        expect(page.locator("main")).not_to_contain_text(theirs)


def expect_the_others_not_found(page, other: Enterprise) -> None:
    """The other's depot, plan and drill opened by their addresses: the not-found page, naming nothing of theirs;
    its depot's ledger: an empty ledger."""
    for path in (f"/stock/depots/{other.depot['id']}", f"/plans/{other.plan['id']}",
                 f"/drills/{other.drill['id']}"):
        answer = page.goto(path)
        assert answer.status == 404, f"{path} answered {answer.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text("未找到")
        for theirs in (other.depot["code"], other.plan["code"], other.drill["title"]):
            expect(page.locator("main")).not_to_contain_text(theirs)
    answer = page.goto(f"/stock/movements?warehouse_id={other.depot['id']}")
    assert answer.status == 200
    expect(page.locator("table.ledger")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(other.depot["code"])


def test_each_enterprise_sees_only_its_own_depots_plans_drills_and_home(page, open_page, api):
    item = _created(api.post("/items", json={"code": unique("SCBA"), "name": "正压式空气呼吸器气瓶",
                                             "category_code": "20102", "unit": "个", "kind": "material"}))
    harbour = seed_enterprise(api, name="外高桥港区集装箱码头有限公司", short="外高桥码头", planner="周海", item=item,
                              lat=31.3592, lon=121.5906)
    mall = seed_enterprise(api, name="五角场万达广场商业管理有限公司", short="五角场万达", planner="陈琳", item=item,
                           lat=31.3012, lon=121.5141)
    sign_in(page, harbour.person.username, harbour.person.password)
    theirs = open_page()
    sign_in(theirs, mall.person.username, mall.person.password)

    expect_lists_only_its_own(page, harbour, mall)
    expect_the_others_not_found(page, mall)
    expect_lists_only_its_own(theirs, mall, harbour)
    expect_the_others_not_found(theirs, harbour)
