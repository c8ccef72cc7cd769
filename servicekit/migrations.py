"""Alembic for every service: one env routine, and `upgrade(service, url)` used by `make run` and the tests."""
from __future__ import annotations

from importlib import resources as importlib_resources

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool

from servicekit.db import make_sqlite_file_private


def alembic_config(package: str, url: str) -> Config:
    """`package` is the service package (e.g. `services.resources`) holding a `migrations/` folder."""
    config = Config()
    config.set_main_option("script_location", str(importlib_resources.files(package) / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(package: str, url: str, revision: str = "head") -> None:
    make_sqlite_file_private(url)  # before alembic's engine creates it world-readable
    command.upgrade(alembic_config(package, url), revision)


def run_env(target_metadata: list[MetaData]) -> None:
    """The body of every service's `migrations/env.py`."""
    url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
    options = dict(target_metadata=target_metadata, render_as_batch=url.startswith("sqlite"),
                   compare_type=True)
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
