"""The gateway's signature: a service trusts only what the gateway signed, for this path, recently."""
from __future__ import annotations

import pytest

from servicekit.signing import (
    HEADER_ACTOR_NAME, HEADER_ACTOR_ROLE, HEADER_SIGNATURE, HEADER_TIMESTAMP, Actor, SignatureError,
    request_target, sign, verify,
)

SECRET = "s3cret"
NOW = 1_780_000_000.0
LOGISTICS = Actor(id="k-17", name="logistics desk", role="logistics")


def signed(method="POST", path="/api/v1/stock/receipts", actor=LOGISTICS, *, at=NOW, secret=SECRET):
    return sign(secret, method, path, actor, now=at)


def test_a_signed_request_names_its_actor():
    headers = signed()
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == LOGISTICS


def test_a_chinese_actor_name_travels_percent_encoded_and_comes_back_unchanged():
    officer = Actor(id="u-1", name="应急管理局 张三", role="admin")
    headers = signed(actor=officer)
    assert headers[HEADER_ACTOR_NAME].isascii()
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == officer


def test_header_names_are_matched_whatever_their_case():
    headers = {name.upper(): value for name, value in signed().items()}
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW).id == "k-17"


@pytest.mark.parametrize("method, path", [
    ("POST", "/api/v1/stock/issues"),
    ("POST", "/api/v1/stock/receipts?x=1"),
    ("DELETE", "/api/v1/stock/receipts"),
])
def test_a_signature_does_not_cover_another_path_or_method(method, path):
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, method, path, signed(), now=NOW)


def test_a_tampered_role_is_refused():
    headers = {**signed(), HEADER_ACTOR_ROLE: "admin"}
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW)


def test_an_old_or_future_timestamp_outside_the_window_is_refused():
    with pytest.raises(SignatureError, match="outside the accepted window"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW - 61), now=NOW)
    with pytest.raises(SignatureError, match="outside the accepted window"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW + 61), now=NOW)
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW - 59), now=NOW) == LOGISTICS


def test_a_signature_made_with_another_secret_is_refused():
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(secret="other"), now=NOW)


def test_an_unsigned_or_garbled_request_is_refused():
    with pytest.raises(SignatureError, match="not signed"):
        verify(SECRET, "GET", "/api/v1/stock", {}, now=NOW)
    with pytest.raises(SignatureError, match="malformed"):
        verify(SECRET, "GET", "/api/v1/stock", {HEADER_SIGNATURE: "x", HEADER_TIMESTAMP: "soon"}, now=NOW)


def test_a_service_without_a_secret_trusts_nobody():
    with pytest.raises(SignatureError, match="no internal secret"):
        verify("", "POST", "/api/v1/stock/receipts", signed(secret=""), now=NOW)


def test_the_request_target_is_the_path_and_query_as_sent():
    assert request_target({"PATH_INFO": "/api/v1/stock", "QUERY_STRING": "item_id=1&page=2"}) == \
        "/api/v1/stock?item_id=1&page=2"
    raw = {"RAW_URI": "/api/v1/items?q=%E5%B8%90", "PATH_INFO": "/api/v1/items", "QUERY_STRING": "q=%E5%B8%90"}
    assert request_target(raw) == "/api/v1/items?q=%E5%B8%90"


def test_a_signature_does_not_carry_another_body():
    from servicekit.signing import sign

    headers = sign(SECRET, "POST", "/api/v1/stock/issues", LOGISTICS, body=b'{"quantity": 1}', now=NOW)
    assert verify(SECRET, "POST", "/api/v1/stock/issues", headers, body=b'{"quantity": 1}', now=NOW) == LOGISTICS
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/issues", headers, body=b'{"quantity": 999}', now=NOW)
