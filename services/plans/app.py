"""The plans service's app factory and event worker; its relay is started beside them by erdm/processes.py."""
from __future__ import annotations

from flask import Flask

from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.wiring import process_settings, service_app, service_worker
from services.plans import config
from services.plans.api import attachments, documents, lifecycle, plans, readiness
from services.plans.domain.workdays import WorkCalendar
from services.plans.handlers import PlanHandlers

BLUEPRINTS = (plans.blp, lifecycle.blp, readiness.blp, attachments.blp, documents.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay"),
               work_calendar: WorkCalendar | None = None) -> Flask:
    settings = process_settings(config.NAME, settings)
    app = service_app(config, settings, database=database, blueprints=BLUEPRINTS,
                      required_processes=required_processes)
    app.extensions["plans.work_calendar"] = work_calendar or config.work_calendar()
    return app


def create_worker(settings: Settings, *, database: Database | None = None, connection=None,
                  work_calendar: WorkCalendar | None = None) -> EventWorker:
    settings = process_settings(config.NAME, settings)
    handlers = PlanHandlers(work_calendar=work_calendar or config.work_calendar()).mapping()
    return service_worker(config.NAME, settings, database=database, connection=connection, handlers=handlers)
