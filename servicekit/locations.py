"""A created record's answer: 201 with a `Location` header naming its GET URL (the path the gateway exposes)."""
from __future__ import annotations

from typing import Any

from flask import url_for


def created(body: Any, endpoint: str, **values: Any) -> tuple[Any, int, dict[str, str]]:
    """The view's return value for a create: `body` (dumped by the view's schema), 201, and the URL of
    `endpoint` (a `blueprint.View` name) with `values`. Services serve the same paths the gateway exposes,
    so the path is the public one; the idempotency record keeps the header for replays."""
    return body, 201, {"Location": url_for(endpoint, **values)}
