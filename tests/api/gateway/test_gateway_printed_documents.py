"""The four printed documents through the gateway: each path reaches the service owning its record, a viewer may
read every one (and an unsigned caller none), and the PDF arrives as the service made it, headers included."""
from __future__ import annotations

import uuid

import httpx
import pytest

from contracts.catalogue import DRILLS, PLANS, RESOURCES, SUPERVISION
from gateway.routes import service_for
from gateway.testing import SERVICE_URLS, assert_problem, bearer, create_key
from printed import read_pdf

RECORD = str(uuid.uuid4())
DOCUMENTS = {f"/api/v1/plans/{RECORD}/filing-form.pdf": PLANS, f"/api/v1/drills/{RECORD}/report.pdf": DRILLS,
             "/api/v1/stock/ledger.pdf": RESOURCES, f"/api/v1/rectification-orders/{RECORD}.pdf": SUPERVISION}


@pytest.fixture
def transport(resources_app, service):
    """The real resources service; the stand-in for the others (it answers 200 to whatever reaches it)."""
    real = httpx.WSGITransport(app=resources_app)
    stand_in = httpx.MockTransport(service)
    resources_host = httpx.URL(SERVICE_URLS[RESOURCES]).host

    class ByHost(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return (real if request.url.host == resources_host else stand_in).handle_request(request)

    return ByHost()


def test_each_document_is_routed_to_the_service_that_owns_its_record():
    assert {path: service_for(path) for path in DOCUMENTS} == DOCUMENTS


def test_a_viewer_may_read_every_document_and_a_caller_without_a_key_none(gateway_client, service):
    viewer = bearer(create_key(gateway_client, "viewer")["key"])
    for path, owner in DOCUMENTS.items():
        if owner == RESOURCES:
            continue  # the real resources service answers below
        assert gateway_client.get(path, headers=viewer).status_code == 200, path
        assert (service.requests[-1].method, service.requests[-1].url.path) == ("GET", path)
        assert_problem(gateway_client.get(path), 401)


def test_a_viewer_downloads_the_ledger_as_the_resources_service_printed_it(gateway_client):
    officer = bearer(create_key(gateway_client, "logistics", "储备库 仓管员")["key"])
    for path, body in (("/api/v1/warehouses", {"code": "GW-01", "name": "市级储备库", "level": "municipal"}),
                       ("/api/v1/items", {"code": "GW-VEST", "name": "救生衣", "category_code": "10401", "unit": "件",
                                          "kind": "material"}),
                       ("/api/v1/stock/receipts", {"warehouse_code": "GW-01", "item_code": "GW-VEST", "quantity": 40,
                                                   "batch_no": "B2027"})):
        assert gateway_client.post(path, json=body, headers=officer).status_code == 201
    viewer = bearer(create_key(gateway_client, "viewer", "指挥中心大屏")["key"])
    answer = gateway_client.get("/api/v1/stock/ledger.pdf?warehouse_code=GW-01", headers=viewer)
    printed = read_pdf(answer)
    assert printed.says("物资台账", "市级储备库", "GW-VEST 救生衣 件 0 40 0 40", "B2027", "储备库 仓管员")
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith('inline; filename="stock-ledger-GW-01-') and "filename*=UTF-8''%E7%89%A9" in disposition
    assert "no-store" in answer.headers["Cache-Control"]
    assert_problem(gateway_client.get("/api/v1/stock/ledger.pdf?warehouse_code=GW-01"), 401)
