"""An admin hands out API keys: shown once, stored hashed, listed without secrets, refused at once when revoked."""
from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from sqlalchemy import select

from gateway import testing
from gateway.models import api_keys
from gateway.testing import ADMIN, assert_problem, bearer, close, create_key, settings_factory
from servicekit.db import Database
from servicekit.signing import HEADER_ACTOR_ID, HEADER_ACTOR_NAME, HEADER_ACTOR_ROLE
from urllib.parse import unquote

KEYS = "/api/v1/keys"


@pytest.fixture
def gateway_db_url(fresh_database_url):  # differs from the conftest's: keys are tried on every backend
    """A fresh key store, on SQLite and (when configured) PostgreSQL."""
    return fresh_database_url("gateway")


def test_a_viewer_key_is_made_used_listed_without_its_secret_and_revoked(gateway_client, service, gateway_db_url):
    created = gateway_client.post(KEYS, json={"name": "指挥中心大屏", "role": "viewer"}, headers=ADMIN)
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    key = created.get_json()
    assert set(key) >= {"id", "name", "role", "key", "created_at", "prefix"}
    assert (key["name"], key["role"], key["created_by"]) == ("指挥中心大屏", "viewer", {"id": "admin", "name": "admin"})
    assert key["key"].startswith("erdm_") and len(key["key"]) >= 40 and key["key"].startswith(key["prefix"])
    assert created.headers["Location"] == f"{KEYS}/{key['id']}"
    assert key["created_at"].endswith("+00:00")

    assert gateway_client.get("/api/v1/warehouses", headers=bearer(key["key"])).status_code == 200
    sent = service.requests[-1].headers
    assert (sent[HEADER_ACTOR_ID], unquote(sent[HEADER_ACTOR_NAME]), sent[HEADER_ACTOR_ROLE]) == \
        (key["id"], "指挥中心大屏", "viewer")

    listed = gateway_client.get(KEYS, headers=ADMIN)
    assert listed.status_code == 200
    page = listed.get_json()
    assert (page["total"], page["page"], page["per_page"]) == (1, 1, 50)
    assert page["items"][0]["id"] == key["id"] and "key" not in page["items"][0]
    assert key["key"] not in listed.get_data(as_text=True)

    # The store keeps a SHA-256 of the token, never the token.
    database = Database(gateway_db_url)
    with database.session(readonly=True) as session:
        row = session.execute(select(api_keys)).one()
    database.dispose()
    assert row.key_hash == hashlib.sha256(key["key"].encode()).hexdigest()
    assert key["key"] not in [str(value) for value in row]

    assert gateway_client.delete(f"{KEYS}/{key['id']}", headers=ADMIN).status_code == 204
    assert_problem(gateway_client.get("/api/v1/warehouses", headers=bearer(key["key"])), 401)
    assert_problem(gateway_client.delete(f"{KEYS}/{key['id']}", headers=ADMIN), 404)
    assert gateway_client.get(KEYS, headers=ADMIN).get_json()["total"] == 0
    revoked = gateway_client.get(f"{KEYS}?include_revoked=true", headers=ADMIN).get_json()["items"]
    assert revoked[0]["revoked_at"] and revoked[0]["revoked_by"] == {"id": "admin", "name": "admin"}


def test_a_revocation_counts_at_once_in_every_gateway_process(make_gateway):
    # Two gunicorn workers are two apps over one store: nothing cached may outlive the revocation.
    first, second = make_gateway(), make_gateway()
    key = create_key(first, "logistics")
    assert second.get("/api/v1/items", headers=bearer(key["key"])).status_code == 200
    assert first.delete(f"{KEYS}/{key['id']}", headers=ADMIN).status_code == 204
    assert_problem(second.get("/api/v1/items", headers=bearer(key["key"])), 401)


def test_a_key_made_by_a_stored_admin_key_records_who_made_it(gateway_client):
    admin = create_key(gateway_client, "admin", "值班主任")
    made = gateway_client.post(KEYS, json={"name": "planning office", "role": "planner"}, headers=bearer(admin["key"]))
    assert made.status_code == 201 and made.get_json()["created_by"] == {"id": admin["id"], "name": admin["name"]}


@pytest.mark.parametrize("body, field", [
    ({"name": "x", "role": "superuser"}, "role"),
    ({"role": "viewer"}, "name"),
    ({"name": "", "role": "viewer"}, "name"),
    ({"name": " padded", "role": "viewer"}, "name"),
    ({"name": "line\nbreak", "role": "viewer"}, "name"),
    ({"name": "x" * 101, "role": "viewer"}, "name"),
    ({"name": 7, "role": "viewer"}, "name"),
    ({"name": "x", "role": "viewer", "expires": "never"}, "expires"),
    ({"name": "nul\x00", "role": "viewer"}, "name"),
])
def test_bad_fields_are_422_naming_the_field(gateway_client, body, field):
    problem = assert_problem(gateway_client.post(KEYS, json=body, headers=ADMIN), 422, mentions=field)
    assert field in problem["errors"]


def test_a_body_that_is_not_a_json_object_is_refused(gateway_client):
    assert_problem(gateway_client.post(KEYS, data=b"{not json",
                                       headers={**ADMIN, "Content-Type": "application/json"}), 400)
    assert_problem(gateway_client.post(KEYS, json=["viewer"], headers=ADMIN), 422)
    assert_problem(gateway_client.post(KEYS, data=b"x" * 2000, headers=ADMIN), 413)


def test_two_live_keys_may_not_share_a_name_but_a_revoked_name_is_free_again(gateway_client):
    key = create_key(gateway_client, "viewer", "provincial reporting")
    assert_problem(gateway_client.post(KEYS, json={"name": "provincial reporting", "role": "admin"}, headers=ADMIN),
                   409)
    assert gateway_client.delete(f"{KEYS}/{key['id']}", headers=ADMIN).status_code == 204
    assert create_key(gateway_client, "viewer", "provincial reporting")["id"] != key["id"]


def test_only_admins_manage_keys(gateway_client):
    for role in ("logistics", "planner", "viewer"):
        token = create_key(gateway_client, role)["key"]
        assert_problem(gateway_client.get(KEYS, headers=bearer(token)), 403, mentions="needs the admin role")
        assert_problem(gateway_client.post(KEYS, json={"name": "mine", "role": "admin"}, headers=bearer(token)), 403)
        assert_problem(gateway_client.delete(f"{KEYS}/{uuid.uuid4()}", headers=bearer(token)), 403)
    assert_problem(gateway_client.get(KEYS), 401)


def test_an_unknown_or_malformed_key_id_is_404(gateway_client):
    assert_problem(gateway_client.delete(f"{KEYS}/{uuid.uuid4()}", headers=ADMIN), 404)
    assert_problem(gateway_client.delete(f"{KEYS}/not-a-uuid", headers=ADMIN), 404)
    not_allowed = gateway_client.put(KEYS, json={}, headers=ADMIN)
    assert_problem(not_allowed, 405)
    assert not_allowed.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert_problem(gateway_client.get(f"{KEYS}/{uuid.uuid4()}/more", headers=ADMIN), 404)


def test_keys_are_listed_newest_first_a_page_at_a_time(gateway_client):
    for n in range(3):
        create_key(gateway_client, "viewer", f"desk {n}")
    page = gateway_client.get(f"{KEYS}?page=2&per_page=2", headers=ADMIN).get_json()
    assert (page["total"], page["page"], page["per_page"], [k["name"] for k in page["items"]]) == (3, 2, 2, ["desk 0"])
    assert_problem(gateway_client.get(f"{KEYS}?per_page=0", headers=ADMIN), 422, mentions="per_page")


def test_a_key_store_that_cannot_be_read_is_503_but_the_bootstrap_admin_still_works(service, tmp_path):
    broken = settings_factory(f"sqlite:///{tmp_path}/missing-dir/gateway.db")()
    app, client = testing.gateway_client(broken, httpx.MockTransport(service))
    try:
        problem = assert_problem(client.get("/api/v1/items", headers=bearer("erdm_some-stored-key")), 503)
        assert "key store" in problem["detail"]
        assert client.get("/api/v1/items", headers=ADMIN).status_code == 200
        assert "key store" in client.get("/readyz").get_json()["detail"]
    finally:
        close(app)


def test_a_created_key_s_location_answers_it_and_a_revoked_key_still_answers_with_who_revoked_it(gateway_client):
    made = gateway_client.post(KEYS, json={"name": "省厅对接", "role": "viewer"}, headers=ADMIN)
    shown = gateway_client.get(made.headers["Location"], headers=ADMIN)
    assert shown.status_code == 200
    assert {k: shown.get_json()[k] for k in ("id", "name", "role", "revoked_by")} == {
        "id": made.get_json()["id"], "name": "省厅对接", "role": "viewer", "revoked_by": None}
    assert "key" not in shown.get_json()  # the secret is shown once, at creation
    assert gateway_client.delete(made.headers["Location"], headers=ADMIN).status_code == 204
    revoked = gateway_client.get(made.headers["Location"], headers=ADMIN).get_json()
    assert revoked["revoked_at"] and revoked["revoked_by"] == {"id": "admin", "name": "admin"}
    assert_problem(gateway_client.get(f"{KEYS}/{uuid.uuid4()}", headers=ADMIN), 404)
    assert_problem(gateway_client.get(f"{KEYS}/not-a-key", headers=ADMIN), 404)
