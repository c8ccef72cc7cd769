"""The roles table: every public path has a rule, every role a full row, and anything unruled is refused."""
from __future__ import annotations

import pytest

from gateway import roles
from gateway.routes import ROUTES, route_for


def test_every_route_falls_in_an_area_of_the_table():
    assert {route.area for route in ROUTES} <= set(roles.AREAS)


def test_every_role_has_a_rule_for_every_area():
    for role, row in roles.TABLE.items():
        assert len(row) == len(roles.AREAS), role
        assert set(row) <= {"rw", "r", "-"}, role


@pytest.mark.parametrize("method, access", [
    ("GET", "r"), ("HEAD", "r"), ("OPTIONS", "r"), ("POST", "w"), ("PUT", "w"), ("PATCH", "w"), ("DELETE", "w"),
])
def test_methods_fall_in_two_families(method, access):
    assert roles.access(method) == access


def test_the_bureau_roles_as_the_spec_states_them():
    assert roles.roles_allowed("resources", "POST") == ("admin", "logistics")
    assert roles.roles_allowed("categories", "POST") == ("admin",)
    assert roles.roles_allowed("plans", "PATCH") == ("admin", "planner")
    assert roles.roles_allowed("drills", "POST") == ("admin", "planner")
    assert roles.roles_allowed("keys", "GET") == ("admin",)
    for area in ("resources", "categories", "plans", "drills", "docs"):
        assert roles.roles_allowed(area, "GET") == roles.ROLES


def test_an_area_or_role_without_a_rule_is_refused():
    assert roles.roles_allowed("future-service", "GET") == ()
    assert not roles.decide("admin", "future-service", "GET").allowed
    assert not roles.decide("auditor", "resources", "GET").allowed
    assert not roles.decide("admin", "docs", "POST").allowed


def test_a_refusal_names_the_roles_that_would_do():
    decision = roles.decide("viewer", "resources", "POST")
    assert decision == roles.Decision(False, ("admin", "logistics"))
    assert roles.refusal("viewer", "resources", "POST", decision.required) == \
        "the viewer role may not write resources; this needs the admin or logistics role"
    assert "no role may read" in roles.refusal("admin", "future-service", "GET", ())


def test_categories_have_their_own_rule_but_other_resources_paths_do_not():
    assert route_for("/api/v1/categories").area == "categories"
    assert route_for("/api/v1/stock/receipts").area == "resources"
    assert route_for("/api/v1/keys/abc").area == "keys"
