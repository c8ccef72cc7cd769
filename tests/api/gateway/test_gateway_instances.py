"""A service run as several web instances (ERDM_<SERVICE>_URL lists them): the gateway takes them in turn
and moves on from one that refuses connections, for any method, since the request never reached it."""
from __future__ import annotations

import httpx
import pytest

from contracts import catalogue
from gateway.testing import ADMIN, FakeService, assert_problem
from servicekit.config import Settings

FIRST, SECOND = "http://resources-1.internal:8001", "http://resources-2.internal:8011"


@pytest.fixture
def down() -> set[str]:
    """Hosts whose connections are refused."""
    return set()


@pytest.fixture
def transport(service, down):
    """The stand-in service behind every instance, refusing connections to the hosts in `down`."""

    def refuse_or_answer(outgoing: httpx.Request) -> httpx.Response:
        if outgoing.url.host in down:
            raise httpx.ConnectError("connection refused", request=outgoing)
        return service(outgoing)

    return httpx.MockTransport(refuse_or_answer)


@pytest.fixture
def gateway_client(make_gateway):  # differs: resources runs as two instances, plans and drills have no URL
    return make_gateway(service_urls={"resources": f"{FIRST}, {SECOND}/", "plans": "", "drills": ""})


def hosts(service: FakeService) -> list[str]:
    return [sent.url.host for sent in service.requests]


def test_requests_take_the_instances_in_turn(gateway_client, service):
    for _ in range(4):
        assert gateway_client.get("/api/v1/items", headers=ADMIN).status_code == 200
    assert hosts(service) == ["resources-1.internal", "resources-2.internal"] * 2


def test_a_write_moves_on_from_an_instance_that_refuses_and_arrives_once(gateway_client, service, down):
    down.add("resources-1.internal")
    for _ in range(2):
        response = gateway_client.post("/api/v1/items", json={"code": "X"}, headers=ADMIN)
        assert response.status_code == 200
    assert hosts(service) == ["resources-2.internal", "resources-2.internal"]


def test_every_instance_down_is_502_naming_the_service(gateway_client, service, down):
    down.update({"resources-1.internal", "resources-2.internal"})
    assert_problem(gateway_client.post("/api/v1/items", json={}, headers=ADMIN), 502,
                   mentions="resources service unreachable")
    assert service.requests == []


def test_readiness_asks_the_instance_that_answers(gateway_client, down):
    down.add("resources-1.internal")
    body = gateway_client.get("/readyz").get_json()
    assert body["services"]["resources"] == "ready"
    assert body["services"]["plans"] == "no URL configured"


def test_settings_list_one_url_per_instance_on_consecutive_port_strides():
    settings = Settings.from_env({"ERDM_PORT": "9000", "ERDM_INSTANCES": "2"})
    assert catalogue.instance_urls(settings, "drills") == ["http://127.0.0.1:9003", "http://127.0.0.1:9013"]
    assert settings.instance_port(catalogue.service("drills").port_offset, 1) == 9013
    named = Settings.from_env({"ERDM_DRILLS_URL": "http://drills-a:80, http://drills-b:80/",
                               "ERDM_RATE_LIMIT_STORAGE_URL": "redis://r:6379", "ERDM_BROKER_URL": "amqp://b//"})
    assert catalogue.instance_urls(named, "drills") == ["http://drills-a:80", "http://drills-b:80"]
    assert set(named.service_urls) == {"drills"}
    with pytest.raises(ValueError, match="ERDM_INSTANCES"):
        Settings.from_env({"ERDM_INSTANCES": "0"})
