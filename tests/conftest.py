"""Fixtures shared by every test: fresh databases on each backend, the resources app, signed clients."""
from __future__ import annotations

import pytest

from servicekit.config import Settings
from servicekit.db import Database
from servicekit.testing import TEST_SECRET, database_urls, signed_client


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_database_url(request, tmp_path_factory):
    """A function: service package -> URL of a freshly migrated database on this backend."""
    return database_urls(request, tmp_path_factory)


@pytest.fixture
def resources_db(fresh_database_url):
    database = Database(fresh_database_url("services.resources"))
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path):
    return Settings(internal_secret=TEST_SECRET, data_dir=tmp_path, broker_url=f"filesystem://{tmp_path / 'broker'}")


@pytest.fixture
def resources_app(settings, resources_db):
    from services.resources.app import create_app

    app = create_app(settings, database=resources_db, required_processes=())
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(resources_app):
    """Calls the resources service as the gateway would, as the admin."""
    return signed_client(resources_app)
