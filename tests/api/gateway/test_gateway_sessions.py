"""A person signs in with a username and password, calls with the session token like a key, and the session ends:
at sign-out, after 30 minutes unused, after 12 hours, or at once when the person is deactivated or re-passworded."""
from __future__ import annotations

import datetime as dt

from citydesk import CityDesk
from people import PASSWORD, SESSIONS, Personnel, clock, gateway_client  # noqa: F401 - fixtures
from sqlalchemy import select

from gateway.models import sessions
from gateway.testing import ADMIN, assert_problem
from servicekit.db import Database
from servicekit.signing import HEADER_ACTOR_ID, HEADER_ACTOR_ROLE

ME = "/api/v1/me"


def test_a_person_signs_in_calls_as_themselves_and_signs_out(gateway_client, service, clock):
    city = CityDesk(gateway_client).build_city()
    people = Personnel(gateway_client)
    zhang = people.create("Zhang.Wei", role="planner", org="ENT-001", scope="own", display_name="张伟")

    signed_in = people.sign_in("zhang.wei")  # the username whatever its case
    answer = signed_in.get_json()
    assert signed_in.headers["Cache-Control"] == "no-store"
    assert signed_in.headers["Location"] == "/api/v1/sessions/current"
    assert answer["token"].startswith("erdms_")
    assert answer["expires_at"] == (clock.now + dt.timedelta(hours=12)).isoformat()
    assert (answer["user"]["id"], answer["user"]["username"], answer["user"]["org"]["code"]) == (
        zhang["id"], "Zhang.Wei", "ENT-001")
    auth = {"Authorization": f"Bearer {answer['token']}"}

    assert gateway_client.get(ME, headers=auth).get_json() == {
        "kind": "user", "id": zhang["id"], "name": "张伟", "role": "planner", "scope": "own",
        "org": {"id": city["ENT-001"]["id"], "code": "ENT-001", "name": "上海某化工有限公司",
                "path": "/ROOT/PD/ENT-001/"},
    }
    assert gateway_client.get("/api/v1/plans", headers=auth).status_code == 200
    (forwarded,) = service.requests
    assert (forwarded.headers[HEADER_ACTOR_ID], forwarded.headers[HEADER_ACTOR_ROLE]) == (zhang["id"], "planner")
    assert forwarded.headers["X-ERDM-Actor-Org-Path"] == "/ROOT/PD/ENT-001/"
    assert_problem(gateway_client.get("/api/v1/keys", headers=auth), 403)  # a planner, not an admin

    assert gateway_client.delete(f"{SESSIONS}/current", headers=auth).status_code == 204
    assert_problem(gateway_client.get(ME, headers=auth), 401)
    assert_problem(gateway_client.delete(f"{SESSIONS}/current", headers=auth), 401)
    listed = gateway_client.get(f"/api/v1/users/{zhang['id']}", headers=ADMIN).get_json()
    assert listed["last_sign_in_at"] is not None


def test_a_session_unused_for_30_minutes_ends_and_use_keeps_it_alive(gateway_client, clock):
    people = Personnel(gateway_client)
    people.create("li.na")
    auth = people.token("li.na")
    for _ in range(4):  # used every 29 minutes: alive for two hours
        clock.advance(minutes=29)
        assert gateway_client.get(ME, headers=auth).status_code == 200
    clock.advance(minutes=30, seconds=1)
    assert_problem(gateway_client.get(ME, headers=auth), 401)


def test_a_session_ends_12_hours_after_sign_in_however_busy(gateway_client, clock):
    people = Personnel(gateway_client)
    people.create("li.na")
    auth = people.token("li.na")
    for _ in range(11 * 3):  # every 20 minutes for 11 hours
        clock.advance(minutes=20)
        assert gateway_client.get(ME, headers=auth).status_code == 200
    for step in ({"minutes": 29}, {"minutes": 29}, {"minutes": 1, "seconds": 59}):  # to 11:59:59
        clock.advance(**step)
        assert gateway_client.get(ME, headers=auth).status_code == 200
    clock.advance(seconds=1)
    assert_problem(gateway_client.get(ME, headers=auth), 401)


def test_use_is_written_down_at_most_once_a_minute(gateway_client, clock, gateway_db_url):
    people = Personnel(gateway_client)
    people.create("li.na")
    auth = people.token("li.na")
    signed_in_at = clock.now

    def last_used():
        database = Database(gateway_db_url)
        with database.session(readonly=True) as session:
            value = session.scalar(select(sessions.c.last_used_at))
        database.dispose()
        return value

    clock.advance(seconds=59)
    gateway_client.get(ME, headers=auth)
    assert last_used() == signed_in_at
    clock.advance(seconds=1)
    gateway_client.get(ME, headers=auth)
    assert last_used() == clock.now


def test_deactivating_a_person_ends_their_sessions_at_once_and_they_cannot_sign_in(gateway_client, gateway_db_url):
    people = Personnel(gateway_client)
    wang = people.create("wang.fang")
    auth, other_device = people.token("wang.fang"), people.token("wang.fang")
    assert people.change(wang["id"], active=False)["active"] is False
    for session_auth in (auth, other_device):
        assert_problem(gateway_client.get(ME, headers=session_auth), 401)
    people.sign_in("wang.fang", expected=401)
    database = Database(gateway_db_url)
    with database.session(readonly=True) as session:
        reasons = session.scalars(select(sessions.c.ended_reason)).all()
    database.dispose()
    assert reasons == ["deactivated", "deactivated"]

    people.change(wang["id"], active=True)  # back again: a new sign-in, the old sessions stay ended
    assert_problem(gateway_client.get(ME, headers=auth), 401)
    assert gateway_client.get(ME, headers=people.token("wang.fang")).status_code == 200


def test_a_new_password_ends_every_session_and_only_the_new_one_signs_in(gateway_client):
    people = Personnel(gateway_client)
    wang = people.create("wang.fang")
    auth = people.token("wang.fang")
    people.change(wang["id"], password="another long password")
    assert_problem(gateway_client.get(ME, headers=auth), 401)
    people.sign_in("wang.fang", expected=401)
    assert gateway_client.get(ME, headers=people.token("wang.fang", "another long password")).status_code == 200


def test_a_new_role_or_scope_counts_from_the_next_call_without_signing_in_again(gateway_client):
    people = Personnel(gateway_client)
    wang = people.create("wang.fang", role="viewer")
    auth = people.token("wang.fang")
    assert_problem(gateway_client.post("/api/v1/plans", json={}, headers=auth), 403)
    people.change(wang["id"], role="planner", scope="own")
    assert gateway_client.post("/api/v1/plans", json={}, headers=auth).status_code == 200
    assert gateway_client.get(ME, headers=auth).get_json()["scope"] == "own"


def test_signing_in_needs_no_key_but_signing_out_does(gateway_client):
    people = Personnel(gateway_client)
    people.create("li.na")
    # A stale or foreign Authorization header does not stand in the way of signing in.
    response = gateway_client.post(SESSIONS, json={"username": "li.na", "password": PASSWORD},
                                   headers={"Authorization": "Bearer erdm_not-a-key"})
    assert response.status_code == 201
    assert_problem(gateway_client.delete(f"{SESSIONS}/current"), 401)
    problem = assert_problem(gateway_client.post(SESSIONS, json={"username": "li.na"}), 422)
    assert list(problem["errors"]) == ["password"]


def test_the_api_description_says_signing_in_needs_no_key(gateway_client):
    document = gateway_client.get("/api/v1/openapi.json", headers=ADMIN).get_json()
    assert document["paths"]["/api/v1/sessions"]["post"]["security"] == []
    assert "security" not in document["paths"]["/api/v1/sessions/current"]["delete"]  # the document's: a bearer
    for path in ("/api/v1/users", "/api/v1/users/{user_id}"):
        assert path in document["paths"]
    created = document["components"]["schemas"]["UserCreateInput"]
    assert "password" in created["properties"]
    assert "password" not in document["components"]["schemas"]["User"]["properties"]


def test_a_sign_in_body_that_is_not_json_is_refused_like_any_other(gateway_client):
    assert_problem(gateway_client.post(SESSIONS, data={"username": "li.na", "password": PASSWORD}), 415)
    assert_problem(gateway_client.post(SESSIONS, data=b'{"username": "\\ud800", "password": "x"}',
                                       content_type="application/json"), 400)
    assert_problem(gateway_client.post(SESSIONS, json=["li.na", PASSWORD]), 422)
