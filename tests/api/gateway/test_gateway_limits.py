"""Each key has its own request budget, shared by every gateway process; an address that keeps guessing keys waits."""
from __future__ import annotations

import pytest

from gateway import testing
from gateway.testing import ADMIN, assert_problem, bearer, create_key
from servicekit.config import Settings


@pytest.fixture
def gateway_client(make_gateway):  # differs from the conftest's: each key may make 3 calls a minute
    return make_gateway(rate_limit="3/minute")


def test_a_key_past_its_limit_gets_429_with_retry_after_and_nothing_is_forwarded(gateway_client, service):
    viewer = bearer(create_key(gateway_client, "viewer")["key"])
    assert [gateway_client.get("/api/v1/items", headers=viewer).status_code for _ in range(3)] == [200, 200, 200]
    refused = gateway_client.get("/api/v1/items", headers=viewer)
    problem = assert_problem(refused, 429, mentions="3 per 1 minute")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert problem["limit"] == "3 per 1 minute"
    assert len(service.requests) == 3


def test_another_key_keeps_its_own_budget(gateway_client):
    first, second = (bearer(create_key(gateway_client, "viewer", name)["key"]) for name in ("first", "second"))
    for _ in range(3):
        gateway_client.get("/api/v1/items", headers=first)
    assert_problem(gateway_client.get("/api/v1/items", headers=first), 429)
    assert [gateway_client.get("/api/v1/items", headers=second).status_code for _ in range(3)] == [200, 200, 200]


def test_every_route_spends_the_same_budget_refusals_included(gateway_client):
    logistics = bearer(create_key(gateway_client, "logistics")["key"])
    assert gateway_client.get("/api/v1/warehouses", headers=logistics).status_code == 200
    assert gateway_client.get("/api/v1/openapi.json", headers=logistics).status_code == 200
    assert_problem(gateway_client.get("/api/v1/keys", headers=logistics), 403)
    assert_problem(gateway_client.get("/api/v1/stock", headers=logistics), 429)


def test_calls_without_a_valid_key_are_401_never_429(gateway_client):
    viewer = bearer(create_key(gateway_client, "viewer")["key"])
    for _ in range(4):
        gateway_client.get("/api/v1/items", headers=viewer)
    for _ in range(5):
        assert_problem(gateway_client.get("/api/v1/items"), 401)
        assert_problem(gateway_client.get("/api/v1/items", headers=bearer("erdm_wrong")), 401)
    assert all(gateway_client.get(path).status_code == 200 for path in ("/healthz", "/docs") for _ in range(5))


def test_the_bootstrap_admin_key_is_limited_too(gateway_client):
    for _ in range(3):
        gateway_client.get("/api/v1/items", headers=ADMIN)
    assert_problem(gateway_client.get("/api/v1/items", headers=ADMIN), 429)


def test_a_malformed_limit_stops_the_gateway_from_starting(make_settings):
    settings = make_settings(rate_limit="lots")
    with pytest.raises(ValueError, match="ERDM_RATE_LIMIT"):
        testing.gateway_client(settings)


def test_two_gateway_apps_over_one_database_share_each_key_budget(make_gateway):
    """What two gateway processes (or instances) do: the default store is the gateway's own database."""
    clients = [make_gateway(rate_limit="3/minute") for _ in range(2)]
    viewer = bearer(create_key(clients[0], "viewer")["key"])
    statuses = [clients[n % 2].get("/api/v1/items", headers=viewer).status_code for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]


# --- guessing keys ----------------------------------------------------------------------------------------------

@pytest.fixture
def make_guarded(make_gateway):
    """A gateway factory allowing 3 failed authentications per address a minute; keywords override settings."""

    def make(**overrides):
        return make_gateway(auth_failure_limit="3/minute", **overrides)

    return make


def _from(address: str, **headers: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}, "headers": headers}


def test_an_address_that_keeps_guessing_gets_429_with_retry_after_even_for_a_right_key(make_guarded, service):
    client = make_guarded()
    guess = _from("203.0.113.7", Authorization="Bearer erdm_guess")
    assert [client.get("/api/v1/items", **guess).status_code for _ in range(3)] == [401, 401, 401]
    refused = client.get("/api/v1/items", **guess)
    assert_problem(refused, 429, mentions="failed authentications")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert_problem(client.get("/api/v1/items", **_from("203.0.113.7", **ADMIN)), 429)
    # Another address is not held back, and nothing was forwarded for the guesser.
    assert client.get("/api/v1/items", **_from("198.51.100.2", **ADMIN)).status_code == 200
    assert len(service.requests) == 1


def test_a_right_key_inside_a_burst_of_guesses_is_not_told_apart(make_guarded, service, monkeypatch):
    """Guesses sent at once all pass the first check before any is counted; the right key among them is
    asked again once it is known, so it answers 429 like the wrong ones instead of giving itself away."""
    import gateway.app

    client, elsewhere = make_guarded(), make_guarded()  # two gateway processes over one store
    authenticate = gateway.app.authenticate

    def burst_lands_meanwhile(header, **kwargs):
        if header == ADMIN["Authorization"]:  # while the right key is being looked up, three guesses are refused
            for _ in range(3):
                elsewhere.get("/api/v1/items", **_from("203.0.113.9", Authorization="Bearer erdm_guess"))
        return authenticate(header, **kwargs)

    monkeypatch.setattr(gateway.app, "authenticate", burst_lands_meanwhile)
    assert_problem(client.get("/api/v1/items", **_from("203.0.113.9", **ADMIN)), 429, mentions="failed authentications")
    assert service.requests == []


def test_calls_without_any_key_are_not_counted_as_guesses(make_guarded):
    client = make_guarded()
    for _ in range(6):
        assert_problem(client.get("/api/v1/items", **_from("203.0.113.8")), 401)
    assert client.get("/api/v1/items", **_from("203.0.113.8", **ADMIN)).status_code == 200


def test_forwarded_for_names_the_client_only_behind_a_configured_proxy(make_guarded):
    direct = make_guarded()
    # Without ERDM_TRUSTED_PROXIES a client cannot escape the throttle by inventing X-Forwarded-For.
    for n in range(4):
        answer = direct.get("/api/v1/items", **_from("203.0.113.9", Authorization="Bearer erdm_guess",
                                                       **{"X-Forwarded-For": f"192.0.2.{n}"}))
    assert answer.status_code == 429

    proxied = make_guarded(trusted_proxies=1)
    proxy = "10.0.0.5"  # every call arrives from the proxy; the client is the address it appends
    for _ in range(3):
        proxied.get("/api/v1/items", **_from(proxy, Authorization="Bearer erdm_guess",
                                             **{"X-Forwarded-For": "192.0.2.50"}))
    assert_problem(proxied.get("/api/v1/items", **_from(proxy, **ADMIN, **{"X-Forwarded-For": "192.0.2.50"})), 429)
    # A client naming itself in front of the proxy's entry is still the address the proxy saw.
    spoofed = _from(proxy, **ADMIN, **{"X-Forwarded-For": "198.51.100.9, 192.0.2.50"})
    assert proxied.get("/api/v1/items", **spoofed).status_code == 429
    assert proxied.get("/api/v1/items", **_from(proxy, **ADMIN, **{"X-Forwarded-For": "192.0.2.51"})).status_code == 200


@pytest.mark.parametrize("setting, value, message", [
    ("auth_failure_limit", "often", "ERDM_AUTH_FAILURE_LIMIT"),
    ("auth_failure_limit", "10/minute;100/hour", "ERDM_AUTH_FAILURE_LIMIT"),
    ("admin_key", "short-admin-key", "ERDM_ADMIN_KEY must be at least 32 characters"),
])
def test_the_gateway_refuses_to_start_with_a_bad_door_setting(make_settings, setting, value, message):
    settings = make_settings(**{setting: value})
    with pytest.raises(ValueError, match=message):
        testing.gateway_client(settings)


def test_trusted_proxies_must_be_a_count():
    assert Settings.from_env({"ERDM_TRUSTED_PROXIES": "2"}).trusted_proxies == 2
    assert Settings.from_env({}).trusted_proxies == 0
    with pytest.raises(ValueError, match="ERDM_TRUSTED_PROXIES"):
        Settings.from_env({"ERDM_TRUSTED_PROXIES": "yes"})
