"""The drills service's app factory, worker and relay wiring."""
from __future__ import annotations

from flask import Flask

from servicekit import bus, clock
from servicekit.app import create_service_app
from servicekit.config import Settings
from servicekit.consumer import EventWorker
from servicekit.db import Database
from servicekit.logs import configure_logging
from services.drills import config, handlers
from services.drills.api import calendar, drills, followup
from services.drills.service.plans import HttpPlanLookup, PlanLookup, PlansUnavailable

# The calendar first: its literal path must not be read as a drill id.
BLUEPRINTS = (calendar.blp, drills.blp, followup.blp)
ERROR_TABLE = {PlansUnavailable: 503}


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay"),
               plan_lookup: PlanLookup | None = None) -> Flask:
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
        error_table=ERROR_TABLE,
        broker_check=bus.broker_check(settings),
        required_processes=required_processes,
    )
    app.extensions["drills.plan_lookup"] = plan_lookup or HttpPlanLookup(
        settings.service_urls.get("plans", f"http://127.0.0.1:{settings.service_port('plans')}"),
        settings.internal_secret, timeout=settings.upstream_connect_timeout + 1)
    return app


def create_worker(settings: Settings, *, database: Database | None = None, connection=None) -> EventWorker:
    clock.configure(settings.timezone)
    database = database or Database(settings.database_url(config.NAME))
    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=config.NAME,
        database=database,
        handlers=handlers.mapping(),
    )
