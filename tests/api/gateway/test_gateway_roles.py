"""Every role against every route family, read and write, walked from the roles table through the gateway."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select

from contracts.catalogue import RESOURCES
from gateway import roles, routes
from gateway.keys import token_hash
from gateway.models import api_keys, orgs
from gateway.routes import GATEWAY, ROUTES, Route
from gateway.testing import ADMIN, assert_problem, bearer, create_key
from servicekit.db import Database, utcnow
from servicekit.signing import HEADER_ACTOR_ID, HEADER_ACTOR_ROLE


@pytest.fixture
def role_keys(gateway_client):
    """One key per role of the table (the admin's made through the API too, not the bootstrap key)."""
    return {role: create_key(gateway_client, role, f"{role} key")["key"] for role in roles.ROLES}


def family_call(route: Route, access: str) -> tuple[str, str, dict | None]:
    """A representative request of this route family: method, path and JSON body."""
    if route.area == "keys":
        return ("GET", route.prefix, None) if access == "r" else ("POST", route.prefix, {"name": "k", "role": "viewer"})
    if route.area == "orgs" and access == "w":
        return "POST", route.prefix, {"code": "F-1", "name": "某化工有限公司", "kind": "enterprise", "parent_code": "ROOT"}
    if route.area == "users" and access == "w":
        return "POST", route.prefix, {"username": "zhang.wei", "display_name": "张伟", "password": "a long password",
                                      "role": "viewer"}
    if route.area == "feeds" and access == "w":
        return "POST", route.prefix, {"name": "my calendar"}
    if route.area == "webhooks" and access == "w":
        return "POST", route.prefix, {"url": "https://hooks.example.com/erdm", "events": ["drill.completed"],
                                      "secret": "a shared secret of 16+"}
    method = "GET" if access == "r" else "POST"
    return method, route.prefix, ({} if method == "POST" else None)


# Sessions are every role's own (signing out); test_every_role_may_sign_out_and_nobody_reads_sessions has them.
MATRIX = [(role, route, access) for role in roles.ROLES for route in ROUTES for access in ("r", "w")
          if route.area != "sessions"]


@pytest.mark.parametrize("role, route, access", MATRIX,
                         ids=[f"{role}-{route.prefix.rsplit('/', 1)[1]}-{access}" for role, route, access in MATRIX])
def test_each_role_may_do_exactly_what_the_table_says(gateway_client, service, role_keys, role, route, access):
    method, path, body = family_call(route, access)
    response = gateway_client.open(path, method=method, json=body, headers=bearer(role_keys[role]))
    allowed = access in roles.TABLE[role][roles.AREAS.index(route.area)]
    if not allowed:
        required = roles.roles_allowed(route.area, method)
        problem = assert_problem(response, 403, mentions=role if required else "no role may")
        assert problem["required_roles"] == list(required)
        assert service.requests == []
        return
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    if route.service != GATEWAY:
        (sent,) = service.requests
        assert sent.method == method and sent.url.path == path
        assert sent.headers[HEADER_ACTOR_ROLE] == role
        assert sent.headers[HEADER_ACTOR_ID] != "admin"  # the stored key's id, not the bootstrap admin


def test_every_role_may_sign_out_and_nobody_reads_sessions(gateway_client, role_keys):
    for role in roles.ROLES:
        assert roles.decide(role, "sessions", "DELETE").allowed
        # Past the role check: a key has no session to end, and there is no list of sessions to read.
        assert_problem(gateway_client.delete("/api/v1/sessions/current", headers=bearer(role_keys[role])), 404,
                       mentions="made with an API key")
        assert_problem(gateway_client.get("/api/v1/sessions", headers=bearer(role_keys[role])), 405)


def test_posting_categories_is_for_admins_only_while_items_are_for_logistics_too(gateway_client, service, role_keys):
    refused = gateway_client.post("/api/v1/categories", json={}, headers=bearer(role_keys["logistics"]))
    problem = assert_problem(refused, 403, mentions="needs the admin role")
    assert problem["detail"] == "the logistics role may not write in the categories area; this needs the admin role"
    assert gateway_client.post("/api/v1/items", json={}, headers=bearer(role_keys["logistics"])).status_code == 200
    assert gateway_client.get("/api/v1/categories", headers=bearer(role_keys["logistics"])).status_code == 200


def test_a_viewer_may_not_use_any_write_method(gateway_client, service, role_keys):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert_problem(gateway_client.open("/api/v1/warehouses/w1", method=method,
                                           headers=bearer(role_keys["viewer"])), 403)
    assert gateway_client.head("/api/v1/warehouses", headers=bearer(role_keys["viewer"])).status_code == 200
    assert [request.method for request in service.requests] == ["HEAD"]


def test_a_new_path_without_a_rule_is_refused_even_to_admins(gateway_client, service, monkeypatch):
    monkeypatch.setattr(routes, "ROUTES", ROUTES + (Route("/api/v1/vehicles", RESOURCES, "vehicles"),))
    problem = assert_problem(gateway_client.get("/api/v1/vehicles", headers=ADMIN), 403,
                             mentions="no role may read in the vehicles area")
    assert problem["required_roles"] == []
    assert service.requests == []
    assert_problem(gateway_client.get("/api/v1/aircraft", headers=ADMIN), 404)


def test_a_stored_role_the_table_does_not_know_gets_nothing(gateway_client, service, gateway_db_url):
    database = Database(gateway_db_url)
    with database.transaction() as session:
        root = session.scalar(select(orgs.c.id).where(orgs.c.code == "ROOT"))
        session.execute(insert(api_keys).values(
            id=uuid.uuid4(), name="legacy", role="auditor", prefix="erdm_legacy", created_at=utcnow(),
            key_hash=token_hash("erdm_legacy-token"), created_by="admin", org_id=root, scope="subtree"))
    database.dispose()
    assert_problem(gateway_client.get("/api/v1/items", headers=bearer("erdm_legacy-token")), 403, mentions="auditor")
    assert service.requests == []


def test_the_access_log_names_key_role_status_duration_and_service(gateway_client, role_keys, caplog):
    caplog.set_level("INFO", logger="erdm.gateway.access")
    gateway_client.get("/api/v1/items", headers=bearer(role_keys["viewer"]))
    gateway_client.post("/api/v1/items", json={}, headers=bearer(role_keys["viewer"]))
    lines = [record.fields for record in caplog.records if record.name == "erdm.gateway.access"]
    assert [(line["actor"], line["role"], line["status"], line["service"]) for line in lines] == [
        ("viewer key", "viewer", 200, "resources"), ("viewer key", "viewer", 403, "resources"),
    ]
    assert all(line["duration_ms"] >= 0 and line["key_id"] for line in lines)
