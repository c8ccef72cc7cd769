"""How ERDM describes its API: typed request and answer forms of each schema, and every error an operation may give."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, Iterator, Mapping

import marshmallow as ma
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter, SchemaResolver
from apispec.ext.marshmallow.common import (
    get_fields, get_unique_schema_name, make_schema_key, resolve_schema_instance,
)
from flask_smorest.utils import prepare_response

from servicekit.problems import PROBLEM_MIMETYPE
from servicekit.schemas import SOMETIMES, Instant, ProblemSchema

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


# --- request and answer forms of one schema ----------------------------------------------------------
# A marshmallow schema often serves both ways (DrillSchema is POSTed and answered). OpenAPI 3.0 can say
# "read-only" but not "always in an answer, optional in a request", so a generated client made every
# answer field optional and put server-set fields into its request models. Each schema is therefore
# described in the form of each direction it is used in: its request form (`DrillInput`, `DrillPatch`)
# without the server-set fields, and its answer form (`Drill`) without the write-only ones and with
# every field it always carries marked required (servicekit.schemas.Schema fills a missing nullable one
# with null; `sometimes()` marks the few an answer may leave out). Which form is being built travels in a
# context variable, set per part of an operation, so nested schemas follow their parent.
REQUEST, ANSWER = "request", "answer"
_direction: ContextVar[str] = ContextVar("erdm_openapi_direction", default=ANSWER)


@contextmanager
def describing(direction: str) -> Iterator[None]:
    """Build the schemas resolved inside this block in their `direction` form (REQUEST or ANSWER)."""
    token = _direction.set(direction)
    try:
        yield
    finally:
        _direction.reset(token)


def describing_requests() -> bool:
    return _direction.get() == REQUEST


def _key(schema: ma.Schema) -> tuple:
    return (_direction.get(), *make_schema_key(schema))


class DirectedConverter(OpenAPIConverter):
    """apispec's converter, keeping one component per schema and direction."""

    def resolve_nested_schema(self, schema):
        try:
            instance = resolve_schema_instance(schema)
        except ma.exceptions.RegistryError:
            return schema
        if _key(instance) not in self.refs:
            name = self.schema_name_resolver(schema)
            if describing_requests() and not getattr(instance, "partial", False):
                name += "Input"  # a partial form is already named …Patch, and only ever a request
            self.spec.components.schema(get_unique_schema_name(self.spec.components, name), schema=schema)
        return self.get_ref_dict(instance)

    def get_ref_dict(self, schema):
        reference = self.spec.components.get_ref("schema", self.refs[_key(schema)])
        return {"type": "array", "items": reference} if getattr(schema, "many", False) else reference

    def schema2jsonschema(self, schema):
        """apispec's conversion of the fields this direction shows, with the answer form's required list."""
        instance = resolve_schema_instance(schema)
        hidden = "dump_only" if describing_requests() else "load_only"
        shown = {name: field for name, field in get_fields(schema).items() if not getattr(field, hidden)}
        jsonschema = self.fields2jsonschema(shown, partial=getattr(schema, "partial", None))
        if not describing_requests():
            carried = sorted(field.data_key or name for name, field in shown.items()
                             if not field.metadata.get(SOMETIMES))
            jsonschema.pop("required", None)
            if carried:
                jsonschema["required"] = carried
        meta = getattr(schema, "Meta", None)
        if hasattr(meta, "title"):
            jsonschema["title"] = meta.title
        if hasattr(meta, "description"):
            jsonschema["description"] = meta.description
        elif instance.unknown != ma.EXCLUDE:
            jsonschema["additionalProperties"] = instance.unknown == ma.INCLUDE
        return jsonschema


class DirectedResolver(SchemaResolver):
    """Resolves an operation's parameters and request body as requests, its responses as answers."""

    def resolve_operations(self, operations, **kwargs):
        for operation in (operations or {}).values():
            if not isinstance(operation, dict):
                continue
            with describing(REQUEST):
                if "parameters" in operation:
                    operation["parameters"] = self.resolve_parameters(operation["parameters"])
                self.resolve_callback(operation.get("callbacks", {}))
                if "requestBody" in operation:
                    self.resolve_schema(operation["requestBody"])
            with describing(ANSWER):
                for response in operation.get("responses", {}).values():
                    self.resolve_response(response)


class DirectedMarshmallowPlugin(MarshmallowPlugin):
    """The marshmallow plugin every ERDM description is built with (services and the gateway)."""

    Converter = DirectedConverter
    Resolver = DirectedResolver

    def init_spec(self, spec) -> None:
        super().init_spec(spec)
        self.converter.add_attribute_function(moment_openapi)

    def schema_helper(self, name, _, schema=None, **kwargs):
        if schema is None:
            return None
        instance = resolve_schema_instance(schema)
        self.converter.refs[_key(instance)] = name
        return self.converter.schema2jsonschema(instance)


def moment_openapi(converter, field, ret: dict, **kwargs: Any) -> dict:
    """A moment a request takes is a date-time with offset or a plain date; an answer always gives a date-time."""
    if not isinstance(field, Instant) or not describing_requests():
        return {}
    ret.pop("type", None)
    ret.pop("format", None)
    bound = "end" if field.end_of_day else "start"
    explained = (f"An ISO 8601 date-time with its offset, or a plain date YYYY-MM-DD meaning that day's {bound} "
                 "in ERDM_TIMEZONE.")
    return {"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}],
            "description": " ".join(filter(None, [field.metadata.get("description"), explained]))}


BINARY = {"type": "string", "format": "binary"}  # bytes a client saves as they are (a spreadsheet)
TEXT = {"type": "string"}  # text a client reads as a string (an iCalendar feed)


def file_answer(description: str, media_types: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """The 200 answer of an operation that answers a file rather than JSON, for `@blp.doc(responses=...)`:
    each media type with its body (BINARY or TEXT), so a generated client hands back the bytes or the text
    instead of trying to parse JSON."""
    return {"200": {"description": description,
                    "content": {media_type: {"schema": dict(body)} for media_type, body in media_types.items()}}}
