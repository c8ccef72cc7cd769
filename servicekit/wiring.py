"""What every service's `create_app` and `create_worker` do alike, written once."""
from __future__ import annotations

from types import ModuleType
from typing import Callable, Iterable, Mapping

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


# sweep(session=, now=, today=): work the clock alone makes due (expired holds, overdue orders), run by the worker.
Sweep = Callable[..., object]


def service_worker(name: str, settings: Settings, *, database: Database | None, connection,
                   handlers: Mapping[str, Handler], sweeps: Mapping[str, Sweep] | None = None) -> EventWorker:
    """A service's event worker on the configured broker (or the `connection` a test gives), running each of its
    `sweeps` every ERDM_SWEEP_SECONDS, each in a transaction of its own so one failing cannot hold back the others."""
    database = database or Database(settings.database_url(name))

    def job(sweep: Sweep) -> Callable[[], None]:
        def run() -> None:
            with database.transaction() as session:
                sweep(session=session, now=clock.now(), today=clock.today())
        return run

    return EventWorker(
        connection or bus.connect(settings.broker_url, folder=settings.broker_folder),
        service=name,
        database=database,
        handlers=handlers,
        jobs=tuple(PeriodicJob(sweep_name, settings.reservation_sweep_seconds, job(sweep))
                   for sweep_name, sweep in (sweeps or {}).items()),
    )
