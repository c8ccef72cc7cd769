"""Which service owns each public path, and which role area it falls in: the gateway's one routing table."""
from __future__ import annotations

from typing import NamedTuple

from servicekit.config import Settings

GATEWAY = "gateway"  # paths the gateway answers itself


class Route(NamedTuple):
    prefix: str
    service: str
    area: str  # the column of the roles table (gateway/roles.py) that decides who may call it


# Each prefix is matched as whole path segments, so order does not matter and
# `/api/v1/itemsx` never reaches the owner of `/api/v1/items`. A new path needs a line here
# (else 404) and its area needs a column in the roles table (else 403 for every role).
ROUTES: tuple[Route, ...] = (
    # The classification tree is the bureau's standard: only admins extend it.
    Route("/api/v1/categories", "resources", "categories"),
    Route("/api/v1/warehouses", "resources", "resources"),
    Route("/api/v1/items", "resources", "resources"),
    Route("/api/v1/stock", "resources", "resources"),
    Route("/api/v1/quotas", "resources", "resources"),
    Route("/api/v1/movements", "resources", "resources"),
    Route("/api/v1/reservations", "resources", "resources"),
    Route("/api/v1/equipment", "resources", "resources"),
    Route("/api/v1/alerts", "resources", "resources"),
    Route("/api/v1/plans", "plans", "plans"),
    Route("/api/v1/drills", "drills", "drills"),
    Route("/api/v1/corrective-actions", "drills", "drills"),
    Route("/api/v1/keys", GATEWAY, "keys"),
    Route("/api/v1/openapi.json", GATEWAY, "docs"),
    Route("/api/v1/readiness", GATEWAY, "readiness"),  # the gateway's own view across the services
)

KNOWN_SERVICES: frozenset[str] = frozenset(route.service for route in ROUTES if route.service != GATEWAY)

# The services this deployment actually runs. Plans and drills join this list when their
# apps exist; until then their paths answer 503 "not deployed" instead of a misleading 502.
ENABLED_SERVICES: tuple[str, ...] = ("resources", "plans", "drills")


def route_for(path: str) -> Route | None:
    """The route owning `path` (already percent-decoded), or None when nothing does."""
    segments = path.split("/")
    # A dot segment could be resolved differently upstream than here; no real client sends one.
    if "." in segments or ".." in segments:
        return None
    for route in ROUTES:
        if path == route.prefix or path.startswith(route.prefix + "/"):
            return route
    return None


def service_for(path: str) -> str | None:
    """The service owning `path`, or None when no service does (the gateway's own paths included)."""
    route = route_for(path)
    return route.service if route and route.service != GATEWAY else None


def enabled_services(settings: Settings) -> tuple[str, ...]:
    """The services to forward to and to ask at /readyz, in table order."""
    return tuple(service for service in ENABLED_SERVICES if service in KNOWN_SERVICES)
