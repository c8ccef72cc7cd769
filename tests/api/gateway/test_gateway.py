"""The gateway as its callers see it: keys, routing, body limits, signed forwarding and upstream failures."""
from __future__ import annotations

import gzip
import io
import json
import socket
import threading

import httpx
import pytest
from werkzeug.datastructures import Headers
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from contracts.catalogue import SERVICES, SUPERVISION
from gateway import testing
from gateway.routes import service_for
from gateway.testing import ADMIN, ADMIN_KEY, RESOURCES_URL, SECRET, assert_problem, close
from servicekit.signing import HEADER_ACTOR_ROLE, HEADER_SIGNATURE, SignatureError, verify

AUTH = ADMIN


@pytest.fixture
def closed_port_url():
    # Bound then closed: nothing listens there, so a connection is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def real_service():
    """A tiny real resources service on 127.0.0.1 that is ready and echoes what it received."""

    @Request.application
    def app(request: Request) -> Response:
        if request.path == "/readyz":
            return Response('{"status": "ready"}', mimetype="application/json")
        seen = {"raw_uri": request.environ.get("RAW_URI"), "headers": dict(request.headers)}
        return Response(json.dumps(seen), mimetype="application/json")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def test_healthz_answers_without_a_key(gateway_client):
    response = gateway_client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_forwarding_keeps_path_and_query_unchanged(gateway_client, service):
    target = "/api/v1/items/%E5%B8%90%E7%AF%B7?page=2&per_page=5&q=%E5%B8%90+%E7%AF%B7&kind=material"
    response = gateway_client.get(target, headers=AUTH)
    assert response.status_code == 200 and response.get_json() == {"ok": True}
    (sent,) = service.requests
    assert str(sent.url) == RESOURCES_URL + target
    assert sent.url.raw_path.decode() == target


def test_forwarded_request_carries_a_signature_the_service_verifies(gateway_client, service):
    body = json.dumps({"code": "TENT-01", "name": "帐篷"}, ensure_ascii=False).encode()
    response = gateway_client.post("/api/v1/items?dry_run=1", data=body,
                                   headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 200
    (sent,) = service.requests
    assert sent.method == "POST" and sent.content == body
    assert sent.headers["Content-Type"] == "application/json"
    actor = verify(SECRET, sent.method, sent.url.raw_path.decode(), sent.headers, body=sent.content).actor
    # The bootstrap admin key acts for the root organisation, over its whole tree.
    assert (actor.id, actor.name, actor.role, actor.org_path, actor.scope) == ("admin", "admin", "admin", "/ROOT/",
                                                                               "subtree")
    assert actor.org_id


def test_client_credentials_and_forged_gateway_headers_never_reach_a_service(gateway_client, service):
    forged = {"X-ERDM-Actor-Role": "forged", "X-ERDM-Signature": "forged", "X-ERDM-Anything": "x", "Cookie": "s=1"}
    gateway_client.get("/api/v1/warehouses", headers={**AUTH, **forged})
    (sent,) = service.requests
    assert "Authorization" not in sent.headers and "Cookie" not in sent.headers
    assert "X-ERDM-Anything" not in sent.headers
    assert sent.headers[HEADER_ACTOR_ROLE] == "admin"
    assert sent.headers[HEADER_SIGNATURE] != "forged"


def test_idempotency_key_and_request_id_travel_to_the_service(gateway_client, service):
    headers = {**AUTH, "Idempotency-Key": "receipt-42", "X-Request-ID": "req-abc", "Accept": "application/json"}
    response = gateway_client.post("/api/v1/stock/receipts", json={"quantity": 1}, headers=headers)
    assert response.headers["X-Request-ID"] == "req-abc"
    (sent,) = service.requests
    assert sent.headers["Idempotency-Key"] == "receipt-42"
    assert sent.headers["X-Request-ID"] == "req-abc"
    assert sent.headers["Accept"] == "application/json"


def test_a_request_id_is_made_when_the_caller_sends_none(gateway_client, service):
    response = gateway_client.get("/api/v1/alerts", headers=AUTH)
    request_id = response.headers["X-Request-ID"]
    assert request_id
    assert service.requests[0].headers["X-Request-ID"] == request_id


def test_the_service_answer_comes_back_with_its_end_to_end_headers(gateway_client, service):
    problem_body = {"status": 409, "title": "Conflict", "detail": "not enough stock", "request_id": "x"}
    service.answer = lambda request: httpx.Response(
        409,
        content=gzip.compress(json.dumps(problem_body).encode()),
        headers={
            "Content-Type": "application/problem+json", "Content-Encoding": "gzip", "ETag": '"v2"',
            "Connection": "close, X-Hop", "X-Hop": "1", "Keep-Alive": "timeout=5",
        },
    )
    response = gateway_client.post("/api/v1/reservations", json={}, headers=AUTH)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.get_json(force=True) == problem_body
    assert response.headers["ETag"] == '"v2"'
    for dropped in ("Content-Encoding", "Connection", "X-Hop", "Keep-Alive"):
        assert dropped not in response.headers
    assert response.headers["Content-Length"] == str(len(response.data))


def test_conditional_requests_travel_both_ways_unchanged(gateway_client, service):
    # Services tag single records with an ETag; the gateway neither answers nor rewrites a condition itself.
    def conditional(request):
        if request.headers.get("If-None-Match") == '"v3"':
            return httpx.Response(304, headers={"ETag": '"v3"', "Cache-Control": "no-cache"})
        if request.headers.get("If-Match") == 'W/"v2"':
            return httpx.Response(412, json={"status": 412, "title": "Precondition Failed", "detail": "stale"},
                                  headers={"Content-Type": "application/problem+json", "ETag": '"v3"'})
        return httpx.Response(200, json={"id": "w1"}, headers={"ETag": '"v3"'})

    service.answer = conditional
    fresh = gateway_client.get("/api/v1/warehouses/w1", headers=AUTH)
    assert (fresh.status_code, fresh.headers["ETag"], fresh.get_json()) == (200, '"v3"', {"id": "w1"})

    unchanged = gateway_client.get("/api/v1/warehouses/w1", headers={**AUTH, "If-None-Match": '"v3"'})
    assert (unchanged.status_code, unchanged.headers["ETag"], unchanged.data) == (304, '"v3"', b"")
    assert unchanged.headers["Cache-Control"] == "no-cache"

    stale = gateway_client.patch("/api/v1/warehouses/w1", json={"name": "北库"},
                                 headers={**AUTH, "If-Match": 'W/"v2"'})
    assert (stale.status_code, stale.headers["ETag"], stale.mimetype) == (412, '"v3"', "application/problem+json")
    assert stale.get_json(force=True)["detail"] == "stale"

    asked = [(sent.headers.get("If-None-Match"), sent.headers.get("If-Match")) for sent in service.requests]
    assert asked == [(None, None), ('"v3"', None), (None, 'W/"v2"')]
    # The conditions are signed: a condition changed on the way would fail the service's check.
    patch = service.requests[-1]
    verify(SECRET, "PATCH", patch.url.raw_path.decode(), patch.headers, body=patch.content)
    tampered = httpx.Headers(patch.headers)
    tampered["If-Match"] = "*"
    with pytest.raises(SignatureError, match="bad gateway signature"):
        verify(SECRET, "PATCH", patch.url.raw_path.decode(), tampered, body=patch.content)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong-key", f"Basic {ADMIN_KEY}", "Bearer", "Bearer 错误的钥匙"])
def test_a_missing_or_bad_key_is_401(gateway_client, service, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = gateway_client.get("/api/v1/items", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert service.requests == []


def test_no_key_is_accepted_when_no_admin_key_is_configured(service, make_gateway):
    test_client = make_gateway(admin_key=None)
    assert_problem(test_client.get("/api/v1/items", headers={"Authorization": "Bearer "}), 401)
    assert_problem(test_client.get("/api/v1/items", headers={"Authorization": "Bearer None"}), 401)
    assert service.requests == []


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/itemsx", "/api/v1/items/../keys", "/api/v1"])
def test_an_unknown_path_is_404(gateway_client, service, path):
    assert_problem(gateway_client.get(path, headers=AUTH), 404)
    assert service.requests == []


def test_paths_match_whole_segments():
    assert service_for("/api/v1/items") == "resources"
    assert service_for("/api/v1/items/abc/") == "resources"
    assert service_for("/api/v1/stock/import") == "resources"
    assert service_for("/api/v1/plans/p1/approve") == "plans"
    assert service_for("/api/v1/corrective-actions/c1/verify") == "drills"
    assert service_for("/api/v1/itemsx") is None
    assert service_for("/api/v1/item") is None
    assert service_for("/items") is None


def test_a_known_service_that_is_not_deployed_is_503(make_settings, service, monkeypatch):
    # A deployment may run without some services; their paths say so instead of a misleading 502.
    monkeypatch.setattr("gateway.routes.ENABLED_SERVICES", ("resources",))
    app, test_client = testing.gateway_client(make_settings(), service)
    assert_problem(test_client.get("/api/v1/plans", headers=AUTH), 503, mentions="plans service is not deployed")
    assert_problem(test_client.get("/api/v1/drills/d1", headers=AUTH), 503, mentions="drills service is not deployed")
    assert service.requests == []
    close(app)


def test_a_body_over_the_limit_is_413_and_never_forwarded(gateway_client, service):
    response = gateway_client.post("/api/v1/items", data=b"x" * 1025,
                                   headers={**AUTH, "Content-Type": "application/json"})
    assert_problem(response, 413)
    assert service.requests == []


def test_a_chunked_body_is_counted_while_it_is_read(gateway_client, service):
    response = gateway_client.post(
        "/api/v1/items", input_stream=io.BytesIO(b"x" * 5000), headers=AUTH,
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_problem(response, 413)
    assert service.requests == []


def test_a_chunked_body_under_the_limit_is_forwarded_whole(gateway_client, service):
    response = gateway_client.post(
        "/api/v1/items", input_stream=io.BytesIO(b"y" * 1000), headers=AUTH,
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 200
    assert service.requests[0].content == b"y" * 1000


def test_the_stock_import_may_carry_a_larger_body(gateway_client, service):
    upload = b"z" * 3000
    assert gateway_client.post("/api/v1/stock/import", data=upload, headers=AUTH).status_code == 200
    assert service.requests[0].content == upload
    assert_problem(gateway_client.post("/api/v1/stock/import", data=b"z" * 4097, headers=AUTH), 413)
    assert_problem(gateway_client.post("/api/v1/stock/receipts", data=upload, headers=AUTH), 413)


def test_a_header_the_service_reads_that_is_not_ascii_is_400_naming_it_and_never_forwarded(gateway_client, service):
    # WSGI hands the gateway header bytes as latin-1 text; "café" in UTF-8 arrives as "cafÃ©".
    headers = {**AUTH, "Idempotency-Key": "café".encode().decode("latin-1")}
    body = assert_problem(gateway_client.post("/api/v1/stock/receipts", json={}, headers=headers), 400)
    assert "Idempotency-Key" in body["errors"]
    assert service.requests == []


def test_a_service_that_does_not_answer_in_time_is_504(gateway_client, service):
    def too_slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    service.answer = too_slow
    body = assert_problem(gateway_client.get("/api/v1/stock", headers=AUTH), 504, mentions="resources")
    assert body["service"] == "resources"


def test_other_transport_failures_are_502(gateway_client, service):
    def broken(request):
        raise httpx.RemoteProtocolError("server disconnected", request=request)

    service.answer = broken
    assert_problem(gateway_client.get("/api/v1/stock", headers=AUTH), 502, mentions="resources")


def test_a_connect_error_is_retried_once_only_for_idempotent_methods(gateway_client, service):
    def refuses_once(request):
        if len(service.requests) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={"ok": True})

    service.answer = refuses_once
    assert gateway_client.get("/api/v1/items", headers=AUTH).status_code == 200
    assert len(service.requests) == 2

    service.requests.clear()
    assert_problem(gateway_client.post("/api/v1/items", json={}, headers=AUTH), 502,
                   mentions="resources service unreachable")
    assert len(service.requests) == 1


def test_a_real_closed_port_is_502_naming_resources(closed_port_url, make_settings):
    app, test_client = testing.gateway_client(make_settings(service_urls={"resources": closed_port_url}))
    response = test_client.get("/api/v1/items?page=1", headers=AUTH)
    assert_problem(response, 502, mentions="resources service unreachable")
    close(app)


def test_readyz_is_503_naming_a_service_that_is_down(closed_port_url, real_service, make_settings):
    app, test_client = testing.gateway_client(make_settings(
        service_urls={**{service.name: real_service for service in SERVICES}, SUPERVISION: closed_port_url}))
    body = assert_problem(test_client.get("/readyz"), 503, mentions=SUPERVISION)
    assert body["services"] == {"resources": "ready", "plans": "ready", "drills": "ready", "supervision": "unreachable"}
    close(app)


def test_readyz_is_200_when_every_service_of_the_catalogue_is_ready(real_service, make_settings):
    app, test_client = testing.gateway_client(make_settings(
        service_urls={service.name: real_service for service in SERVICES}))
    response = test_client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "key_store": "ready", "console": "not deployed",
                                   "services": {service.name: "ready" for service in SERVICES}}
    close(app)


def test_a_real_service_receives_the_path_unchanged_and_signed(real_service, make_settings):
    app, test_client = testing.gateway_client(make_settings(service_urls={"resources": real_service}))
    target = "/api/v1/stock?warehouse_id=w%201&category_code=201"
    seen = test_client.get(target, headers={**AUTH, "X-ERDM-Actor-Id": "intruder"}).get_json()
    assert seen["raw_uri"] == target
    # Header names arrive re-cased by the server; verify needs a case-insensitive mapping, as Flask's is.
    assert verify(SECRET, "GET", target, Headers(seen["headers"])).actor.id == "admin"
    assert "Authorization" not in seen["headers"]
    close(app)


def test_each_request_leaves_one_access_log_line(gateway_client, caplog):
    caplog.set_level("INFO", logger="erdm.gateway.access")
    gateway_client.get("/api/v1/items", headers=AUTH)
    gateway_client.get("/api/v1/items")
    lines = [record.fields for record in caplog.records if record.name == "erdm.gateway.access"]
    assert [(line["status"], line["actor"], line["service"]) for line in lines] == [
        (200, "admin", "resources"), (401, None, "resources"),
    ]
    assert all(line["method"] == "GET" and line["path"] == "/api/v1/items" for line in lines)
    assert all(isinstance(line["duration_ms"], float) for line in lines)
