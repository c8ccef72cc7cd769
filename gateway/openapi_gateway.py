"""The gateway's own part of the API description: bearer security, the shared error shapes, the keys endpoints,
and what flask-smorest describes of the organisation directory and /me."""
from __future__ import annotations

from typing import Any

from apispec import APISpec

from gateway.readiness import readiness_page_schema
from gateway.roles import ROLES
from gateway.schemas import KeyCreateSchema, KeyCreatedSchema, KeyPageSchema
from servicekit.app import schema_name
from servicekit.openapi import REQUEST, DirectedMarshmallowPlugin, describing

SECURITY_SCHEME = "bearerAuth"
PROBLEM = {"$ref": "#/components/schemas/Problem"}

# (status, component, only on writes): what the gateway may answer before or instead of a service.
GATEWAY_RESPONSES = (
    ("401", "Unauthorized", "missing, unknown or revoked API key, or an ended session", False),
    ("403", "Forbidden", "the key's role may not do this; `required_roles` names who may", False),
    ("413", "PayloadTooLarge", "request body over ERDM_MAX_BODY_BYTES", True),
    ("429", "TooManyRequests", "the key's rate limit is spent; see Retry-After", False),
    ("502", "BadGateway", "the owning service is unreachable or failed; `service` names it", False),
    ("503", "ServiceUnavailable", "the owning service (named in `service`) or the key store is unavailable", False),
    ("504", "GatewayTimeout", "the owning service did not answer in time; `service` names it. Nothing was "
                              "changed: a service never commits after the gateway stops waiting, so a retry is safe",
     False),
)

DESCRIPTION = (
    "Emergency Resource & Drill Management, through its one gateway. Every call carries "
    "`Authorization: Bearer <key>` (an API key, or a person's session token from `POST /api/v1/sessions`, "
    "the one call that needs none); each has one role (" + ", ".join(ROLES) + "). "
    "Errors are application/problem+json."
)


def _problem_response(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description,
                                "content": {"application/problem+json": {"schema": PROBLEM}}}
    if retry_after:
        response["headers"] = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}
    return response


def _problem_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "RFC 9457 problem details; members such as `service`, `shortfall`, "
                       "`required_roles` or `limit` may sit beside the standard ones.",
        "properties": {
            "status": {"type": "integer"},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "object", "description": "bad field → messages", "additionalProperties": {}},
            "request_id": {"type": "string", "nullable": True},
        },
        "required": ["status", "title", "detail"],
    }


def _json_of(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


PAGE_ARGS = [{"in": "query", "name": "page", "schema": {"type": "integer", "minimum": 1, "default": 1}},
             {"in": "query", "name": "per_page",
              "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}]
BAD_QUERY = _problem_response("a query parameter is invalid; `errors` names it")


def _gateway_paths() -> dict[str, Any]:
    page = [*PAGE_ARGS, {"in": "query", "name": "include_revoked", "schema": {"type": "boolean", "default": False}}]
    return {
        "/api/v1/keys": {
            "get": {"tags": ["keys"], "summary": "API keys, newest first, without their secrets (admin)",
                    "parameters": page,
                    "responses": {"200": {"description": "OK", "content": _json_of("KeyPage")},
                                  "422": BAD_QUERY}},
            "post": {"tags": ["keys"], "summary": "Create an API key; the key is shown in this answer only (admin)",
                     "requestBody": {"required": True, "content": _json_of("KeyCreate")},
                     "responses": {"201": {"description": "Created", "content": _json_of("KeyCreated")},
                                   "400": _problem_response("the body is not JSON, nests too deep or holds "
                                                            "a lone surrogate; `errors` says where"),
                                   "415": _problem_response("the body is not application/json"),
                                   "409": _problem_response("a live key already has this name"),
                                   "422": _problem_response("a field is invalid; `errors` names it")}},
        },
        "/api/v1/keys/{key_id}": {
            "parameters": [{"in": "path", "name": "key_id", "required": True,
                            "schema": {"type": "string", "format": "uuid"}}],
            "get": {"tags": ["keys"], "summary": "One key, live or revoked, without its secret (admin)",
                    "responses": {"200": {"description": "OK", "content": _json_of("Key")},
                                  "404": _problem_response("no key with this id")}},
            "delete": {"tags": ["keys"], "summary": "Revoke a key: it is refused (401) from now on (admin)",
                       "responses": {"204": {"description": "Revoked"},
                                     "404": _problem_response("no live key with this id")}},
        },
        "/api/v1/openapi.json": {
            "get": {"tags": ["docs"], "summary": "This description: every service's API merged",
                    "responses": {"200": {"description": "OpenAPI 3.0 document",
                                          "content": {"application/json": {"schema": {"type": "object"}}}}}},
        },
        "/api/v1/readiness": {
            "get": {"tags": ["readiness"], "summary": "Every approved plan's readiness: stock shortfall, drill due, "
                                                      "open corrective actions; a service that cannot be asked "
                                                      "makes a partial answer, never a failure",
                    "parameters": PAGE_ARGS,
                    "responses": {"200": {"description": "OK", "content": _json_of("ReadinessPage")},
                                  "422": BAD_QUERY}},
        },
    }


def _add_own(document: dict[str, Any], own: dict[str, Any]) -> None:
    """Fold the smorest-made description in; where both name a component (Problem), the hand-written one stays."""
    document["paths"].update(own.get("paths", {}))
    for kind, members in own.get("components", {}).items():
        target = document.setdefault("components", {}).setdefault(kind, {})
        for name, member in members.items():
            target.setdefault(name, member)
    known = {tag["name"] for tag in document.get("tags", [])}
    document.setdefault("tags", []).extend(tag for tag in own.get("tags", []) if tag["name"] not in known)


def gateway_document(own: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document the services' descriptions are merged into; `own` is the gateway's smorest description."""
    spec = APISpec(title="ERDM API", version="v1", openapi_version="3.0.3",
                   plugins=[DirectedMarshmallowPlugin(schema_name_resolver=schema_name)],
                   info={"description": DESCRIPTION})
    spec.components.schema("Problem", _problem_schema())
    with describing(REQUEST):
        spec.components.schema("KeyCreate", schema=KeyCreateSchema)
    spec.components.schema("KeyCreated", schema=KeyCreatedSchema)
    spec.components.schema("KeyPage", schema=KeyPageSchema)
    spec.components.schema("ReadinessPage", readiness_page_schema())
    spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer",
        "description": "an ERDM API key (erdm_…; ask an admin, or `python -m erdm keys create`), or a session "
                       "token (erdms_…) from signing in with `POST /api/v1/sessions`",
    })
    for status, name, description, _writes in GATEWAY_RESPONSES:
        spec.components.response(name, _problem_response(description, retry_after=status == "429"))
    spec.tag({"name": "keys", "description": "API keys and their roles (gateway)"})
    spec.tag({"name": "docs", "description": "This API description (gateway)"})
    spec.tag({"name": "readiness", "description": "Readiness of every approved plan, across the services (gateway)"})
    document = spec.to_dict()
    document["paths"] = _gateway_paths()
    if own is not None:
        _add_own(document, own)
    document["security"] = [{SECURITY_SCHEME: []}]
    return document
