"""What every service's `create_app` and `create_worker` do alike, written once."""
from __future__ import annotations

from types import ModuleType
from typing import Iterable, Mapping

from flask import Flask
from flask_smorest import Blueprint

from servicekit import bus, clock
from servicekit.app import create_service_app
from servicekit.config import Settings
from servicekit.consumer import EventWorker, Handler, PeriodicJob
from servicekit.db import Database
from servicekit.errors import DomainError
from servicekit.logs import configure_logging


def process_settings(name: str, settings: Settings | None) -> Settings:
    """The settings a process runs with: given (tests), else from the environment with JSON logs
    (a real process started by gunicorn or `python -m erdm`); the bureau's zone set for dates."""
    if settings is None:
        configure_logging(name)
        settings = Settings.from_env()
    clock.configure(settings.timezone)
    return settings


def service_app(identity: ModuleType, settings: Settings, *, database: Database | None,
                blueprints: Iterable[Blueprint], required_processes: tuple[str, ...],
                error_table: Mapping[type[DomainError], int] | None = None) -> Flask:
    """A service's Flask app from its `config` module (NAME, TITLE, DESCRIPTION) and its blueprints."""
    return create_service_app(
        name=identity.NAME,
        title=identity.TITLE,
        description=identity.DESCRIPTION,
        settings=settings,
        database=database or Database(settings.database_url(identity.NAME)),
        blueprints=blueprints,
        error_table=error_table,
        broker_check=bus.broker_check(settings),
        required_processes=required_processes,
    )


def service_worker(name: str, settings: Settings, *, database: Database | None, connection,
                   handlers: Mapping[str, Handler], jobs: tuple[PeriodicJob, ...] = ()) -> EventWorker:
    """A service's event worker on the configured broker (or the `connection` a test gives)."""
    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=name,
        database=database or Database(settings.database_url(name)),
        handlers=handlers,
        jobs=jobs,
    )
