"""A signed request runs once, means only what was signed, and nothing runs or commits past the gateway's deadline."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from flask.testing import FlaskClient
from sqlalchemy import func, insert, select

from servicekit.db import signature_nonces_table
from servicekit.signing import sign
from servicekit.testing import ADMIN, TEST_SECRET
from stockroom import API, RECEIPTS, assert_problem, receipt, slowed_inserts


def captured(body: dict, *, headers: dict | None = None, deadline: float | None = None) -> tuple[bytes, dict]:
    """A receipt as the gateway signs it: the body's bytes and every header it sends (for a plain
    FlaskClient: the `resources_client` fixture's signs each request afresh)."""
    raw = json.dumps(body).encode()
    headers = {"Content-Type": "application/json", **(headers or {})}
    return raw, {**headers, **sign(TEST_SECRET, "POST", RECEIPTS, ADMIN, body=raw, headers=headers,
                                   deadline=deadline)}


def test_the_same_signed_request_sent_twice_is_refused_the_second_time(resources_app, stockroom, depot, tents):
    raw, headers = captured(receipt(depot, tents))
    direct = FlaskClient(resources_app)
    assert direct.post(RECEIPTS, data=raw, headers=headers).status_code == 201
    for _ in range(3):
        assert_problem(direct.post(RECEIPTS, data=raw, headers=headers), 401)
    assert stockroom.balance(depot, tents)["on_hand"] == 10
    assert len(stockroom.movements()) == 1


def test_a_replay_with_a_new_idempotency_key_is_refused(resources_app, stockroom, depot, tents):
    raw, headers = captured(receipt(depot, tents), headers={"Idempotency-Key": "first"})
    direct = FlaskClient(resources_app)
    assert direct.post(RECEIPTS, data=raw, headers=headers).status_code == 201
    # A new key would make the service take it for a new request, were the key not signed.
    fresh = {**headers, "Idempotency-Key": "second"}
    body = assert_problem(direct.post(RECEIPTS, data=raw, headers=fresh), 401)
    assert "signature" in body["detail"]
    assert stockroom.balance(depot, tents)["on_hand"] == 10


def test_a_signed_request_with_another_content_type_is_refused(resources_app, stockroom, depot, tents):
    raw, headers = captured(receipt(depot, tents))
    direct = FlaskClient(resources_app)
    swapped = {**headers, "Content-Type": "application/merge-patch+json"}
    assert_problem(direct.post(RECEIPTS, data=raw, headers=swapped), 401)
    assert direct.post(RECEIPTS, data=raw, headers=headers).status_code == 201
    assert stockroom.balance(depot, tents)["on_hand"] == 10


def test_reads_may_be_repeated_within_the_window(resources_app, depot):
    headers = sign(TEST_SECRET, "GET", f"{API}/warehouses", ADMIN)
    direct = FlaskClient(resources_app)
    assert [direct.get(f"{API}/warehouses", headers=headers).status_code for _ in range(2)] == [200, 200]


def test_a_nonce_is_kept_for_its_window_and_swept_after(resources_db):
    from servicekit.replay import NonceLedger, Replayed

    ledger = NonceLedger(resources_db, sweep_every=0)  # sweep before every claim
    gone = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1)
    with resources_db.transaction() as session:
        session.execute(insert(signature_nonces_table).values(nonce="expired", expires_at=gone))
    ledger.claim("fresh", expires_at=time.time() + 60)
    with pytest.raises(Replayed):
        ledger.claim("fresh", expires_at=time.time() + 60)
    with resources_db.session(readonly=True) as session:
        assert set(session.scalars(select(signature_nonces_table.c.nonce))) == {"fresh"}


def test_a_request_that_arrives_after_the_gateway_gave_up_is_not_run(resources_app, resources_db, depot, tents):
    raw, headers = captured(receipt(depot, tents), deadline=time.time() - 0.1)
    assert_problem(FlaskClient(resources_app).post(RECEIPTS, data=raw, headers=headers), 503)
    with resources_db.session(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(signature_nonces_table)) == 2  # depot, item


def test_a_write_that_would_commit_after_the_deadline_is_rolled_back(resources_client, resources_db, stockroom, depot,
                                                                     tents):
    restore = slowed_inserts(resources_db, 0.8)
    resources_client.deadline = time.time() + 1.0  # less than the commit margin is left once the insert is done
    try:
        response = resources_client.post(RECEIPTS, json=receipt(depot, tents))
    finally:
        restore()
        resources_client.deadline = None
    assert_problem(response, 503)
    assert stockroom.lots() == [] and stockroom.movements() == []
