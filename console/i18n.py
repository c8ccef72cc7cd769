"""Chinese by default, English on request (Flask-Babel); dates in ERDM_TIMEZONE; the switch remembered per browser."""
from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, request, session
from flask_babel import Babel, Domain

from console import catalogs
from console.paths import local_path
from console.settings import DEFAULT_LANGUAGE, LANGUAGES, ConsoleSettings

LANGUAGE_COOKIE = "erdm_lang"
# Each area's own catalogs, by blueprint. One English word can mean two things in two areas ("Scope": a drill's
# 单项/综合, a person's 数据范围), so on an area's pages its own catalogs say the last word over the others'.
AREA_CATALOGS = {"home": ("admin",), "admin": ("admin",), "stock": ("stock",), "plans": ("plans",),
                 "drills": ("drills",), "supervision": ("supervision",)}
CORE = "core"

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
          default_translation_directories=";".join(area_directories(None)), default_locale=DEFAULT_LANGUAGE)
    app.register_blueprint(blp)
    # Built once per process: a Domain keeps its loaded catalogs.
    domains = {area: Domain(translation_directories=area_directories(area)) for area in AREA_CATALOGS}

    @app.before_request
    def _language():
        g.language = chosen_language()
        if request.blueprint in domains:
            domains[request.blueprint].as_default()

    @app.context_processor
    def _languages():
        return {"language": g.get("language", DEFAULT_LANGUAGE), "languages": LANGUAGES}


def area_directories(area: str | None) -> list[str]:
    """Every catalog folder, merged in this order (a later one's translation wins): the other areas', the core's,
    then the area's own (for pages of no area, the core's last)."""
    own = [*AREA_CATALOGS.get(area, ()), CORE] if area is None else [CORE, *AREA_CATALOGS[area]]
    parts = {path.name: str(path) for path in catalogs.parts()}
    return [parts[name] for name in sorted(parts) if name not in own] + [parts[name] for name in own if name in parts]


@blp.post("/language")
def switch():
    """Switch the pages' language and go back to where the person was."""
    language = request.form.get("lang")
    response = redirect(local_path(request.form.get("next")) or "/")
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return response
