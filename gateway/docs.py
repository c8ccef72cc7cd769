"""`GET /docs`: Swagger UI over the merged description, served from the swagger-ui-bundle package (no CDN)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory
from swagger_ui_bundle import swagger_ui_path

STATIC = Path(__file__).resolve().parent / "static"
SWAGGER_UI = Path(str(swagger_ui_path))

# Only what the page loads; the rest of the package (source maps, other bundles) is not served.
SWAGGER_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"})
OWN_ASSETS = frozenset({"erdm-docs.js", "erdm-docs.css"})
ASSET_MAX_AGE = 3600

# Everything the page needs comes from this origin; Swagger UI sets inline styles, nothing else inline.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")

blp = Blueprint("docs", __name__)


@blp.get("/docs")
def docs_page() -> Response:
    response = Response((STATIC / "docs.html").read_bytes(), mimetype="text/html")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.get("/docs/assets/<name>")
def swagger_asset(name: str) -> Response:
    if name not in SWAGGER_ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_UI, name, max_age=ASSET_MAX_AGE)


@blp.get("/docs/static/<name>")
def own_asset(name: str) -> Response:
    if name not in OWN_ASSETS:
        abort(404)
    return send_from_directory(STATIC, name, max_age=ASSET_MAX_AGE)
