"""With private targets refused, a webhook's name is resolved once and the connection goes to the very address that
was vetted: a DNS server that answers a public address to the check and 127.0.0.1 to the connect (DNS rebinding)
reaches nothing inside. Host, and for https TLS's SNI and certificate check, still use the subscribed name.

The public internet is played by a routing table: a connection to (public address, port) is carried to a local
receiver standing in for that host; any other is made for real, so a name resolved again would reach 127.0.0.1."""
from __future__ import annotations

import socket

import httpx
import pytest
from people import clock, gateway_client
from webhooks_desk import deliveries, subscribe
from webhooks_rig import (
    bus,
    drill_completed,
    gateway_db,
    gateway_db_url,
    receivers,
    root_id,
    settle,
)

from gateway.webhooks.config import WebhookSettings
from gateway.webhooks.sender import Sender
from tests.webhooks.tls import Authority

# The fixtures the tests take by name (the gateway on the test's clock, the notifier's rig on both backends): pytest
# finds them where they are imported, here.
FIXTURES = (clock, gateway_client, bus, gateway_db, gateway_db_url, receivers)

NAME = "hooks.example.com"
PUBLIC = "93.184.216.34"  # what the hostile DNS answers the check: a public address


class HostileDns:
    """Answers NAME with a public address the first time it is asked and with 127.0.0.1 ever after."""

    def __init__(self, real) -> None:
        self.real = real
        self.answered: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        if host != NAME:
            return self.real(host, port, *args, **kwargs)
        self.answered.append(PUBLIC if not self.answered else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (self.answered[-1], port))]


@pytest.fixture
def internet(monkeypatch):
    """(the hostile DNS, the routing table (address, port) -> local stand-in, every (host, port) dialled)."""
    dns = HostileDns(socket.getaddrinfo)
    routes: dict[tuple[str, int], tuple[str, int]] = {}
    dialled: list[tuple[str, int]] = []
    real_connect = socket.create_connection

    def connect(address, *args, **kwargs):
        dialled.append(tuple(address))
        return real_connect(routes.get(tuple(address), address), *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    monkeypatch.setattr(socket, "create_connection", connect)
    return dns, routes, dialled


def _sender(gateway_db, clock, **options) -> Sender:
    return Sender(gateway_db, WebhookSettings(allow_private=False), clock=clock, bootstrap_admin=True, **options)


def test_a_name_rebound_to_loopback_after_the_check_is_still_sent_to_the_vetted_address(
        gateway_client, bus, clock, gateway_db, receivers, internet):
    dns, routes, dialled = internet
    inside = receivers()  # a service on the notifier's own machine: what the attacker aims at
    outside = receivers()  # the host at the public address
    routes[(PUBLIC, inside.port)] = ("127.0.0.1", outside.port)
    subscription = subscribe(gateway_client, f"http://{NAME}:{inside.port}/hooks/erdm?via=dns")
    bus(drill_completed(root_id(gateway_client)))

    sender = _sender(gateway_db, clock)
    try:
        assert list(settle(sender).values()) == ["delivered"]
    finally:
        sender.close()

    assert inside.requests == []
    assert dns.answered == [PUBLIC]  # asked once: nothing resolved the name again
    assert dialled == [(PUBLIC, inside.port)]
    (seen,) = outside.acknowledged
    assert seen.headers["host"] == f"{NAME}:{inside.port}" and seen.path == "/hooks/erdm?via=dns" and seen.signed
    (delivery,) = deliveries(gateway_client, subscription)["items"]
    assert delivery["status"] == "delivered"


def test_https_to_the_vetted_address_checks_the_certificate_of_the_subscribed_name(
        gateway_client, bus, clock, gateway_db, receivers, internet):
    _dns, routes, dialled = internet
    authority, heard = Authority(), []
    receiver = receivers(tls=authority.server(NAME, heard=heard))
    routes[(PUBLIC, 8443)] = ("127.0.0.1", receiver.port)
    subscribe(gateway_client, f"https://{NAME}:8443/hooks/erdm")
    bus(drill_completed(root_id(gateway_client)))

    sender = _sender(gateway_db, clock, transport=httpx.HTTPTransport(verify=authority.client()))
    try:
        assert list(settle(sender).values()) == ["delivered"]
    finally:
        sender.close()

    assert dialled == [(PUBLIC, 8443)]
    assert heard == [NAME]  # SNI names the host, not the address
    (seen,) = receiver.acknowledged
    assert seen.headers["host"] == f"{NAME}:8443"


def test_https_to_a_receiver_certified_for_another_name_fails_the_attempt_unsent(
        gateway_client, bus, clock, gateway_db, receivers, internet):
    _dns, routes, _dialled = internet
    authority = Authority()
    receiver = receivers(tls=authority.server("elsewhere.example.net"))
    routes[(PUBLIC, 443)] = ("127.0.0.1", receiver.port)
    subscription = subscribe(gateway_client, f"https://{NAME}/hooks/erdm")
    bus(drill_completed(root_id(gateway_client)))

    sender = _sender(gateway_db, clock, transport=httpx.HTTPTransport(verify=authority.client()))
    try:
        assert list(settle(sender).values()) == ["pending"]
    finally:
        sender.close()

    assert receiver.requests == []
    (attempt,) = deliveries(gateway_client, subscription)["items"][0]["attempts"]
    assert attempt["status_code"] is None and "CERTIFICATE_VERIFY_FAILED" in attempt["error"]


def test_when_one_vetted_address_refuses_the_connection_the_names_next_one_is_tried(
        gateway_client, bus, clock, gateway_db, receivers, internet):
    _dns, routes, dialled = internet
    receiver = receivers()
    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        nobody = closed.getsockname()
    down, up = "93.184.216.35", PUBLIC
    routes[(down, 8080)], routes[(up, 8080)] = nobody, ("127.0.0.1", receiver.port)
    subscribe(gateway_client, f"http://{NAME}:8080/hooks/erdm")
    bus(drill_completed(root_id(gateway_client)))

    def resolve(host, port):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in (down, up)]

    sender = _sender(gateway_db, clock, resolve=resolve)
    try:
        assert list(settle(sender).values()) == ["delivered"]
    finally:
        sender.close()
    assert dialled == [(down, 8080), (up, 8080)] and len(receiver.acknowledged) == 1
