"""The error answers a service's operations may give, documented by rule as application/problem+json."""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin
from flask_smorest.utils import prepare_response

from servicekit.problems import PROBLEM_MIMETYPE
from servicekit.schemas import ProblemSchema

PROBLEM = "Problem"


class ErrorResponses(BasePlugin):
    """Documents the statuses every operation of a kind can answer, so a client (and the fuzzer) finds each.

    flask-smorest documents only the 422 of `@blp.arguments`; the rest follow from servicekit/app.py:
    a path naming an object answers 404 when there is none, a JSON body that does not parse (or nests
    too deep, or holds a lone surrogate) answers 400, and a body that is not JSON 415
    (servicekit/json_body.py). An error documented with a description alone gets the Problem body it
    really has.
    """

    def init_spec(self, spec) -> None:
        super().init_spec(spec)
        spec.components.schema(PROBLEM, schema=ProblemSchema)

    def operation_helper(self, path: str | None = None, operations: dict | None = None, **kwargs: Any) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            if path and "{" in path:
                responses.setdefault(404, HTTPStatus.NOT_FOUND.name)
            if "application/json" in (operation.get("requestBody") or {}).get("content", {}):
                responses.setdefault(400, HTTPStatus.BAD_REQUEST.name)
                responses.setdefault(415, HTTPStatus.UNSUPPORTED_MEDIA_TYPE.name)
            for status, response in responses.items():
                is_error = str(status).isdigit() and int(status) >= 400
                if is_error and isinstance(response, dict) and "content" not in response:
                    response["content"] = {PROBLEM_MIMETYPE: {"schema": PROBLEM}}


def register_problem_responses(api) -> None:
    """flask-smorest's one response per HTTP status (NOT_FOUND, CONFLICT, …), as problem+json bodies."""
    for status in HTTPStatus:
        response: dict[str, Any] = {"description": status.phrase}
        if status >= 400:
            response["schema"] = api.ERROR_SCHEMA
        prepare_response(response, api.spec, PROBLEM_MIMETYPE if status >= 400 else api.DEFAULT_RESPONSE_CONTENT_TYPE)
        api.spec.components.response(status.name, response, lazy=True)
