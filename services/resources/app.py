"""The resources service's app factory and event worker; its relay is started beside them by erdm/processes.py."""
from __future__ import annotations

from flask import Flask

from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.wiring import process_settings, service_app, service_worker
from services.resources import config
from services.resources.api import catalog, documents, equipment, insight, operations, requisitions, reservations, stock
from services.resources.handlers import ResourceHandlers
from services.resources.use_cases.sweeps import SWEEPS

BLUEPRINTS = (catalog.blp, stock.blp, operations.blp, reservations.blp, requisitions.blp, equipment.blp, insight.blp,
              documents.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay")) -> Flask:
    settings = process_settings(config.NAME, settings)
    return service_app(config, settings, database=database, blueprints=BLUEPRINTS,
                       required_processes=required_processes)


def create_worker(settings: Settings, *, database: Database | None = None, connection=None) -> EventWorker:
    settings = process_settings(config.NAME, settings)
    return service_worker(config.NAME, settings, database=database, connection=connection,
                          handlers=ResourceHandlers(timezone=settings.timezone).mapping(), sweeps=SWEEPS)
