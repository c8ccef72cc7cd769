"""The supervision service's app factory and event worker; its relay is started beside them by erdm/processes.py."""
from __future__ import annotations

from flask import Flask

from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.wiring import process_settings, service_app, service_worker
from services.supervision import config, handlers
from services.supervision.api import attachments, documents, follow_ups, hazards, orders, warnings
from services.supervision.use_cases.sweeps import SWEEPS

BLUEPRINTS: tuple = (hazards.blp, orders.blp, follow_ups.blp, warnings.blp, attachments.blp, documents.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay")) -> Flask:
    settings = process_settings(config.NAME, settings)
    return service_app(config, settings, database=database, blueprints=BLUEPRINTS,
                       required_processes=required_processes)


def create_worker(settings: Settings, *, database: Database | None = None, connection=None) -> EventWorker:
    settings = process_settings(config.NAME, settings)
    return service_worker(config.NAME, settings, database=database, connection=connection,
                          handlers=handlers.mapping(), sweeps=SWEEPS)
