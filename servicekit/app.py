"""Builds a service's Flask app: smorest Api, problem+json errors, request ids, gateway signatures, health, metrics."""
from __future__ import annotations

import logging
from typing import Iterable, Mapping

from flask import Flask, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api, Blueprint
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from servicekit import deadline, idempotency, json_body, metrics, options, scope, unit_of_work
from servicekit.attachments.spool import TooLarge, UploadPaths, is_upload, spool
from servicekit.config import Settings
from servicekit.db import Database
from servicekit.errors import DEFAULT_STATUS, DomainError, InvalidInput, status_for
from servicekit.events import json_default
from servicekit.health import install_health
from servicekit.logs import install_request_ids
from servicekit.openapi import DirectedMarshmallowPlugin, ErrorResponses, register_problem_responses
from servicekit.problems import problem
from servicekit.schemas import ProblemSchema, quantity_openapi
from servicekit.replay import NonceLedger, Replayed
from servicekit.signing import SignatureError, check_stamp, request_target, verify

log = logging.getLogger("erdm.app")

API_PREFIX = "/api/v1"


class JSONProvider(DefaultJSONProvider):
    """Quantities leave as JSON numbers (Flask's default would turn Decimals into strings)."""

    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(value):
        return json_default(value)


def _flatten_validation_messages(messages: Mapping) -> dict:
    """webargs nests errors by location ({"json": {"qty": [...]}}); the SPEC names the field itself."""
    errors: dict = {}
    for location, detail in messages.items():
        if isinstance(detail, Mapping):
            errors.update(detail)
        else:
            errors[location] = detail
    return errors


class ProblemApi(Api):
    """flask-smorest's Api answering every HTTP error as problem+json."""

    ERROR_SCHEMA = ProblemSchema
    # No catch-all "default" answer: each status an operation can give is documented (servicekit/openapi.py).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_responses(self):
        register_problem_responses(self)

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        headers.update(data.get("headers") or {})
        messages = data.get("errors") or data.get("messages")
        errors = _flatten_validation_messages(messages) if isinstance(messages, Mapping) else None
        if error.code == 422:
            detail = "Some fields are invalid: " + ", ".join(sorted(map(str, errors or {})))
        elif error.code == 400 and errors:
            detail = "The request body is not valid JSON." if "json" in errors else "The request is malformed."
        else:
            detail = data.get("message") or error.description
        if error.code >= 500:
            log.error("unhandled error", exc_info=error.original_exception if hasattr(error, "original_exception") else None)
        return problem(error.code or 500, detail, errors=errors, headers=headers)


def schema_name(schema) -> str | None:
    """`WarehouseSchema` is documented as `Warehouse`; its partial (PATCH) form as `WarehousePatch`."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    partial = getattr(schema, "partial", False) if not isinstance(schema, type) else False
    return name + ("Patch" if partial else "")


def _signed_body(uploading: bool) -> dict:
    """What the signature check hashes: the body, or for an upload its hash, taken while the body is spooled to a
    temporary file that Werkzeug then parses the multipart from (the file is never held whole in memory)."""
    if not uploading:
        return {"body": request.get_data(cache=True)}
    limit = request.max_content_length or 0
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(limit)  # before Request.stream, which would refuse it without naming the field
    try:
        spooled = spool(request.stream, limit=limit)
    except RequestEntityTooLarge:  # a chunked body counted past the limit by Werkzeug's own stream
        raise TooLarge(limit) from None
    g.erdm_upload_spool = spooled
    request.__dict__["stream"] = spooled.file  # Request.stream is a cached property: parse from the spool
    return {"body_sha256": spooled.sha256}


def _install_signature_check(app: Flask, settings: Settings, database: Database, uploads: UploadPaths) -> None:
    nonces = NonceLedger(database, sweep_every=settings.signature_window_seconds)

    @app.before_request
    def _require_gateway_signature():
        if not request.path.startswith(API_PREFIX):
            return None
        uploading = is_upload(request.method, request.path, request.mimetype, paths=uploads)
        try:
            if uploading:
                request.max_content_length = settings.upload_max_body_bytes  # other bodies keep MAX_CONTENT_LENGTH
                # Unsigned or stale is refused before 20 MiB are read and spooled only to learn it.
                check_stamp(settings.internal_secret, request.headers,
                            window_seconds=settings.signature_window_seconds)
            signed = verify(
                settings.internal_secret,
                request.method,
                request_target(request.environ),
                request.headers,
                **_signed_body(uploading),
                window_seconds=settings.signature_window_seconds,
            )
        except TooLarge as exc:
            return problem(413, f"An upload may be at most {exc.limit} bytes.",
                           errors={"file": ["The file is larger than the upload limit."]})
        except SignatureError as exc:
            return problem(401, f"{exc}. Call this API through the ERDM gateway.")
        g.actor = signed.actor
        deadline.set_for_request(signed.deadline)
        if deadline.passed():
            return deadline.refusal()  # it waited too long (a busy service): the gateway has answered 504
        if request.method not in unit_of_work.READ_METHODS:
            # Reads change nothing when replayed, and claiming their nonces would make every read a write.
            try:
                nonces.claim(signed.nonce, expires_at=signed.expires_at)
            except Replayed:
                return problem(401, "This signed request was already used once; a replay is never run. "
                                    "Call this API through the ERDM gateway.")
        return None

    @app.teardown_request
    def _drop_upload_spool(_error=None):
        spooled = g.pop("erdm_upload_spool", None)
        if spooled is not None:
            spooled.close()


def _install_domain_errors(app: Flask, table: Mapping[type[DomainError], int]) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(error: DomainError):
        errors = error.errors if isinstance(error, InvalidInput) else None
        return problem(status_for(error, table), error.detail, title=error.title, errors=errors, **error.extra)

    @app.errorhandler(sa_exc.IntegrityError)
    def _constraint(error: sa_exc.IntegrityError):
        # Services check their rules first; a constraint firing means a concurrent writer got there first.
        log.warning("constraint refused a write: %s", error.orig)
        return problem(409, "The change conflicts with data written at the same time; nothing was changed.")

    @app.errorhandler(sa_exc.OperationalError)
    def _database_unavailable(error: sa_exc.OperationalError):
        # Down, restarting, or a deadlock victim: nothing was committed, and a retry may well succeed.
        log.warning("database error: %s", error.orig)
        return problem(503, "The database is unavailable or busy; nothing was changed. Retry shortly.",
                       headers={"Retry-After": "1"})

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return app.extensions["erdm.api"].handle_http_exception(error)
        log.exception("unhandled error")
        return problem(500, "An unexpected error occurred; it has been logged with this request id.")


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    settings: Settings,
    database: Database,
    blueprints: Iterable[Blueprint],
    error_table: Mapping[type[DomainError], int] | None = None,
    broker_check=None,
    required_processes: tuple[str, ...] = ("worker", "relay"),
) -> Flask:
    app = Flask(name)
    app.json = JSONProvider(app)
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"info": {"description": description}},
        MAX_CONTENT_LENGTH=settings.import_max_body_bytes,
    )
    # Order matters: Flask runs after_request hooks last-registered-first, so the request id is
    # set first and echoed last, onto whatever the unit of work finally answers. Metrics come
    # before even that, so a request is timed to its last hook, the commit included.
    metrics.install_http_metrics(app, service=name)
    install_request_ids(app)
    options.install(app)
    blueprints = list(blueprints)
    # The paths this service takes uploads on: declared by its attachments blueprint (servicekit/attachments/api.py).
    uploads = UploadPaths(blueprint.erdm_upload_record for blueprint in blueprints
                          if getattr(blueprint, "erdm_upload_record", None))
    _install_signature_check(app, settings, database, uploads)
    json_body.install(app, prefix=API_PREFIX)
    unit_of_work.install(app, database)
    scope.install(database)  # every ORM read in a request sees only the signed actor's scope
    idempotency.install(app, unit_of_work.request_session, database)
    plugin = DirectedMarshmallowPlugin(schema_name_resolver=schema_name)
    api = ProblemApi(app, spec_kwargs={"marshmallow_plugin": plugin, "extra_plugins": [ErrorResponses()]})
    api.ma_plugin.converter.add_attribute_function(quantity_openapi)
    app.extensions["erdm.api"] = api
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    _install_domain_errors(app, {**DEFAULT_STATUS, **(error_table or {})})
    install_health(app, database=database, broker_check=broker_check, required_kinds=required_processes)
    metrics.install_metrics_endpoint(app, service=name, database=database)
    app.extensions["erdm.settings"] = settings
    return app


__all__ = ["create_service_app", "API_PREFIX", "jsonify"]
