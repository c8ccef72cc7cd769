"""The plans service's app factory and worker wiring."""
from __future__ import annotations

from flask import Flask

from servicekit import bus, clock
from servicekit.app import create_service_app
from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.logs import configure_logging
from services.plans import config
from services.plans.api import lifecycle, plans
from services.plans.domain.workdays import WorkCalendar
from services.plans.handlers import PlanHandlers

BLUEPRINTS = (plans.blp, lifecycle.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay"),
               work_calendar: WorkCalendar | None = None) -> Flask:
    if settings is None:  # a real process (gunicorn), not a test: log JSON lines
        configure_logging(config.NAME)
        settings = Settings.from_env()
    clock.configure(settings.timezone)
    database = database or Database(settings.database_url(config.NAME))
    app = create_service_app(
        name=config.NAME,
        title=config.TITLE,
        description=config.DESCRIPTION,
        settings=settings,
        database=database,
        blueprints=BLUEPRINTS,
        broker_check=bus.broker_check(settings),
        required_processes=required_processes,
    )
    app.extensions["plans.work_calendar"] = work_calendar or config.work_calendar()
    return app


def create_worker(settings: Settings, *, database: Database | None = None, connection=None,
                  work_calendar: WorkCalendar | None = None) -> EventWorker:
    clock.configure(settings.timezone)
    database = database or Database(settings.database_url(config.NAME))
    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=config.NAME,
        database=database,
        handlers=PlanHandlers(work_calendar=work_calendar or config.work_calendar()).mapping(),
    )
