"""The console behind the gateway's own address: every browser request outside the gateway's paths goes to it.

One URL for people and programs: `/` and `/login` are the console's pages, `/api/v1/…` the API. The console
does its own sign-in (it holds the session cookie and calls the API with the person's token), so nothing
here authenticates; this only passes the request on and the answer back, and tells the console the
browser's address, proved with the internal secret, which the console needs to have failed sign-ins counted
per browser.
"""
from __future__ import annotations

import logging

import httpx
from flask import Response, request

from contracts.catalogue import CONSOLE, CONSOLE_PORT_OFFSET
from gateway.bodies import body_limit, read_request_body
from gateway.proxy import READY_TIMEOUT, Upstream, relayed
from servicekit.attachments.spool import Spool
from servicekit.config import Settings
from servicekit.instances import Instances
from servicekit.logs import REQUEST_ID_HEADER
from servicekit.signing import HEADER_CLIENT_ADDRESS, HEADER_CLIENT_PROOF, client_address_proof

log = logging.getLogger("erdm.gateway.console")

# What a browser sends that a page needs: its cookie, the form's type, its language, caching, htmx's headers.
PASSED_HEADERS = ("Cookie", "Content-Type", "Accept", "Accept-Language", "User-Agent", "If-None-Match",
                  "If-Modified-Since", "X-CSRFToken", "HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name",
                  "HX-Current-URL", "HX-Boosted")
METHODS = ["GET", "HEAD", "POST"]  # a page is read or a form sent; nothing else reaches the console

UNAVAILABLE_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>503</title>
<h1>控制台暂不可用 · The console is unavailable</h1>
<p>请稍后刷新本页。 Reload this page in a moment. (API: <a href="/docs">/docs</a>)</p></html>"""


class ConsoleDoor:
    def __init__(self, settings: Settings, upstream: Upstream) -> None:
        self._upstream = upstream  # its pooled client
        self._instances = Instances(settings.service_instances(CONSOLE, port_offset=CONSOLE_PORT_OFFSET))
        self._body_limit = settings.import_max_body_bytes  # a spreadsheet import is the largest form
        self._upload_limit = settings.upload_max_body_bytes  # but for an attachment's upload form, spooled
        self._settings = settings
        self._secret = settings.internal_secret

    @property
    def deployed(self) -> bool:
        """False when ERDM_CONSOLE_URL is set empty: an API-only gateway."""
        return bool(self._instances.base_urls)

    def forward(self, request_id: str) -> Response:
        # An attachment's upload form (a multipart POST to …/attachments) is spooled, not held; any other body is
        # at most a spreadsheet import's.
        limit = max(self._body_limit, body_limit(request.method, request.path, settings=self._settings,
                                                 mimetype=request.mimetype))
        body = read_request_body(limit)
        if body is None:
            return Response("request body too large", status=413, mimetype="text/plain")
        try:
            return self._send(body, request_id)
        finally:
            if isinstance(body, Spool):
                body.close()

    def _send(self, body: bytes | Spool, request_id: str) -> Response:
        headers = {name: request.headers[name] for name in PASSED_HEADERS if name in request.headers}
        headers["X-Forwarded-For"] = request.remote_addr or ""
        if self._secret and request.remote_addr:
            # Proved, so the console believes it only from here: reached directly, it sees the caller's own address.
            headers[HEADER_CLIENT_ADDRESS] = request.remote_addr
            headers[HEADER_CLIENT_PROOF] = client_address_proof(self._secret, request.remote_addr)
        headers["X-Forwarded-Proto"] = request.scheme
        headers["X-Forwarded-Host"] = request.host  # the address people use: the console shows feed URLs with it
        headers[REQUEST_ID_HEADER] = request_id
        target = request.full_path if request.query_string else request.path
        if isinstance(body, Spool):
            headers["Content-Length"] = str(body.size)
            content = body.chunks()
        else:
            content = body or None
        client = self._upstream.client
        try:
            answer = self._instances.call(
                lambda base: client.send(client.build_request(request.method, base + target, headers=headers,
                                                              content=content), stream=True),
                twice_if_alone=request.method in ("GET", "HEAD"))
            return relayed(answer)  # a page read whole; a file (an attachment downloaded) streamed
        except httpx.HTTPError as failure:
            log.warning("the console could not be reached: %s", failure.__class__.__name__)
            return Response(UNAVAILABLE_PAGE, status=503, mimetype="text/html", headers={"Retry-After": "2"})

    def readiness(self, request_id: str) -> str:
        """"ready" when a console instance answers its /healthz, else why not."""
        try:
            answer = self._instances.call(lambda base: self._upstream.client.get(
                base + "/healthz", headers={REQUEST_ID_HEADER: request_id}, timeout=READY_TIMEOUT))
        except httpx.HTTPError as failure:
            return f"unreachable: {failure.__class__.__name__}"
        return "ready" if answer.status_code == 200 else f"answered {answer.status_code}"
