"""RFC 9457 problem+json responses in the one shape every ERDM answer uses."""
from __future__ import annotations

from http import HTTPStatus
from typing import Any, Mapping

from flask import Response, g, json

PROBLEM_MIMETYPE = "application/problem+json"


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response; `extra` members (e.g. `shortfall`) sit beside the standard ones."""
    body: dict[str, Any] = {
        "status": status,
        "title": title or HTTPStatus(status).phrase,
        "detail": detail or HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    body["request_id"] = getattr(g, "request_id", None)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
