"""A 504 from the gateway means "not booked": the service rolls back a write it could only commit after the
gateway stopped waiting (real HTTP between them, the service's database slowed by the test)."""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from gateway import testing
from gateway.testing import ADMIN, assert_problem, close
from stockroom import RECEIPTS, receipt, slowed_inserts


@pytest.fixture
def served_resources(resources_app):
    """The resources app on a real port; `finished` is set as each request it serves ends."""
    finished = threading.Event()
    resources_app.teardown_request(lambda _exc: finished.set())
    server = make_server("127.0.0.1", 0, resources_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", finished
    server.shutdown()
    thread.join(timeout=5)


def test_a_write_the_gateway_gave_up_on_is_not_booked(make_settings, served_resources, resources_db, stockroom, depot,
                                                      tents):
    url, finished = served_resources
    settings = make_settings(service_urls={"resources": url}, upstream_read_timeout=1.0)
    app, gateway = testing.gateway_client(settings)
    restore = slowed_inserts(resources_db, 1.5)  # the view outlasts the gateway's patience
    try:
        finished.clear()
        answer = gateway.post(RECEIPTS, json=receipt(depot, tents), headers=ADMIN)
        assert finished.wait(timeout=10), "the service never finished the request"
    finally:
        restore()
        close(app)
    assert "nothing was changed" in assert_problem(answer, 504)["detail"]
    assert stockroom.lots() == [] and stockroom.movements() == []


def test_the_api_description_says_a_504_changed_nothing():
    from gateway.openapi_gateway import gateway_document

    assert "Nothing was changed" in gateway_document()["components"]["responses"]["GatewayTimeout"]["description"]
