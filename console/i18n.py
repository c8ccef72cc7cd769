"""Chinese by default, English on request (Flask-Babel); dates in ERDM_TIMEZONE; the switch remembered per browser."""
from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, request, session
from flask_babel import Babel

from console import catalogs
from console.paths import local_path
from console.settings import DEFAULT_LANGUAGE, LANGUAGES, ConsoleSettings

LANGUAGE_COOKIE = "erdm_lang"

blp = Blueprint("i18n", __name__)


def chosen_language() -> str:
    """The language this browser chose (the switch sets a cookie, so it holds before signing in too)."""
    asked = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE) or session.get("lang")
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


def install(app: Flask, settings: ConsoleSettings) -> None:
    def locale() -> str:
        g.language = chosen_language()
        return g.language

    Babel(app, locale_selector=locale, timezone_selector=lambda: settings.timezone,
          default_translation_directories=catalogs.directories(), default_locale=DEFAULT_LANGUAGE)
    app.register_blueprint(blp)

    @app.before_request
    def _language():
        g.language = chosen_language()

    @app.context_processor
    def _languages():
        return {"language": g.get("language", DEFAULT_LANGUAGE), "languages": LANGUAGES}


@blp.post("/language")
def switch():
    """Switch the pages' language and go back to where the person was."""
    language = request.form.get("lang")
    response = redirect(local_path(request.form.get("next")) or "/")
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response
