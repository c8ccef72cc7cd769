"""The console at the gateway's own address: pages go to the console unchanged, the API stays the API."""
from __future__ import annotations

import httpx
import pytest

from gateway import testing
from gateway.testing import ADMIN, SECRET, assert_problem
from people import PASSWORD, SESSIONS, Personnel, clock, gateway_client  # noqa: F401 - fixtures
from servicekit.signing import HEADER_CLIENT_ADDRESS, HEADER_CLIENT_PROOF, client_address_proof

CONSOLE_URL = "http://console.internal:8005"


class FakeConsole:
    """Answers every page with a cookie and remembers what reached it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.down = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.down:
            raise httpx.ConnectError("refused", request=request)
        self.requests.append(request)
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(302 if request.method == "POST" else 200, text="<h1>页面</h1>",
                              headers={"Content-Type": "text/html; charset=utf-8", "Location": "/",
                                       "Set-Cookie": "erdm_console=abc; HttpOnly; SameSite=Lax; Path=/"})


@pytest.fixture
def console():
    return FakeConsole()


@pytest.fixture
def door(make_settings, service, console):
    """A gateway with services (the stand-in `service`) and a console (`console`)."""

    def route(request: httpx.Request) -> httpx.Response:
        return console(request) if request.url.host == "console.internal" else service(request)

    settings = make_settings(service_urls={**testing.SERVICE_URLS, "console": CONSOLE_URL})
    app, client = testing.gateway_client(settings, httpx.MockTransport(route))
    yield client
    testing.close(app)


def test_the_home_page_and_sign_in_are_the_consoles(door, console):
    door.set_cookie("erdm_console", "abc")
    answer = door.get("/", headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 200 and "页面" in answer.get_data(as_text=True)
    (seen,) = console.requests
    assert (seen.url.path, seen.headers["Cookie"], seen.headers["Accept-Language"]) == ("/", "erdm_console=abc", "zh-CN")
    assert seen.headers["X-Forwarded-For"] == "127.0.0.1"
    # The browser's address, proved: the console believes no X-Forwarded-For on its own.
    assert seen.headers[HEADER_CLIENT_ADDRESS] == "127.0.0.1"
    assert seen.headers[HEADER_CLIENT_PROOF] == client_address_proof(SECRET, "127.0.0.1")
    assert "Authorization" not in seen.headers and not any(name.startswith("x-erdm-actor") for name in seen.headers)


def test_a_form_reaches_the_console_with_its_body_and_the_cookie_comes_back(door, console):
    answer = door.post("/login?next=/stock/", data={"username": "admin", "password": "x", "csrf_token": "t"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert "erdm_console=abc" in answer.headers["Set-Cookie"]
    (seen,) = console.requests
    assert seen.url.path == "/login" and seen.url.query == b"next=/stock/"
    assert b"username=admin" in seen.content
    assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_static_files_are_the_consoles_too(door, console):
    assert door.get("/static/console.css").status_code == 200
    assert console.requests[0].url.path == "/static/console.css"


def test_the_api_docs_and_health_stay_the_gateways(door, console, service):
    assert door.get("/healthz").get_json() == {"status": "ok"}
    assert door.get("/docs").status_code == 200
    assert door.get("/api/v1/items", headers=ADMIN).status_code == 200
    assert_problem(door.get("/api/v2/items"), 404)
    assert_problem(door.get("/api"), 404)
    assert console.requests == []


def test_a_browser_without_a_cookie_never_gets_the_session_another_browser_was_given(door, console):
    """The gateway's one pooled client carries every browser's request: it must keep no cookie of its own."""
    alice = door.get("/login")
    assert "erdm_console=abc" in alice.headers["Set-Cookie"]  # Alice's browser gets its session cookie
    door.delete_cookie("erdm_console")  # Bob: another browser, with no cookie yet
    door.get("/")
    assert "cookie" not in console.requests[-1].headers, "the gateway sent Alice's session for Bob"


def test_a_console_that_is_down_is_a_503_page_and_the_api_stays_ready(door, console):
    """The pages are down, the API is not: an orchestrator must not take the API out of rotation for it."""
    console.down = True
    answer = door.get("/login")
    assert answer.status_code == 503 and "控制台暂不可用" in answer.get_data(as_text=True)
    ready = door.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["console"].startswith("unreachable")


def test_readiness_names_the_console(door):
    assert door.get("/readyz").get_json()["console"] == "ready"


def test_an_api_only_gateway_has_no_pages(gateway_client):
    assert_problem(gateway_client.get("/"), 404, mentions="API only")


def test_failed_sign_ins_are_counted_per_browser_when_the_console_proves_its_address(gateway_client):
    """Behind the console every browser shares its address: the console names each browser's, with a proof."""
    people = Personnel(gateway_client)
    people.create("li.na")

    tries = iter(range(1000))

    def failed_sign_in(address: str, proof: str | None = None) -> int:
        """One password on a new username each time: only the address throttle can stop it."""
        headers = {HEADER_CLIENT_ADDRESS: address, HEADER_CLIENT_PROOF: proof or client_address_proof(SECRET, address)}
        return gateway_client.post(SESSIONS, json={"username": f"guess{next(tries)}", "password": "Spring2027!"},
                                   headers=headers).status_code

    assert [failed_sign_in("10.1.1.1") for _ in range(11)] == [401] * 10 + [429]
    # Another browser behind the same console is not held back by the first one's guesses...
    assert failed_sign_in("10.2.2.2") == 401
    ok = gateway_client.post(SESSIONS, json={"username": "li.na", "password": PASSWORD},
                             headers={HEADER_CLIENT_ADDRESS: "10.3.3.3",
                                      HEADER_CLIENT_PROOF: client_address_proof(SECRET, "10.3.3.3")})
    assert ok.status_code == 201
    # ...and an address named without the right proof is not believed: the caller's own address is counted.
    assert [failed_sign_in("10.4.4.4", proof="0" * 64) for _ in range(11)][-1] == 429
