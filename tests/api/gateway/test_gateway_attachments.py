"""Attachments through the gateway: an upload is spooled (never held in memory), signed by its hash and streamed on;
past its cap it is refused before any service sees it; an attachment's content is asked of every service that keeps
attachments, in catalogue order, and a file comes back streamed; the roles follow the records'."""
from __future__ import annotations

import hashlib
import io

import httpx
import pytest

from contracts.catalogue import DRILLS, PLANS, SUPERVISION
from gateway.testing import ADMIN, SERVICE_URLS, SECRET, assert_problem, bearer, create_key
from servicekit.signing import verify

PLAN = "/api/v1/plans/7d0f6f36-2d4e-4c37-9a3c-5f0b0d1e2a11"
ORDER = "/api/v1/rectification-orders/7d0f6f36-2d4e-4c37-9a3c-5f0b0d1e2a11"
CONTENT = "/api/v1/attachments/4a1c3a77-1b58-4f5e-8a8e-0d3b7c6a9f21/content"
CAP = 4000  # the test gateway's file cap; its body limit is the cap and the multipart allowance
ALLOWANCE = 500


@pytest.fixture
def gateway_client(make_gateway):
    return make_gateway(attachment_max_bytes=CAP, upload_allowance_bytes=ALLOWANCE)


def multipart(content: bytes, filename: str = "预案.pdf") -> tuple[bytes, str]:
    """A multipart body as a browser frames it, and its Content-Type."""
    request = httpx.Request("POST", "http://x/", files={"file": (filename, content, "application/pdf")})
    return request.read(), request.headers["Content-Type"]


def service_of(request: httpx.Request) -> str:
    return next(name for name, url in SERVICE_URLS.items() if str(request.url).startswith(url))


def test_an_upload_reaches_its_service_whole_with_its_length_and_signed_by_its_hash(gateway_client, service):
    body, content_type = multipart(b"%PDF-1.4 " + b"x" * 3000)
    answer = gateway_client.post(f"{PLAN}/attachments", data=body, headers={**ADMIN, "Content-Type": content_type})
    assert answer.status_code == 200
    (sent,) = service.requests
    assert service_of(sent) == PLANS and sent.content == body
    assert sent.headers["Content-Length"] == str(len(body)) and "Transfer-Encoding" not in sent.headers
    signed = verify(SECRET, "POST", f"{PLAN}/attachments", sent.headers, body_sha256=hashlib.sha256(body).hexdigest())
    assert signed.actor.role == "admin"


def test_an_upload_past_the_cap_is_413_and_never_forwarded_with_or_without_a_length(gateway_client, service):
    body, content_type = multipart(b"%PDF-1.4 " + b"x" * (CAP + ALLOWANCE))
    headers = {**ADMIN, "Content-Type": content_type}
    assert_problem(gateway_client.post(f"{PLAN}/attachments", data=body, headers=headers), 413)
    chunked = gateway_client.post(f"{PLAN}/attachments", input_stream=io.BytesIO(body), headers=headers,
                                  environ_overrides={"wsgi.input_terminated": True})
    assert_problem(chunked, 413)
    assert service.requests == []


def test_other_bodies_keep_their_own_limit(gateway_client, service):
    body, content_type = multipart(b"%PDF-1.4 " + b"x" * 2000)
    # Not an upload path: the ordinary 1 KiB limit of the test gateway.
    assert_problem(gateway_client.post("/api/v1/plans", data=body, headers={**ADMIN, "Content-Type": content_type}),
                   413)
    assert service.requests == []


def test_an_attachments_content_is_asked_of_its_owners_in_catalogue_order_until_one_knows_it(gateway_client, service):
    service.answer = lambda request: (
        httpx.Response(200, content=b"%PDF-1.4 drill", headers={"Content-Type": "application/pdf"})
        if service_of(request) == DRILLS else httpx.Response(404, json={"status": 404}))
    answer = gateway_client.get(CONTENT, headers=ADMIN)
    assert answer.status_code == 200 and answer.data == b"%PDF-1.4 drill"
    assert answer.headers["Content-Type"] == "application/pdf" and answer.headers["Content-Length"] == "14"
    assert [service_of(request) for request in service.requests] == [PLANS, DRILLS]


def test_an_attachment_no_owner_knows_is_404_after_asking_them_all(gateway_client, service):
    service.answer = lambda request: httpx.Response(404, json={"status": 404, "detail": "No attachment"},
                                                    headers={"Content-Type": "application/problem+json"})
    assert gateway_client.get(CONTENT, headers=ADMIN).status_code == 404
    assert [service_of(request) for request in service.requests] == [PLANS, DRILLS, SUPERVISION]


def test_an_owner_that_cannot_be_asked_is_not_taken_for_an_absent_file(gateway_client, service):
    def answer(request):
        if service_of(request) == DRILLS:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(404, json={"status": 404})

    service.answer = answer
    assert_problem(gateway_client.get(CONTENT, headers=ADMIN), 502)


def test_every_role_reads_attachments_planners_add_to_plans_and_an_enterprise_to_its_orders(gateway_client,
                                                                                             service):
    body, content_type = multipart(b"%PDF-1.4 x")
    keys = {role: bearer(create_key(gateway_client, role)["key"])
            for role in ("viewer", "planner", "logistics", "inspector")}

    def upload(role: str, path: str) -> int:
        return gateway_client.post(f"{path}/attachments", data=body,
                                   headers={**keys[role], "Content-Type": content_type}).status_code

    for role in keys:
        assert gateway_client.get(CONTENT, headers=keys[role]).status_code == 200
        assert gateway_client.get(f"{PLAN}/attachments", headers=keys[role]).status_code == 200
        assert gateway_client.get(f"{ORDER}/attachments", headers=keys[role]).status_code == 200
    assert (upload("planner", PLAN), upload("viewer", PLAN), upload("logistics", PLAN)) == (200, 403, 403)
    assert (upload("logistics", ORDER), upload("inspector", ORDER), upload("viewer", ORDER)) == (200, 200, 403)
    assert gateway_client.post(CONTENT, headers=keys["planner"]).status_code == 403
