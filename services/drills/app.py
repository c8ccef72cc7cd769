"""The drills service's app factory and event worker; its relay is started beside them by erdm/processes.py."""
from __future__ import annotations

from flask import Flask

from contracts import catalogue
from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.wiring import process_settings, service_app, service_worker
from services.drills import config, handlers
from services.drills.api import attachments, calendar, documents, drills, followup
from services.drills.adapters.plans_http import HttpPlanLookup, PlanLookup, PlansUnavailable

# The calendar first: its literal path must not be read as a drill id.
BLUEPRINTS = (calendar.blp, drills.blp, followup.blp, attachments.blp, documents.blp)
ERROR_TABLE = {PlansUnavailable: 503}


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay"),
               plan_lookup: PlanLookup | None = None) -> Flask:
    settings = process_settings(config.NAME, settings)
    app = service_app(config, settings, database=database, blueprints=BLUEPRINTS,
                      required_processes=required_processes, error_table=ERROR_TABLE)
    app.extensions["drills.plan_lookup"] = plan_lookup or HttpPlanLookup(
        catalogue.instance_urls(settings, catalogue.PLANS),
        settings.internal_secret, timeout=settings.upstream_connect_timeout + 1)
    return app


def create_worker(settings: Settings, *, database: Database | None = None, connection=None) -> EventWorker:
    settings = process_settings(config.NAME, settings)
    return service_worker(config.NAME, settings, database=database, connection=connection,
                          handlers=handlers.mapping())
