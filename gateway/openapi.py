"""`GET /api/v1/openapi.json`: every running service's description merged, fetched concurrently, cached briefly."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable

import httpx
from apispec import APISpec
from flask import Blueprint, current_app, g, jsonify

from gateway.openapi_gateway import GATEWAY_RESPONSES, gateway_document
from gateway.openapi_merge import add_gateway_responses, merge_service
from gateway.proxy import Upstream
from gateway.routes import service_for
from gateway.upstream import Unavailable
from servicekit.logs import REQUEST_ID_HEADER

log = logging.getLogger("erdm.gateway.openapi")

FETCH_TIMEOUT = httpx.Timeout(2.0)
FRESH_SECONDS = 60.0  # services change their API only on a deploy
MISSING_SECONDS = 5.0  # a document missing a service is retried soon, so it reappears after a restart
MISSING_EXTENSION = "x-erdm-missing-services"

blp = Blueprint("openapi", __name__)


class MergedDescription:
    """The merged document of one gateway process, rebuilt when it is older than its time to live."""

    def __init__(self, upstream: Upstream, services: Iterable[str], *, own: APISpec | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.upstream = upstream
        self.own = own  # the description of the gateway's flask-smorest resources (organisations, /me)
        self.services = tuple(services)
        self.clock = clock
        self._lock = threading.Lock()
        self._document: dict[str, Any] | None = None
        self._expires = 0.0

    def get(self, *, request_id: str) -> dict[str, Any]:
        # One rebuild at a time: the others wait for it rather than all asking every service.
        with self._lock:
            if self._document is None or self.clock() >= self._expires:
                self._document = self.build(request_id=request_id)
                ttl = MISSING_SECONDS if self._document[MISSING_EXTENSION] else FRESH_SECONDS
                self._expires = self.clock() + ttl
            return self._document

    def build(self, *, request_id: str) -> dict[str, Any]:
        fetched = self._fetch_all(request_id)
        document = gateway_document(self.own.to_dict() if self.own is not None else None)
        missing = []
        for service in self.services:
            part = fetched[service]
            if isinstance(part, str):
                log.warning("openapi of a service left out", extra={"fields": {"service": service, "reason": part}})
                missing.append(service)
                continue
            left_out = merge_service(document, service, part, owns=lambda path, s=service: service_for(path) == s)
            if left_out:
                log.info("paths not exposed by the gateway", extra={"fields": {"service": service, "paths": left_out}})
        add_gateway_responses(document["paths"], [
            (status, name, writes_only) for status, name, _description, writes_only in GATEWAY_RESPONSES
        ])
        document[MISSING_EXTENSION] = missing
        return document

    def _fetch_all(self, request_id: str) -> dict[str, dict | str]:
        if not self.services:
            return {}
        with ThreadPoolExecutor(max_workers=len(self.services)) as pool:
            return dict(zip(self.services, pool.map(lambda s: self._fetch(s, request_id), self.services)))

    def _fetch(self, service: str, request_id: str) -> dict | str:
        """The service's document, or why not (a string)."""
        try:
            answer = self.upstream.ask(service, "GET", "/openapi.json", expect_ok=True,
                                       headers={REQUEST_ID_HEADER: request_id}, timeout=FETCH_TIMEOUT)
        except Unavailable as failure:
            return failure.reason
        try:
            document = answer.json()
        except ValueError:
            return "answered something that is not JSON"
        if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
            return "answered something that is not an OpenAPI document"
        return document


@blp.get("/api/v1/openapi.json")
def openapi_json():
    # Roles were checked before this view (area "docs": every role may read it).
    description: MergedDescription = current_app.extensions["erdm_openapi"]
    document = description.get(request_id=g.request_id)
    # Safe outside the lock: a cached document is replaced by a new one, never changed in place.
    return jsonify(document)
