"""Which service owns each public path, and which role area it falls in: the gateway's one routing table.

The services' paths are the catalogue's (contracts/catalogue.py, each service's `routes`); the
gateway adds its own. A new service's paths reach it once its catalogue entry lists them.
"""
from __future__ import annotations

from typing import NamedTuple

from contracts.catalogue import SERVICES
from servicekit.config import Settings

GATEWAY = "gateway"  # paths the gateway answers itself


class Route(NamedTuple):
    prefix: str
    service: str  # the first owner
    area: str  # the column of the roles table (gateway/roles.py) that decides who may call it
    steps: tuple[tuple[str, str], ...] = ()  # last path segment -> its own area (contracts/catalogue.py Route)
    # Every service listing the prefix, in catalogue order (one but for a path several share, such as
    # attachments' content: gateway/app.py asks them in turn).
    owners: tuple[str, ...] = ()


# Each prefix is matched as whole path segments, so order does not matter and
# `/api/v1/itemsx` never reaches the owner of `/api/v1/items`. A new path needs a line in the
# catalogue or here (else 404) and its area needs a column in the roles table (else 403 for every role).
GATEWAY_ROUTES: tuple[Route, ...] = (
    Route("/api/v1/keys", GATEWAY, "keys"),
    Route("/api/v1/orgs", GATEWAY, "orgs"),  # the organisation directory
    Route("/api/v1/me", GATEWAY, "me"),  # who the caller is
    Route("/api/v1/users", GATEWAY, "users"),  # the people who sign in
    Route("/api/v1/sessions", GATEWAY, "sessions"),  # signing in and out
    Route("/api/v1/calendar-feeds", GATEWAY, "feeds"),  # each caller's own secret calendar URLs
    Route("/api/v1/webhooks", GATEWAY, "webhooks"),  # subscriptions of integrators' URLs to events (admin)
    Route("/api/v1/openapi.json", GATEWAY, "docs"),
    Route("/api/v1/readiness", GATEWAY, "readiness"),  # the gateway's own view across the services
)
# The one /api/v1 call that carries no credential: signing in, which asks for one. (A calendar feed's URL,
# `/feeds/<token>.ics`, lies outside /api/v1 and this table: its token is its credential, gateway/feed_ics.py.)
SIGN_IN = ("POST", "/api/v1/sessions")

def _service_routes() -> tuple[Route, ...]:
    """The catalogue's routes, one per prefix: a prefix several services list is owned by all of them."""
    owners: dict[str, list[str]] = {}
    first: dict[str, Route] = {}
    for service in SERVICES:
        for route in service.routes:
            owners.setdefault(route.prefix, []).append(service.name)
            first.setdefault(route.prefix, Route(route.prefix, service.name, route.area, route.steps))
    return tuple(route._replace(owners=tuple(owners[prefix])) for prefix, route in first.items())


ROUTES: tuple[Route, ...] = (
    *_service_routes(),
    *(route._replace(owners=(route.service,)) for route in GATEWAY_ROUTES),
)

KNOWN_SERVICES: frozenset[str] = frozenset(service.name for service in SERVICES)

# The services this deployment runs: every one in the catalogue. A deployment (or a test) that
# runs fewer narrows this, and the paths of the others answer 503 "not deployed", not a misleading 502.
ENABLED_SERVICES: tuple[str, ...] = tuple(service.name for service in SERVICES)


def route_for(path: str) -> Route | None:
    """The route owning `path` (already percent-decoded), or None when nothing does."""
    segments = path.split("/")
    # A dot segment could be resolved differently upstream than here; no real client sends one.
    if "." in segments or ".." in segments:
        return None
    for route in ROUTES:
        if path == route.prefix or path.startswith(route.prefix + "/"):
            if route.steps and path != route.prefix:
                last = path.rstrip("/").rsplit("/", 1)[-1]
                area = next((area for step, area in route.steps if step == last), route.area)
                return route._replace(area=area)
            return route
    return None


def service_for(path: str) -> str | None:
    """The service owning `path`, or None when no service does (the gateway's own paths included)."""
    route = route_for(path)
    return route.service if route and route.service != GATEWAY else None


def enabled_services(settings: Settings) -> tuple[str, ...]:
    """The services to forward to and to ask at /readyz, in catalogue order."""
    return tuple(service for service in ENABLED_SERVICES if service in KNOWN_SERVICES)
