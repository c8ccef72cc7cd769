"""`GET /api/v1/me`: a caller learns which key it is, for which organisation and how far it reaches."""
from __future__ import annotations

from citydesk import CityDesk

from gateway.testing import ADMIN, assert_problem


def test_a_key_learns_its_role_organisation_and_scope(gateway_client):
    desk = CityDesk(gateway_client)
    city = desk.build_city()
    key = desk.key("ENT-001", "own", role="planner")
    me = gateway_client.get("/api/v1/me", headers=key["auth"])
    assert me.status_code == 200
    assert me.get_json() == {
        "kind": "key", "id": key["id"], "name": key["name"], "role": "planner", "scope": "own",
        "org": {"id": city["ENT-001"]["id"], "code": "ENT-001", "name": "上海某化工有限公司",
                "path": "/ROOT/PD/ENT-001/"},
    }


def test_the_bootstrap_admin_key_acts_for_the_root_over_the_whole_tree(gateway_client):
    me = gateway_client.get("/api/v1/me", headers=ADMIN).get_json()
    assert (me["kind"], me["id"], me["role"], me["scope"]) == ("key", "admin", "admin", "subtree")
    assert (me["org"]["code"], me["org"]["path"], me["org"]["name"]) == ("ROOT", "/ROOT/", "市应急管理局")


def test_me_needs_a_key_and_only_reads(gateway_client):
    assert_problem(gateway_client.get("/api/v1/me"), 401)
    assert_problem(gateway_client.post("/api/v1/me", json={}, headers=ADMIN), 403, mentions="no role may write")
