"""The console's app factory: server-side sessions, CSRF on every form, Chinese or English, one blueprint per area."""
from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from flask import Flask, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from console import admin, attachments, auth, documents, drills, filters, home, i18n, plans, sessions, stock, supervision
from console.gateway_api import GatewayApi, GatewayDown, Refused, SignedOut
from console.paths import local_path
from console.settings import ConsoleSettings
from contracts.catalogue import attachment_records
from servicekit.attachments.spool import UploadPaths, is_upload
from servicekit.config import Settings
from servicekit.logs import configure_logging, install_request_ids

# The areas, in the order of the navigation bar. Each module has `blp` and its templates under templates/<area>/.
AREAS = (home, stock, plans, drills, supervision, admin, documents)
# Pages anyone may open before signing in.
OPEN_ENDPOINTS = frozenset({"auth.login", "i18n.switch", "static", "healthz"})


def create_app(settings: Settings | None = None, *, console_settings: ConsoleSettings | None = None,
               gateway_transport: httpx.BaseTransport | None = None) -> Flask:
    """The console; `gateway_transport` replaces the network to the gateway in tests."""
    if settings is None:
        settings = Settings.from_env()
        configure_logging("console")
    console_settings = console_settings or ConsoleSettings.from_settings(settings)
    app = Flask(__name__)
    # The gateway is the one hop in front: it names the host and scheme the browser used (shown in URLs people
    # copy, such as a calendar feed's). The browser's address it proves instead (gateway_api.browser_address).
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=1, x_host=1)
    app.config.update(
        SECRET_KEY=console_settings.secret_key,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,  # the largest body the gateway takes (a spreadsheet import)
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as the session it belongs to
    )
    app.extensions["erdm_console_settings"] = console_settings
    app.extensions["erdm_gateway_api"] = GatewayApi(console_settings.gateway_urls,
                                                    internal_secret=console_settings.internal_secret,
                                                    transport=gateway_transport)
    install_request_ids(app)
    sessions.install(app, console_settings)
    _install_identity(app)  # before the CSRF check, so even its refusal page says who is signed in
    _install_upload_limit(app, settings)  # before the CSRF check too: reading its token parses the form
    CSRFProtect(app)
    i18n.install(app, console_settings)
    filters.install(app, console_settings)
    app.register_blueprint(auth.blp)
    for area in AREAS:
        app.register_blueprint(area.blp)
    app.register_blueprint(attachments.blp)  # on the plan, drill and order pages, not an area of its own
    _install_sign_in_required(app)
    _install_error_pages(app)
    _install_security_headers(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _install_identity(app: Flask) -> None:
    @app.before_request
    def _who_is_signed_in():
        g.me = (session.get("me") or {}) if session.get("token") else {}


# The pages taking an upload form: the API's upload paths without its `/api/v1` (console/attachments.py).
_UPLOAD_FORMS = UploadPaths(record.removeprefix("/api/v1") for record in attachment_records())


def _install_upload_limit(app: Flask, settings: Settings) -> None:
    """An attachment's upload form may carry the API's largest file (Werkzeug parses it to a temporary file)."""

    @app.before_request
    def _room_for_an_attachment():
        if is_upload(request.method, request.path, request.mimetype, paths=_UPLOAD_FORMS):
            request.max_content_length = settings.upload_max_body_bytes


def _install_sign_in_required(app: Flask) -> None:
    @app.before_request
    def _require_sign_in():
        if request.endpoint in OPEN_ENDPOINTS or request.endpoint is None:
            return None
        if not session.get("token"):
            return redirect(url_for("auth.login", next=local_path(request.full_path)))
        return None


def _install_error_pages(app: Flask) -> None:
    @app.errorhandler(SignedOut)
    def _signed_out(_exc):
        session.clear()
        return redirect(url_for("auth.login", next=local_path(request.full_path) if request.method == "GET" else None,
                                expired=1))

    @app.errorhandler(GatewayDown)
    def _gateway_down(exc):
        return render_template("error.html", status=503, message=str(exc)), 503

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        # A refusal no form caught: a record outside the caller's scope (404), a role that may not (403).
        return render_template("error.html", status=exc.status, message=exc.detail), exc.status

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        # The page says what happened in the person's language; Flask-WTF's English detail adds nothing to it.
        return render_template("error.html", status=400, message=None), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        # A page's own refusal (abort with its words) is shown; Werkzeug's stock English description of a page that
        # does not exist adds nothing to the page's own words in the person's language.
        own_words = exc.description if exc.description != type(exc).description else None
        return render_template("error.html", status=exc.code, message=own_words), exc.code


def _install_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        # Every asset is served from here: the browser may load nothing from anywhere else, except the map
        # tiles when a deployment names a tile server.
        tiles = app.extensions["erdm_console_settings"].map_tile_url
        image_sources = "'self' data:" + (f" {_origin(tiles)}" if tiles else "")
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; img-src {image_sources}; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages, the map's markers and exports are one person's view of scoped data: no cache may keep them.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _origin(url: str) -> str:
    parts = urlsplit(url.replace("{s}", "a"))
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"
