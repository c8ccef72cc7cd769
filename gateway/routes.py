"""Which service owns each public path: the gateway's one routing table."""
from __future__ import annotations

from servicekit.config import Settings

# Each prefix is matched as whole path segments, so order does not matter and
# `/api/v1/itemsx` never reaches the owner of `/api/v1/items`.
ROUTES: tuple[tuple[str, str], ...] = (
    ("/api/v1/categories", "resources"),
    ("/api/v1/warehouses", "resources"),
    ("/api/v1/items", "resources"),
    ("/api/v1/stock", "resources"),
    ("/api/v1/quotas", "resources"),
    ("/api/v1/movements", "resources"),
    ("/api/v1/reservations", "resources"),
    ("/api/v1/equipment", "resources"),
    ("/api/v1/alerts", "resources"),
    ("/api/v1/plans", "plans"),
    ("/api/v1/drills", "drills"),
    ("/api/v1/corrective-actions", "drills"),
)

KNOWN_SERVICES: frozenset[str] = frozenset(service for _, service in ROUTES)

# The services this deployment actually runs. Plans and drills join this list when their
# apps exist; until then their paths answer 503 "not deployed" instead of a misleading 502.
ENABLED_SERVICES: tuple[str, ...] = ("resources",)


def service_for(path: str) -> str | None:
    """The service owning `path` (already percent-decoded), or None when no service does."""
    segments = path.split("/")
    # A dot segment could be resolved differently upstream than here; no real client sends one.
    if "." in segments or ".." in segments:
        return None
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None


def enabled_services(settings: Settings) -> tuple[str, ...]:
    """The services to forward to and to ask at /readyz, in table order."""
    return tuple(service for service in ENABLED_SERVICES if service in KNOWN_SERVICES)
