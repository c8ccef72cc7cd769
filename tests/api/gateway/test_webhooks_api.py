"""An admin subscribes a URL to event types: refused field by field when malformed, for admins only, seen and deleted
only within the admin's scope, its secret never shown back; each subscription lists its deliveries."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
from citydesk import CityDesk
from sqlalchemy import select
from webhooks_desk import SECRET, WEBHOOKS, deliveries, subscribe

from gateway import testing
from gateway.app import create_app
from gateway.models import webhook_subscriptions
from gateway.testing import ADMIN, assert_problem, create_key, bearer
from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.fanout import fan_out
from servicekit.db import Database
from servicekit.events import Event

RECEIVER = "https://hooks.example.com/erdm"


@pytest.fixture
def gateway_db_url(fresh_database_url):  # differs from the conftest's: tried on every backend
    return fresh_database_url("gateway")


@pytest.fixture
def gateway_client(make_gateway):
    """The gateway, taking bodies big enough for a URL past its length cap."""
    return make_gateway(max_body_bytes=16 * 1024)


@pytest.fixture
def gateway_db(gateway_db_url):
    database = Database(gateway_db_url)
    yield database
    database.dispose()


def test_an_admin_subscribes_a_url_and_reads_it_back_without_its_secret(gateway_client, gateway_db):
    created = gateway_client.post(WEBHOOKS, json={"url": RECEIVER, "events": ["drill.completed", "plan.approved",
                                                                              "drill.completed"],
                                                 "secret": SECRET}, headers=ADMIN)
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert created.headers["Location"] == f"{WEBHOOKS}/{body['id']}"
    assert set(body) == {"id", "url", "events", "org", "scope", "created_at", "created_by", "active",
                         "inactive_reason"}
    assert body["url"] == RECEIVER and body["events"] == ["drill.completed", "plan.approved"]
    assert (body["org"]["code"], body["scope"], body["active"]) == ("ROOT", "subtree", True)
    assert body["created_by"] == {"id": "admin", "name": "admin"}

    listed = gateway_client.get(WEBHOOKS, headers=ADMIN)
    assert listed.status_code == 200
    assert listed.get_json() == {"items": [body], "total": 1, "page": 1, "per_page": 50}
    assert gateway_client.get(created.headers["Location"], headers=ADMIN).get_json() == body
    for answer in (created, listed, gateway_client.get(created.headers["Location"], headers=ADMIN)):
        assert SECRET not in answer.get_data(as_text=True)
    # Kept server-side: the notifier signs with it.
    with gateway_db.session(readonly=True) as session:
        assert session.scalar(select(webhook_subscriptions.c.secret)) == SECRET


@pytest.mark.parametrize("field, value, words", [
    ("url", "ftp://hooks.example.com/erdm", "http or https"),
    ("url", "https://user:pass@hooks.example.com/erdm", "user name or password"),
    ("url", "https://hooks.example.com/erdm#part", "fragment"),
    ("url", "https://hooks.example.com/" + "a" * 2000, "at most 2000"),
    ("url", "https:///erdm", "host"),
    ("url", "https://hooks.example.com:99999/", "valid"),
    ("url", 42, "string"),
    ("events", [], "at least one"),
    ("events", "drill.completed", "list"),
    ("events", [7], "string"),
    ("secret", "too-short", "16"),
    ("secret", "x" * 201, "200"),
])
def test_a_malformed_subscription_is_refused_naming_the_field_and_nothing_is_made(gateway_client, field, value,
                                                                                   words):
    body = {"url": RECEIVER, "events": ["drill.completed"], "secret": SECRET, field: value}
    problem = assert_problem(gateway_client.post(WEBHOOKS, json=body, headers=ADMIN), 422)
    assert set(problem["errors"]) == {field}
    assert words in str(problem["errors"][field]), problem["errors"]
    assert gateway_client.get(WEBHOOKS, headers=ADMIN).get_json()["total"] == 0


def test_unknown_event_types_are_listed_in_the_refusal(gateway_client):
    body = {"url": RECEIVER, "events": ["drill.completed", "drill.exploded", "stock.stolen"], "secret": SECRET}
    problem = assert_problem(gateway_client.post(WEBHOOKS, json=body, headers=ADMIN), 422)
    (message,) = problem["errors"]["events"]
    assert "drill.exploded, stock.stolen" in message and "drill.completed," in message  # the known ones follow


def test_missing_and_unknown_fields_are_refused(gateway_client):
    problem = assert_problem(gateway_client.post(WEBHOOKS, json={"active": False}, headers=ADMIN), 422)
    assert set(problem["errors"]) == {"url", "events", "secret", "active"}


def test_only_admins_subscribe_list_or_delete(gateway_client):
    subscription = subscribe(gateway_client, RECEIVER)
    for role in ("logistics", "planner", "inspector", "viewer"):
        auth = bearer(create_key(gateway_client, role)["key"])
        refused = assert_problem(gateway_client.post(WEBHOOKS, json={"url": RECEIVER, "events": ["drill.completed"],
                                                                     "secret": SECRET}, headers=auth), 403)
        assert refused["required_roles"] == ["admin"]
        for call in (gateway_client.get(WEBHOOKS, headers=auth),
                     gateway_client.get(f"{WEBHOOKS}/{subscription['id']}/deliveries", headers=auth),
                     gateway_client.delete(f"{WEBHOOKS}/{subscription['id']}", headers=auth)):
            assert_problem(call, 403)
    assert gateway_client.get(WEBHOOKS, headers=ADMIN).get_json()["total"] == 1


def test_a_district_admin_sees_and_deletes_only_the_subscriptions_of_its_scope(gateway_client):
    desk = CityDesk(gateway_client)
    desk.build_city()
    pudong = desk.key("PD", scope="subtree", role="admin")["auth"]
    minhang = desk.key("MH", scope="own", role="admin")["auth"]
    city = subscribe(gateway_client, RECEIVER)
    district = subscribe(gateway_client, RECEIVER + "/pd", headers=pudong)
    local = subscribe(gateway_client, RECEIVER + "/mh", headers=minhang)
    assert (district["org"]["code"], district["scope"]) == ("PD", "subtree")
    assert (local["org"]["code"], local["scope"]) == ("MH", "own")  # never wider than its creator

    def ids(headers):
        return [item["id"] for item in gateway_client.get(WEBHOOKS, headers=headers).get_json()["items"]]

    assert ids(ADMIN) == [local["id"], district["id"], city["id"]]  # newest first, the whole tree
    assert ids(pudong) == [district["id"]]
    assert ids(minhang) == [local["id"]]
    # Outside its scope a subscription is as if absent.
    for path in (f"{WEBHOOKS}/{city['id']}", f"{WEBHOOKS}/{city['id']}/deliveries", f"{WEBHOOKS}/{local['id']}"):
        assert_problem(gateway_client.get(path, headers=pudong), 404)
    assert_problem(gateway_client.delete(f"{WEBHOOKS}/{city['id']}", headers=pudong), 404)
    assert_problem(gateway_client.delete(f"{WEBHOOKS}/{uuid.uuid4()}", headers=ADMIN), 404)
    assert_problem(gateway_client.get(f"{WEBHOOKS}/not-an-id", headers=ADMIN), 404)

    assert gateway_client.delete(f"{WEBHOOKS}/{district['id']}", headers=pudong).status_code == 204
    assert ids(pudong) == [] and ids(ADMIN) == [local["id"], city["id"]]
    assert_problem(gateway_client.delete(f"{WEBHOOKS}/{district['id']}", headers=ADMIN), 404)  # gone for good
    assert gateway_client.delete(f"{WEBHOOKS}/{local['id']}", headers=ADMIN).status_code == 204  # from above


def test_deliveries_are_listed_newest_first_page_by_page(gateway_client, gateway_db):
    subscription = subscribe(gateway_client, RECEIVER, events=["drill.completed", "org.changed"])
    root = gateway_client.get("/api/v1/me", headers=ADMIN).get_json()["org"]["id"]
    now = dt.datetime.now(dt.timezone.utc)
    first = Event(type="drill.completed", source="drills",
                  data={"drill_id": str(uuid.uuid4()), "plan_id": str(uuid.uuid4()), "org_id": root})
    second = Event(type="drill.completed", source="drills",
                   data={"drill_id": str(uuid.uuid4()), "plan_id": str(uuid.uuid4()), "org_id": root})
    for minutes, event in ((0, first), (1, second)):
        with gateway_db.transaction() as session:
            assert fan_out(event, session=session, now=now + dt.timedelta(minutes=minutes),
                           window=dt.timedelta(hours=24), bootstrap_admin=True) == 1

    page = deliveries(gateway_client, subscription, per_page=1)
    assert (page["total"], page["page"], page["per_page"]) == (2, 1, 1)
    (newest,) = page["items"]
    assert set(newest) == {"id", "event_id", "event_type", "occurred_at", "status", "attempts", "next_attempt_at",
                           "error"}
    assert (newest["event_id"], newest["event_type"], newest["status"], newest["attempts"]) == (
        second.id, "drill.completed", "pending", [])
    assert dt.datetime.fromisoformat(newest["occurred_at"]) == second.occurred
    assert dt.datetime.fromisoformat(newest["next_attempt_at"]) == now + dt.timedelta(minutes=1)
    assert [item["event_id"] for item in deliveries(gateway_client, subscription, page=2, per_page=1)["items"]] == [
        first.id]
    assert_problem(gateway_client.get(f"{WEBHOOKS}/{subscription['id']}/deliveries?per_page=0", headers=ADMIN), 422)


def test_with_private_targets_refused_a_loopback_or_private_url_is_refused_at_subscription(make_settings):
    app = create_app(make_settings(), webhooks=WebhookSettings(allow_private=False))
    client = app.test_client()
    try:
        for url in ("http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                    "http://169.254.169.254/latest/meta-data", "http://[::1]/hook"):
            problem = assert_problem(client.post(WEBHOOKS, json={"url": url, "events": ["drill.completed"],
                                                                 "secret": SECRET}, headers=ADMIN), 422)
            assert "private targets are refused" in problem["errors"]["url"][0], problem
        assert client.get(WEBHOOKS, headers=ADMIN).get_json()["total"] == 0
    finally:
        testing.close(app)


def test_the_webhooks_are_described_in_the_merged_api_description(gateway_client):
    # The stand-in services describe nothing; the gateway's own part is whole all the same.
    paths = gateway_client.get("/api/v1/openapi.json", headers=ADMIN).get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/webhooks"])
    assert {"get", "delete"} <= set(paths["/api/v1/webhooks/{subscription_id}"])
    listing = paths["/api/v1/webhooks/{subscription_id}/deliveries"]["get"]
    assert "200" in listing["responses"] and "404" in listing["responses"]
