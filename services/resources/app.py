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
from services.resources.api import catalog, reservations, stock
from services.resources.handlers import ResourceHandlers
from services.resources.service.reservations import release_expired

BLUEPRINTS = (catalog.blp, stock.blp, reservations.blp)


def create_app(settings: Settings | None = None, *, database: Database | None = None,
               required_processes: tuple[str, ...] = ("worker", "relay")) -> Flask:
    if settings is None:  # a real process (gunicorn), not a test: log JSON lines
        configure_logging(config.NAME)
        settings = Settings.from_env()
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
    database = database or Database(settings.database_url(config.NAME))

    def expire_reservations() -> None:
        with database.transaction() as session:
            release_expired(session=session, now=clock.now())

    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=config.NAME,
        database=database,
        handlers=ResourceHandlers(timezone=settings.timezone).mapping(),
        jobs=(PeriodicJob("expire reservations", settings.reservation_sweep_seconds, expire_reservations),),
    )
