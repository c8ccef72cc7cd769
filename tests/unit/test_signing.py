"""The gateway's signature: a service trusts only what the gateway signed, for this request's meaning, recently."""
from __future__ import annotations

import pytest

from servicekit.signing import (
    HEADER_ACTOR_NAME, HEADER_ACTOR_ORG, HEADER_ACTOR_ORG_PATH, HEADER_ACTOR_ROLE, HEADER_ACTOR_SCOPE,
    HEADER_DEADLINE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP,
    Actor, SignatureError, request_target, sign, verify,
)

SECRET = "s3cret"
NOW = 1_780_000_000.0
LOGISTICS = Actor(id="k-17", name="logistics desk", role="logistics")


def signed(method="POST", path="/api/v1/stock/receipts", actor=LOGISTICS, *, at=NOW, secret=SECRET):
    return sign(secret, method, path, actor, now=at)


def actor_of(*args, **kwargs) -> Actor:
    return verify(*args, **kwargs).actor


def test_a_signed_request_names_its_actor():
    headers = signed()
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == LOGISTICS


def test_a_chinese_actor_name_travels_percent_encoded_and_comes_back_unchanged():
    officer = Actor(id="u-1", name="应急管理局 张三", role="admin")
    headers = signed(actor=officer)
    assert headers[HEADER_ACTOR_NAME].isascii()
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == officer


def test_header_names_are_matched_whatever_their_case():
    headers = {name.upper(): value for name, value in signed().items()}
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW).id == "k-17"


@pytest.mark.parametrize("method, path", [
    ("POST", "/api/v1/stock/issues"),
    ("POST", "/api/v1/stock/receipts?x=1"),
    ("DELETE", "/api/v1/stock/receipts"),
])
def test_a_signature_does_not_cover_another_path_or_method(method, path):
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, method, path, signed(), now=NOW)


def test_the_callers_organisation_and_scope_travel_signed():
    enterprise = Actor(id="u-9", name="企业仓管", role="logistics", org_id="5b0e5d1c-0000-4000-8000-000000000001",
                       org_path="/ROOT/PD/ENT-001/", scope="own")
    headers = signed(actor=enterprise)
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == enterprise
    for name, forged in ((HEADER_ACTOR_ORG, "5b0e5d1c-0000-4000-8000-000000000002"),
                         (HEADER_ACTOR_ORG_PATH, "/ROOT/"), (HEADER_ACTOR_SCOPE, "subtree")):
        with pytest.raises(SignatureError, match="bad gateway signature"):
            verify(SECRET, "POST", "/api/v1/stock/receipts", {**headers, name: forged}, now=NOW)


def test_a_tampered_role_is_refused():
    headers = {**signed(), HEADER_ACTOR_ROLE: "admin"}
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW)


def test_an_old_or_future_timestamp_outside_the_window_is_refused():
    with pytest.raises(SignatureError, match="outside the accepted window"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW - 61), now=NOW)
    with pytest.raises(SignatureError, match="outside the accepted window"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW + 61), now=NOW)
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", signed(at=NOW - 59), now=NOW) == LOGISTICS


def test_a_signature_made_with_another_secret_is_refused():
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", signed(secret="other"), now=NOW)


def test_an_unsigned_or_garbled_request_is_refused():
    with pytest.raises(SignatureError, match="not signed"):
        verify(SECRET, "GET", "/api/v1/stock", {}, now=NOW)
    with pytest.raises(SignatureError, match="malformed"):
        verify(SECRET, "GET", "/api/v1/stock", {HEADER_SIGNATURE: "x", HEADER_TIMESTAMP: "soon", HEADER_NONCE: "n"},
               now=NOW)


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
    assert actor_of(SECRET, "POST", "/api/v1/stock/issues", headers, body=b'{"quantity": 1}', now=NOW) == LOGISTICS
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/issues", headers, body=b'{"quantity": 999}', now=NOW)


JSON = {"Content-Type": "application/json", "Idempotency-Key": "receipt-1"}


def test_each_signature_carries_a_nonce_of_its_own_and_its_window_end():
    first, second = signed(), signed()
    assert first[HEADER_NONCE] != second[HEADER_NONCE]
    request = verify(SECRET, "POST", "/api/v1/stock/receipts", first, now=NOW)
    assert request.nonce == first[HEADER_NONCE] and request.expires_at == NOW + 60


@pytest.mark.parametrize("name, value", [
    ("Idempotency-Key", "receipt-2"),
    ("Content-Type", "application/x-www-form-urlencoded"),
    ("If-Match", '"v7"'),
])
def test_a_signature_does_not_cover_another_meaning_header(name, value):
    headers = {**JSON, **sign(SECRET, "POST", "/api/v1/stock/receipts", LOGISTICS, headers=JSON, now=NOW)}
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW) == LOGISTICS
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", {**headers, name: value}, now=NOW)


def test_dropping_a_covered_header_or_adding_one_breaks_the_signature():
    headers = {**JSON, **sign(SECRET, "POST", "/api/v1/stock/receipts", LOGISTICS, headers=JSON, now=NOW)}
    without_key = {name: value for name, value in headers.items() if name != "Idempotency-Key"}
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", without_key, now=NOW)
    bare = signed()
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", {**bare, "Idempotency-Key": ""}, now=NOW)


def test_headers_that_only_shape_the_answer_are_not_covered():
    headers = {**JSON, **sign(SECRET, "POST", "/api/v1/stock/receipts", LOGISTICS, headers=JSON, now=NOW)}
    varied = {**headers, "Accept": "text/csv", "Accept-Language": "en", "X-Request-ID": "mine"}
    assert actor_of(SECRET, "POST", "/api/v1/stock/receipts", varied, now=NOW) == LOGISTICS


def test_the_deadline_travels_signed():
    headers = sign(SECRET, "POST", "/api/v1/stock/receipts", LOGISTICS, deadline=NOW + 30, now=NOW)
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW).deadline == NOW + 30
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", {**headers, HEADER_DEADLINE: f"{NOW + 300:.3f}"}, now=NOW)
    assert verify(SECRET, "POST", "/api/v1/stock/receipts", signed(), now=NOW).deadline is None


def test_a_signature_without_a_nonce_is_refused():
    headers = {name: value for name, value in signed().items() if name != HEADER_NONCE}
    with pytest.raises(SignatureError, match="not signed"):
        verify(SECRET, "POST", "/api/v1/stock/receipts", headers, now=NOW)
