"""Signing in and out through the console: the token stays on the server, forms carry CSRF tokens."""
from __future__ import annotations

import httpx

from console import testing


def test_a_page_sends_a_browser_that_has_not_signed_in_to_login(anonymous):
    answer = anonymous.get("/stock/?page=2")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/stock/?page%3D2"


def test_signing_in_keeps_the_token_on_the_server_and_names_the_person(anonymous, gateway):
    token = testing.csrf_token(anonymous, "/login")
    answer = anonymous.post("/login?next=/plans/", data={"username": "wang", "password": "a-long-password",
                                                          "csrf_token": token})
    assert answer.status_code == 302 and answer.headers["Location"] == "/plans/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "session-token" not in cookie
    assert gateway.sent("POST", "/sessions") == [{"username": "wang", "password": "a-long-password"}]
    home = anonymous.get("/")
    text = home.get_data(as_text=True)
    assert "王物资" in text and "ROOT 市应急管理局" in text
    assert all(r.headers["Authorization"] == "Bearer session-token" for r in gateway.requests if r.url.path != "/api/v1/sessions")


def test_a_sign_in_never_sends_anyone_to_another_site(anonymous):
    token = testing.csrf_token(anonymous, "/login")
    answer = anonymous.post("/login?next=//evil.example/", data={"username": "wang", "password": "a-long-password",
                                                                  "csrf_token": token})
    assert answer.headers["Location"] == "/"


def test_a_wrong_password_is_said_beside_the_form_in_chinese(anonymous, gateway):
    gateway.on("POST", "/sessions", testing.problem(401, "the username or the password is wrong"))
    token = testing.csrf_token(anonymous, "/login")
    answer = anonymous.post("/login", data={"username": "wang", "password": "wrong-password", "csrf_token": token})
    assert answer.status_code == 422
    assert "用户名或密码错误" in answer.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_sent(anonymous, gateway):
    answer = anonymous.post("/login", data={"username": "wang", "password": "a-long-password"})
    assert answer.status_code == 400
    assert gateway.sent("POST", "/sessions") == []


def test_the_browser_address_is_named_to_the_gateway_with_a_proof(anonymous, gateway):
    testing.sign_in(anonymous)
    sign_in_call = next(r for r in gateway.requests if r.url.path == "/api/v1/sessions")
    assert sign_in_call.headers["X-ERDM-Client-Address"] == "127.0.0.1"
    assert len(sign_in_call.headers["X-ERDM-Client-Proof"]) == 64


def test_a_lapsed_session_sends_the_person_back_to_sign_in(console, gateway):
    gateway.on("GET", "/readiness", testing.problem(401, "a valid API key or session token is required"))
    answer = console.get("/")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert console.get("/stock/").status_code == 302  # the session was forgotten


def test_signing_out_ends_the_gateway_session(console, gateway):
    answer = testing.post_form(console, "/logout", {}, page="/")
    assert answer.status_code == 302
    assert [r.method for r in gateway.requests if r.url.path == "/api/v1/sessions/current"] == ["DELETE"]
    assert console.get("/").status_code == 302


def test_the_english_switch_is_remembered(console):
    answer = testing.post_form(console, "/language", {"lang": "en", "next": "/"}, page="/")
    assert answer.status_code == 302
    page = console.get("/").get_data(as_text=True)
    assert "Sign out" in page and "退出" not in page
    testing.post_form(console, "/language", {"lang": "zh", "next": "/"}, page="/")
    assert "退出" in console.get("/").get_data(as_text=True)


def test_a_gateway_that_cannot_be_reached_is_a_503_page_not_a_500(console, gateway):
    def down(request):
        raise httpx.ConnectError("refused")

    gateway.on("GET", "/stock", down)
    gateway.on("GET", "/warehouses", down)
    answer = console.get("/stock/")
    assert answer.status_code in (200, 503)  # the stock page may show a panel missing or the whole page down


def test_the_address_the_gateway_proves_is_the_one_named_and_a_forged_one_is_not(anonymous, gateway):
    """Only the gateway's proof makes the console believe a browser address; X-Forwarded-For alone is anyone's."""
    from servicekit.signing import client_address_proof

    token = testing.csrf_token(anonymous, "/login")
    proved = {"X-ERDM-Client-Address": "10.8.8.8",
              "X-ERDM-Client-Proof": client_address_proof("test-secret", "10.8.8.8")}
    anonymous.post("/login", data={"username": "wang", "password": "a-long-password", "csrf_token": token},
                   headers=proved)
    forged = {"X-Forwarded-For": "10.9.9.9", "X-ERDM-Client-Address": "10.9.9.9", "X-ERDM-Client-Proof": "0" * 64}
    anonymous.post("/login", data={"username": "wang", "password": "a-long-password", "csrf_token": token},
                   headers=forged)
    named = [r.headers["X-ERDM-Client-Address"] for r in gateway.requests if r.url.path == "/api/v1/sessions"]
    assert named[0] == "10.8.8.8" and named[-1] == "127.0.0.1"
