"""A client reads a record with its ETag, revalidates it for free, and changes it only if nobody else did since."""
from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from openapi_spec_validator import validate

from servicekit.testing import signed_client
from stockroom import API, Stockroom, assert_problem
from tests.flows.drillbook import DrillBook

STRONG_TAG = re.compile(r'"[0-9a-f]{32}"')
SCORES = {"plan_suitability": 4, "preparation": 5, "command_coordination": 3, "response_actions": 4,
          "equipment_materials": 4}


def made_plan(plans_client) -> dict[str, Any]:
    response = plans_client.post(f"{API}/plans", json={"code": "YA-ETAG", "title": "防汛专项应急预案",
                                                       "type": "special", "hazard_types": ["flood"],
                                                       "owner_org": "市应急管理局", "owner": "张伟"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def evaluated_drill(book: DrillBook) -> dict[str, Any]:
    drill = book.completed_drill(book.approve_plan())
    book.post(f"/drills/{drill['id']}/evaluation", {"scores": SCORES, "rating": "good", "evaluator": "市应急局专家组"})
    return drill


# --- every single-record GET, and how to make its record ------------------------------------------------
# Each maker takes its service's fixtures by name; the tests name `fresh_database_url`, whose backends
# (SQLite; PostgreSQL in CI) the fixtures asked for this way follow.
def warehouse(request):
    return request.getfixturevalue("resources_client"), f"/warehouses/{request.getfixturevalue('depot')['id']}"


def item(request):
    return request.getfixturevalue("resources_client"), f"/items/{request.getfixturevalue('tents')['id']}"


def equipment(request):
    stockroom: Stockroom = request.getfixturevalue("stockroom")
    unit = stockroom.register(request.getfixturevalue("depot"), stockroom.equipment_item(), "SN-ETAG-1")
    return stockroom.client, f"/equipment/{unit['id']}"


def reservation(request):
    stockroom: Stockroom = request.getfixturevalue("stockroom")
    depot, tents = request.getfixturevalue("depot"), request.getfixturevalue("tents")
    stockroom.receive(depot, tents, 10)
    return stockroom.client, f"/reservations/{stockroom.reserve((tents, 4))['id']}"


def movement(request):
    stockroom: Stockroom = request.getfixturevalue("stockroom")
    stockroom.receive(request.getfixturevalue("depot"), request.getfixturevalue("tents"), 10)
    return stockroom.client, f"/movements/{stockroom.movements()[0]['id']}"


def plan(request):
    plans_client = request.getfixturevalue("plans_client")
    return plans_client, f"/plans/{made_plan(plans_client)['id']}"


def plan_version(request):
    plans_client = request.getfixturevalue("plans_client")
    return plans_client, f"/plans/{made_plan(plans_client)['id']}/versions/1"


def drill(request):
    book: DrillBook = request.getfixturevalue("book")
    return book.client, f"/drills/{book.schedule(book.approve_plan())['id']}"


def evaluation(request):
    book: DrillBook = request.getfixturevalue("book")
    return book.client, f"/drills/{evaluated_drill(book)['id']}/evaluation"


def corrective_action(request):
    book: DrillBook = request.getfixturevalue("book")
    drill_id = book.completed_drill(book.approve_plan())["id"]
    due = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    found = book.post(f"/drills/{drill_id}/findings", {
        "description": "通信中断 8 分钟", "severity": "high",
        "corrective_action": {"owner": "通信科", "due_date": due, "description": "配备卫星电话"}})
    return book.client, f"/corrective-actions/{found['corrective_action']['id']}"


RECORDS = [warehouse, item, equipment, reservation, movement, plan, plan_version, drill, evaluation,
           corrective_action]


@dataclass
class Change:
    """A PATCH of one record: how to make the record, and two different changes to send it."""

    make: Callable
    first: dict[str, Any]
    second: dict[str, Any]
    field: str


CHANGES = [
    Change(warehouse, {"name": "城东应急物资储备库"}, {"name": "城西应急物资储备库"}, "name"),
    Change(item, {"name": "单帐篷"}, {"name": "棉帐篷"}, "name"),
    Change(plan, {"title": "防汛抗旱专项应急预案"}, {"title": "城市内涝专项应急预案"}, "title"),
    Change(drill, {"title": "城区防汛实战演练"}, {"title": "城区防汛桌面推演"}, "title"),
    Change(evaluation, {"rating": "fair"}, {"rating": "poor"}, "rating"),
]


def ids(case) -> str:
    return getattr(case, "make", case).__name__


def tag_of(response) -> str:
    tag = response.headers.get("ETag")
    assert tag and STRONG_TAG.fullmatch(tag), f"not a strong quoted tag: {tag!r}"
    return tag


# --- reading ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", RECORDS, ids=ids)
def test_a_record_answers_its_etag_and_304_while_it_is_unchanged(request, fresh_database_url, make):
    client, path = make(request)
    first = client.get(API + path)
    assert first.status_code == 200
    tag = tag_of(first)
    assert tag_of(client.get(API + path)) == tag, "the same record answers the same tag"

    revalidated = client.get(API + path, headers={"If-None-Match": tag})
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert revalidated.headers["ETag"] == tag and "Content-Type" not in revalidated.headers

    other = client.get(API + path, headers={"If-None-Match": '"0000", ' + tag.replace('"', '"1', 1)})
    assert other.status_code == 200 and other.get_json() == first.get_json()


# --- changing -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("change", CHANGES, ids=ids)
def test_a_change_sent_with_the_current_tag_is_made_and_answers_the_new_tag(request, fresh_database_url, change):
    client, path = change.make(request)
    tag = tag_of(client.get(API + path))
    changed = client.patch(API + path, json=change.first, headers={"If-Match": tag})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()[change.field] == change.first[change.field]
    new_tag = tag_of(changed)
    assert new_tag != tag
    assert tag_of(client.get(API + path)) == new_tag, "the answer's tag is the one the record now reads with"
    again = client.patch(API + path, json=change.second, headers={"If-Match": new_tag})
    assert again.status_code == 200, "a client chains changes with the tags it is answered"


@pytest.mark.parametrize("change", CHANGES, ids=ids)
def test_a_change_sent_with_a_stale_tag_is_412_and_changes_nothing(request, fresh_database_url, change):
    client, path = change.make(request)
    stale = tag_of(client.get(API + path))
    assert client.patch(API + path, json=change.first, headers={"If-Match": stale}).status_code == 200
    before = client.get(API + path)

    refused = client.patch(API + path, json=change.second, headers={"If-Match": stale})
    body = assert_problem(refused, 412)
    assert body["title"] == "Precondition Failed"
    assert "changed since it was read" in body["detail"] and "GET it again" in body["detail"]
    assert "ETag" not in refused.headers
    after = client.get(API + path)
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers["ETag"]


@pytest.mark.parametrize("change", CHANGES, ids=ids)
def test_a_change_with_if_match_star_or_without_if_match_is_made_whatever_the_version(request, fresh_database_url, change):
    client, path = change.make(request)
    starred = client.patch(API + path, json=change.first, headers={"If-Match": "*"})
    assert starred.status_code == 200 and starred.get_json()[change.field] == change.first[change.field]
    unconditional = client.patch(API + path, json=change.second)
    assert unconditional.status_code == 200, "clients that send no If-Match keep working"
    assert tag_of(unconditional) == tag_of(client.get(API + path))
    assert client.get(API + path).get_json()[change.field] == change.second[change.field]


def test_a_weak_tag_never_satisfies_if_match(resources_client, depot):
    path = f"{API}/warehouses/{depot['id']}"
    weak = "W/" + tag_of(resources_client.get(path))
    assert_problem(resources_client.patch(path, json={"name": "城东库"}, headers={"If-Match": weak}), 412)
    revalidated = resources_client.get(path, headers={"If-None-Match": weak})
    assert revalidated.status_code == 304, "revalidation compares weakly"


def test_of_two_changes_sent_at_once_with_one_tag_the_second_is_412(resources_app, resources_client, depot,
                                                                    monkeypatch):
    """Both editors read version A. The first change passes its check and is still being made when the
    second arrives; the second waits for the record's lock, then finds version B: 412, not a lost update."""
    from services.resources.use_cases import catalog

    path = f"{API}/warehouses/{depot['id']}"
    tag = tag_of(resources_client.get(path))
    first_checked, update = threading.Event(), catalog.update_warehouse

    def slow_update(*args, **kwargs):
        first_checked.set()
        time.sleep(0.3)  # the second request arrives meanwhile
        return update(*args, **kwargs)

    monkeypatch.setattr(catalog, "update_warehouse", slow_update)
    answers: dict[str, Any] = {}

    def send(name: str, body: dict) -> None:
        answers[name] = signed_client(resources_app).patch(path, json=body, headers={"If-Match": tag})

    first = threading.Thread(target=send, args=("first", {"name": "张三改的名字"}))
    first.start()
    assert first_checked.wait(10)
    monkeypatch.setattr(catalog, "update_warehouse", update)
    second = threading.Thread(target=send, args=("second", {"name": "李四改的名字"}))
    second.start()
    first.join(10)
    second.join(10)
    assert answers["first"].status_code == 200
    assert_problem(answers["second"], 412)
    assert resources_client.get(path).get_json()["name"] == "张三改的名字"


# --- the description --------------------------------------------------------------------------------------
@pytest.mark.parametrize("app_fixture, reads, writes", [
    ("resources_app", ["/api/v1/warehouses/{warehouse_id}", "/api/v1/items/{item_id}", "/api/v1/equipment/{unit_id}",
                       "/api/v1/reservations/{reservation_id}", "/api/v1/movements/{movement_id}"],
     ["/api/v1/warehouses/{warehouse_id}", "/api/v1/items/{item_id}"]),
    ("plans_app", ["/api/v1/plans/{plan_id}", "/api/v1/plans/{plan_id}/versions/{number}"], ["/api/v1/plans/{plan_id}"]),
    ("drills_app", ["/api/v1/drills/{drill_id}", "/api/v1/drills/{drill_id}/evaluation",
                    "/api/v1/corrective-actions/{action_id}"],
     ["/api/v1/drills/{drill_id}", "/api/v1/drills/{drill_id}/evaluation"]),
])
def test_the_description_shows_the_etag_its_304_and_412(request, fresh_database_url, app_fixture, reads,
                                                          writes):
    document = request.getfixturevalue(app_fixture).test_client().get("/openapi.json").get_json()
    validate(document)
    for path in reads:
        operation = document["paths"][path]["get"]
        assert "ETag" in operation["responses"]["200"]["headers"], path
        assert "304" in operation["responses"], path
        assert {"name": "If-None-Match", "in": "header"}.items() <= operation["parameters"][0].items()
    for path in writes:
        operation = document["paths"][path]["patch"]
        assert "ETag" in operation["responses"]["200"]["headers"], path
        precondition = operation["responses"]["412"]
        assert "application/problem+json" in precondition["content"], path
        [if_match] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
        assert if_match["in"] == "header" and if_match["required"] is False
