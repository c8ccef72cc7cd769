"""Keys act for an organisation with a scope, and a key is never wider than the one that made it."""
from __future__ import annotations

import pytest
from citydesk import KEYS, CityDesk

from gateway.testing import ADMIN, SECRET, assert_problem, create_key
from servicekit.signing import verify


@pytest.fixture
def desk(gateway_client) -> CityDesk:
    return CityDesk(gateway_client)


@pytest.fixture
def city(desk) -> dict:
    return desk.build_city()


def test_a_key_defaults_to_its_creators_organisation_and_subtree_and_says_so(gateway_client, city):
    key = create_key(gateway_client, "viewer", "指挥中心大屏")
    assert key["scope"] == "subtree"
    assert key["org"]["code"] == "ROOT" and set(key["org"]) == {"id", "code", "name"}
    listed = gateway_client.get(f"{KEYS}/{key['id']}", headers=ADMIN).get_json()
    assert (listed["org"], listed["scope"]) == (key["org"], "subtree")


def test_a_key_for_an_enterprise_signs_its_calls_with_the_enterprise_and_scope(gateway_client, desk, city, service):
    key = desk.key("ENT-001", "own", role="planner")
    assert (key["org"], key["scope"]) == (
        {"id": city["ENT-001"]["id"], "code": "ENT-001", "name": "上海某化工有限公司"}, "own")
    assert gateway_client.get("/api/v1/plans", headers=key["auth"]).status_code == 200
    (sent,) = service.requests
    actor = verify(SECRET, sent.method, sent.url.raw_path.decode(), sent.headers, body=sent.content).actor
    assert (actor.org_id, actor.org_path, actor.scope) == (city["ENT-001"]["id"], "/ROOT/PD/ENT-001/", "own")


def test_a_district_admin_makes_keys_in_its_district_only(gateway_client, desk, city):
    district_admin = desk.key("PD", "subtree", role="admin")
    made = desk.key("ENT-002", "subtree", headers=district_admin["auth"])
    assert (made["org"]["code"], made["scope"]) == ("ENT-002", "subtree")
    assert desk.key("PD", headers=district_admin["auth"], role="planner")["scope"] == "subtree"  # the default

    problem = assert_problem(gateway_client.post(KEYS, headers=district_admin["auth"], json={
        "name": "闵行值班", "role": "viewer", "org_code": "MH"}), 403, mentions="never wider than its creator")
    assert "outside your scope" in problem["detail"]
    assert_problem(gateway_client.post(KEYS, headers=district_admin["auth"], json={
        "name": "市局值班", "role": "viewer", "org_code": "ROOT", "scope": "own"}), 403, mentions="outside your scope")


def test_an_own_scoped_admin_makes_only_own_keys_of_its_own_organisation(gateway_client, desk, city):
    enterprise_admin = desk.key("ENT-001", "own", role="admin")
    made = gateway_client.post(KEYS, headers=enterprise_admin["auth"], json={"name": "企业值班", "role": "viewer"})
    assert made.status_code == 201, made.get_data(as_text=True)
    assert (made.get_json()["org"]["code"], made.get_json()["scope"]) == ("ENT-001", "own")  # own by default

    problem = assert_problem(gateway_client.post(KEYS, headers=enterprise_admin["auth"], json={
        "name": "企业全域", "role": "viewer", "scope": "subtree"}), 403)
    assert "your scope is own" in problem["detail"]
    assert_problem(gateway_client.post(KEYS, headers=enterprise_admin["auth"], json={
        "name": "兄弟企业", "role": "viewer", "org_id": city["ENT-002"]["id"], "scope": "own"}), 403,
        mentions="outside your scope")
    assert_problem(gateway_client.post(KEYS, headers=enterprise_admin["auth"], json={
        "name": "上级", "role": "viewer", "org_code": "PD", "scope": "own"}), 403, mentions="outside your scope")


def test_a_key_for_an_unknown_organisation_or_scope_is_refused_naming_the_field(gateway_client, city):
    for body, field in (({"org_code": "NOWHERE"}, "org_code"),
                        ({"org_id": "4f1c0d1e-7a43-4d7e-9a55-1d8e0a0b2c3d"}, "org_id"),
                        ({"scope": "everything"}, "scope")):
        problem = assert_problem(gateway_client.post(KEYS, headers=ADMIN, json={
            "name": "k", "role": "viewer", **body}), 422)
        assert field in problem["errors"]


def test_the_inspector_is_a_role_a_key_may_have(gateway_client):
    assert create_key(gateway_client, "inspector")["role"] == "inspector"


def test_an_admin_lists_and_revokes_only_the_keys_within_its_scope(gateway_client, desk, city):
    district_admin = desk.key("PD", "subtree", role="admin")
    enterprise = desk.key("ENT-001", "own")
    elsewhere = desk.key("MH", "subtree")
    listed = gateway_client.get(KEYS, headers=district_admin["auth"]).get_json()
    assert sorted(key["org"]["code"] for key in listed["items"]) == ["ENT-001", "PD"]
    assert_problem(gateway_client.get(f"{KEYS}/{elsewhere['id']}", headers=district_admin["auth"]), 404)
    assert_problem(gateway_client.delete(f"{KEYS}/{elsewhere['id']}", headers=district_admin["auth"]), 404)
    assert gateway_client.get("/api/v1/me", headers=elsewhere["auth"]).status_code == 200  # still live
    assert gateway_client.delete(f"{KEYS}/{enterprise['id']}", headers=district_admin["auth"]).status_code == 204
