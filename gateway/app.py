"""The gateway app factory: authenticate, route, limit the body, forward; plus health and readiness."""
from __future__ import annotations

import logging
import time

import httpx
from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from gateway.auth import CHALLENGE, authenticate
from gateway.proxy import Upstream, request_target
from gateway.routes import enabled_services, service_for
from servicekit.config import Settings
from servicekit.logs import configure_logging, install_request_ids
from servicekit.problems import problem

FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
IMPORT_PATH = "/api/v1/stock/import"
BODY_CHUNK_BYTES = 64 * 1024

log = logging.getLogger("erdm.gateway")
access_log = logging.getLogger("erdm.gateway.access")


def create_app(settings: Settings | None = None, *, transport: httpx.BaseTransport | None = None) -> Flask:
    """The gateway app; `transport` replaces the network for tests. Nothing connects until a request needs it."""
    if settings is None:
        # Only a real process (gunicorn calls `create_app()`) reads the environment; it also wants JSON logs.
        settings = Settings.from_env()
        configure_logging("gateway")
    app = Flask(__name__)
    upstream = Upstream(settings, transport=transport)
    app.extensions["erdm_upstream"] = upstream
    services = enabled_services(settings)

    install_request_ids(app)
    _install_access_log(app)
    _install_problem_errors(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        states = upstream.readiness(services, request_id=g.request_id)
        waiting = [f"{service} ({state})" for service, state in states.items() if state != "ready"]
        if waiting:
            return problem(503, "not ready: " + ", ".join(waiting), services=states)
        return {"status": "ready", "services": states}

    # OPTIONS goes to the service too, so Flask must not answer it on its own.
    @app.route("/api/v1/<path:rest>", methods=FORWARDED_METHODS, provide_automatic_options=False)
    def forward(rest: str) -> Response:
        actor = authenticate(request.headers.get("Authorization"), settings=settings)
        if actor is None:
            return problem(401, "a valid API key is required: Authorization: Bearer <key>", headers=CHALLENGE)
        g.actor = actor
        service = service_for(request.path)
        if service is None:
            return problem(404, f"no endpoint at {request.path}")
        g.service = service
        if service not in services:
            return problem(503, f"{service} service is not deployed")
        limit = body_limit(request.method, request.path, settings=settings)
        body = read_body(limit)
        if body is None:
            return problem(413, f"request body is larger than the {limit} bytes allowed here")
        return upstream.forward(
            service, method=request.method, target=request_target(request.environ),
            headers=request.headers, body=body, actor=actor, request_id=g.request_id,
        )

    return app


def body_limit(method: str, path: str, *, settings: Settings) -> int:
    """The largest body this request may carry: spreadsheets for the stock import get more room."""
    if method == "POST" and path.rstrip("/") == IMPORT_PATH:
        return settings.import_max_body_bytes
    return settings.max_body_bytes


def read_body(limit: int) -> bytes | None:
    """The request body, or None once it exceeds `limit`."""
    # Content-Length lets us refuse before reading; chunked bodies are counted as they arrive.
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks, size = [], 0
    while chunk := request.stream.read(BODY_CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _install_access_log(app: Flask) -> None:
    @app.before_request
    def _start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log_access(response: Response) -> Response:
        actor = g.get("actor")
        access_log.info("request", extra={"fields": {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
            "actor": actor.name if actor else None,
            "service": g.get("service"),
        }})
        return response


def _install_problem_errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_problem(exc: HTTPException) -> Response:
        # Keep headers such as Allow on a 405; the body is ours, so drop werkzeug's text/html type.
        headers = {name: value for name, value in exc.get_headers() if name.lower() != "content-type"}
        return problem(exc.code or 500, exc.description, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error in the gateway")
        return problem(500, "the gateway failed; the request id finds it in the logs")
