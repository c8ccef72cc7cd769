"""The resources service's app factory, worker and relay wiring."""
from __future__ import annotations

from flask import Flask

from servicekit import bus, clock
from servicekit.app import create_service_app
from servicekit.config import Settings
from servicekit.consumer import EventWorker, PeriodicJob
from servicekit.db import Database
from servicekit.logs import configure_logging
from services.resources import config
from services.resources.api import catalog, equipment, insight, operations, reservations, stock
from services.resources.handlers import ResourceHandlers
from services.resources.service.sweeps import SWEEPS

BLUEPRINTS = (catalog.blp, stock.blp, operations.blp, reservations.blp, equipment.blp, insight.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay")) -> Flask:
    if settings is None:  # a real process (gunicorn), not a test: log JSON lines
        configure_logging(config.NAME)
        settings = Settings.from_env()
    clock.configure(settings.timezone)
    database = database or Database(settings.database_url(config.NAME))
    return create_service_app(
        name=config.NAME,
        title=config.TITLE,
        description=config.DESCRIPTION,
        settings=settings,
        database=database,
        blueprints=BLUEPRINTS,
        broker_check=bus.broker_check(settings),
        required_processes=required_processes,
    )


def create_worker(settings: Settings, *, database: Database | None = None, connection=None) -> EventWorker:
    clock.configure(settings.timezone)
    database = database or Database(settings.database_url(config.NAME))

    def job(sweep):
        def run() -> None:
            # Each sweep in its own transaction, so one failing cannot hold back the others.
            with database.transaction() as session:
                sweep(session=session, now=clock.now(), today=clock.today())
        return run

    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=config.NAME,
        database=database,
        handlers=ResourceHandlers(timezone=settings.timezone).mapping(),
        jobs=tuple(PeriodicJob(name, settings.reservation_sweep_seconds, job(sweep)) for name, sweep in SWEEPS.items()),
    )
