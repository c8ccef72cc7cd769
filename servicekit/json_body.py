"""JSON request bodies, read safely once for every app: not JSON where JSON is expected is 415; too deep or
not Unicode (a lone surrogate, which no database can store) is 400 naming where, never a crash later."""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Response, current_app, request

from servicekit.problems import problem

# Real payloads nest three or four levels (a reservation's lines, a finding's corrective action);
# a bound well above that refuses a body built to exhaust the parser's (or a schema's) recursion.
MAX_DEPTH = 32
# A UTF-16 half on its own: JSON may write one as an escape ("\ud800"), but it is no character.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class UnsafeJson(ValueError):
    """A body that must not reach the application: why, and where in it (a path like `lines[0].note`)."""

    def __init__(self, detail: str, where: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.where = where

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.where or "json": [self.detail]}


def is_json(mimetype: str | None) -> bool:
    """application/json or application/*+json, as webargs reads them."""
    mimetype = (mimetype or "").partition(";")[0].strip().lower()
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def loads(data: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The parsed body, or UnsafeJson when it is not UTF-8 JSON, nests deeper than `max_depth`, or
    holds a lone surrogate in any string (key or value)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        value = json.loads(text)
    except UnicodeDecodeError:
        raise UnsafeJson("The request body is not UTF-8 text.") from None
    except RecursionError:  # the C parser recurses once per level; far past max_depth in any case
        raise UnsafeJson(f"The JSON body nests deeper than {max_depth} levels.") from None
    except ValueError:
        raise UnsafeJson("The request body is not valid JSON.") from None
    _inspect(value, max_depth)
    return value


def _inspect(value: Any, max_depth: int) -> None:
    # Iterative, so a deep document cannot exhaust this walk either.
    pending: list[tuple[Any, int, tuple]] = [(value, 0, ())]
    while pending:
        node, depth, path = pending.pop()
        if isinstance(node, str):
            _check_text(node, path)
            continue
        if isinstance(node, dict):
            children = node.items()
        elif isinstance(node, list):
            children = enumerate(node)
        else:
            continue
        if depth >= max_depth:
            raise UnsafeJson(f"The JSON body nests deeper than {max_depth} levels.", _render(path))
        for key, child in children:
            if isinstance(key, str):
                _check_text(key, path + (key,))
            pending.append((child, depth + 1, path + (key,)))


def _check_text(text: str, path: tuple) -> None:
    if _LONE_SURROGATE.search(text):
        raise UnsafeJson("This text holds a lone UTF-16 surrogate (such as \\ud800), which is not a Unicode "
                         "character; send the character itself or a complete surrogate pair.", _render(path))


def _render(path: tuple) -> str | None:
    """`("lines", 0, "note")` → `lines[0].note`; the top level has no name."""
    rendered = ""
    for part in path:
        rendered += f"[{part}]" if isinstance(part, int) else (f".{part}" if rendered else str(part))
    return rendered or None


def _argument_locations(app: Flask) -> set[str]:
    """Where the matched view reads its arguments (json, form, files, query…), as flask-smorest records it."""
    view = app.view_functions.get(request.endpoint)
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), None) or view
    parameters = getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return {parameter.get("in") for parameter in parameters}


def refusal(body: bytes) -> Response | None:
    """The 400 or 415 a body sent to a view that reads JSON deserves, or None when it may go on."""
    if not body:
        return None  # the view's schema says what is missing
    if not is_json(request.mimetype):
        return problem(415, f"This endpoint takes a JSON body (Content-Type: application/json), "
                            f"not {request.mimetype or 'a body without a Content-Type'}.",
                       errors={"Content-Type": ["Send application/json."]})
    try:
        loads(body)
    except UnsafeJson as exc:
        return problem(400, exc.detail, errors=exc.errors)
    return None


def install(app: Flask, *, prefix: str) -> None:
    """Check every body sent to a view under `prefix` that reads JSON, before the view (or its schema) does."""

    @app.before_request
    def _check_json_body():
        if request.url_rule is None or not request.path.startswith(prefix):
            return None  # no such path or method: its 404/405 comes first
        # A view that reads no JSON body (POST /stock/import takes a multipart file) never sees one parsed.
        if "json" not in _argument_locations(current_app):
            return None
        return refusal(request.get_data(cache=True))
