"""The deployable parts of ERDM: each service's package, web app, worker factory, and the gateway."""
from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str  # holds migrations/

    @property
    def wsgi_app(self) -> str:
        return f"{self.package}.app:create_app()"

    def create_worker(self, settings):
        return importlib.import_module(f"{self.package}.app").create_worker(settings)


SERVICES: dict[str, ServiceSpec] = {
    "resources": ServiceSpec("resources", "services.resources"),
    "plans": ServiceSpec("plans", "services.plans"),
    "drills": ServiceSpec("drills", "services.drills"),
}

GATEWAY_WSGI_APP = "gateway.app:create_app()"
