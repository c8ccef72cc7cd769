"""Forwarding to the services over one pooled httpx client per process: signed, timed out, never a 500."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterable, Mapping, Sequence

import httpx
from flask import Response

from contracts import catalogue
from gateway import upstream
from gateway.upstream import Unavailable
from servicekit.attachments.spool import Spool
from servicekit.config import Settings
from servicekit.http_client import ProcessClient
from servicekit.instances import Instances
from servicekit.logs import REQUEST_ID_HEADER
from servicekit.problems import problem
from servicekit.json_body import is_json
from servicekit.signing import COVERED_HEADERS, Actor, sign

# A refused connection means the instance never saw the request, so any request moves on to the
# service's next instance; with one instance only these are tried twice (it may be restarting).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

# An allowlist, so Authorization, cookies, hop-by-hop headers and forged X-ERDM-* never reach
# a service. If-Match and If-None-Match travel unchanged, and a service's ETag, 304 and 412 come
# back unchanged (end_to_end_headers): a service that tags its records gets conditional requests
# through the gateway, one that does not simply ignores them. Those that change what a request
# does (COVERED_HEADERS) are bound by the signature.
FORWARDED_REQUEST_HEADERS = (*COVERED_HEADERS, "Accept", "Accept-Language")

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade",
})
# The gateway's own server writes these for the (already decoded) body it actually sends.
RECOMPUTED = frozenset({"content-length", "content-encoding", "date", "server"})

# A gthread worker runs at most `threads` requests at once, each holding one upstream
# connection, plus the /readyz fan-out; 64 covers any sensible thread count, and beyond it a
# request waits for a free connection (then 504) instead of opening sockets without bound.
# Idle connections expire before gunicorn's default 2 s keep-alive closes them under us.
POOL_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32, keepalive_expiry=1.0)

# /readyz is polled by orchestrators that give up after a second or two themselves.
READY_TIMEOUT = httpx.Timeout(1.0)

# An answer that is not JSON nor a page (a file: an attachment, a spreadsheet) is passed on as it arrives, so a
# 20 MiB download never sits whole in the gateway's memory.
BUFFERED_TYPES = ("text/html",)


def end_to_end_headers(headers: httpx.Headers) -> list[tuple[str, str]]:
    """The upstream response headers a client should see."""
    listed = {token.strip().lower() for value in headers.get_list("connection") for token in value.split(",")}
    dropped = HOP_BY_HOP | RECOMPUTED | listed
    return [(name, value) for name, value in headers.multi_items() if name.lower() not in dropped]


def relayed(answer: httpx.Response) -> Response:
    """The client's response for an upstream answer opened with `stream=True`: a file streamed (its length kept
    when it is sent as is), anything else read first. The upstream answer is closed either way."""
    mimetype = answer.headers.get("content-type", "").partition(";")[0].strip().lower()
    headers = end_to_end_headers(answer.headers)
    if "content-type" not in answer.headers or is_json(mimetype) or mimetype in BUFFERED_TYPES:
        try:
            body = answer.read()
        finally:
            answer.close()
        response = Response(body, status=answer.status_code, headers=headers)
    else:
        if "content-length" in answer.headers and "content-encoding" not in answer.headers:
            headers.append(("Content-Length", answer.headers["content-length"]))
        response = Response(answer.iter_bytes(), status=answer.status_code, headers=headers)
        response.call_on_close(answer.close)
    if "content-type" not in answer.headers:
        del response.headers["Content-Type"]  # Flask would otherwise claim text/html
    return response


class Upstream:
    """The process's one pooled client to the services, and what it does with them.

    ERDM_<SERVICE>_URL may name several instances, comma-separated (no load balancer needed): each
    request goes to the next in turn, and to the one after when a connection is refused.
    """

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self._client = ProcessClient(
            transport=transport,
            limits=POOL_LIMITS,
            timeout=httpx.Timeout(
                connect=settings.upstream_connect_timeout,
                read=settings.upstream_read_timeout,
                write=settings.upstream_read_timeout,
                pool=settings.upstream_connect_timeout,
            ),
        )
        self._instances: dict[str, Instances] = {}

    @property
    def client(self) -> httpx.Client:
        return self._client.get()

    def close(self) -> None:
        self._client.close()

    def send(self, service: str, method: str, target: str, *, stream: bool = False, **options) -> httpx.Response:
        """`method target` to the service's instance whose turn it is (NoInstance when it has no URL); with
        `stream`, the answer's body is left unread (read or close it)."""
        instances = self._instances.get(service) or self._instances.setdefault(
            service, Instances(catalogue.instance_urls(self.settings, service)))
        return instances.call(
            lambda base: self.client.send(self.client.build_request(method, base + target, **options), stream=stream),
            twice_if_alone=method in IDEMPOTENT_METHODS)

    def ask(self, service: str, method: str, target: str, *, expect_ok: bool = False, **options) -> httpx.Response:
        """Like `send`, but a service that could not be asked (or, with `expect_ok`, did not answer 200) is
        raised as upstream.Unavailable, the one reading of upstream failures."""
        return upstream.ask(service, lambda: self.send(service, method, target, **options), expect_ok=expect_ok)

    def forward(
        self, service: str, *, method: str, target: str, headers: Mapping[str, str],
        body: bytes | Spool, actor: Actor, request_id: str,
    ) -> Response:
        """Send the request to `service` unchanged but for its headers; its answer, or a 502/503/504 problem.
        A spooled body (an upload) is signed by its hash and streamed from the spool."""
        outgoing = {name: headers[name] for name in FORWARDED_REQUEST_HEADERS if name in headers}
        # HTTP header values are ASCII (RFC 9110 leaves other bytes opaque); httpx refuses to send anything else.
        if bad := sorted(name for name, value in outgoing.items() if not value.isascii()):
            return problem(400, f"the {', '.join(bad)} header must be ASCII text",
                           errors={name: ["Only ASCII characters are allowed in this header."] for name in bad})
        outgoing[REQUEST_ID_HEADER] = request_id
        # The service commits nothing after the moment this process stops waiting for it (its read
        # timeout, counted from before the request is even sent), so a 504 here means "not booked".
        deadline = time.time() + self.settings.upstream_read_timeout
        if isinstance(body, Spool):
            outgoing.update(sign(self.settings.internal_secret, method, target, actor, body_sha256=body.sha256,
                                 headers=outgoing, deadline=deadline))
            outgoing["Content-Length"] = str(body.size)  # sent as is, not chunked: the service may refuse at once
            content = body.chunks()
        else:
            outgoing.update(sign(self.settings.internal_secret, method, target, actor, body=body or b"",
                                 headers=outgoing, deadline=deadline))
            content = body or None
        try:
            answer = self.ask(service, method, target, headers=outgoing, content=content, stream=True)
            return relayed(answer)
        except upstream.ASKING_ERRORS as error:  # the answer broke off while a JSON one was read
            return Unavailable.of(service, error).problem()
        except Unavailable as failure:
            return failure.problem()

    def forward_to_first(self, services: Sequence[str], **request) -> Response:
        """`forward` to each of `services` in turn (the owners of a path several services share, such as an
        attachment's content) until one answers other than 404: the record is that service's."""
        for number, service in enumerate(services, start=1):
            response = self.forward(service, **request)
            if response.status_code != 404 or number == len(services):
                return response
            response.close()
        raise ValueError("forward_to_first needs at least one service")

    def readiness(self, services: Iterable[str], *, request_id: str) -> dict[str, str]:
        """Each service's answer to /readyz, asked concurrently: "ready" or why not."""
        services = list(services)
        if not services:
            return {}
        with ThreadPoolExecutor(max_workers=len(services)) as pool:
            states = pool.map(lambda service: self._probe(service, request_id), services)
            return dict(zip(services, states))

    def _probe(self, service: str, request_id: str) -> str:
        try:
            self.ask(service, "GET", "/readyz", expect_ok=True, headers={REQUEST_ID_HEADER: request_id},
                     timeout=READY_TIMEOUT)
        except Unavailable as failure:
            return failure.reason
        return "ready"
