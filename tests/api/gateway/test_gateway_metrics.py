"""What an operator's Prometheus sees of the gateway: forwarded requests labelled by its routing table, and no
metrics for API callers.

Metrics are process-wide counters shared by every test in this process, so each test reads
them before and after and asserts the difference.
"""
from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from gateway.testing import ADMIN


@pytest.fixture
def gateway(gateway_client, service):
    """The gateway app, its client and the stand-in service behind it."""
    return gateway_client.application, gateway_client, service


def test_the_gateway_labels_forwarded_requests_by_its_routing_table(gateway):
    _app, client, _service = gateway
    labels = {"service": "gateway", "method": "GET", "route": "/api/v1/stock", "status": "200"}
    before = REGISTRY.get_sample_value("erdm_http_requests_total", labels) or 0
    assert client.get("/api/v1/stock/lots", headers=ADMIN).status_code == 200
    assert client.get("/api/v1/stock", headers=ADMIN).status_code == 200
    assert REGISTRY.get_sample_value("erdm_http_requests_total", labels) - before == 2


def test_the_gateway_serves_no_metrics_to_api_clients_and_forwards_none(gateway):
    _app, client, service = gateway
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=ADMIN).status_code == 404
    assert client.get("/api/v1/metrics", headers=ADMIN).status_code == 404
    assert client.get("/api/v1/stock/../../metrics", headers=ADMIN).status_code == 404
    assert service.requests == [], "nothing reached a service"
