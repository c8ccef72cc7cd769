"""OPTIONS on any path answers 204 with an `Allow` header naming the path's methods, and no body."""
from __future__ import annotations

from flask import Flask, Response
from flask.globals import request_ctx


def install(app: Flask) -> None:
    """Replace Flask's automatic OPTIONS answer (an empty text/html 200) for every route of `app`."""

    def options_response() -> Response:
        response = app.response_class(status=204)
        response.allow.update(request_ctx.url_adapter.allowed_methods())
        del response.headers["Content-Type"]  # there is no body to describe
        return response

    # Flask calls this for each route whose OPTIONS it answers itself (provide_automatic_options).
    app.make_default_options_response = options_response
