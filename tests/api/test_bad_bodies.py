"""Bodies built to break a parser are refused at parsing, never a 500: lone surrogates, absurd nesting, forms."""
from __future__ import annotations

import io

import pytest

from gateway.testing import ADMIN, close, gateway_client, settings_factory, sqlite_gateway_url
from servicekit.json_body import MAX_DEPTH, UnsafeJson, loads
from stockroom import API, assert_problem

JSON = "application/json"
SURROGATE = '{"code": "WH-X", "name": "\\ud800库", "level": "county"}'
DEEP = '{"name": ' + "[" * 1000 + "]" * 1000 + "}"
RESOURCES_ENDPOINTS = ("/warehouses", "/items", "/stock/receipts", "/reservations")


@pytest.fixture
def keys_gateway(request, tmp_path_factory):
    app, client = gateway_client(settings_factory(sqlite_gateway_url(request, tmp_path_factory))(max_body_bytes=65536))
    yield client
    close(app)


def refuses_both(caller, path: str) -> None:
    """`path` answers 400 to a lone surrogate (naming the field) and to JSON a thousand levels deep."""
    body = assert_problem(caller.post(API + path, data=SURROGATE, content_type=JSON), 400, "name")
    assert "surrogate" in body["detail"]
    body = assert_problem(caller.post(API + path, data=DEEP, content_type=JSON), 400)
    assert f"deeper than {MAX_DEPTH}" in body["detail"]


@pytest.mark.parametrize("path", RESOURCES_ENDPOINTS)
def test_resources_refuses_surrogates_and_deep_nesting(resources_client, path):
    refuses_both(resources_client, path)


def test_plans_refuses_surrogates_and_deep_nesting(plans_client):
    refuses_both(plans_client, "/plans")


def test_drills_refuses_surrogates_and_deep_nesting(drills_client):
    refuses_both(drills_client, "/drills")


def test_the_gateways_own_keys_endpoint_refuses_both(keys_gateway):
    for raw, words in ((SURROGATE, "surrogate"), (DEEP, "deeper than")):
        response = keys_gateway.post(f"{API}/keys", data=raw, content_type=JSON, headers=ADMIN)
        assert response.status_code == 400 and response.mimetype == "application/problem+json"
        assert words in response.get_json()["detail"]


def test_a_form_where_json_is_expected_is_415(resources_client, plans_client, keys_gateway):
    form = {"code": "WH-F", "name": "库", "level": "county"}
    body = assert_problem(resources_client.post(f"{API}/warehouses", data=form), 415, "Content-Type")
    assert "application/json" in body["detail"]
    assert plans_client.post(f"{API}/plans", data=form).status_code == 415
    assert keys_gateway.post(f"{API}/keys", data={"name": "x", "role": "viewer"}, headers=ADMIN).status_code == 415


def test_a_view_that_takes_a_file_still_takes_multipart(resources_client):
    upload = {"file": (io.BytesIO(b"not a workbook"), "stock.xlsx")}
    response = resources_client.post(f"{API}/stock/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 422  # read, and refused for what it holds, not for how it came


def test_real_payloads_pass_untouched():
    nested = {"lines": [{"item_id": "x", "quantity": 1, "note": "救灾 😀"}]}
    assert loads('{"lines": [{"item_id": "x", "quantity": 1, "note": "救灾 \\ud83d\\ude00"}]}') == nested
    assert loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)


@pytest.mark.parametrize("raw, where", [
    ('{"lines": [{"note": "\\udfff"}]}', "lines[0].note"),
    ('{"\\ud800": 1}', "\ud800"),
    ('["\\ud800"]', "[0]"),
])
def test_the_refusal_says_where_the_surrogate_is(raw, where):
    with pytest.raises(UnsafeJson) as refused:
        loads(raw)
    assert refused.value.where == where


def test_one_level_too_deep_is_refused():
    with pytest.raises(UnsafeJson, match="deeper than"):
        loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
