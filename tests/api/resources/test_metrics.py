"""What an operator's Prometheus sees of a service: requests per route, the outbox backlog, reservation outcomes, and what
stays private.

Metrics are process-wide counters shared by every test in this process, so each test reads
them before and after and asserts the difference.
"""
from __future__ import annotations

import datetime as dt
import uuid

from prometheus_client import REGISTRY

from servicekit import clock
from servicekit.signing import Actor
from servicekit.testing import metric_samples
from servicekit.testing import metric_value as value
from services.resources.use_cases import reservations
from stockroom import API


def scrape(app) -> dict[tuple[str, frozenset], float]:
    """GET /metrics as Prometheus does (no signature, no key): {(sample name, labels): value}."""
    response = app.test_client().get("/metrics")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    return metric_samples(response.get_data(as_text=True))


def outcome(name: str) -> float:
    return REGISTRY.get_sample_value("erdm_reservation_outcomes_total", {"outcome": name}) or 0.0


def test_metrics_count_each_request_by_url_rule_and_status(resources_app, resources_client, stockroom):
    labels = {"service": "resources", "method": "GET", "route": "/api/v1/warehouses/<uuid:warehouse_id>"}
    before = scrape(resources_app)
    depot = stockroom.warehouse()
    stockroom.get(f"/warehouses/{depot['id']}")
    stockroom.get(f"/warehouses/{depot['id']}")
    assert resources_client.get(f"{API}/warehouses/00000000-0000-0000-0000-000000000000").status_code == 404
    after = scrape(resources_app)

    count = "erdm_http_requests_total"
    assert value(after, count, **labels, status="200") - value(before, count, **labels, status="200") == 2
    assert value(after, count, **labels, status="404") - value(before, count, **labels, status="404") == 1
    # The raw path, with its id, never becomes a label.
    assert not any(depot["id"] in str(key) for key in after)
    histogram = "erdm_http_request_duration_seconds"
    assert value(after, f"{histogram}_count", **labels, status="200") - \
        value(before, f"{histogram}_count", **labels, status="200") == 2
    assert value(after, f"{histogram}_bucket", **labels, status="200", le="+Inf") >= 2
    assert value(after, f"{histogram}_sum", **labels, status="200") > 0


def test_unknown_paths_and_methods_share_one_label_value(resources_app, resources_client):
    labels = {"service": "resources", "route": "unmatched", "status": "404"}
    before = scrape(resources_app)
    for path in ("/nowhere/1", "/nowhere/2", f"{API}/no-such-thing"):
        assert resources_client.get(path).status_code == 404
    resources_app.test_client().open("/healthz", method="BREW")
    after = scrape(resources_app)
    name = "erdm_http_requests_total"
    assert value(after, name, **labels, method="GET") - value(before, name, **labels, method="GET") == 3
    assert not any(("method", "BREW") in key[1] for key in after)


def test_metrics_need_no_gateway_signature_and_are_not_in_the_api_description(resources_app):
    response = resources_app.test_client().get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "/metrics" not in resources_app.test_client().get("/openapi.json").get_json()["paths"]


def test_the_outbox_backlog_shows_a_pending_event_and_its_age(resources_app, stockroom, depot, tents):
    backlog = {"service": "resources"}
    before = value(scrape(resources_app), "erdm_outbox_pending_events", **backlog)
    stockroom.receive(depot, tents, 5)  # stock.changed waits in the outbox: no relay runs here
    after = scrape(resources_app)
    assert value(after, "erdm_outbox_pending_events", **backlog) > before
    assert value(after, "erdm_outbox_oldest_pending_age_seconds", **backlog) >= 0
    assert ("erdm_outbox_oldest_pending_age_seconds", frozenset(backlog.items())) in after


def test_reservation_outcomes_are_counted_once_committed(stockroom, depot, tents, monkeypatch):
    names = ("reserved", "shortfall", "released", "consumed", "expired")
    before = {name: outcome(name) for name in names}
    stockroom.receive(depot, tents, 10)
    released = stockroom.reserve((tents, 2), reference="drill:a")
    stockroom.post(f"/reservations/{released['id']}/release", {}, status=200)
    consumed = stockroom.reserve((tents, 3), reference="drill:b")
    stockroom.post(f"/reservations/{consumed['id']}/consume", {"lines": [{"item_id": tents["id"], "quantity": 1}]},
                   status=200)
    expires_at = clock.now() + dt.timedelta(seconds=1)
    stockroom.reserve((tents, 4), reference="drill:c", expires_at=expires_at.isoformat())
    stockroom.reserve((tents, 50), reference="drill:d", status=409)
    monkeypatch.setattr(clock, "now", lambda: expires_at + dt.timedelta(seconds=1))
    stockroom.reserve((tents, 1), reference="drill:e")  # gives back the expired hold first
    delta = {name: outcome(name) - before[name] for name in names}
    assert delta == {"reserved": 4, "shortfall": 1, "released": 1, "consumed": 1, "expired": 1}


def test_a_reservation_rolled_back_is_not_counted(resources_db, stockroom, depot, tents):
    stockroom.receive(depot, tents, 5)
    before = outcome("reserved")
    session = resources_db.session()
    try:
        reservations.reserve([{"item_id": uuid.UUID(tents["id"]), "quantity": 1}], reference="x",
                             expires_at=None, session=session, actor=Actor(id="t", name="t", role="admin"),
                             now=clock.now(), today=clock.today())
        session.rollback()
    finally:
        session.close()
    assert outcome("reserved") == before

