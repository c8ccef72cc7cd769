"""Calendar feeds: a person or key makes a secret URL, pastes it into a calendar client that sends no header, and
the gateway answers the drill calendar its creator may see as of each fetch, until the feed or its creator goes."""
from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from citydesk import CityDesk
from people import Personnel, clock, gateway_client  # noqa: F401 - fixtures
from sqlalchemy import select

from gateway.models import calendar_feeds
from gateway.testing import ADMIN, SECRET, assert_problem
from servicekit.signing import verify

FEEDS = "/api/v1/calendar-feeds"
CALENDAR = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ERDM//drills//ZH\r\nBEGIN:VEVENT\r\n"
            b"UID:drill-1@erdm\r\nDTSTAMP:20270110T000000Z\r\nDTSTART:20270115T020000Z\r\n"
            b"DTEND:20270115T040000Z\r\nSUMMARY:\xe5\x8d\xb1\xe5\x8c\x96\xe5\x93\x81\xe6\xb3\x84\xe6\xbc\x8f"
            b"\xe6\xbc\x94\xe7\xbb\x83\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture
def drills(service):
    """The drills service's calendar, as the stand-in answers it."""
    service.answer = lambda request: httpx.Response(200, content=CALENDAR, headers={
        "Content-Type": "text/calendar", "Content-Disposition": 'inline; filename="erdm-drills.ics"'})
    return service


def create_feed(client, headers, expected: int = 201, **body):
    response = client.post(FEEDS, json={"name": "我的日历", **body}, headers=headers)
    assert response.status_code == expected, response.get_data(as_text=True)
    return response


def feed_path(url: str) -> str:
    assert url.startswith("http://localhost/feeds/") and url.endswith(".ics"), url
    return url.removeprefix("http://localhost")


def signed_actor(sent: httpx.Request):
    return verify(SECRET, sent.method, sent.url.raw_path.decode(), sent.headers, body=sent.content).actor


def test_a_key_subscribes_its_calendar_to_the_drills_of_its_scope(gateway_client, drills):
    CityDesk(gateway_client).build_city()
    desk = CityDesk(gateway_client).key("PD", scope="subtree", role="planner")
    plan_id = str(uuid.uuid4())

    created = create_feed(gateway_client, desk["auth"], plan_id=plan_id)
    assert created.headers["Cache-Control"] == "no-store"
    answer = created.get_json()
    assert set(answer) == {"id", "url"}
    path = feed_path(answer["url"])

    fetched = gateway_client.get(path)  # a calendar client: no Authorization header
    assert fetched.status_code == 200, fetched.get_data(as_text=True)
    assert fetched.data == CALENDAR
    assert fetched.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert fetched.headers["Cache-Control"] == "private, max-age=300"
    (sent,) = drills.requests
    assert sent.method == "GET"
    assert sent.url.path == "/api/v1/drills/calendar.ics"
    assert sent.url.params["plan_id"] == plan_id
    assert "Authorization" not in sent.headers
    actor = signed_actor(sent)
    assert (actor.id, actor.role, actor.org_path, actor.scope) == (desk["id"], "planner", "/ROOT/PD/", "subtree")
    assert actor.org_id == desk["org"]["id"]


def test_a_feed_without_a_plan_asks_for_every_drill(gateway_client, drills):
    path = feed_path(create_feed(gateway_client, ADMIN).get_json()["url"])
    assert gateway_client.get(path).status_code == 200
    (sent,) = drills.requests
    assert sent.url.raw_path == b"/api/v1/drills/calendar.ics"
    actor = signed_actor(sent)  # the bootstrap admin key: the root, its whole tree
    assert (actor.id, actor.org_path, actor.scope) == ("admin", "/ROOT/", "subtree")


def test_a_persons_feed_follows_the_person_and_ends_when_they_are_deactivated(gateway_client, drills):
    CityDesk(gateway_client).build_city()
    people = Personnel(gateway_client)
    zhang = people.create("zhang.wei", role="viewer", org="ENT-001", scope="own", display_name="张伟")
    auth = people.token("zhang.wei")
    path = feed_path(create_feed(gateway_client, auth).get_json()["url"])

    assert gateway_client.get(path).status_code == 200
    actor = signed_actor(drills.requests[-1])
    assert (actor.id, actor.name, actor.org_path, actor.scope) == (zhang["id"], "张伟", "/ROOT/PD/ENT-001/", "own")

    people.change(zhang["id"], scope="own", role="planner")  # as of each fetch: today's role
    gateway_client.get(path)
    assert signed_actor(drills.requests[-1]).role == "planner"

    people.change(zhang["id"], active=False)
    assert_problem(gateway_client.get(path), 404, mentions="no calendar feed")


def test_revoking_a_feed_makes_its_url_404_at_once(gateway_client, drills):
    key = CityDesk(gateway_client).key("ROOT", role="viewer")
    answer = create_feed(gateway_client, key["auth"]).get_json()
    path = feed_path(answer["url"])
    assert gateway_client.get(path).status_code == 200

    assert gateway_client.delete(f"{FEEDS}/{answer['id']}", headers=key["auth"]).status_code == 204
    assert_problem(gateway_client.get(path), 404, mentions="no calendar feed")
    assert_problem(gateway_client.delete(f"{FEEDS}/{answer['id']}", headers=key["auth"]), 404)
    assert gateway_client.get(FEEDS, headers=key["auth"]).get_json()["items"] == []
    assert len(drills.requests) == 1


def test_a_revoked_creator_key_takes_its_feeds_down(gateway_client, drills):
    key = CityDesk(gateway_client).key("ROOT", role="viewer")
    path = feed_path(create_feed(gateway_client, key["auth"]).get_json()["url"])
    assert gateway_client.delete(f"/api/v1/keys/{key['id']}", headers=ADMIN).status_code == 204

    unknown = gateway_client.get("/feeds/erdmf_nothing-like-this.ics")
    revoked = gateway_client.get(path)
    assert_problem(revoked, 404)
    assert revoked.get_json()["detail"] == unknown.get_json()["detail"]  # nothing tells the two apart
    assert drills.requests == []


def test_unknown_tokens_count_toward_the_address_throttle(make_gateway, drills):
    client = make_gateway(auth_failure_limit="3/minute")
    path = feed_path(create_feed(client, ADMIN).get_json()["url"])
    for attempt in range(3):
        assert_problem(client.get(f"/feeds/erdmf_guess{attempt}.ics"), 404)
    assert_problem(client.get("/feeds/erdmf_guess3.ics"), 429, mentions="too many failed authentications")
    # And now even the right URL learns nothing from this address; another address is not held back.
    assert client.get(path).status_code == 429
    assert client.get(path, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
    assert len(drills.requests) == 1


def test_the_token_is_not_stored_only_its_hash(gateway_client):
    path = feed_path(create_feed(gateway_client, ADMIN).get_json()["url"])
    token = path.removeprefix("/feeds/").removesuffix(".ics")
    assert token.startswith("erdmf_") and len(token) > 40
    database = gateway_client.application.extensions["erdm_gateway_db"]
    with database.session(readonly=True) as session:
        (row,) = session.execute(select(calendar_feeds)).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in row)
    assert token not in gateway_client.get(FEEDS, headers=ADMIN).get_data(as_text=True)


def test_each_caller_lists_and_revokes_only_its_own_feeds(gateway_client):
    desk = CityDesk(gateway_client)
    first, second = desk.key("ROOT", role="viewer"), desk.key("ROOT", role="planner")
    plan_id = str(uuid.uuid4())
    mine = create_feed(gateway_client, first["auth"], name="值班日历", plan_id=plan_id).get_json()
    theirs = create_feed(gateway_client, second["auth"]).get_json()

    listed = gateway_client.get(FEEDS, headers=first["auth"]).get_json()
    assert listed["total"] == 1 and listed["page"] == 1
    (item,) = listed["items"]
    assert item.pop("created_at")
    assert item == {"id": mine["id"], "name": "值班日历", "plan_id": plan_id,
                    "created_by": {"id": first["id"], "name": first["name"]}}
    assert [feed["id"] for feed in gateway_client.get(FEEDS, headers=second["auth"]).get_json()["items"]] == [
        theirs["id"]]
    assert gateway_client.get(FEEDS, headers=ADMIN).get_json()["items"] == []
    assert_problem(gateway_client.delete(f"{FEEDS}/{theirs['id']}", headers=first["auth"]), 404)


@pytest.mark.parametrize("body, field", [({"plan_id": None}, "name"), ({"name": ""}, "name"),
                                         ({"name": "日历", "plan_id": "plan-7"}, "plan_id"),
                                         ({"name": "日历", "token": "mine"}, "token")])
def test_a_feed_needs_a_name_and_a_plan_id_that_is_a_uuid(gateway_client, body, field):
    response = gateway_client.post(FEEDS, json=body, headers=ADMIN)
    assert field in assert_problem(response, 422)["errors"]


def test_a_feed_needs_a_caller_to_be_made(gateway_client):
    assert_problem(gateway_client.post(FEEDS, json={"name": "日历"}), 401)


def test_drills_down_answers_a_problem_not_a_calendar(gateway_client, service):
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    service.answer = refuse
    path = feed_path(create_feed(gateway_client, ADMIN).get_json()["url"])
    response = assert_problem(gateway_client.get(path), 502, mentions="drills")
    assert response["service"] == "drills"


def test_a_calendar_client_reads_the_feed(gateway_client, drills):
    icalendar = pytest.importorskip("icalendar")
    path = feed_path(create_feed(gateway_client, ADMIN).get_json()["url"])
    calendar = icalendar.Calendar.from_ical(gateway_client.get(path).data)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == "drill-1@erdm"
    assert str(event["SUMMARY"]) == "危化品泄漏演练"
