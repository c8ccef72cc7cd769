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
    assert roles.roles_allowed("stock", "POST") == ("admin", "logistics")
    assert roles.roles_allowed("categories", "POST") == ("admin",)
    assert roles.roles_allowed("plan", "PATCH") == ("admin", "planner")
    assert roles.roles_allowed("drill", "POST") == ("admin", "planner")
    assert roles.roles_allowed("keys", "GET") == ("admin",)
    # Inspectors write supervision; enterprises' logistics and planner people acknowledge and report.
    assert roles.roles_allowed("oversight", "POST") == ("admin", "inspector")
    assert roles.roles_allowed("answer", "POST") == ("admin", "logistics", "planner", "inspector")
    for area in ("stock", "categories", "plan", "drill", "docs", "oversight", "answer"):
        assert roles.roles_allowed(area, "GET") == roles.ROLES


def test_an_area_or_role_without_a_rule_is_refused():
    assert roles.roles_allowed("future-service", "GET") == ()
    assert not roles.decide("admin", "future-service", "GET").allowed
    assert not roles.decide("auditor", "stock", "GET").allowed
    assert not roles.decide("admin", "docs", "POST").allowed


def test_a_refusal_names_the_roles_that_would_do():
    decision = roles.decide("viewer", "stock", "POST")
    assert decision == roles.Decision(False, ("admin", "logistics"))
    assert roles.refusal("viewer", "stock", "POST", decision.required) == \
        "the viewer role may not write in the stock area; this needs the admin or logistics role"
    assert roles.refusal("admin", "vehicles", "GET", ()) == "no role may read in the vehicles area"


def test_categories_have_their_own_rule_but_other_resources_paths_do_not():
    assert route_for("/api/v1/categories").area == "categories"
    assert route_for("/api/v1/stock/receipts").area == "stock"
    assert route_for("/api/v1/items/abc").area == "stock"
    assert route_for("/api/v1/keys/abc").area == "keys"


def test_the_services_paths_are_the_catalogues_and_the_gateways_own_are_its_own():
    from contracts.catalogue import SERVICES
    from gateway.routes import GATEWAY, GATEWAY_ROUTES, KNOWN_SERVICES, Route

    owners: dict[str, tuple[str, ...]] = {}
    for service in SERVICES:
        for route in service.routes:
            owners[route.prefix] = owners.get(route.prefix, ()) + (service.name,)
    catalogued = {Route(route.prefix, owners[route.prefix][0], route.area, route.steps, owners[route.prefix])
                  for service in SERVICES for route in service.routes}
    assert set(ROUTES) == catalogued | {route._replace(owners=(GATEWAY,)) for route in GATEWAY_ROUTES}
    assert {route.service for route in GATEWAY_ROUTES} == {GATEWAY} and GATEWAY not in KNOWN_SERVICES
    assert len({route.prefix for route in ROUTES}) == len(ROUTES)  # one route per path, however many own it


def test_an_attachments_content_is_owned_by_every_service_keeping_attachments_in_catalogue_order():
    route = route_for("/api/v1/attachments/abc/content")
    assert (route.owners, route.area) == (("plans", "drills", "supervision"), "attachments")
    assert route_for("/api/v1/rectification-orders/abc/attachments").area == "answer"
    assert route_for("/api/v1/plans/abc/attachments").area == "plan"
