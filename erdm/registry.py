"""The deployable parts of ERDM: each service from the catalogue (contracts/catalogue.py), and the gateway."""
from __future__ import annotations

import importlib

from contracts.catalogue import BY_NAME, Service

SERVICES: dict[str, Service] = BY_NAME

GATEWAY_WSGI_APP = "gateway.app:create_app()"
CONSOLE_WSGI_APP = "console.app:create_app()"


def create_worker(service: str, settings):
    """The service's event worker, from its package's app factory module."""
    return importlib.import_module(f"{SERVICES[service].package}.app").create_worker(settings)
