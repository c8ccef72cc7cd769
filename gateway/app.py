"""The gateway app factory: authenticate, limit, authorize, forward; plus keys, people and sessions, calendar feeds,
webhook subscriptions, the merged API description, health."""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Callable

import httpx
from flask import Flask, Response, g, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway.client_address import client_address
from gateway import (docs, feed_ics, feeds_api, keys_api, me_api, openapi, orgs_api, readiness, refusals, roles,
                     sessions_api, users_api)
from gateway.auth import CHALLENGE, authenticate, check_admin_key
from gateway.bodies import body_limit, read_request_body
from gateway.console_door import ConsoleDoor, METHODS as CONSOLE_METHODS
from gateway.limits import counting_storage, install_rate_limit
from gateway.openapi import MergedDescription
from gateway.proxy import Upstream
from gateway.routes import GATEWAY, SIGN_IN, enabled_services, route_for
from gateway.throttle import FailedAuthentications
from gateway.webhooks import api as webhooks_api
from gateway.webhooks.config import WebhookSettings
from servicekit import clock as clocks, json_body, options
from servicekit.app import ProblemApi, schema_name
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.errors import DomainError
from servicekit.logs import configure_logging, install_request_ids
from servicekit.metrics import install_http_metrics
from servicekit.openapi import DirectedMarshmallowPlugin, ErrorResponses
from servicekit.problems import problem
from servicekit.signing import request_target

FORWARDED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
API_PREFIX = "/api/v1"

log = logging.getLogger("erdm.gateway")
access_log = logging.getLogger("erdm.gateway.access")


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               transport: httpx.BaseTransport | None = None,
               clock: Callable[[], dt.datetime] = clocks.now, webhooks: WebhookSettings | None = None) -> Flask:
    """The gateway app; `transport` replaces the network for tests, `clock` the time sessions and sign-in
    lock-outs are reckoned by, `webhooks` the webhook settings (else from the environment). Nothing connects
    until a request needs it."""
    if settings is None:
        # Only a real process (gunicorn calls `create_app()`) reads the environment; it also wants JSON logs.
        settings = Settings.from_env()
        configure_logging("gateway")
    check_admin_key(settings.admin_key)
    # No /static of its own: that path, like every path outside the gateway's, is the console's.
    app = Flask(__name__, static_folder=None)
    if settings.trusted_proxies:
        # The client's address is the one the trusted proxies in front name, never one a client sent itself.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    app.json.ensure_ascii = False  # Chinese names round-trip as they are
    app.json.sort_keys = False  # keep the API description in its authored order
    database = database or Database(settings.database_url("gateway"), pool_size=5)
    upstream = Upstream(settings, transport=transport)
    console = ConsoleDoor(settings, upstream)
    services = enabled_services(settings)
    api = _own_api(app)
    failures = FailedAuthentications(counting_storage(settings, database), settings.auth_failure_limit)
    app.extensions.update(erdm_settings=settings, erdm_gateway_db=database, erdm_upstream=upstream,
                          erdm_openapi=MergedDescription(upstream, services, own=api.spec), erdm_clock=clock,
                          erdm_auth_failures=failures, erdm_webhooks=webhooks or WebhookSettings.from_env())

    # Hook order is the order of the checks: request id, clock, guessing address (429), key (401), rate (429),
    # role (403). Metrics first, so their after_request runs last. No /metrics here: see
    # servicekit/metrics_multiprocess.py.
    install_http_metrics(app, service="gateway", route_label=_metrics_route)
    install_request_ids(app)
    _install_access_log(app)
    _install_authentication(app, settings, database, failures, clock)
    install_rate_limit(app, settings, database)
    _install_authorization(app)
    _install_own_bodies(app, settings)
    _install_problem_errors(app, api)
    options.install(app)  # OPTIONS on the gateway's own paths: 204 with Allow, as the services answer it
    # feed_ics: `GET /feeds/<token>.ics`, outside /api/v1, authenticates by the token in its path itself.
    for blueprint in (keys_api.blp, openapi.blp, docs.blp, readiness.blp, feed_ics.blp):
        app.register_blueprint(blueprint)
    for blueprint in (orgs_api.blp, users_api.blp, sessions_api.blp, me_api.blp, feeds_api.blp, webhooks_api.blp):
        api.register_blueprint(blueprint)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        states = upstream.readiness(services, request_id=g.request_id)
        key_store = _key_store_state(database)
        waiting = [f"{service} ({state})" for service, state in states.items() if state != "ready"]
        # Said, but not waited for: pages that are down must not take the API out of an orchestrator's rotation.
        pages = console.readiness(g.request_id) if console.deployed else "not deployed"
        if key_store != "ready":
            waiting.append(f"gateway key store ({key_store})")
        if waiting:
            return problem(503, "not ready: " + ", ".join(waiting), services=states, key_store=key_store,
                           console=pages)
        return {"status": "ready", "services": states, "key_store": key_store, "console": pages}

    # OPTIONS goes to the service too, so Flask must not answer it on its own.
    @app.route("/api/v1/<path:rest>", methods=FORWARDED_METHODS, provide_automatic_options=False)
    def forward(rest: str) -> Response:
        route = g.route
        if route.service == GATEWAY:  # a gateway path, but a method or sub-path it has no view for
            return _no_gateway_view(app)
        owners = [service for service in route.owners if service in services]
        if not owners:
            return problem(503, f"{route.service} service is not deployed", service=route.service)
        limit = body_limit(request.method, request.path, settings=settings, mimetype=request.mimetype)
        body = read_request_body(limit)
        if body is None:
            return problem(413, f"request body is larger than the {limit} bytes allowed here")
        try:
            # A path several services own (an attachment's content) is theirs in catalogue order: the first
            # that knows the record answers.
            return upstream.forward_to_first(
                owners, method=request.method, target=request_target(request.environ),
                headers=request.headers, body=body, actor=g.actor, request_id=g.request_id,
            )
        finally:
            if not isinstance(body, bytes):
                body.close()

    # Every other path is a page of the console (gateway/console_door.py): one address for people and programs.
    @app.route("/", defaults={"rest": ""}, methods=CONSOLE_METHODS, endpoint="console")
    @app.route("/<path:rest>", methods=CONSOLE_METHODS, endpoint="console")
    def to_console(rest: str) -> Response:
        if _is_api("/" + rest) or rest == "api" or rest.startswith("api/"):
            return problem(404, f"no endpoint at {request.path}")
        if not console.deployed:
            return problem(404, f"no endpoint at {request.path} (this gateway serves the API only)")
        return console.forward(g.request_id)

    return app


def _own_api(app: Flask) -> ProblemApi:
    """flask-smorest for the gateway's own resources (organisations, /me): their schemas check the requests and
    describe them; the description joins the merged one (gateway/openapi.py), so this Api serves none itself."""
    app.config.update(API_TITLE="ERDM gateway", API_VERSION="v1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX=None)
    plugin = DirectedMarshmallowPlugin(schema_name_resolver=schema_name)
    return ProblemApi(app, spec_kwargs={"marshmallow_plugin": plugin, "extra_plugins": [ErrorResponses()]})


def _install_own_bodies(app: Flask, settings: Settings) -> None:
    """The bodies the gateway's own views read: at most ERDM_MAX_BODY_BYTES (413), JSON as the services take it."""

    @app.before_request
    def _limit_own_body():
        if request.endpoint not in (None, "forward", "console"):  # those two read their bodies themselves
            request.max_content_length = settings.max_body_bytes  # reading more raises 413

    json_body.install(app, prefix=API_PREFIX)


def _no_gateway_view(app: Flask) -> Response:
    """405 with Allow when the gateway answers this path with other methods, else 404."""
    adapter = app.url_map.bind("gateway")
    allowed = []
    for method in FORWARDED_METHODS:
        try:
            endpoint, _args = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "forward":
            allowed.append(method)
    if not allowed:
        return problem(404, f"no endpoint at {request.path}")
    return problem(405, f"{request.method} is not allowed here", headers={"Allow": ", ".join(allowed)})


def _metrics_route() -> str | None:
    """A forwarded request is labelled by its routing-table prefix; the catch-all URL rule would lump all together."""
    route = g.get("route")
    return route.prefix if route is not None and request.endpoint == "forward" else None


def _is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def _is_sign_in() -> bool:
    return (request.method, request.path) == SIGN_IN


def _install_authentication(app: Flask, settings: Settings, database: Database,
                            failures: FailedAuthentications, clock: Callable[[], dt.datetime]) -> None:
    @app.before_request
    def _authenticate():
        if not _is_api(request.path):
            # /healthz, /readyz, /docs need no key; a calendar feed's URL carries its own (gateway/feed_ics.py).
            return None
        # Known before the key is checked, so even a 401 or 429 line in the access log names the service.
        g.route = route_for(request.path)
        g.service = g.route.service if g.route else None
        address = client_address()
        # A throttled address learns nothing about any key it sends, a right one included.
        if (wait := failures.retry_after(address)) is not None:
            return _guessing_refused(failures, wait)
        if _is_sign_in():
            return None  # the one call without a credential: it asks for one (gateway/sessions_api.py)
        authorization = request.headers.get("Authorization")
        try:
            caller = authenticate(authorization, settings=settings, database=database, now=clock())
        except sa_exc.SQLAlchemyError:
            log.exception("the key store could not be read")
            return problem(503, "the gateway's key store is unavailable; retry shortly", headers={"Retry-After": "1"})
        if caller is None:
            # Only a key that was sent and refused is a guess; a call without one is a client not set up yet.
            if authorization is not None and (wait := failures.count_failure(address)) is not None:
                return _guessing_refused(failures, wait)
            return problem(401, "a valid API key or session token is required: Authorization: Bearer <key or token>",
                           headers=CHALLENGE)
        # Asked again once the key is known: a burst of guesses all pass the first check before any of them
        # is counted, and the right key among them must not be told apart from the wrong ones.
        if (wait := failures.retry_after(address)) is not None:
            return _guessing_refused(failures, wait)
        g.actor, g.actor_kind, g.session_id = caller.actor, caller.kind, caller.session_id
        return None


def _guessing_refused(failures: FailedAuthentications, retry_after: int) -> Response:
    return refusals.guessing_refused(failures.describe(), retry_after)


def _install_authorization(app: Flask) -> None:
    @app.before_request
    def _authorize():
        if not _is_api(request.path):
            return None
        route = g.route
        if route is None:
            return problem(404, f"no endpoint at {request.path}")
        if _is_sign_in():
            return None  # anyone may try to sign in; who they are is known only after
        decision = roles.decide(g.actor.role, route.area, request.method)
        if not decision.allowed:
            return problem(403, roles.refusal(g.actor.role, route.area, request.method, decision.required),
                           required_roles=list(decision.required))
        return None


def _key_store_state(database: Database) -> str:
    try:
        database.ping()
    except sa_exc.SQLAlchemyError as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ready"


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
            "key_id": actor.id if actor else None,
            "actor": actor.name if actor else None,
            "role": actor.role if actor else None,
            "service": g.get("service"),
        }})
        return response


def _install_problem_errors(app: Flask, api: ProblemApi) -> None:
    @app.errorhandler(DomainError)
    def _refused(error: DomainError) -> Response:
        return refusals.answer(error)

    @app.errorhandler(HTTPException)
    def _http_problem(exc: HTTPException) -> Response:
        if exc.response is not None:  # already a full answer, e.g. the 429 of gateway/limits.py
            return exc.response
        if getattr(exc, "data", None):  # a smorest schema's refusal: keep the fields it names
            return api.handle_http_exception(exc)
        # Keep headers such as Allow on a 405; the body is ours, so drop werkzeug's text/html type.
        headers = {name: value for name, value in exc.get_headers() if name.lower() != "content-type"}
        return problem(exc.code or 500, exc.description, headers=headers)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        log.exception("unhandled error in the gateway")
        return problem(500, "the gateway failed; the request id finds it in the logs")
