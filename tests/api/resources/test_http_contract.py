"""What every caller can rely on: retries are safe, requests are traceable, errors have one shape."""
from __future__ import annotations

import uuid

from flask.testing import FlaskClient

from servicekit.signing import Actor
from servicekit.testing import signed_client
from stockroom import API, PROBLEM, assert_problem

KEY = {"Idempotency-Key": "receipt-2026-06-01-0001"}


def receipt(depot, item, quantity=10):
    return {"warehouse_id": depot["id"], "item_id": item["id"], "quantity": quantity, "batch_no": "B1"}


def test_a_retried_post_answers_as_the_first_and_changes_nothing(resources_client, stockroom, depot, tents, outbox):
    first = resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=KEY)
    retry = resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=KEY)
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert len(stockroom.lots()) == 1 and len(stockroom.movements()) == 1
    assert stockroom.balance(depot, tents)["on_hand"] == 10
    assert len(outbox()) == 1


def test_a_retried_reservation_holds_once(resources_client, stockroom, depot, tents):
    stockroom.receive(depot, tents, 10)
    body = {"reference": "drill:1", "lines": [{"item_id": tents["id"], "quantity": 4}]}
    first = resources_client.post(f"{API}/reservations", json=body, headers=KEY)
    retry = resources_client.post(f"{API}/reservations", json=body, headers=KEY)
    assert (first.status_code, retry.status_code) == (201, 201) and retry.get_json()["id"] == first.get_json()["id"]
    assert stockroom.balance(depot, tents)["reserved"] == 4


def test_the_same_key_with_a_different_body_is_refused(resources_client, stockroom, depot, tents):
    resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=KEY)
    response = resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents, 11), headers=KEY)
    assert_problem(response, 422, "Idempotency-Key")
    assert stockroom.balance(depot, tents)["on_hand"] == 10


def test_a_refused_request_is_not_remembered_so_its_retry_runs_again(resources_client, stockroom, depot, tents):
    body = {"warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 3, "reason": "抢险"}
    assert_problem(resources_client.post(f"{API}/stock/issues", json=body, headers=KEY), 409)
    stockroom.receive(depot, tents, 5)
    assert resources_client.post(f"{API}/stock/issues", json=body, headers=KEY).status_code == 201


def test_a_refusal_stands_when_the_database_is_gone_before_the_race_check(resources_client, stockroom, depot, tents,
                                                                           monkeypatch):
    """A refused keyed request looks for a racing twin's answer; with the database gone (PostgreSQL
    restarting) that look fails, and the refusal is answered, not a 500."""
    from sqlalchemy import exc as sa_exc

    from servicekit import idempotency

    lookups = []
    first_lookup = idempotency._lookup

    def gone_after_the_first_lookup(*args, **kwargs):
        lookups.append(args)
        if len(lookups) > 1:
            raise sa_exc.OperationalError("SELECT", {}, Exception("the database system is shutting down"))
        return first_lookup(*args, **kwargs)

    monkeypatch.setattr(idempotency, "_lookup", gone_after_the_first_lookup)
    body = {"warehouse_id": depot["id"], "item_id": tents["id"], "quantity": 3, "reason": "抢险"}
    assert_problem(resources_client.post(f"{API}/stock/issues", json=body, headers=KEY), 409)
    assert len(lookups) == 2, "the key was looked up on arrival and again for a racing twin"


def test_an_idempotency_key_belongs_to_the_caller_who_used_it(resources_client, resources_app, stockroom, depot, tents):
    resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=KEY)
    colleague = signed_client(resources_app, actor=Actor(id="key-logistics-2", name="后勤科 李四", role="logistics"))
    theirs = colleague.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=KEY)
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs.headers
    assert stockroom.balance(depot, tents)["on_hand"] == 20
    assert stockroom.movements()[0]["actor_name"] == "后勤科 李四"


def test_an_idempotency_key_must_be_short_and_printable(resources_client, stockroom, depot, tents):
    too_long = {"Idempotency-Key": "k" * 201}
    assert_problem(resources_client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers=too_long), 422,
                   "Idempotency-Key")
    assert stockroom.lots() == []


def test_the_request_id_is_echoed_or_made_up(resources_client, stockroom, depot, tents):
    echoed = resources_client.get(f"{API}/warehouses", headers={"X-Request-ID": "dash-7f3a"})
    assert echoed.headers["X-Request-ID"] == "dash-7f3a"
    made = resources_client.get(f"{API}/warehouses")
    assert len(made.headers["X-Request-ID"]) >= 16
    failed = resources_client.get(f"{API}/items/{uuid.uuid4()}", headers={"X-Request-ID": "dash-404"})
    assert failed.get_json()["request_id"] == failed.headers["X-Request-ID"] == "dash-404"
    stockroom.client.post(f"{API}/stock/receipts", json=receipt(depot, tents), headers={"X-Request-ID": "r-1"})
    assert stockroom.movements()[0]["request_id"] == "r-1"


def test_an_unsigned_call_is_refused_as_problem_json(resources_app):
    unsigned = FlaskClient(resources_app)
    response = unsigned.get(f"{API}/warehouses")
    body = assert_problem(response, 401)
    assert "gateway" in body["detail"]
    forged = unsigned.get(f"{API}/warehouses", headers={"X-ERDM-Signature": "0" * 64, "X-ERDM-Timestamp": "1"})
    assert_problem(forged, 401)


def test_every_error_has_the_problem_shape(resources_client, depot, tents):
    answers = [
        (resources_client.get(f"{API}/warehouses/{uuid.uuid4()}"), 404),
        (resources_client.post(f"{API}/warehouses", json={"code": ""}), 422),
        (resources_client.post(f"{API}/warehouses", data="not json", content_type="application/json"), 400),
        (resources_client.put(f"{API}/warehouses"), 405),
        (resources_client.get(f"{API}/nowhere"), 404),
        (resources_client.post(f"{API}/stock/issues", json={"warehouse_id": depot["id"], "item_id": tents["id"],
                                                            "quantity": 1, "reason": "x"}), 409),
    ]
    for response, status in answers:
        body = assert_problem(response, status)
        assert set(body) >= {"status", "title", "detail", "request_id"}
        assert response.mimetype == PROBLEM


def test_a_body_that_is_not_an_object_is_refused_not_crashed(resources_client):
    for body in ([], "text", 5, None):
        response = resources_client.post(f"{API}/warehouses", json=body)
        assert response.status_code in (400, 422) and response.mimetype == PROBLEM


def test_health_needs_no_signature(resources_app):
    response = FlaskClient(resources_app).get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_the_openapi_description_lists_every_path(resources_app):
    response = FlaskClient(resources_app).get("/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    paths = set(spec["paths"])
    for path in ("/categories", "/warehouses", "/warehouses/{warehouse_id}", "/items", "/items/{item_id}",
                 "/stock/receipts", "/stock/issues", "/stock", "/stock/lots", "/movements", "/reservations",
                 "/reservations/{reservation_id}", "/reservations/{reservation_id}/release",
                 "/reservations/{reservation_id}/consume"):
        assert API + path in paths, path
    quantity = spec["components"]["schemas"]["ReceiptInput"]["properties"]["quantity"]  # the request form
    assert quantity["type"] == "number"


def test_each_error_an_operation_can_give_is_documented_as_problem_json(resources_app):
    spec = FlaskClient(resources_app).get("/openapi.json").get_json()

    def statuses(path: str, method: str) -> dict:
        return spec["paths"][API + path][method]["responses"]

    # No catch-all "default": a client (and the fuzzer) can tell which statuses an operation gives.
    assert not [path for path, item in spec["paths"].items() for op in item.values()
                if isinstance(op, dict) and "default" in op.get("responses", {})]
    assert {"400", "404", "409", "422"} <= set(statuses("/warehouses/{warehouse_id}", "patch"))
    assert {"404", "409"} <= set(statuses("/stock/receipts", "post"))
    assert "404" in statuses("/stock/nearest", "get")
    assert "409" in statuses("/reservations/{reservation_id}/release", "post")
    named = spec["components"]["responses"]
    for item in spec["paths"].values():
        for op in item.values():
            for status, answer in op.get("responses", {}).items() if isinstance(op, dict) else ():
                if int(status) >= 400:
                    answer = named[answer["$ref"].rsplit("/", 1)[1]] if "$ref" in answer else answer
                    assert list(answer["content"]) == [PROBLEM], (status, answer)


def test_text_with_a_nul_character_is_refused_naming_the_field(resources_client):
    response = resources_client.post("/api/v1/warehouses", json={"code": "NUL\x00", "name": "库", "level": "county"})
    assert response.status_code == 422
    assert "code" in response.json["errors"]


def test_an_absurd_page_number_is_refused_not_a_crash(resources_client):
    response = resources_client.get("/api/v1/items?page=1000000000000000000000000000000")
    assert response.status_code == 422
    assert "page" in response.json["errors"]


def test_the_signed_test_client_signs_query_strings_given_apart(resources_client):
    response = resources_client.get("/api/v1/categories", query_string={"level": 1})
    assert response.status_code == 200
    assert {c["level"] for c in response.json["items"]} == {1}
